import "@oms/platform/telemetry/register";
import { serviceMain } from "@oms/platform/runtime";
import { createOrderService, readOrderConfig } from "./service.js";

/** `pnpm --filter @oms/order start`: the order service alone (adapters chosen from the environment), until SIGTERM. */
await serviceMain("order", readOrderConfig, createOrderService);
