import { env, readConfig, type Env } from "../config/index.js";
import type { FaultSettings } from "./faults.js";

/** FAULT_* variables: the faults a process starts with (all off by default). */
export function readFaultsConfig(source: Env): FaultSettings {
  return readConfig(
    {
      paymentDeclineRate: env.fraction("FAULT_PAYMENT_DECLINE_RATE", 0),
      stockDelayMs: env.duration("FAULT_STOCK_DELAY", "0ms"),
      stockFailureRate: env.fraction("FAULT_STOCK_FAILURE_RATE", 0),
      kitchenDelayMs: env.duration("FAULT_KITCHEN_DELAY", "0ms"),
      publishFailureRate: env.fraction("FAULT_PUBLISH_FAILURE_RATE", 0),
    },
    source,
  );
}
