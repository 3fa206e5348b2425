import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { runService, stopOnSignals } from "@oms/platform/server";
import { createStockService, readStockConfig } from "./service.js";

/** `pnpm --filter @oms/stock start`: the stock service alone, until SIGTERM/SIGINT. */
const logger = createLogger("stock");
try {
  const config = readStockConfig(process.env);
  const registry = new StaticRegistry();
  const module = await createStockService({ config, bus: new MemoryEventBus(), registry, logger });
  const running = await runService(module, { host: process.env.HOST ?? "127.0.0.1", port: config.port, registry, logger });
  logger.info({ url: running.url }, "stock listening");
  stopOnSignals(running.close, logger);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
