import "@oms/platform/telemetry/register";
import { serviceMain } from "@oms/platform/runtime";
import { createPaymentService, readPaymentConfig } from "./service.js";

/** `pnpm --filter @oms/payment start`: the payment service alone (adapters chosen from the environment), until SIGTERM. */
await serviceMain("payment", readPaymentConfig, createPaymentService);
