import { createClient, type Client } from "@connectrpc/connect";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { UnavailableError } from "@oms/platform/errors";
import { decode, envelope, MemoryEventBus, type Delivery } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import type { ServiceModule } from "@oms/platform/server";
import { connectMongo } from "@oms/platform/storage";
import { definitionTransport, testIdentities } from "@oms/platform/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { MongoOrderRepository } from "../src/adapters/mongo-order-repository.js";
import { createOrderService, readOrderConfig } from "../src/service.js";
import { eventually } from "./support/eventually.js";
import { dishes, FakeMenu, FakeStock } from "./support/fakes.js";
import { newOrder } from "./support/orders.js";

describe("readOrderConfig: MONGODB_URL", () => {
  it("takes mongodb:// and mongodb+srv:// URLs, and means memory when unset", () => {
    expect(readOrderConfig({ MONGODB_URL: "mongodb://db:27017/oms_order" }).mongodbUrl).toBe("mongodb://db:27017/oms_order");
    expect(readOrderConfig({ MONGODB_URL: "mongodb+srv://user:secret@cluster.example/oms" }).mongodbUrl).toBe("mongodb+srv://user:secret@cluster.example/oms");
    expect(readOrderConfig({}).mongodbUrl).toBeUndefined();
  });

  it("refuses other URLs, naming the variable", () => {
    expect(() => readOrderConfig({ MONGODB_URL: "http://db:27017" })).toThrow(ConfigError);
    expect(() => readOrderConfig({ MONGODB_URL: "http://db:27017" })).toThrow(/MONGODB_URL/);
    expect(() => readOrderConfig({ MONGODB_URL: "not a url" })).toThrow(/MONGODB_URL/);
  });
});

const orderEventTypes = ["order.created", "order.paid", "order.cancelled", "order.completed"];

describe.skipIf(!ferretDbAvailable())("order service on MongoDB (FerretDB), across restarts", () => {
  let server: RunningFerretDb;
  beforeAll(async () => {
    server = await startFerretDb();
  });
  afterAll(async () => {
    await server?.stop();
  });

  // The bus outlives the service, as a broker outlives a process restart.
  let bus: MemoryEventBus;
  let published: Delivery[];
  const running: ServiceModule[] = [];
  let databases = 0;
  const freshDatabaseUrl = () => `${server.url}oms_order_${++databases}`;
  const newBus = async () => {
    bus = new MemoryEventBus();
    published = [];
    await bus.subscribe({ queue: "observer", types: orderEventTypes, handler: async (delivery: Delivery) => void published.push(delivery) });
  };
  afterEach(async () => {
    for (const module of running.splice(0)) await module.stop();
    await bus?.close();
  });

  /** Creates and starts the order service as `main.ts` would, from environment variables. */
  async function startService(mongodbUrl: string) {
    const module = await createOrderService({
      config: readOrderConfig({ MONGODB_URL: mongodbUrl, ORDER_DEADLINE_SWEEP: "50ms" }),
      bus,
      registry: new StaticRegistry(),
      logger: createLogger("order-test"),
      menu: new FakeMenu(),
      stock: new FakeStock(),
    });
    await module.start();
    running.push(module);
    const identities = await testIdentities();
    const transport = definitionTransport(module.definition, identities.authenticator, await identities.token("staff", "counter"));
    const client: Client<typeof OrderService> = createClient(OrderService, transport);
    const stop = async () => {
      running.splice(running.indexOf(module), 1);
      await module.stop();
    };
    return { module, client, stop };
  }

  const eventsFor = (orderId: string) =>
    published.filter((delivery) => (decode(delivery.type as "order.completed", delivery) as { orderId: string }).orderId === orderId);

  it("keeps an order across a stop and re-create of the service, and goes on changing it", async () => {
    await newBus();
    const url = freshDatabaseUrl();
    const first = await startService(url);
    await first.module.definition.ready?.();
    const order = (await first.client.createOrder({ customerId: "alice", idempotencyKey: "k-1", lines: [{ itemId: dishes.margherita.id, quantity: 2 }] })).order!;
    await eventually(() => expect(eventsFor(order.id).map((delivery) => delivery.type)).toEqual(["order.created"]));
    await first.stop();

    const second = await startService(url);
    const again = (await second.client.getOrder({ id: order.id })).order!;
    expect(again).toEqual(order);
    expect((await second.client.listOrders({ customerId: "alice" })).orders.map((listed) => listed.id)).toEqual([order.id]);
    // The idempotency key still holds after the restart.
    const retried = (await second.client.createOrder({ customerId: "alice", idempotencyKey: "k-1", lines: [{ itemId: dishes.margherita.id, quantity: 2 }] })).order!;
    expect(retried.id).toBe(order.id);

    await bus.publish(envelope("payment.failed", { orderId: order.id, paymentId: "pay-1", reason: "card declined" }));
    await eventually(() => expect(eventsFor(order.id).map((delivery) => delivery.type)).toEqual(["order.created", "order.cancelled"]));
    expect((await second.client.getOrder({ id: order.id })).order?.status).toBe(OrderStatus.CANCELLED);
  });

  it("publishes once, after the restart, an event a crash left in the outbox", async () => {
    await newBus();
    const url = freshDatabaseUrl();
    // The "crash": the order and its order.created are stored, and nothing flushed them.
    const storage = await connectMongo(url);
    const repository = await MongoOrderRepository.open(storage.db);
    // Created now: the service's deadline sweep must not cancel it before the relay runs.
    const order = newOrder({ now: new Date() });
    await repository.create(order);
    const [left] = order.outbox;
    expect(published).toEqual([]);

    const restarted = await startService(url);
    const once = [["order.created", left!.id]];
    await eventually(() => expect(eventsFor(order.id).map((delivery) => [delivery.type, delivery.id])).toEqual(once));
    await eventually(async () => expect(await repository.pendingOutbox(10)).toEqual([]));
    await restarted.stop(); // its relay's last pass: nothing left to publish again
    expect(eventsFor(order.id).map((delivery) => [delivery.type, delivery.id])).toEqual(once);
    expect(decode("order.created", eventsFor(order.id)[0]!)).toMatchObject({ orderId: order.id, customerId: order.customerId });
    await storage.close();
  });

  it("is ready while the database answers, and not once it is gone", async () => {
    await newBus();
    const own = await startFerretDb();
    try {
      const service = await startService(`${own.url}oms_order`);
      await expect(service.module.definition.ready?.()).resolves.toBeUndefined();
      await own.stop();
      await expect(service.module.definition.ready?.()).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await own.stop();
    }
  });
});
