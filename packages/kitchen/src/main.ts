import "@oms/platform/telemetry/register";
import { serviceMain } from "@oms/platform/runtime";
import { createKitchenService, readKitchenConfig } from "./service.js";

/** `pnpm --filter @oms/kitchen start`: the kitchen service alone (adapters chosen from the environment), until SIGTERM. */
await serviceMain("kitchen", readKitchenConfig, createKitchenService);
