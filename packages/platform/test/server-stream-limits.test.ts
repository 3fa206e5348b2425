import http2 from "node:http2";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { healthV1, runService, type RunningService } from "@oms/platform/server";
import { Gate, testModule } from "./support/test-service.js";

/** Opens WatchOrder "forever" (one update, then silence) and resolves once its first update has arrived. */
async function openWatch(client: Client<typeof OrderService>, abort: AbortController) {
  const updates = client.watchOrder({ id: "forever" }, { signal: abort.signal })[Symbol.asyncIterator]();
  expect((await updates.next()).value?.order?.status).toBe(OrderStatus.PENDING);
  return updates;
}

describe("streams are bounded in number per server", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0, limits: { maxStreams: 2 } });
  });
  afterAll(() => service.close());

  it("refuses one stream more than the cap with resource_exhausted, serves unary calls meanwhile, and frees a slot when a stream ends", async () => {
    // Watchers over HTTP/1.1, where the server sees a client leave by its connection closing.
    const orders = createClient(OrderService, createConnectTransport({ baseUrl: service.url, httpVersion: "1.1" }));
    const first = new AbortController();
    const second = new AbortController();
    await openWatch(orders, first);
    await openWatch(orders, second);

    const refused = orders.watchOrder({ id: "forever" })[Symbol.asyncIterator]();
    await expect(refused.next()).rejects.toMatchObject({ code: 8, rawMessage: expect.stringMatching(/too many open streams/) });
    // Over gRPC too, from another connection: the cap is the server's, not the connection's.
    const grpcOrders = createClient(OrderService, createGrpcTransport({ baseUrl: service.url }));
    await expect(grpcOrders.watchOrder({ id: "o1" })[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 8 });
    const menu = createClient(MenuService, createConnectTransport({ baseUrl: service.url, httpVersion: "1.1" }));
    expect((await menu.listItems({})).items).toHaveLength(2);

    first.abort();
    // The slot frees once the server sees the client leave.
    await expect.poll(async () => {
      const statuses: OrderStatus[] = [];
      try {
        for await (const update of grpcOrders.watchOrder({ id: "o1" })) statuses.push(update.order!.status);
      } catch {
        return [];
      }
      return statuses;
    }).toEqual([OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.COMPLETED]);
    second.abort();
  });
});

describe("streams are bounded in time", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0, limits: { maxStreamLifetimeMs: 400 } });
  });
  afterAll(() => service.close());

  it("ends a stream past its lifetime with unavailable, the code a client reconnects on", async () => {
    const orders = createClient(OrderService, createConnectTransport({ baseUrl: service.url, httpVersion: "1.1" }));
    const started = Date.now();
    const updates = await openWatch(orders, new AbortController());
    await expect(updates.next()).rejects.toMatchObject({ code: 14, rawMessage: expect.stringMatching(/reconnect/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it("also ends a handler that returns quietly when its signal aborts (gRPC health Watch) with unavailable, not OK", async () => {
    const health = createClient(healthV1.Health, createGrpcTransport({ baseUrl: service.url }));
    const statuses: number[] = [];
    await expect(
      (async () => {
        for await (const update of health.watch({ service: "" })) statuses.push(update.status);
      })(),
    ).rejects.toMatchObject({ code: 14 });
    expect(statuses).toEqual([healthV1.HealthCheckResponse_ServingStatus.SERVING]);
  });

  it("lets a stream that finishes in time end normally", async () => {
    const orders = createClient(OrderService, createGrpcTransport({ baseUrl: service.url }));
    const statuses: OrderStatus[] = [];
    for await (const update of orders.watchOrder({ id: "o1" })) statuses.push(update.order!.status);
    expect(statuses).toEqual([OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.COMPLETED]);
  });
});

describe("streams per HTTP/2 connection", () => {
  it("announces the cap in SETTINGS (100 by default), and a client holds a stream beyond it until one ends", async () => {
    const slow = new Gate();
    const byDefault = await runService(testModule(), { port: 0 });
    const capped = await runService(testModule({ slow }), { port: 0, limits: { maxConcurrentStreams: 1 } });
    const sessions: http2.ClientHttp2Session[] = [];
    const connect = async (service: RunningService) => {
      const session = http2.connect(service.url);
      sessions.push(session);
      session.on("error", () => {});
      await new Promise((resolve) => session.once("remoteSettings", resolve));
      return session;
    };
    try {
      expect((await connect(byDefault)).remoteSettings.maxConcurrentStreams).toBe(100);
      const session = await connect(capped);
      expect(session.remoteSettings.maxConcurrentStreams).toBe(1);
      const getItems = (id: string) => {
        const stream = session.request({ ":method": "POST", ":path": "/oms.menu.v1.MenuService/GetItems", "content-type": "application/json" });
        stream.on("error", () => {});
        stream.resume();
        stream.end(JSON.stringify({ itemIds: [id] }));
        return new Promise<number>((resolve) => stream.once("response", (headers) => resolve(Number(headers[":status"]))));
      };
      const first = getItems("slow");
      await vi.waitUntil(() => slow.waiting === 1);
      const beyond = getItems("01ITEMTIRAMISU");
      const early = await Promise.race([beyond, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 300))]);
      expect(early).toBe("still waiting");
      slow.open();
      expect(await first).toBe(200);
      expect(await beyond).toBe(200);
    } finally {
      for (const session of sessions) session.destroy();
      await Promise.all([byDefault.close(), capped.close()]);
    }
  });
});
