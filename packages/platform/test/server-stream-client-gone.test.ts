import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
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
