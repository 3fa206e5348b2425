import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { OrderService, OrderStatus, WatchOrderRequestSchema } from "@oms/contracts/order/v1/order";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runService, type RunningService } from "@oms/platform/server";
import { testModule } from "./support/test-service.js";

/**
 * A client that cancels a server stream over HTTP/2 resets only that stream
 * (RST_STREAM); the connection stays. Node then closes the response with
 * `writableFinished` true although nothing was answered in full, so the
 * server must not take that for a finished answer: the handler's signal has
 * to abort, or an idle stream (WatchOrder) holds its slot, its handler and
 * their memory until its lifetime ends.
 */
describe("a server stream whose client cancels it over HTTP/2", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0, limits: { maxStreams: 1 } });
  });
  afterAll(() => service.close());

  it("ends its handler and frees its slot: the next stream on the same connection is served", async () => {
    const orders = createClient(OrderService, createGrpcTransport({ baseUrl: service.url }));
    const firstUpdate = async () => {
      const leaving = new AbortController();
      const updates = orders.watchOrder({ id: "forever" }, { signal: leaving.signal })[Symbol.asyncIterator]();
      try {
        return (await updates.next()).value?.order?.status;
      } catch {
        return undefined; // refused while the previous stream still holds the only slot
      } finally {
        leaving.abort();
      }
    };
    for (let round = 1; round <= 3; round++) await expect.poll(firstUpdate).toBe(OrderStatus.PENDING);
  });
});

/** Opens `count` WatchOrder("forever") streams on one raw h2c session and resolves once each has its first message. */
async function watchOnOneSession(url: string, count: number): Promise<http2.ClientHttp2Session> {
  const session = http2.connect(url);
  const message = toBinary(WatchOrderRequestSchema, create(WatchOrderRequestSchema, { id: "forever" }));
  const body = Buffer.alloc(5 + message.length);
  body.writeUInt32BE(message.length, 1);
  body.set(message, 5);
  const firsts = Array.from({ length: count }, () => {
    const stream = session.request({ ":method": "POST", ":path": "/oms.order.v1.OrderService/WatchOrder", "content-type": "application/grpc+proto", te: "trailers" });
    stream.on("error", () => {});
    stream.end(body);
    return new Promise((resolve) => stream.once("data", resolve));
  });
  await Promise.all(firsts);
  return session;
}

describe("server streams whose client drops the connection", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0, limits: { maxStreams: 3 } });
  });
  afterAll(() => service.close());

  it("all end, none left holding a slot (the socket is not kept half-open)", async () => {
    const dropped = await watchOnOneSession(service.url, 3);
    dropped.destroy();
    const orders = createClient(OrderService, createGrpcTransport({ baseUrl: service.url }));
    // How many of three new watches are served; each attempt leaves again, so it frees what it took.
    const watchAll = async () => {
      const leaving = new AbortController();
      const updates = Array.from({ length: 3 }, () => orders.watchOrder({ id: "forever" }, { signal: leaving.signal })[Symbol.asyncIterator]());
      const firsts = await Promise.allSettled(updates.map((update) => update.next()));
      leaving.abort();
      return firsts.filter((first) => first.status === "fulfilled").length;
    };
    await expect.poll(watchAll).toBe(3);
  });
});
