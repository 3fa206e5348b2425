import { setTimeout as sleep } from "node:timers/promises";
import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { healthV1 } from "./grpc-contracts.js";

const ServingStatus = healthV1.HealthCheckResponse_ServingStatus;
type ServingStatus = healthV1.HealthCheckResponse_ServingStatus;

/** The health service itself, for reflection to describe. */
export const healthServices: readonly DescService[] = [healthV1.Health];

/** Options of the gRPC health service. */
export interface HealthOptions {
  /** The definition's readiness probe: resolves when serving, throws naming what is unreachable. */
  ready?: () => Promise<void>;
  /** How often Watch re-checks readiness to report a change (default 5 s). */
  watchIntervalMs?: number;
}

/**
 * grpc.health.v1.Health for the overall server ("") and each service by its
 * full name: SERVING while `ready()` resolves, NOT_SERVING while it throws.
 * Unknown names: Check fails NOT_FOUND, Watch reports SERVICE_UNKNOWN (as the
 * protocol asks). Watch sends the current status, then each change, until the
 * client leaves or the server shuts down.
 */
export function registerHealth(router: ConnectRouter, services: readonly DescService[], options: HealthOptions = {}): void {
  const known = new Set(["", ...services.map((service) => service.typeName)]);
  const watchIntervalMs = options.watchIntervalMs ?? 5_000;
  const status = async (service: string): Promise<ServingStatus> => {
    if (!known.has(service)) return ServingStatus.SERVICE_UNKNOWN;
    try {
      await options.ready?.();
      return ServingStatus.SERVING;
    } catch {
      return ServingStatus.NOT_SERVING;
    }
  };
  router.service(healthV1.Health, {
    async check(request) {
      if (!known.has(request.service)) throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
      return { status: await status(request.service) };
    },
    async *watch(request, context) {
      let last: ServingStatus | undefined;
      while (!context.signal.aborted) {
        const current = await status(request.service);
        if (current !== last) yield { status: current };
        last = current;
        // An abort (the watcher left, the server closes) ends the wait and, with it, the loop.
        await sleep(watchIntervalMs, undefined, { signal: context.signal }).catch(() => undefined);
      }
    },
  });
}
