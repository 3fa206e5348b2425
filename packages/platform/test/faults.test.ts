import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/index.js";
import { MemoryEventBus } from "../src/events/index.js";
import { Faults, FaultyEventBus, injectedRpcFaults, readFaultsConfig } from "../src/faults/index.js";

describe("Faults", () => {
  it("strikes at the share it is set to, never at zero", () => {
    const draws = [0.1, 0.5, 0.9];
    let next = 0;
    const faults = new Faults({ stockFailureRate: 0.5 }, () => draws[next++ % draws.length]!);
    expect([faults.strikes("stockFailureRate"), faults.strikes("stockFailureRate"), faults.strikes("stockFailureRate")]).toEqual([true, false, false]);
    expect(faults.strikes("paymentDeclineRate")).toBe(false);
    faults.set({ paymentDeclineRate: 1 });
    expect(faults.strikes("paymentDeclineRate")).toBe(true);
  });

  it("reads FAULT_* with units and bounds, naming a bad variable", () => {
    expect(readFaultsConfig({})).toEqual({ paymentDeclineRate: 0, stockDelayMs: 0, stockFailureRate: 0, kitchenDelayMs: 0, publishFailureRate: 0 });
    expect(readFaultsConfig({ FAULT_STOCK_DELAY: "250ms", FAULT_PAYMENT_DECLINE_RATE: "0.25" })).toMatchObject({ stockDelayMs: 250, paymentDeclineRate: 0.25 });
    expect(() => readFaultsConfig({ FAULT_STOCK_FAILURE_RATE: "2" })).toThrow(ConfigError);
    expect(() => readFaultsConfig({ FAULT_STOCK_FAILURE_RATE: "half" })).toThrow(/FAULT_STOCK_FAILURE_RATE/);
  });
});

describe("injectedRpcFaults", () => {
  const transport = (faults: Faults, service: string) =>
    createRouterTransport(
      (router) => {
        router.service(StockService, {
          getStock: () => ({ levels: [] }),
          adjustStock: () => ({}),
          reserveItems: () => ({}),
          releaseReservation: () => ({}),
        });
        router.service(MenuService, { listItems: () => ({ items: [] }), getItems: () => ({ items: [] }), upsertItem: () => ({}) });
      },
      { router: { interceptors: [injectedRpcFaults(faults, service)] } },
    );

  it("fails stock's own RPCs UNAVAILABLE at the configured share, and no other service's", async () => {
    const faults = new Faults({ stockFailureRate: 1 });
    const error = await createClient(StockService, transport(faults, "stock")).getStock({}).catch((caught: unknown) => ConnectError.from(caught));
    expect((error as ConnectError).code).toBe(Code.Unavailable);
    await expect(createClient(MenuService, transport(faults, "stock")).listItems({})).resolves.toBeDefined();
    await expect(createClient(StockService, transport(faults, "menu")).getStock({})).resolves.toBeDefined();
  });

  it("delays stock's RPCs by the configured time", async () => {
    const faults = new Faults({ stockDelayMs: 60 });
    const started = performance.now();
    await createClient(StockService, transport(faults, "stock")).getStock({});
    // A lower bound only: the delay must have been waited, however slow the machine.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe("FaultyEventBus", () => {
  it("fails publishes at the configured share and passes the rest to the bus", async () => {
    const bus = new MemoryEventBus();
    const faults = new Faults({ publishFailureRate: 1 });
    const faulty = new FaultyEventBus(bus, faults);
    const event = { id: "01KDVDNA008K7ESVVT02SXGT1B", type: "order.created", time: new Date(), body: new Uint8Array(), headers: {} };
    await expect(faulty.publish(event)).rejects.toThrow(/injected fault/);
    faults.set({ publishFailureRate: 0 });
    await expect(faulty.publish(event)).resolves.toBeUndefined();
    await bus.close();
  });
});
