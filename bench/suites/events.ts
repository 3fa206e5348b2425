import { readdirSync, readFileSync } from "node:fs";
import type { EventsPlan, PhaseFigures } from "../load/events-plan.js";
import { BenchChild } from "../lib/child.js";
import { reason } from "../lib/measure.js";
import type { BenchOptions } from "../lib/options.js";
import { withRatios, type ResultRow, type SuiteResult } from "../lib/results.js";

const title = "4. Events: publish with confirms and consume, RabbitMQ";
const otherBus = process.env.BENCH_EVENTS_OTHER_BUS;
const targets = { raw: "raw rabbitmq-client", bus: "OMS RabbitMQ bus", service: "OMS bus as services wire it", other: "OMS RabbitMQ bus, other build" } as const;
type Target = keyof typeof targets;
/**
 * The clients measured: the raw loop, the bus, and the bus as service-main
 * wires it (TracedEventBus over FaultyEventBus: the spans, counters and fault
 * check every service pays per event). BENCH_EVENTS_OTHER_BUS, a file exporting
 * RabbitMqEventBus (say, rabbitmq-bus.ts in a checkout of an earlier commit),
 * adds that build of the bus, for a before-and-after in one run.
 */
const measuredTargets: Target[] = otherBus ? ["raw", "bus", "service", "other"] : ["raw", "bus", "service"];
/** Seconds of publishing in each turn on the broker. */
const sliceSeconds = 2;
/** Longest a consume slice waits for its queue to drain before it reports (and starts again). */
const consumeSliceSeconds = 120;

interface Broker {
  url: string;
  origin: string;
  pid?: number;
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
    return { url: broker.url, origin: "rabbitmq-server started by @oms/testkit/rabbitmq", pid: erlangVmOf(broker.url), stop: () => broker.stop() };
  } catch (error) {
    return `no broker: starting rabbitmq-server failed (${reason(error)}); install it (apt-get install rabbitmq-server) or set RABBITMQ_URL`;
  }
}

