import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { decode, envelope, MemoryEventBus, type Delivery } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import type { ServiceModule } from "@oms/platform/server";
import { definitionTransport, testIdentities } from "@oms/platform/testing";
import { afterEach, describe, expect, it } from "vitest";
import { paymentDeadlineReason } from "../src/app/expire-unpaid-orders.js";
import { createOrderService, readOrderConfig, type OrderConfig } from "../src/service.js";
import { eventually } from "./support/eventually.js";
import { dishes, FakeMenu, FakeStock } from "./support/fakes.js";

describe("readOrderConfig", () => {
  it("defaults to port 8083, a 15 minute payment deadline and a 1 s sweep", () => {
    expect(readOrderConfig({})).toEqual({ port: 8083, paymentDeadlineMs: 15 * 60_000, deadlineSweepMs: 5_000 });
    expect(readOrderConfig({ ORDER_PORT: "9000", PAYMENT_DEADLINE: "30s" })).toMatchObject({ port: 9000, paymentDeadlineMs: 30_000 });
  });

  it("refuses bad values, naming the variable", () => {
    expect(() => readOrderConfig({ PAYMENT_DEADLINE: "soon" })).toThrow(ConfigError);
    expect(() => readOrderConfig({ PAYMENT_DEADLINE: "soon" })).toThrow(/PAYMENT_DEADLINE/);
    expect(() => readOrderConfig({ ORDER_PORT: "70000" })).toThrow(/ORDER_PORT/);
  });
});

const orderEventTypes = ["order.created", "order.paid", "order.cancelled", "order.completed"];

describe("order service on an event bus", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startService(config: Partial<OrderConfig> = {}) {
    const bus = new MemoryEventBus();
    const stock = new FakeStock();
    const module: ServiceModule = await createOrderService({
      config: { port: 0, paymentDeadlineMs: 60_000, deadlineSweepMs: 20, ...config },
      bus,
      registry: new StaticRegistry(),
      logger: createLogger("order-test"),
      menu: new FakeMenu(),
      stock,
    });
    const published: Delivery[] = [];
    await bus.subscribe({ queue: "observer", types: orderEventTypes, handler: async (delivery: Delivery) => void published.push(delivery) });
    await module.start();
    cleanups.push(async () => {
      await module.stop();
      await bus.close();
    });
    const identities = await testIdentities();
    const transport = definitionTransport(module.definition, identities.authenticator, await identities.token("staff", "counter"));
    const client: Client<typeof OrderService> = createClient(OrderService, transport);
    const create = async () =>
      (await client.createOrder({ customerId: "alice", idempotencyKey: `key-${published.length}-${Math.random()}`, lines: [{ itemId: dishes.margherita.id, quantity: 2 }] })).order!;
    const statusOf = async (id: string) => (await client.getOrder({ id })).order!.status;
    const typesFor = (orderId: string) =>
      published.filter((delivery) => (decode(delivery.type as "order.completed", delivery) as { orderId: string }).orderId === orderId).map((delivery) => delivery.type);
    return { bus, stock, module, client, published, create, statusOf, typesFor };
  }

  it("runs an order through payment and kitchen events, in order or not, publishing its decisions once", async () => {
    const { bus, client, published, create, statusOf, typesFor } = await startService();
    const order = await create();
    await eventually(() => expect(typesFor(order.id)).toEqual(["order.created"]));
    const created = decode("order.created", published[0]!);
    expect(created).toMatchObject({ orderId: order.id, customerId: "alice" });
    expect(Number(created.total?.amountMinor)).toBe(1900);

    // payment.succeeded overtakes payment.link_created: retried until the link is stored.
    await bus.publish(envelope("payment.succeeded", { orderId: order.id, paymentId: "pay-1", amount: created.total }));
    await bus.publish(envelope("payment.link_created", { orderId: order.id, paymentId: "pay-1", checkoutUrl: "https://pay.example/1" }));
    await eventually(() => expect(typesFor(order.id)).toEqual(["order.created", "order.paid"]));
    expect(await statusOf(order.id)).toBe(OrderStatus.PAID);
    const paid = decode("order.paid", published.find((delivery) => delivery.type === "order.paid")!);
    expect(paid.lines.map((line) => [line.itemId, line.quantity])).toEqual([[dishes.margherita.id, 2]]);
    expect(Number(paid.total?.amountMinor)).toBe(1900);
    expect((await client.getOrder({ id: order.id })).order?.paymentUrl).toBe("https://pay.example/1");

    // Duplicates change nothing.
    await bus.publish(envelope("payment.link_created", { orderId: order.id, paymentId: "pay-1", checkoutUrl: "https://pay.example/2" }));
    await bus.publish(envelope("payment.succeeded", { orderId: order.id, paymentId: "pay-1" }));

    // Ready before started: retried until started is applied.
    await bus.publish(envelope("kitchen.ticket_ready", { orderId: order.id, ticketId: "t-1" }));
    await bus.publish(envelope("kitchen.ticket_started", { orderId: order.id, ticketId: "t-1", cook: "Mario" }));
    await eventually(async () => expect(await statusOf(order.id)).toBe(OrderStatus.READY));
    expect((await client.getOrder({ id: order.id })).order?.paymentUrl).toBe("https://pay.example/1");

    await client.completeOrder({ id: order.id });
    await eventually(() => expect(typesFor(order.id)).toEqual(["order.created", "order.paid", "order.completed"]));
    expect(await bus.deadLetters("order")).toEqual([]);
  });

  it("cancels on payment.failed with the event's reason", async () => {
    const { bus, client, create, typesFor } = await startService();
    const order = await create();
    await bus.publish(envelope("payment.failed", { orderId: order.id, paymentId: "pay-1", reason: "card declined" }));
    await eventually(() => expect(typesFor(order.id)).toEqual(["order.created", "order.cancelled"]));
    const cancelled = (await client.getOrder({ id: order.id })).order!;
    expect(cancelled.status).toBe(OrderStatus.CANCELLED);
    expect(cancelled.cancelReason).toBe("card declined");
  });

  it("cancels unpaid orders past their payment deadline and publishes order.cancelled", async () => {
    const { published, create, client, typesFor } = await startService({ paymentDeadlineMs: 50 });
    const order = await create();
    await eventually(() => expect(typesFor(order.id)).toEqual(["order.created", "order.cancelled"]));
    const body = decode("order.cancelled", published.find((delivery) => delivery.type === "order.cancelled")!);
    expect(body.reason).toBe(paymentDeadlineReason);
    expect((await client.getOrder({ id: order.id })).order?.cancelReason).toBe(paymentDeadlineReason);
  });

  it("reports short stock as FAILED_PRECONDITION and publishes nothing", async () => {
    const { client, stock, published } = await startService();
    stock.available.set(dishes.margherita.id, 1);
    const error = await client
      .createOrder({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.margherita.id, quantity: 2 }] })
      .then(() => expect.fail("expected FAILED_PRECONDITION"), (caught: unknown) => ConnectError.from(caught));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect((await client.listOrders({})).orders).toEqual([]);
    expect(published).toEqual([]);
  });
});
