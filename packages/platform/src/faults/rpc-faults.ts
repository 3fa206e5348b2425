import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Faults } from "./faults.js";

/**
 * A server interceptor that makes one service slow or failing on purpose:
 * each of its own RPCs (not health, reflection or admin) waits the configured
 * delay, then fails UNAVAILABLE at the configured share, as an overloaded
 * instance would. Today only stock has such switches.
 */
export function injectedRpcFaults(faults: Faults, service: string): Interceptor {
  const prefix = `oms.${service}.`;
  return (next) => async (request) => {
    if (service !== "stock" || !request.service.typeName.startsWith(prefix)) return next(request);
    const { stockDelayMs } = faults.current;
    if (stockDelayMs > 0) await sleep(stockDelayMs, undefined, { signal: request.signal }).catch(() => undefined);
    if (faults.strikes("stockFailureRate")) throw new ConnectError("stock unavailable (injected fault)", Code.Unavailable);
    return next(request);
  };
}
