import { existsSync } from "node:fs";
import { childPayload, tellParent } from "../lib/child.js";
import { rawRabbitMq, type EventsPlan, type EventsThroughput } from "./raw-rabbitmq.js";

/**
 * Events throughput on one broker: the raw rabbitmq-client loop first, then the
 * OMS bus adapter doing the same work, each publishing with confirms and then
 * consuming with manual ack.
 */
const plan = childPayload<EventsPlan>();
const raw = await rawRabbitMq(plan);
let adapter: EventsThroughput | string;
if (existsSync(new URL("../../packages/platform/src/events/rabbitmq-bus.ts", import.meta.url))) {
  try {
    const { busAdapterThroughput } = await import("./bus-adapter.js");
    adapter = await busAdapterThroughput(plan);
  } catch (error) {
    adapter = `the bus adapter failed: ${error instanceof Error ? error.message : String(error)}`;
  }
} else {
  adapter = "packages/platform/src/events/rabbitmq-bus.ts does not exist yet";
}
tellParent({ type: "result", result: { raw, adapter } });
process.exit(0);
