import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createConnectRouter, type Interceptor } from "@connectrpc/connect";
import { validateUniversalHandlerOptions } from "@connectrpc/connect/protocol";
import { compressionGzip, connectNodeAdapter } from "@connectrpc/connect-node";
import { OrderService, WatchOrderRequestSchema, WatchOrderResponseSchema } from "@oms/contracts/order/v1/order";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorMappingInterceptor } from "../src/server/error-mapping.js";
import { grpcSpecEncode } from "../src/server/grpc-message-encoding.js";
import { serverStreamFastPath } from "../src/server/server-stream-fast-path.js";
import { recordMethods } from "../src/server/unary-methods.js";
import { testRoutes } from "./support/test-service.js";

const watchPath = "/oms.order.v1.OrderService/WatchOrder";

/** Refuses calls that carry `x-refuse`, before the implementation runs (as the access check does). */
const refusing: Interceptor = (next) => (request) => {
  if (request.header.has("x-refuse")) throw new ConnectError("refused: go away", Code.PermissionDenied);
  return next(request);
};

/** Counts the calls whose signal aborted, and why. */
const aborts: unknown[] = [];
const counting: Interceptor = (next) => (request) => {
  request.signal.addEventListener("abort", () => aborts.push(request.signal.reason), { once: true });
  return next(request);
};

const routerOptions = { interceptors: [errorMappingInterceptor(), refusing, counting], acceptCompression: [compressionGzip], compressMinBytes: 8 };

/** Three h2c servers on the same routes: Connect's own handler, and the fast path on Node's compatibility objects and on bare streams (which must never fall back in these tests). */
async function servers() {
  const stock = http2.createServer(connectNodeAdapter({ routes: testRoutes(), ...routerOptions }));
  const { router, serverStreaming } = recordMethods(createConnectRouter(routerOptions));
  testRoutes()(router);
  const fast = serverStreamFastPath(serverStreaming.get(watchPath)!, validateUniversalHandlerOptions(routerOptions))!;
  const fallbacks: string[] = [];
  const lean = http2.createServer((request, response) => {
    const serving = fast.node(request, response, () => void fallbacks.push("read, then handed back"));
    if (!serving) {
      fallbacks.push("not taken");
      response.writeHead(501).end();
    }
  });
  const bare = http2.createServer();
  bare.on("stream", (stream, headers) => {
    if (fast.h2(stream, headers, () => void fallbacks.push("read, then handed back"))) return;
    fallbacks.push("not taken");
    stream.respond({ ":status": 501 }, { endStream: true });
  });
  const all = [stock, lean, bare];
  for (const server of all) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = (server: http2.Http2Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { stock: url(stock), lean: url(lean), bare: url(bare), fallbacks, close: () => Promise.all(all.map((server) => new Promise((resolve) => server.close(resolve)))) };
}

interface Answer {
  headers: Record<string, unknown>;
  body: string;
  trailers: Record<string, unknown>;
}

/** One raw gRPC call: the answer's headers (without date), body bytes (hex) and trailers; `cancelAfterFirst` resets the stream once data came. */
function call(url: string, id: string, headers: Record<string, string> = {}, cancelAfterFirst = false): Promise<Answer> {
  const session = http2.connect(url);
  const message = toBinary(WatchOrderRequestSchema, create(WatchOrderRequestSchema, { id }));
  const body = Buffer.alloc(5 + message.length);
  body.writeUInt32BE(message.length, 1);
  body.set(message, 5);
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": watchPath, "content-type": "application/grpc+proto", te: "trailers", ...headers });
    const answer: Answer = { headers: {}, body: "", trailers: {} };
    stream.on("response", (received) => {
      const { date: _date, ...rest } = received;
      answer.headers = rest;
    });
    stream.on("trailers", (trailers) => (answer.trailers = { ...trailers }));
    stream.on("data", (chunk: Buffer) => {
      answer.body += chunk.toString("hex");
      if (cancelAfterFirst) stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      resolve(answer);
    });
    stream.end(body);
  });
}

describe("the server-streaming fast path (gRPC over h2c)", () => {
  let both: Awaited<ReturnType<typeof servers>>;
  beforeAll(async () => {
    both = await servers();
  });
  afterAll(() => both.close());

  const cases: Array<[string, string, Record<string, string>]> = [
    ["a stream that ends", "o1", {}],
    ["a stream that fails after a message", "fail-mid", {}],
    ["a call refused before its first message", "o1", { "x-refuse": "1" }],
    ["a stream past its deadline", "forever", { "grpc-timeout": "50m" }],
    ["a stream whose messages are compressed for a client that accepts gzip", "o1", { "grpc-accept-encoding": "gzip" }],
  ];
  it.each(cases)("answers %s with the bytes Connect's handler sends (grpc-message encoded per the gRPC spec, as the platform does)", async (_name, id, headers) => {
    const [stock, lean, bare] = await Promise.all([call(both.stock, id, headers), call(both.lean, id, headers), call(both.bare, id, headers)]);
    const message = stock.trailers["grpc-message"];
    if (typeof message === "string") stock.trailers["grpc-message"] = grpcSpecEncode(decodeURIComponent(message));
    expect(lean).toEqual(stock);
    expect(bare).toEqual(stock);
    expect(both.fallbacks).toEqual([]);
  });

  it.each(["lean", "bare"] as const)("aborts the handler's signal when the client cancels the stream (RST_STREAM), and lets the next stream be served (%s)", async (server) => {
    aborts.length = 0;
    const cancelled = await call(both[server], "forever", {}, true);
    expect(cancelled.body).not.toBe("");
    await expect.poll(() => aborts.map((reason) => ConnectError.from(reason).code)).toEqual([Code.Canceled]);
    expect((await call(both[server], "o1")).trailers["grpc-status"]).toBe("0");
  });

  it("aborts the signal of a call that ended well too, as Connect does (stream limits count on it)", async () => {
    aborts.length = 0;
    await call(both.lean, "o1");
    expect(aborts).toHaveLength(1);
  });

  it("leaves compressed requests, gRPC-Web and Connect streaming to Connect's handler", async () => {
    both.fallbacks.length = 0;
    const compressed = await call(both.lean, "o1", { "grpc-encoding": "gzip" }).catch(() => undefined);
    expect(compressed?.headers[":status"]).toBe(501);
    for (const contentType of ["application/grpc-web+proto", "application/connect+proto"]) {
      expect((await call(both.lean, "o1", { "content-type": contentType }))?.headers[":status"]).toBe(501);
    }
    expect(both.fallbacks).toEqual(["not taken", "not taken", "not taken"]);
  });

  it("gives the handler whole milliseconds left, as Connect's context does, for a gRPC timeout in microseconds", async () => {
    const { router, serverStreaming } = recordMethods(createConnectRouter({}));
    router.service(OrderService, {
      async *watchOrder(_request, context) {
        yield { order: { id: String(context.timeoutMs()) } };
      },
    });
    const fast = serverStreamFastPath(serverStreaming.get(watchPath)!, validateUniversalHandlerOptions({}))!;
    const server = http2.createServer((request, response) => void fast.node(request, response, () => void response.writeHead(501).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const answer = await call(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "o1", { "grpc-timeout": "2500001u" });
      const body = Buffer.from(answer.body, "hex");
      const left = fromBinary(WatchOrderResponseSchema, body.subarray(5)).order!.id;
      expect(Number.isInteger(Number(left)) && Number(left) > 0 && Number(left) <= 2501).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
