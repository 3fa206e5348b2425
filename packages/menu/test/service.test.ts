import { createClient, createRouterTransport } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import type { EventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor } from "@oms/platform/server";
import { describe, expect, it } from "vitest";
import { createMenuService, readMenuConfig, type MenuSeedItem } from "../src/service.js";

const seed: MenuSeedItem[] = [
  { id: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", description: "Tomato", priceMinor: 950, currencyCode: "EUR", available: true },
  { id: "01KDVDNJS8YKHBMJX9HAV3X8KD", name: "Espresso", description: "", priceMinor: 250, currencyCode: "EUR", available: false },
];
// Menu neither publishes nor consumes: a bus that is never called is enough here.
const unusedBus = {} as EventBus;

describe("menu service wiring", () => {
  it("reads MENU_PORT with 8081 by default and names a bad variable", () => {
    expect(readMenuConfig({})).toEqual({ port: 8081 });
    expect(readMenuConfig({ MENU_PORT: "0" })).toEqual({ port: 0 });
    expect(() => readMenuConfig({ MENU_PORT: "eighty" })).toThrow(ConfigError);
    expect(() => readMenuConfig({ MENU_PORT: "eighty" })).toThrow(/MENU_PORT/);
  });

  it("serves the seeded menu through its definition", async () => {
    const module = await createMenuService({
      config: { port: 0 },
      bus: unusedBus,
      registry: new StaticRegistry(),
      logger: createLogger("menu-test"),
      seed,
    });
    expect(module.definition.name).toBe("menu");
    expect(module.definition.services).toEqual([MenuService]);
    await module.start();
    const transport = createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } });
    const menu = createClient(MenuService, transport);
    const { items } = await menu.listItems({ includeUnavailable: true });
    expect(items.map((item) => [item.name, item.price?.amountMinor, item.available])).toEqual([
      ["Espresso", 250n, false],
      ["Margherita", 950n, true],
    ]);
    await module.stop();
  });

  it("refuses a bad seed at start-up, naming the field", async () => {
    const bad = [{ ...seed[0]!, currencyCode: "eur" }];
    await expect(
      createMenuService({ config: { port: 0 }, bus: unusedBus, registry: new StaticRegistry(), logger: createLogger("menu-test"), seed: bad }),
    ).rejects.toThrow(/item\.price\.currency_code/);
  });
});
