import type { EventsPlan, EventsThroughput } from "../load/raw-rabbitmq.js";
import { reason, runLoad } from "../lib/measure.js";
import type { BenchOptions } from "../lib/options.js";
import { withRatios, type ResultRow, type SuiteResult } from "../lib/results.js";

const title = "4. Events: publish with confirms and consume, RabbitMQ";

interface Broker {
  url: string;
  origin: string;
  stop(): Promise<void>;
}

/**
 * A broker to measure against: RABBITMQ_URL when set, else one started by the
 * test kit (@oms/testkit/rabbitmq), else none.
 */
async function findBroker(): Promise<Broker | string> {
  if (process.env.RABBITMQ_URL) return { url: process.env.RABBITMQ_URL, origin: "RABBITMQ_URL", stop: async () => {} };
  try {
    const { startRabbitMq } = await import("@oms/testkit/rabbitmq");
    const broker = await startRabbitMq();
    return { url: broker.url, origin: "rabbitmq-server started by @oms/testkit/rabbitmq", stop: () => broker.stop() };
  } catch (error) {
    return `no broker: starting rabbitmq-server failed (${reason(error)}); install it (apt-get install rabbitmq-server) or set RABBITMQ_URL`;
  }
}

function rows(target: string, result: EventsThroughput): ResultRow[] {
  return [
    { target: `${target}: publish`, protocol: "AMQP 0-9-1, confirms", perSecond: result.publishPerSecond, unit: "msg", note: `${result.published} confirmed` },
    { target: `${target}: consume`, protocol: "AMQP 0-9-1, manual ack", perSecond: result.consumePerSecond, unit: "msg", note: `${result.consumed} of ${result.published} acked` },
  ];
}

/** Part 4: the bus adapter against a raw rabbitmq-client loop on the same broker, when there is one. */
export async function events(options: BenchOptions): Promise<SuiteResult> {
  process.stderr.write("[events] broker...\n");
  const broker = await findBroker();
  if (typeof broker === "string") return { name: "events", title, rows: [], notes: [], skipped: broker };
  try {
    const plan: EventsPlan = { url: broker.url, durationSeconds: options.durationSeconds, inFlight: 256, prefetch: 256, bodyBytes: 200, consumeTimeoutSeconds: 60 };
    const result = await runLoad<{ raw: EventsThroughput; adapter: EventsThroughput | string }>("load/events-load.ts", plan, (options.durationSeconds * 2 + 180) * 1000);
    const measured = [...rows("raw rabbitmq-client", result.raw), ...(typeof result.adapter === "string" ? [] : rows("OMS RabbitMQ bus", result.adapter))];
    const publish = withRatios(measured.filter((row) => row.target.endsWith("publish")), "raw rabbitmq-client: publish");
    const consume = withRatios(measured.filter((row) => row.target.endsWith("consume")), "raw rabbitmq-client: consume");
    const notes = [
      `broker: ${broker.origin}; ${plan.bodyBytes}-byte persistent messages to a durable queue, ${plan.inFlight} publishes in flight for ${plan.durationSeconds} s, then every message consumed with prefetch ${plan.prefetch}`,
    ];
    if (typeof result.adapter === "string") notes.push(`OMS RabbitMQ bus not measured: ${result.adapter}`);
    return { name: "events", title, rows: [...publish, ...consume], notes };
  } catch (error) {
    return { name: "events", title, rows: [], notes: [], skipped: `the events load failed: ${reason(error)}` };
  } finally {
    await broker.stop();
  }
}
