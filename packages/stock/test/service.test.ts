import { createClient, createRouterTransport } from "@connectrpc/connect";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import type { EventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor } from "@oms/platform/server";
import { describe, expect, it } from "vitest";
import { createStockService, readStockConfig } from "../src/service.js";

// Wiring only: start() (which subscribes) is exercised in order-events.test.ts with a real bus.
const unusedBus = {} as EventBus;

describe("stock service wiring", () => {
  it("reads STOCK_PORT with 8082 by default and names a bad variable", () => {
    expect(readStockConfig({})).toEqual({ port: 8082, claimTimeoutMs: 60_000, holdTimeoutMs: 600_000 });
    expect(readStockConfig({ STOCK_PORT: "0", STOCK_CLAIM_TIMEOUT: "5s", STOCK_HOLD_TIMEOUT: "2m" })).toEqual({ port: 0, claimTimeoutMs: 5_000, holdTimeoutMs: 120_000 });
    expect(() => readStockConfig({ STOCK_HOLD_TIMEOUT: "later" })).toThrow(/STOCK_HOLD_TIMEOUT/);
    expect(() => readStockConfig({ STOCK_CLAIM_TIMEOUT: "soon" })).toThrow(/STOCK_CLAIM_TIMEOUT/);
    expect(() => readStockConfig({ STOCK_PORT: "70000" })).toThrow(ConfigError);
    expect(() => readStockConfig({ STOCK_PORT: "70000" })).toThrow(/STOCK_PORT/);
  });

  it("serves the seeded stock, zero levels included", async () => {
    const module = await createStockService({
      config: { port: 0 },
      bus: unusedBus,
      registry: new StaticRegistry(),
      logger: createLogger("stock-test"),
      seed: [
        { itemId: "b", available: 0 },
        { itemId: "a", available: 5 },
      ],
    });
    expect(module.definition.name).toBe("stock");
    expect(module.definition.services).toEqual([StockService]);
    const transport = createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } });
    const { levels } = await createClient(StockService, transport).getStock({});
    expect(levels.map(({ itemId, available, reserved }) => [itemId, available, reserved])).toEqual([
      ["a", 5, 0],
      ["b", 0, 0],
    ]);
  });

  it("refuses a negative seed", async () => {
    await expect(
      createStockService({ config: { port: 0 }, bus: unusedBus, registry: new StaticRegistry(), logger: createLogger("t"), seed: [{ itemId: "a", available: -1 }] }),
    ).rejects.toThrow(/available/);
  });
});
