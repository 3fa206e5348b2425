import type { RealStack, ServiceName } from "../../scripts/real-stack.js";
import type { Random } from "./random.js";

/**
 * Windows of the runtime fault flags (oms.admin.v1.FaultService/SetFaults, as
 * staff, on every instance of the services named): trouble that is not a dead
 * process but a dependency misbehaving while the rest keeps running. Each
 * window switches its flags on, waits, and switches them off again; an
 * instance restarted meanwhile starts with none, as it would in production.
 */
export interface FlagWindow {
  name: string;
  services: ServiceName[];
  on: Record<string, number | string>;
  off: Record<string, number | string>;
  windowMs: number;
}

export function flagWindows(random: Random): FlagWindow[] {
  const windowMs = () => random.between(3_000, 6_000);
  return [
    // Declined payments end as cancelled orders (payment.failed), which the books expect.
    { name: "half the payments declined", services: ["payment"], on: { paymentDeclineRate: 0.5 }, off: { paymentDeclineRate: 0 }, windowMs: windowMs() },
    // CreateOrder then answers UNAVAILABLE for some orders (no order, no hold) and slowly for the rest.
    { name: "stock slow and failing a third of its calls", services: ["stock"], on: { stockFailureRate: 0.3, stockDelay: "0.2s" }, off: { stockFailureRate: 0, stockDelay: "0s" }, windowMs: windowMs() },
    // The outboxes keep what could not be published and publish it later.
    { name: "a third of the publishes failing", services: ["order", "payment", "kitchen"], on: { publishFailureRate: 0.3 }, off: { publishFailureRate: 0 }, windowMs: windowMs() },
    { name: "a slow kitchen", services: ["kitchen"], on: { kitchenDelay: "1s" }, off: { kitchenDelay: "0s" }, windowMs: windowMs() },
  ];
}

/** Sets the flags on every running instance of the services; an instance that is down has none to set. */
export async function setFlags(stack: RealStack, staffToken: string, services: readonly ServiceName[], faults: Record<string, number | string>): Promise<void> {
  const targets = stack.instances.filter((instance) => services.includes(instance.service) && instance.running);
  await Promise.all(
    targets.map(async (instance) => {
      const response = await fetch(`${instance.url}/oms.admin.v1.FaultService/SetFaults`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${staffToken}` },
        body: JSON.stringify({ faults }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`SetFaults on ${instance.id}: ${response.status} ${await response.text()}`);
    }),
  );
}
