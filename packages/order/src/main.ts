import { ConfigError, env as field, readConfig } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { runService, stopOnSignals } from "@oms/platform/server";
import { createOrderService, readOrderConfig } from "./service.js";

/** The order service as its own process. Peers at MENU_URL and STOCK_URL (static addresses for now). */
const logger = createLogger("order");
try {
  const config = readOrderConfig(process.env);
  const peers = readConfig({ menu: field.url("MENU_URL", ["http"]), stock: field.url("STOCK_URL", ["http"]), host: field.string("HOST", "0.0.0.0") });
  const registry = new StaticRegistry({ menu: [peers.menu ?? "http://127.0.0.1:8081"], stock: [peers.stock ?? "http://127.0.0.1:8082"] });
  const bus = new MemoryEventBus();
  const module = await createOrderService({ config, bus, registry, logger });
  const running = await runService(module, { host: peers.host, port: config.port, registry, logger });
  stopOnSignals(async () => {
    await running.close();
    await bus.close();
    await registry.close();
  }, logger);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
