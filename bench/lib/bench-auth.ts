import { ServiceTokens, serviceKeyFrom } from "@oms/platform/auth";

/**
 * Access control stays on in the benchmark, as in production: the OMS targets
 * verify a peer token signed with this key (the bench is loopback only, so a
 * fixed key is fine), and every load sends it, bare targets too, so each row
 * carries the same bytes.
 */
export const benchServiceKey = serviceKeyFrom("oms-bench-service-key-loopback-only-0123456789");

/** The `authorization` header the loads send: one token for the run, verified once by the server, then cached. */
export async function benchAuthorization(): Promise<string> {
  return `Bearer ${await new ServiceTokens(benchServiceKey, "bench", 3_600).token()}`;
}
