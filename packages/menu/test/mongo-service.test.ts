import { createClient, createRouterTransport } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import type { EventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor, type ServiceModule } from "@oms/platform/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { createMenuService, readMenuConfig, type MenuSeedItem } from "../src/service.js";

const seed: MenuSeedItem[] = [
  { id: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", description: "Tomato", priceMinor: 950, currencyCode: "EUR", available: true },
];
const unusedBus = {} as EventBus;

describe("menu configuration of MongoDB", () => {
  it("reads MONGODB_URL, unset meaning memory, and names a URL of another scheme", () => {
    expect(readMenuConfig({}).mongodbUrl).toBeUndefined();
    expect(readMenuConfig({ MONGODB_URL: "mongodb://db:27017/oms_menu" }).mongodbUrl).toBe("mongodb://db:27017/oms_menu");
    expect(readMenuConfig({ MONGODB_URL: "mongodb+srv://cluster.example/oms" }).mongodbUrl).toBe("mongodb+srv://cluster.example/oms");
    expect(() => readMenuConfig({ MONGODB_URL: "http://db:27017" })).toThrow(ConfigError);
    expect(() => readMenuConfig({ MONGODB_URL: "http://db:27017" })).toThrow(/MONGODB_URL/);
  });
});

describe.skipIf(!ferretDbAvailable())("menu service on MongoDB (FerretDB)", () => {
  let server: RunningFerretDb;
  beforeAll(async () => {
    server = await startFerretDb();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const createService = (seedItems: MenuSeedItem[]) =>
    createMenuService({
      config: readMenuConfig({ MENU_PORT: "0", MONGODB_URL: `${server.url}menu_restart` }),
      bus: unusedBus,
      registry: new StaticRegistry(),
      logger: createLogger("menu-test"),
      seed: seedItems,
    });
  const clientOf = (module: ServiceModule) =>
    createClient(MenuService, createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } }));

  it("keeps edits across a restart, seeds only an empty menu, and pings the database when asked if ready", async () => {
    const first = await createService(seed);
    await expect(first.definition.ready?.()).resolves.toBeUndefined();
    const menu = clientOf(first);
    await menu.upsertItem({ item: { id: seed[0]!.id, name: "Margherita DOP", description: "", price: { currencyCode: "EUR", amountMinor: 1100n }, available: true } });
    const { item: added } = await menu.upsertItem({ item: { name: "Espresso", price: { currencyCode: "EUR", amountMinor: 250n }, available: false } });
    await first.stop();

    // A restart offers the seed again: the menu is not empty, so the edits stay.
    const second = await createService([...seed, { ...seed[0]!, id: "01KDVDNJS8YKHBMJX9HAV3X8KD", name: "Never seeded" }]);
    const { items } = await clientOf(second).listItems({ includeUnavailable: true });
    expect(items.map((item) => [item.id, item.name, item.price?.amountMinor, item.available])).toEqual([
      [added!.id, "Espresso", 250n, false],
      [seed[0]!.id, "Margherita DOP", 1100n, true],
    ]);
    await second.stop();
  });
});
