import "@oms/platform/telemetry/register";
import { serviceMain } from "@oms/platform/runtime";
import { createStockService, readStockConfig } from "./service.js";

/** `pnpm --filter @oms/stock start`: the stock service alone (adapters chosen from the environment), until SIGTERM. */
await serviceMain("stock", readStockConfig, createStockService);
