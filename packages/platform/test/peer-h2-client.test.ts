import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { GetItemsResponseSchema, MenuService, type GetItemsResponse } from "@oms/contracts/menu/v1/menu";
import { afterEach, describe, expect, it } from "vitest";
import { StaticRegistry } from "../src/discovery/index.js";
import { peerTransport, type PeerTransportOptions } from "../src/discovery/peer-transport.js";

/**
 * The peer path's HTTP/2 client (h2-client.ts) against a bare node:http2
 * server that misbehaves on demand: every way a call can end is an answer or
 * a ConnectError with the code a caller acts on, never a hang.
 */
describe("the peer HTTP/2 client", () => {
  const servers: http2.Http2Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  const serve = async (handle: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void, port = 0) => {
    const server = http2.createServer();
    server.on("stream", (stream, headers) => {
      stream.resume();
      stream.on("end", () => handle(stream, headers));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    servers.push(server);
    return { server, port: (server.address() as AddressInfo).port };
  };
  const menuAt = (port: number, timeoutMs?: number, options: Omit<PeerTransportOptions, "timeoutMs"> = {}) =>
    createClient(MenuService, peerTransport(new StaticRegistry({ menu: [`http://127.0.0.1:${port}`] }), "menu", { timeoutMs, ...options }));
  const answer = (stream: http2.ServerHttp2Stream) => {
    stream.respond({ ":status": 200, "content-type": "application/proto", "trailer-x-count": "1" });
    stream.end(toBinary(GetItemsResponseSchema, create(GetItemsResponseSchema, { items: [{ id: "a", name: "Soup" }] })));
  };
  const failure = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => ConnectError.from(error));

  it("sends Connect's binary unary request and reads the answer, headers and trailers", async () => {
    let seen: http2.IncomingHttpHeaders = {};
    const { port } = await serve((stream, headers) => {
      seen = headers;
      answer(stream);
    });
    let trailer: Headers | undefined;
    const response = await menuAt(port).getItems({ itemIds: ["a"] }, { onTrailer: (received) => (trailer = received) });
    expect(response.items.map((item) => item.name)).toEqual(["Soup"]);
    expect(trailer?.get("x-count")).toBe("1");
    expect(seen).toMatchObject({ ":method": "POST", ":path": "/oms.menu.v1.MenuService/GetItems", "content-type": "application/proto", "connect-protocol-version": "1" });
  });

  it("is DEADLINE_EXCEEDED when the peer does not answer in time, and CANCELED when the caller gives up", async () => {
    const { port } = await serve(() => undefined);
    expect((await failure(menuAt(port, 100).getItems({ itemIds: ["a"] })))?.code).toBe(Code.DeadlineExceeded);
    const caller = new AbortController();
    const pending = failure(menuAt(port).getItems({ itemIds: ["a"] }, { signal: caller.signal }));
    setTimeout(() => caller.abort(), 50);
    expect((await pending)?.code).toBe(Code.Canceled);
  });

  it("is UNAVAILABLE when the peer resets the stream or dies mid-call, and reconnects once it is back", async () => {
    const resetting = await serve((stream) => stream.close(http2.constants.NGHTTP2_NO_ERROR));
    expect((await failure(menuAt(resetting.port).getItems({ itemIds: ["a"] })))?.code).toBe(Code.Unavailable);

    const sessions: http2.ServerHttp2Session[] = [];
    const dying = await serve(() => undefined);
    dying.server.on("session", (session) => sessions.push(session));
    const menu = menuAt(dying.port);
    const pending = failure(menu.getItems({ itemIds: ["a"] }));
    while (sessions.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const session of sessions) session.destroy();
    expect((await pending)?.code).toBe(Code.Unavailable);

    await new Promise((resolve) => dying.server.close(resolve));
    servers.splice(servers.indexOf(dying.server), 1);
    await serve(answer, dying.port);
    expect((await menu.getItems({ itemIds: ["a"] })).items).toHaveLength(1);
  });

  it("runs the interceptors around the call: what they add is sent, what they see is the answer", async () => {
    let seen: http2.IncomingHttpHeaders = {};
    const { port } = await serve((stream, headers) => {
      seen = headers;
      answer(stream);
    });
    const names: string[] = [];
    const interceptors: Interceptor[] = [
      (next) => async (request) => {
        request.header.set("authorization", "Bearer peer");
        const response = await next(request);
        if (!response.stream) names.push(...(response.message as GetItemsResponse).items.map((item) => item.name));
        return response;
      },
    ];
    await menuAt(port, undefined, { interceptors }).getItems({ itemIds: ["a"] });
    expect(seen.authorization).toBe("Bearer peer");
    expect(names).toEqual(["Soup"]);
  });

  it("is RESOURCE_EXHAUSTED when the answer is larger than it takes", async () => {
    const { port } = await serve(answer);
    const error = await failure(menuAt(port, undefined, { maxResponseBytes: 4 }).getItems({ itemIds: ["a"] }));
    expect(error?.code).toBe(Code.ResourceExhausted);
  });

  it("reads a peer's error answer as that error", async () => {
    const { port } = await serve((stream) => {
      stream.respond({ ":status": 404, "content-type": "application/json" });
      stream.end(JSON.stringify({ code: "not_found", message: "no dish a" }));
    });
    const error = await failure(menuAt(port).getItems({ itemIds: ["a"] }));
    expect({ code: error?.code, message: error?.rawMessage }).toEqual({ code: Code.NotFound, message: "no dish a" });
  });
});
