import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Duration } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { FaultService, type Faults as FaultsMessage, type FaultsSchema } from "@oms/contracts/admin/v1/faults";
import { ValidationError } from "../errors/index.js";
import type { FaultSettings, Faults } from "./faults.js";

/** Longer than this, an injected delay would only look like a hang. */
const maxDelayMs = 60_000;

/** oms.admin.v1.FaultService over the process's switches (staff only: platform-policies.ts). */
export function registerFaults(router: ConnectRouter, faults: Faults): void {
  router.service(FaultService, {
    getFaults: () => ({ faults: toMessage(faults.current) }),
    setFaults: (request) => ({ faults: toMessage(faults.set(fromMessage(request.faults))) }),
  });
}

function fromMessage(message: FaultsMessage | undefined): Partial<FaultSettings> {
  const changes: Partial<FaultSettings> = {};
  if (!message) return changes;
  const rate = (field: string, value: number | undefined) => {
    if (value === undefined) return undefined;
    if (!(value >= 0 && value <= 1)) throw new ValidationError(`faults.${field}`, `must be from 0 to 1, is ${value}`);
    return value;
  };
  const delay = (field: string, value: Duration | undefined) => {
    if (value === undefined) return undefined;
    const ms = Number(value.seconds) * 1000 + value.nanos / 1e6;
    if (!(ms >= 0 && ms <= maxDelayMs)) throw new ValidationError(`faults.${field}`, `must be from 0 to ${maxDelayMs / 1000}s`);
    return ms;
  };
  const set = <K extends keyof FaultSettings>(key: K, value: FaultSettings[K] | undefined) => {
    if (value !== undefined) changes[key] = value;
  };
  set("paymentDeclineRate", rate("payment_decline_rate", message.paymentDeclineRate));
  set("stockDelayMs", delay("stock_delay", message.stockDelay));
  set("stockFailureRate", rate("stock_failure_rate", message.stockFailureRate));
  set("kitchenDelayMs", delay("kitchen_delay", message.kitchenDelay));
  set("publishFailureRate", rate("publish_failure_rate", message.publishFailureRate));
  return changes;
}

function toMessage(settings: FaultSettings): MessageInitShape<typeof FaultsSchema> {
  const duration = (ms: number) => ({ seconds: BigInt(Math.floor(ms / 1000)), nanos: Math.round((ms % 1000) * 1e6) });
  return {
    paymentDeclineRate: settings.paymentDeclineRate,
    stockDelay: duration(settings.stockDelayMs),
    stockFailureRate: settings.stockFailureRate,
    kitchenDelay: duration(settings.kitchenDelayMs),
    publishFailureRate: settings.publishFailureRate,
  };
}
