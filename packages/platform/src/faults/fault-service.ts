import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Duration } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { FaultService, type Faults as FaultsMessage, type FaultsSchema } from "@oms/contracts/admin/v1/faults";
import type { FaultSettings, Faults } from "./faults.js";

/**
 * oms.admin.v1.FaultService over the process's switches (staff only:
 * platform-policies.ts). Its contract bounds the values (rates from 0 to 1,
 * delays up to 60 s: longer would only look like a hang).
 */
export function registerFaults(router: ConnectRouter, faults: Faults): void {
  router.service(FaultService, {
    getFaults: () => ({ faults: toMessage(faults.current) }),
    setFaults: (request) => ({ faults: toMessage(faults.set(fromMessage(request.faults))) }),
  });
}

function fromMessage(message: FaultsMessage | undefined): Partial<FaultSettings> {
  const changes: Partial<FaultSettings> = {};
  if (!message) return changes;
  const delay = (value: Duration | undefined) => (value === undefined ? undefined : Number(value.seconds) * 1000 + value.nanos / 1e6);
  const set = <K extends keyof FaultSettings>(key: K, value: FaultSettings[K] | undefined) => {
    if (value !== undefined) changes[key] = value;
  };
  set("paymentDeclineRate", message.paymentDeclineRate);
  set("stockDelayMs", delay(message.stockDelay));
  set("stockFailureRate", message.stockFailureRate);
  set("kitchenDelayMs", delay(message.kitchenDelay));
  set("publishFailureRate", message.publishFailureRate);
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
