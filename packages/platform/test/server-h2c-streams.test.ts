import * as http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { GetItemsRequestSchema, MenuService } from "@oms/contracts/menu/v1/menu";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { publicPolicies } from "../src/auth/index.js";
import { buildServer } from "../src/server/index.js";
import { RpcFrontDoor } from "../src/server/rpc-front-door.js";

/**
 * Plain unary calls over h2c are served on the bare HTTP/2 stream, before
 * Node makes its compatibility request and response (h2c-server.ts); every
 * other stream gets them made by the server itself. These pin what that must
 * keep: Node's own answers to CONNECT and Expect, the date header, and the
 * call's signal when the client resets the stream.
 */
describe("h2c streams", () => {
  let app: FastifyInstance;
  let session: http2.ClientHttp2Session;
  let seenByFastify: string[];
  const aborted: unknown[] = [];
  let started: () => void = () => {};
  const routes = (router: ConnectRouter) =>
    router.service(MenuService, {
      getItems: async (request, context) => {
        if (!request.itemIds.includes("wait")) return { items: [] };
        started();
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
        aborted.push(context.signal.reason);
        return { items: [] };
      },
      listItems: () => ({ items: [] }),
      upsertItem: () => ({}),
    });

  beforeAll(async () => {
    app = await buildServer({ name: "menu", services: [MenuService], routes, policies: publicPolicies(MenuService) });
    app.addHook("onRequest", async (request) => void seenByFastify.push(request.url));
    session = http2.connect(await app.listen({ host: "127.0.0.1", port: 0 }));
  });
  afterAll(async () => {
    session.close();
    await app.close();
  });

  const getItems = (ids: string[]) => {
    const message = toBinary(GetItemsRequestSchema, create(GetItemsRequestSchema, { itemIds: ids }));
    const envelope = Buffer.alloc(5 + message.length);
    envelope.writeUInt32BE(message.length, 1);
    envelope.set(message, 5);
    return session.request({ ":method": "POST", ":path": "/oms.menu.v1.MenuService/GetItems", "content-type": "application/grpc", te: "trailers" }).end(envelope);
  };
  const answer = (stream: http2.ClientHttp2Stream) =>
    new Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders }>((resolve, reject) => {
      let headers: http2.IncomingHttpHeaders = {};
      stream.on("response", (received) => (headers = received));
      stream.on("trailers", (trailers) => resolve({ headers, trailers }));
      stream.on("error", reject);
      stream.resume();
    });

  it("serves a plain gRPC unary call on the bare stream, without Fastify, with the date header Node's responses carry", async () => {
    seenByFastify = [];
    const takeStream = vi.spyOn(RpcFrontDoor.prototype, "takeStream");
    const { headers, trailers } = await answer(getItems(["01ITEM"]));
    expect(takeStream.mock.results.map((result) => result.value)).toEqual([true]);
    takeStream.mockRestore();
    expect(headers[":status"]).toBe(200);
    expect(headers["content-type"]).toBe("application/grpc+proto");
    expect(new Date(String(headers.date)).getTime()).not.toBeNaN();
    expect(trailers["grpc-status"]).toBe("0");
    expect(seenByFastify).toEqual([]);
  });

  it("answers CONNECT 405 and an unknown expectation 417, as Node's compatibility layer does", async () => {
    const status = (headers: http2.OutgoingHttpHeaders) =>
      new Promise<unknown>((resolve) => {
        const stream = session.request(headers);
        stream.on("response", (received) => resolve(received[":status"]));
        stream.on("error", () => resolve("reset"));
        stream.end();
      });
    expect(await status({ ":method": "CONNECT", ":authority": "127.0.0.1:1" })).toBe(405);
    expect(await status({ ":method": "POST", ":path": "/oms.menu.v1.MenuService/GetItems", expect: "tea" })).toBe(417);
  });

  it("aborts the call's signal with CANCELED when the client resets the stream", async () => {
    const running = new Promise<void>((resolve) => (started = resolve));
    const stream = getItems(["wait"]);
    stream.on("error", () => {});
    await running;
    stream.close(http2.constants.NGHTTP2_CANCEL);
    await expect.poll(() => aborted.length).toBe(1);
    expect(ConnectError.from(aborted[0]).message).toContain("the client went away");
  });
});
