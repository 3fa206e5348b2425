import type { AddressInfo } from "node:net";
import * as http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { GetItemsRequestSchema, ListItemsRequestSchema, MenuService } from "@oms/contracts/menu/v1/menu";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicPolicies } from "../src/auth/index.js";
import { buildServer } from "../src/server/index.js";
import { buildStockConnectServer } from "../src/testing/index.js";

/**
 * The unary fast path (unary-fast-path.ts) answers every unary call byte for
 * byte as connect-es's own handlers do, on both HTTP versions and both
 * protocols it serves, including what it hands back to them (a body over the
 * limit, a compressed request, gRPC-Web).
 */
describe("the unary fast path", () => {
  const dish = (id: string) => ({ id, name: `Dish ${id}`, price: { currencyCode: "EUR", amountMinor: 650n }, available: true });
  const routes = (router: ConnectRouter) =>
    router.service(MenuService, {
      // As many dishes as asked for: a large answer is compressed when the client accepts it.
      getItems: (request, context) => {
        context.responseHeader.set("x-served-by", "menu");
        // Deadlines are whole milliseconds, even when a gRPC caller gives one in nanoseconds.
        context.responseHeader.set("x-whole-ms", String(Number.isInteger(context.timeoutMs() ?? 0)));
        context.responseTrailer.set("x-items", String(request.itemIds.length));
        if (request.itemIds.includes("missing")) throw new ConnectError("no dish missing", Code.NotFound, { "x-reason": "unknown" });
        return { items: request.itemIds.map(dish) };
      },
      listItems: () => {
        throw new Error("a bug: must not leak");
      },
      upsertItem: async (_request, context) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        context.signal.throwIfAborted();
        return {};
      },
    });
  const servers: Record<string, { app: FastifyInstance; url: string; session?: http2.ClientHttp2Session }> = {};
  beforeAll(async () => {
    for (const adapter of ["platform", "connect-fastify"] as const) {
      const definition = { name: "menu", services: [MenuService], routes, policies: publicPolicies(MenuService) };
      const app = await (adapter === "platform" ? buildServer : buildStockConnectServer)(definition, { bodyLimit: 4096 });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      servers[adapter] = { app, url, session: http2.connect(url) };
    }
  });
  afterAll(async () => {
    for (const { app, session } of Object.values(servers)) {
      session?.close();
      await app.close();
    }
  });

  interface Exchange {
    status: number;
    headers: Record<string, unknown>;
    trailers: Record<string, unknown>;
    body: string;
  }
  const withoutDate = (headers: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "date" && name !== "keep-alive" && name !== "connection"));

  /** One call over HTTP/2, everything the client sees. */
  const overH2 = (adapter: string, path: string, headers: Record<string, string>, body: Uint8Array | string) =>
    new Promise<Exchange>((resolve, reject) => {
      const stream = servers[adapter]!.session!.request({ ":method": "POST", ":path": `/oms.menu.v1.MenuService/${path}`, ...headers });
      const chunks: Buffer[] = [];
      let responseHeaders: Record<string, unknown> = {};
      let trailers: Record<string, unknown> = {};
      stream.on("response", (received) => (responseHeaders = { ...received }));
      stream.on("trailers", (received) => (trailers = { ...received }));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () =>
        resolve({ status: Number(responseHeaders[":status"]), headers: withoutDate(responseHeaders), trailers, body: Buffer.concat(chunks).toString("base64") }),
      );
      stream.on("error", reject);
      stream.end(body);
    });

  /** One call over HTTP/1.1 with fetch. */
  const overH1 = async (adapter: string, path: string, headers: Record<string, string>, body: Uint8Array | string): Promise<Exchange> => {
    const response = await fetch(`${servers[adapter]!.url}/oms.menu.v1.MenuService/${path}`, { method: "POST", headers, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: withoutDate(Object.fromEntries(response.headers)), trailers: {}, body: bytes.toString("base64") };
  };

  const envelope = (message: Uint8Array, flags = 0) => {
    const bytes = Buffer.alloc(5 + message.length);
    bytes[0] = flags;
    bytes.writeUInt32BE(message.length, 1);
    bytes.set(message, 5);
    return bytes;
  };
  const getItems = (count: number, extra: string[] = []) =>
    toBinary(GetItemsRequestSchema, create(GetItemsRequestSchema, { itemIds: [...Array.from({ length: count }, (_, i) => `d${i}`), ...extra] }));
  const json = (count: number, extra: string[] = []) => JSON.stringify({ itemIds: [...Array.from({ length: count }, (_, i) => `d${i}`), ...extra] });

  const same = async (call: (adapter: string) => Promise<Exchange>, label: string) => {
    const ours = await call("platform");
    const stock = await call("connect-fastify");
    expect(ours, label).toEqual(stock);
    return ours;
  };

  it("answers Connect unary as Connect does: JSON and binary, both HTTP versions, errors, trailers, compression", async () => {
    const cases: Array<[string, string, Record<string, string>, Uint8Array | string]> = [
      ["small JSON", "GetItems", { "content-type": "application/json" }, json(2)],
      ["JSON with charset", "GetItems", { "content-type": "application/json; charset=utf-8" }, json(1)],
      ["binary", "GetItems", { "content-type": "application/proto" }, getItems(3)],
      ["large answer, gzip accepted", "GetItems", { "content-type": "application/json", "accept-encoding": "gzip, br" }, json(40)],
      ["large answer, br first", "GetItems", { "content-type": "application/json", "accept-encoding": "br" }, json(40)],
      ["not found with metadata", "GetItems", { "content-type": "application/json" }, json(1, ["missing"])],
      ["unexpected failure", "ListItems", { "content-type": "application/json" }, "{}"],
      ["malformed JSON", "GetItems", { "content-type": "application/json" }, "{"],
      ["unknown field", "GetItems", { "content-type": "application/json" }, '{"colour":1}'],
      ["with a timeout", "GetItems", { "content-type": "application/json", "connect-timeout-ms": "5000" }, json(1)],
      ["deadline exceeded", "UpsertItem", { "content-type": "application/json", "connect-timeout-ms": "1" }, "{}"],
      ["over the body limit", "GetItems", { "content-type": "application/json" }, json(600)],
      ["compressed request", "GetItems", { "content-type": "application/json", "content-encoding": "gzip" }, Buffer.from("not gzip")],
      ["bad timeout", "GetItems", { "content-type": "application/json", "connect-timeout-ms": "soon" }, json(1)],
    ];
    for (const [label, path, headers, body] of cases) {
      await same((adapter) => overH1(adapter, path, headers, body), `HTTP/1.1: ${label}`);
      await same((adapter) => overH2(adapter, path, headers, body), `HTTP/2: ${label}`);
    }
  });

  it("answers gRPC unary as Connect does: success, status in trailers, compression, what it leaves to Connect", async () => {
    const grpc = { "content-type": "application/grpc", te: "trailers" };
    const cases: Array<[string, string, Record<string, string>, Uint8Array]> = [
      ["small", "GetItems", grpc, envelope(getItems(2))],
      ["application/grpc+proto", "GetItems", { ...grpc, "content-type": "application/grpc+proto" }, envelope(getItems(1))],
      ["large, gzip accepted as grpc-js asks", "GetItems", { ...grpc, "grpc-accept-encoding": "identity,deflate,gzip" }, envelope(getItems(40))],
      ["small, gzip accepted", "GetItems", { ...grpc, "grpc-accept-encoding": "gzip" }, envelope(getItems(1))],
      ["not found with metadata", "GetItems", grpc, envelope(getItems(1, ["missing"]))],
      ["unexpected failure", "ListItems", grpc, envelope(toBinary(ListItemsRequestSchema, create(ListItemsRequestSchema)))],
      ["with a timeout", "GetItems", { ...grpc, "grpc-timeout": "5000m" }, envelope(getItems(1))],
      ["with a timeout in nanoseconds", "GetItems", { ...grpc, "grpc-timeout": "4999999999n" }, envelope(getItems(1))],
      ["deadline exceeded", "UpsertItem", { ...grpc, "grpc-timeout": "1m" }, envelope(new Uint8Array(0))],
      ["no message", "GetItems", grpc, new Uint8Array(0)],
      ["two messages", "GetItems", grpc, Buffer.concat([envelope(getItems(1)), envelope(getItems(1))])],
      ["compressed flag without an encoding", "GetItems", grpc, envelope(getItems(1), 1)],
      ["over the body limit", "GetItems", grpc, envelope(getItems(600))],
      ["bad timeout", "GetItems", { ...grpc, "grpc-timeout": "soon" }, envelope(getItems(1))],
      ["gRPC-Web", "GetItems", { "content-type": "application/grpc-web+proto" }, envelope(getItems(1))],
    ];
    for (const [label, path, headers, body] of cases) await same((adapter) => overH2(adapter, path, headers, body), `gRPC: ${label}`);
  });

  it("answers a request message that is not protobuf with invalid_argument on both protocols", async () => {
    const notProtobuf = new Uint8Array([0x0a, 0xff, 0xff, 0xff]);
    const connect = await overH1("platform", "GetItems", { "content-type": "application/proto" }, notProtobuf);
    expect(connect.status).toBe(400);
    expect(JSON.parse(Buffer.from(connect.body, "base64").toString())).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("parse binary") });
    const grpc = await overH2("platform", "GetItems", { "content-type": "application/grpc" }, envelope(notProtobuf));
    expect(grpc.trailers["grpc-status"]).toBe(String(Code.InvalidArgument));
  });

  it("aborts the calls in flight when the server shuts down, as Connect does, on both protocols", async () => {
    let waiting = 0;
    const hanging = (router: ConnectRouter) =>
      router.service(MenuService, {
        getItems: (_request, context) => {
          waiting++;
          return new Promise((_resolve, reject) => context.signal.addEventListener("abort", () => reject(context.signal.reason as Error)));
        },
      });
    const answers: Record<string, unknown> = {};
    for (const adapter of ["platform", "connect-fastify"] as const) {
      const definition = { name: "menu", services: [MenuService], routes: hanging, policies: publicPolicies(MenuService) };
      const shutdown = new AbortController();
      const app = await (adapter === "platform" ? buildServer : buildStockConnectServer)(definition, { shutdownSignal: shutdown.signal });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const session = http2.connect(url);
      try {
        const connect = fetch(`${url}/oms.menu.v1.MenuService/GetItems`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"itemIds":["d0"]}' });
        const grpc = new Promise<Record<string, unknown>>((resolve, reject) => {
          const stream = session.request({ ":method": "POST", ":path": "/oms.menu.v1.MenuService/GetItems", "content-type": "application/grpc", te: "trailers" });
          stream.on("trailers", (trailers) => resolve({ "grpc-status": trailers["grpc-status"], "grpc-message": trailers["grpc-message"] }));
          stream.on("error", reject);
          stream.resume();
          stream.end(envelope(getItems(1)));
        });
        while (waiting < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        shutdown.abort(new ConnectError("server shutting down", Code.Unavailable));
        const answered = await connect;
        answers[adapter] = { status: answered.status, body: await answered.json(), grpc: await grpc };
        waiting = 0;
      } finally {
        session.close();
        await app.close();
      }
    }
    expect(answers.platform).toEqual({ status: 503, body: { code: "unavailable", message: "server shutting down" }, grpc: { "grpc-status": "14", "grpc-message": "server shutting down" } });
    expect(answers["connect-fastify"]).toEqual(answers.platform);
  });
});
