import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { serviceIdentityInterceptor, serviceKeyFrom, ServiceTokens } from "@oms/platform/auth";
import { ConfigError, env as field, readConfig } from "@oms/platform/config";
import { peerTransport } from "@oms/platform/discovery";
import { createLogger } from "@oms/platform/logging";
import { createRegistry, readInfrastructureConfig } from "@oms/platform/runtime";
import { readDemoDataSetting } from "./demo-data-setting.js";
import { seedDemoData } from "./seed.js";

/**
 * `pnpm seed`: the demo menu and stock, put into running menu and stock
 * services (found as every service finds its peers: MENU_URL and STOCK_URL,
 * or Consul). It calls as a service, with a token signed by AUTH_SERVICE_KEY,
 * and waits up to two minutes for both to answer, so it can start beside
 * them (compose's one-shot `seed`, `turbo run dev`). DEMO_DATA=false makes it
 * a no-op, for deployments that start with their own menu.
 */
const waitMs = 120_000;

try {
  const demoData = readDemoDataSetting(process.env);
  const { serviceKey } = readConfig({ serviceKey: field.required("AUTH_SERVICE_KEY") }, process.env);
  const infrastructure = readInfrastructureConfig(process.env);
  if (!demoData) {
    process.stdout.write("seed: DEMO_DATA=false, nothing seeded\n");
    process.exit(0);
  }
  const logger = createLogger("seed");
  const registry = await createRegistry(infrastructure, logger);
  const interceptors = [serviceIdentityInterceptor(new ServiceTokens(serviceKeyFrom(serviceKey), "seed"))];
  const menu = createClient(MenuService, peerTransport(registry, "menu", { interceptors }));
  const stock = createClient(StockService, peerTransport(registry, "stock", { interceptors }));
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const { itemsAdded, levelsAdded } = await seedDemoData(menu, stock);
      process.stdout.write(`seed: demo data in place (${itemsAdded} menu items and ${levelsAdded} stock levels added)\n`);
      break;
    } catch (error) {
      // Menu or stock not up yet (or not yet registered): try again until the deadline; any other answer is final.
      if (!(error instanceof ConnectError && error.code === Code.Unavailable) || Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
  await registry.close();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`seed: ${error.message}\n`);
  process.exit(2);
}
