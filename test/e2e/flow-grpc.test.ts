import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import { demoDishes, key, startSystem, tokens } from "./support.js";
import { grpcClient } from "./grpc-client.js";

const path = [
  OrderStatus.PENDING,
  OrderStatus.AWAITING_PAYMENT,
  OrderStatus.PAID,
  OrderStatus.PREPARING,
  OrderStatus.READY,
  OrderStatus.COMPLETED,
];

describe("the order flow over gRPC (h2c, @grpc/grpc-js)", () => {
  let system: RunningSystem;
  // The customer orders, pays and watches; staff hands the order over.
  let orders: ReturnType<typeof grpcClient>;
  let counter: ReturnType<typeof grpcClient>;
  beforeAll(async () => {
    system = await startSystem();
    orders = grpcClient(OrderService, system.services.order.url, await system.issuer!.issue("bob", "customer"));
    counter = grpcClient(OrderService, system.services.order.url, tokens.staff);
  });
  afterAll(async () => {
    orders?.close();
    counter?.close();
    await system?.close();
  });

  it("creates, pays, cooks and completes an order while WatchOrder sees every state", async () => {
    const { order } = await orders.createOrder({
      customerId: "bob",
      idempotencyKey: key("grpc"),
      lines: [{ itemId: demoDishes[2]!.id, quantity: 1 }],
    });
    const seen: OrderStatus[] = [];
    const watching = (async () => {
      for await (const update of orders.watchOrder({ id: order.id })) {
        seen.push(update.order.status);
        if (update.order.status === OrderStatus.AWAITING_PAYMENT && update.order.paymentUrl) {
          await fetch(`${update.order.paymentUrl}/pay`, { method: "POST" });
        }
        if (update.order.status === OrderStatus.READY) await counter.completeOrder({ id: order.id });
      }
    })();
    await watching;
    // The stream starts with the state current at subscription and then misses nothing.
    const first = path.indexOf(seen[0]!);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(1);
    expect(seen).toEqual(path.slice(first));
  });

  it("answers an unknown order with NOT_FOUND as a gRPC status", async () => {
    const error = await orders.getOrder({ id: "01KDVDNA008K7ESVVT02SXGT1X" }).catch((caught: grpc.ServiceError) => caught);
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toContain("01KDVDNA008K7ESVVT02SXGT1X");
  });
});