/** The Erlang VM (beam.smp) of the test kit's broker: the one whose environment names its AMQP port. */
function erlangVmOf(url: string): number | undefined {
  const port = `\0RABBITMQ_NODE_PORT=${new URL(url).port}\0`;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("beam") && `\0${readFileSync(`/proc/${entry}/environ`, "utf8")}`.includes(port)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** A client's process: the raw loop's or the bus's. */
class ClientProcess {
  readonly slices: Record<"publish" | "consume", PhaseFigures[]> = { publish: [], consume: [] };
  drained = false;
  private constructor(private readonly child: BenchChild) {}

  static async start(plan: EventsPlan, profile: string[]): Promise<ClientProcess> {
    const child = BenchChild.start("load/events-load.ts", plan, { label: `events ${plan.target}`, execArgv: profile });
    await child.next("ready", 60_000);
    return new ClientProcess(child);
  }

  /** One slice; measured ones are kept. */
  async slice(type: "publish" | "consume", seconds: number, measured = true): Promise<PhaseFigures> {
    this.child.send({ type, seconds });
    const { figures, drained } = await this.child.next<{ type: string; figures: PhaseFigures; drained: boolean }>("slice", (seconds + 120) * 1000);
    if (measured) this.slices[type].push(figures);
    this.drained = drained;
    return figures;
  }

  async subscribe(): Promise<void> {
    this.child.send({ type: "subscribe" });
    await this.child.next("subscribed", 60_000);
  }

  /** Publishes and consumes for `seconds` without counting it, so both clients meet the measured slices warm. */
  async warmUp(seconds: number): Promise<void> {
    await this.slice("publish", seconds, false);
    await this.subscribe();
    while (!this.drained) await this.slice("consume", 30, false);
  }

  stop(): Promise<void> {
    return this.child.stop(10_000);
  }
}

/** Slices of one phase as one figure: messages, seconds and CPU added up. */
function combined(slices: PhaseFigures[]): PhaseFigures {
  const sum = (of: (slice: PhaseFigures) => number) => slices.reduce((total, slice) => total + of(slice), 0);
  const broker = slices.every((slice) => slice.brokerCpuMicros !== undefined) ? sum((slice) => slice.brokerCpuMicros!) : undefined;
  return { messages: sum((slice) => slice.messages), seconds: sum((slice) => slice.seconds), cpuMicros: sum((slice) => slice.cpuMicros), brokerCpuMicros: broker };
}

function row(target: Target, phase: "publish" | "consume", slices: PhaseFigures[]): ResultRow {
  const figures = combined(slices);
  const broker = figures.brokerCpuMicros === undefined ? "" : `; broker ${Math.round(figures.brokerCpuMicros / figures.messages)} µs/msg`;
  return {
    target: `${targets[target]}: ${phase}`,
    protocol: phase === "publish" ? "AMQP 0-9-1, confirms" : "AMQP 0-9-1, manual ack",
    perSecond: figures.messages / figures.seconds,
    unit: "msg",
    cpuMicrosPerOp: figures.cpuMicros / figures.messages,
    note: `${figures.messages} ${phase === "publish" ? "confirmed" : "acked"}${broker}`,
  };
}

/** The throughput ratio over raw's of each turn, paired with raw's turn of the same round: lowest, median, highest. */
function sliceRatios(raw: PhaseFigures[], bus: PhaseFigures[]): string {
  const rate = (slice: PhaseFigures) => slice.messages / slice.seconds;
  const ratios = bus.slice(0, raw.length).map((slice, index) => rate(slice) / rate(raw[index]!)).sort((a, b) => a - b);
  if (ratios.length === 0) return "none";
  return `${ratios[0]!.toFixed(2)}, ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}, ${ratios.at(-1)!.toFixed(2)}`;
}

/** Raw then bus, then bus then raw, and so on: a machine getting busier or quieter weighs on each alike. */
const turnOrder = (turn: number): Target[] => (turn % 2 === 0 ? measuredTargets : measuredTargets.toReversed());

/**
 * Part 4: the bus adapter against a raw rabbitmq-client loop sending the same
 * messages to the same broker, each in a process of its own, taking turns on
 * the broker in slices of a few seconds (ratios from one machine state).
 */
export async function events(options: BenchOptions): Promise<SuiteResult> {
  process.stderr.write("[events] broker...\n");
  const broker = await findBroker();
  if (typeof broker === "string") return { name: "events", title, rows: [], notes: [], skipped: broker };
  const profile = options.cpuProfileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDirectory}`] : [];
  const base = { url: broker.url, inFlight: 256, prefetch: 256, bodyBytes: 200, brokerPid: broker.pid };
  const clients = new Map<Target, ClientProcess>();
  try {
    for (const target of measuredTargets) clients.set(target, await ClientProcess.start({ ...base, target, busModule: otherBus }, profile));
    const all = [...clients.values()];
    const raw = clients.get("raw")!;
    process.stderr.write("[events] warm-up...\n");
    for (const client of all) await client.warmUp(options.warmupSeconds);
    const turns = Math.max(1, Math.round(options.durationSeconds / sliceSeconds));
    process.stderr.write(`[events] ${turns} turns each...\n`);
    // A turn publishes for a slice, then consumes all of it: no queue waits full while the others run (an idle
    // classic queue gets paged out to disk by the broker, and reading it back costs the broker twice the CPU).
    for (let turn = 0; turn < turns; turn++) {
      for (const target of turnOrder(turn)) {
        const client = clients.get(target)!;
        await client.slice("publish", sliceSeconds);
        while (!client.drained) await client.slice("consume", consumeSliceSeconds);
      }
    }
    const rowsOf = (phase: "publish" | "consume") =>
      withRatios(
        measuredTargets.map((target) => row(target, phase, clients.get(target)!.slices[phase])),
        `${targets.raw}: ${phase}`,
      );
    const ratios = (phase: "publish" | "consume") =>
      measuredTargets
        .slice(1)
        .map((target) => `${target} ${sliceRatios(raw.slices[phase], clients.get(target)!.slices[phase])}`)
        .join("; ");
    const notes = [
      `broker: ${broker.origin}; ${base.bodyBytes}-byte persistent messages to a durable queue, ${base.inFlight} publishes in flight, confirms; consumed with prefetch ${base.prefetch} and one ack per message; each client ${options.warmupSeconds} s of publishing (and its consuming) not counted first`,
      "all send the same AMQP message: message-id, type, timestamp, content-type, persistent, and the headers traceparent, x-oms-time and x-oms-attempt; the consumers' handlers only count",
      `each client in a process of its own; they take turns on the broker (${measuredTargets.join("-")}, then the reverse, ...), ${turns} each: publish for ${sliceSeconds} s, then consume all of it; server CPU µs/op is the client process's CPU per message, broker the Erlang VM's`,
      "as services wire it: TracedEventBus over FaultyEventBus over the bus, as service-main builds it (a span per publish and per delivery, non-recording with no exporter; counters; the fault check, no faults set)",
      ...(otherBus ? [`other build: ${otherBus}`] : []),
      `throughput over raw's in the turn beside it (lowest, median, highest): publish ${ratios("publish")}; consume ${ratios("consume")}`,
    ];
    return { name: "events", title, rows: [...rowsOf("publish"), ...rowsOf("consume")], notes };
  } catch (error) {
    return { name: "events", title, rows: [], notes: [], skipped: `the events load failed: ${reason(error)}` };
  } finally {
    await Promise.all([...clients.values()].map((client) => client.stop()));
    await broker.stop();
  }
}
