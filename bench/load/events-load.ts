import { readFileSync } from "node:fs";
import { childPayload, tellParent, type ChildMessage } from "../lib/child.js";
import type { EventsClient, EventsCommand, EventsPlan, PhaseFigures } from "./events-plan.js";

/**
 * One client (the raw rabbitmq-client loop or the OMS bus) in a process of its
 * own, doing what its parent asks one slice at a time, so the parent can
 * alternate the two clients on the broker: publish for some seconds with
 * `inFlight` confirmed publishes going, or consume (manual ack) for some
 * seconds or until every message it published is acked (after subscribing
 * once, its handlers waiting). Each slice reports
 * its messages with this process's CPU time and the broker's.
 */
const plan = childPayload<EventsPlan>();
async function startClient(): Promise<EventsClient> {
  if (plan.target === "raw") return (await import("./raw-rabbitmq.js")).rawRabbitMqClient(plan);
  const { busAdapterClient } = await import("./bus-adapter.js");
  if (plan.target === "bus") return busAdapterClient(plan);
  if (plan.target === "service") {
    // As service-main wires it: spans (non-recording while nothing exports) and counters, the fault layer with no faults.
    const [{ TracedEventBus, createTelemetry }, { FaultyEventBus, Faults }, { RabbitMqEventBus }] = await Promise.all([
      import("@oms/platform/telemetry"),
      import("@oms/platform/faults"),
      import("@oms/platform/events/rabbitmq"),
    ]);
    const telemetry = createTelemetry("bench");
    return busAdapterClient(plan, RabbitMqEventBus, (bus) => new TracedEventBus(new FaultyEventBus(bus, new Faults()), telemetry));
  }
  const other = (await import(plan.busModule!)) as typeof import("@oms/platform/events/rabbitmq");
  return busAdapterClient(plan, other.RabbitMqEventBus);
}
const client = await startClient();

/** The broker VM's CPU time so far in microseconds, from /proc (utime + stime, in clock ticks of 10 ms). */
function brokerCpuMicros(): number | undefined {
  if (!plan.brokerPid) return undefined;
  const stat = readFileSync(`/proc/${plan.brokerPid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Runs one slice, returning its figures with the CPU both processes spent meanwhile. */
async function measured(slice: () => Promise<number>): Promise<PhaseFigures> {
  const [cpu, broker, start] = [cpuMicros(), brokerCpuMicros(), performance.now()];
  const messages = await slice();
  const [seconds, brokerAfter] = [(performance.now() - start) / 1000, brokerCpuMicros()];
  return { messages, seconds, cpuMicros: cpuMicros() - cpu, brokerCpuMicros: broker === undefined || brokerAfter === undefined ? undefined : brokerAfter - broker };
}

let published = 0;
/** Keeps `inFlight` publishes going for `seconds`, then waits for their confirms; counts them. */
async function publishFor(seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let messages = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await client.publish(published++);
      messages++;
    }
  };
  await Promise.all(Array.from({ length: plan.inFlight }, worker));
  return messages;
}

/**
 * Consuming in slices: between slices the handlers wait (those deliveries
 * are acked in the next slice), so the prefetch fills and the broker sends
 * this client nothing while the other one runs.
 */
const open = Promise.resolve();
let acked = 0;
let resume: () => void = () => {};
let paused: Promise<void> | undefined = new Promise((resolve) => (resume = resolve));
let sliceEnd: () => void = () => {};
function onMessage(): Promise<void> {
  if (paused) return paused.then(onMessage);
  if (++acked === published) sliceEnd();
  return open;
}

async function consumeFor(seconds: number): Promise<number> {
  if (acked === published) return 0;
  const before = acked;
  const ended = new Promise<void>((resolve) => (sliceEnd = resolve));
  const timer = setTimeout(sliceEnd, seconds * 1000);
  paused = undefined;
  resume();
  await ended;
  clearTimeout(timer);
  paused = new Promise((resolve) => (resume = resolve));
  return acked - before;
}

process.on("message", (command: ChildMessage & EventsCommand) => {
  if (command.type === "stop") {
    void client.close().then(() => process.exit(0));
    return;
  }
  if (command.type === "subscribe") {
    // Subscribed with the handlers waiting: setting up is not part of any slice.
    void client.consume(onMessage).then(() => tellParent({ type: "subscribed" }));
    return;
  }
  const slice = command.type === "publish" ? () => publishFor(command.seconds) : () => consumeFor(command.seconds);
  void measured(slice).then((figures) => tellParent({ type: "slice", figures, drained: acked === published }));
});
tellParent({ type: "ready" });
