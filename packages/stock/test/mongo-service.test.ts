import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { ReservationStatus, StockService } from "@oms/contracts/stock/v1/stock";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor, type ServiceModule } from "@oms/platform/server";
import { envelope, type EventBus } from "@oms/platform/events";
import { createTestBus, waitFor } from "@oms/platform/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { createStockService, readStockConfig, type StockSeedLevel } from "../src/service.js";

describe("stock configuration of MongoDB", () => {
  it("reads MONGODB_URL, unset meaning memory, and names a URL of another scheme", () => {
    expect(readStockConfig({}).mongodbUrl).toBeUndefined();
    expect(readStockConfig({ MONGODB_URL: "mongodb://db:27017/oms_stock" }).mongodbUrl).toBe("mongodb://db:27017/oms_stock");
    expect(() => readStockConfig({ MONGODB_URL: "postgres://db/oms" })).toThrow(ConfigError);
    expect(() => readStockConfig({ MONGODB_URL: "postgres://db/oms" })).toThrow(/MONGODB_URL/);
  });
});

describe.skipIf(!ferretDbAvailable())("stock service on MongoDB (FerretDB)", () => {
  let server: RunningFerretDb;
  // One bus per service instance: a stopped module's consumers stay subscribed until its bus closes.
  const buses: EventBus[] = [];
  beforeAll(async () => {
    server = await startFerretDb();
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    await server?.stop();
  });

  const createService = (database: string, seed: StockSeedLevel[], bus: EventBus = newBus()) =>
    createStockService({
      config: readStockConfig({ STOCK_PORT: "0", MONGODB_URL: `${server.url}${database}` }),
      bus,
      registry: new StaticRegistry(),
      logger: createLogger("stock-test"),
      seed,
    });
  const newBus = () => {
    const bus = createTestBus();
    buses.push(bus);
    return bus;
  };
  const clientOf = (module: ServiceModule) =>
    createClient(StockService, createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } }));
  const levelsOf = async (module: ServiceModule) =>
    (await clientOf(module).getStock({})).levels.map(({ itemId, available, reserved }) => [itemId, available, reserved]);

  it("keeps levels and reservations across a stop and re-create (a restart), seeding only the first time", async () => {
    const first = await createService("stock_restart", [
      { itemId: "pizza", available: 5 },
      { itemId: "soup", available: 0 },
    ]);
    await expect(first.definition.ready?.()).resolves.toBeUndefined();
    const stock = clientOf(first);
    await stock.reserveItems({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 2 }] });
    await stock.reserveItems({ orderId: "o2", lines: [{ itemId: "pizza", quantity: 1 }] });
    await stock.adjustStock({ itemId: "soup", delta: 3 });
    await first.stop();

    const bus = newBus();
    const second = await createService("stock_restart", [{ itemId: "pizza", available: 99 }, { itemId: "bread", available: 7 }], bus);
    expect(await levelsOf(second)).toEqual([
      ["pizza", 2, 3],
      ["soup", 3, 0],
    ]);
    // The reservations survived too: they move on, and a repeated ReserveItems finds the stored one.
    await second.start();
    await bus.publish(envelope("order.paid", { orderId: "o1" }));
    const restarted = clientOf(second);
    expect((await restarted.releaseReservation({ orderId: "o2" })).reservation?.status).toBe(ReservationStatus.RELEASED);
    await waitFor(async () => {
      expect(await levelsOf(second)).toEqual([
        ["pizza", 3, 0],
        ["soup", 3, 0],
      ]);
      return true;
    });
    const repeat = await restarted.reserveItems({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 2 }] });
    expect(repeat.reservation?.status).toBe(ReservationStatus.COMMITTED);
    await second.stop();
  });

  it("holds exactly the units there are when 30 orders reserve at once", async () => {
    const module = await createService("stock_concurrent", [{ itemId: "last", available: 10 }]);
    const stock = clientOf(module);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) => stock.reserveItems({ orderId: `order-${index}`, lines: [{ itemId: "last", quantity: 1 }] })),
    );
    const held = outcomes.filter((outcome) => outcome.status === "fulfilled");
    expect(held).toHaveLength(10);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(ConnectError.from(outcome.reason).code).toBe(Code.FailedPrecondition);
    }
    expect(await levelsOf(module)).toEqual([["last", 0, 10]]);
    await module.stop();
  });
});
