import "@oms/platform/telemetry/register";
import { serviceMain } from "@oms/platform/runtime";
import { createMenuService, readMenuConfig } from "./service.js";

/** `pnpm --filter @oms/menu start`: the menu service alone (adapters chosen from the environment), until SIGTERM. */
await serviceMain("menu", readMenuConfig, createMenuService);
