import { create } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { OrderCancelledSchema, OrderPaidSchema } from "@oms/contracts/events/v1/order_events";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { StaticRegistry } from "@oms/platform/discovery";
import { envelope, MemoryEventBus, type Delivery } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { waitFor } from "@oms/platform/testing";
import { errorMappingInterceptor } from "@oms/platform/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { orderEventHandlers } from "../src/order-events.js";
import { createStockService } from "../src/service.js";
import { stockFixture } from "./stock-fixture.js";

const logger = createLogger("stock-test");
const delivery = (type: string): Delivery => ({ id: "01J0000000000000000000000", type, time: new Date(), body: new Uint8Array(), headers: {}, attempt: 1, queue: "stock" });
const paid = (orderId: string) => create(OrderPaidSchema, { orderId });
const cancelled = (orderId: string) => create(OrderCancelledSchema, { orderId, reason: "customer" });

describe("order event handlers", () => {
  async function setUp() {
    const fixture = await stockFixture({ a: 10 });
    await fixture.app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    const handlers = orderEventHandlers(fixture.app, logger);
    return {
      ...fixture,
      onPaid: (orderId: string) => handlers["order.paid"]!(paid(orderId), delivery("order.paid")),
      onCancelled: (orderId: string) => handlers["order.cancelled"]!(cancelled(orderId), delivery("order.cancelled")),
    };
  }

  it("order.paid commits the reservation; duplicates and a late cancel change nothing", async () => {
    const { onPaid, onCancelled, level, reservations } = await setUp();
    await onPaid("o1");
    expect(await level("a")).toEqual({ available: 6, reserved: 0 });
    await onPaid("o1");
    await onCancelled("o1");
    expect(await level("a")).toEqual({ available: 6, reserved: 0 });
    expect((await reservations.get("o1"))?.status).toBe("COMMITTED");
  });

  it("order.cancelled releases the reservation; duplicates and a late payment change nothing", async () => {
    const { onPaid, onCancelled, level, reservations } = await setUp();
    await onCancelled("o1");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    await Promise.all([onCancelled("o1"), onCancelled("o1")]);
    await onPaid("o1");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect((await reservations.get("o1"))?.status).toBe("RELEASED");
  });

  it("acknowledges events for orders stock never reserved", async () => {
    const { onPaid, onCancelled } = await setUp();
    await expect(onPaid("unknown")).resolves.toBeUndefined();
    await expect(onCancelled("unknown")).resolves.toBeUndefined();
  });
});

describe("stock service consuming the bus", () => {
  let bus: MemoryEventBus | undefined;
  afterEach(async () => {
    await bus?.close();
  });

  it("commits on order.paid and releases on order.cancelled delivered through the 'stock' queue", async () => {
    bus = new MemoryEventBus();
    const module = await createStockService({
      config: { port: 0 },
      bus,
      registry: new StaticRegistry(),
      logger,
      seed: [{ itemId: "a", available: 10 }],
    });
    await module.start();
    const transport = createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } });
    const stock = createClient(StockService, transport);
    const level = async () => {
      const [found] = (await stock.getStock({ itemIds: ["a"] })).levels;
      return { available: found?.available, reserved: found?.reserved };
    };
    await stock.reserveItems({ orderId: "paid-order", lines: [{ itemId: "a", quantity: 3 }] });
    await stock.reserveItems({ orderId: "cancelled-order", lines: [{ itemId: "a", quantity: 2 }] });
    expect(await level()).toEqual({ available: 5, reserved: 5 });

    const payment = envelope("order.paid", { orderId: "paid-order" });
    await bus.publish(payment);
    await bus.publish(payment); // a redelivered duplicate
    await bus.publish(envelope("order.cancelled", { orderId: "cancelled-order", reason: "payment deadline passed" }));
    await bus.publish(envelope("order.cancelled", { orderId: "cancelled-order", reason: "again" }));
    await vi.waitFor(async () => expect(await level()).toEqual({ available: 7, reserved: 0 }), { timeout: 10_000, interval: 20 });
    expect(await bus.deadLetters("stock")).toEqual([]);
    await module.stop();
  });

  it("keeps the hold order.created confirmed and, by its own sweep, gives back one no order came for", async () => {
    bus = new MemoryEventBus();
    const module = await createStockService({
      config: { port: 0, holdTimeoutMs: 1_000 },
      bus,
      registry: new StaticRegistry(),
      logger,
      seed: [{ itemId: "a", available: 10 }],
    });
    await module.start();
    const transport = createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } });
    const stock = createClient(StockService, transport);
    await stock.reserveItems({ orderId: "stored-order", lines: [{ itemId: "a", quantity: 3 }] });
    await stock.reserveItems({ orderId: "lost-order", lines: [{ itemId: "a", quantity: 2 }] });
    await bus.publish(envelope("order.created", { orderId: "stored-order", customerId: "alice" }));
    const level = async () => (await stock.getStock({ itemIds: ["a"] })).levels[0];
    await waitFor(async () => (await level())?.reserved === 3, { message: "the unconfirmed hold given back" });
    expect(await level()).toMatchObject({ available: 7, reserved: 3 });
    expect(await bus.deadLetters("stock")).toEqual([]);
    await module.stop();
  });
});
