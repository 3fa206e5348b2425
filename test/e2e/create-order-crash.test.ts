import { createRouterTransport } from "@connectrpc/connect";
import { UnavailableError } from "@oms/platform/errors";
import { AggregateOutboxStore, OutboxRelay } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor } from "@oms/platform/server";
import { createTestBus, waitFor } from "@oms/platform/testing";
import { describe, expect, it } from "vitest";
import { MemoryOrderRepository } from "../../packages/order/src/adapters/memory-order-repository.js";
import { orderEventBody } from "../../packages/order/src/adapters/order-event-bodies.js";
import { StockReservationsClient } from "../../packages/order/src/adapters/stock-reservations-client.js";
import { createOrderApp } from "../../packages/order/src/app/order-app.js";
import type { Order } from "../../packages/order/src/domain/order.js";
import { dishes, FakeMenu } from "../../packages/order/test/support/fakes.js";
import { MemoryReservationRepository } from "../../packages/stock/src/adapters/memory-reservation-repository.js";
import { MemoryStockLevelRepository } from "../../packages/stock/src/adapters/memory-stock-level-repository.js";
import { ExpireUnconfirmedHolds } from "../../packages/stock/src/app/expire-unconfirmed-holds.js";
import { createStockApp } from "../../packages/stock/src/app/stock-app.js";
import { consumeOrderEvents } from "../../packages/stock/src/order-events.js";
import { stockRoutes } from "../../packages/stock/src/rpc.js";

const holdTimeoutMs = 10 * 60_000;
const logger = createLogger("create-order-crash", { level: "silent" });

/** An order store that loses the first insert, as when the order process is killed or its database restarts mid-request. */
class StoreThatFailsOnce extends MemoryOrderRepository {
  failNext = true;
  override async create(order: Order): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("connection closed while inserting the order");
    }
    return super.create(order);
  }
}

/**
 * The repro, deterministic: CreateOrder reserves with stock over its
 * real Connect client and routes, the order is then not stored, the
 * compensating release fails too, the client retries with the same key and
 * every order is cancelled. Nothing may stay reserved without a live order.
 */
describe("a CreateOrder that crashes after stock reserved", () => {
  it("leaves no units held once every order is cancelled and the hold timeout has passed", async () => {
    const levels = new MemoryStockLevelRepository();
    const reservations = new MemoryReservationRepository();
    await levels.insertLevel(dishes.margherita.id, 5);
    const stockApp = createStockApp(levels, reservations);
    const bus = createTestBus();
    await consumeOrderEvents(bus, stockApp, logger);

    const transport = createRouterTransport(stockRoutes(stockApp), { router: { interceptors: [errorMappingInterceptor()] } });
    const client = new StockReservationsClient(transport);
    let stockAnswers = false;
    const stock = {
      reserve: client.reserve.bind(client),
      // Stock is slow: the compensation of the lost order gets no answer.
      release: async (orderId: string) => {
        if (!stockAnswers) throw new UnavailableError("stock did not answer in time");
        return client.release(orderId);
      },
    };
    const repository = new StoreThatFailsOnce();
    const order = createOrderApp({ repository, menu: new FakeMenu(), stock, paymentDeadlineMs: 15 * 60_000 });
    const relay = new OutboxRelay(new AggregateOutboxStore(repository, orderEventBody), bus, { logger });
    const request = { customerId: "alice", idempotencyKey: "same-key", lines: [{ itemId: dishes.margherita.id, quantity: 2 }] };
    const level = async () => {
      const [found] = await levels.find([dishes.margherita.id]);
      return { available: found!.available, reserved: found!.reserved };
    };

    try {
      await expect(order.createOrder.execute(request)).rejects.toThrow(/connection closed/);
      stockAnswers = true;
      const retried = await order.createOrder.execute(request);
      expect(await level()).toEqual({ available: 1, reserved: 4 });

      await relay.flush(); // order.created of the stored order reaches stock
      await repository.update(retried.id, (stored) => stored.cancel("changed my mind", new Date()));
      await relay.flush(); // order.cancelled
      await waitFor(async () => (await level()).reserved === 2, { message: "the cancelled order's units released" });

      // "Wait": the sweep stock runs on a timer, at a time past the hold timeout.
      await new ExpireUnconfirmedHolds(levels, reservations, holdTimeoutMs).execute(new Date(Date.now() + holdTimeoutMs + 1_000));
      expect(await level()).toEqual({ available: 5, reserved: 0 });
    } finally {
      await bus.close();
    }
  });
});
