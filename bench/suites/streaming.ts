import { setTimeout as sleep } from "node:timers/promises";
import { benchAuthorization } from "../lib/bench-auth.js";
import { cpuPerOp, loadTimeout, reason, runLoad } from "../lib/measure.js";
import type { BenchOptions } from "../lib/options.js";
import { withRatios, type ResultRow, type SuiteResult } from "../lib/results.js";
import type { SettledMemory } from "../streaming/memory.js";
import { openIdleStreams, startStreamingTarget, type StreamingTarget } from "../streaming/streaming-target.js";
import type { WatchLoadPlan } from "../streaming/watch-load.js";
import { messagesPerCall } from "../streaming/watch-fixture.js";

/** Idle streams per target: under the order service's default bound on watchers and the platform's on streams (1,000 each). */
const idleStreams = 900;
/** Streams opened and closed before the baseline, so code compiled on first use is not charged to the streams. */
const warmStreams = 50;
/**
 * Calls in flight for the throughput rows. More, on one h2c connection, share its
 * flow-control window: measured with the plain grpc-js server, 1 call gave 8,600
 * messages/s at 51 µs of server CPU each, 4 gave 2,300 at 164 µs, 32 gave 390 at
 * 936 µs (every stream woken for each window update), which says nothing of either server.
 */
const callsInFlight = 4;
/** How long the server's CPU is read while idle, with and without the idle streams open. */
const idleWindowMs = 5_000;
const kib = (bytes: number) => bytes / 1024;

const targets = [
  { target: "plain @grpc/grpc-js server", file: "streaming/grpc-js-watch-target.ts", burst: true },
  { target: "OMS platform, stock connect-fastify (Connect's universal handler)", file: "streaming/platform-stock-watch-target.ts", burst: true },
  { target: "OMS platform (same answers)", file: "streaming/platform-watch-target.ts", burst: true },
  { target: "OMS order service, real WatchOrder (embedded mode)", file: "streaming/embedded-watch-target.ts", burst: false },
] as const;

/** What one idle stream costs the server, from memory with and without `idleStreams` of them open. */
export interface IdleStreamCost {
  streams: number;
  heapBytesPerStream: number;
  externalBytesPerStream: number;
  /** What stayed after every client left, per stream that was open: a leak if it is not near 0. */
  leftBytesPerStream: number;
  /** The server's CPU while nothing happens, in ms per second: with the streams open, and before they were. */
  idleCpuMsPerSecond: { open: number; none: number };
}

type StreamingRow = ResultRow & { idleStream?: IdleStreamCost };

async function measureIdle(server: StreamingTarget, authorization: string, ids: string[]): Promise<IdleStreamCost> {
  const warm = await openIdleStreams(server.url, authorization, ids.slice(0, warmStreams));
  await warm.leave();
  await untilClosed(server);
  const before = await server.memory();
  const none = await idleCpu(server);
  const streams = await openIdleStreams(server.url, authorization, ids);
  const open = await server.memory();
  const busyWhileOpen = await idleCpu(server);
  await streams.leave();
  const after = await untilClosed(server);
  const per = (memory: SettledMemory, key: "heapUsed" | "external") => (memory[key] - before[key]) / ids.length;
  return {
    streams: ids.length,
    heapBytesPerStream: per(open, "heapUsed"),
    externalBytesPerStream: per(open, "external"),
    leftBytesPerStream: per(after, "heapUsed") + per(after, "external"),
    idleCpuMsPerSecond: { open: busyWhileOpen, none },
  };
}

/** The server's CPU over an idle window, in ms per second: its timers and sweeps, what an idle stream makes it do. */
async function idleCpu(server: StreamingTarget): Promise<number> {
  const before = await server.cpuMicros();
  await sleep(idleWindowMs);
  return (await server.cpuMicros() - before) / idleWindowMs;
}

/** The target's memory once its handlers have seen every client leave (targets that count open streams say so). */
async function untilClosed(server: StreamingTarget): Promise<SettledMemory & Record<string, number>> {
  for (let attempt = 0; ; attempt++) {
    const memory = await server.memory();
    if (!memory.open || attempt === 50) return memory;
    await sleep(100);
  }
}

function idleNote(cost: IdleStreamCost): string {
  const total = kib(cost.heapBytesPerStream + cost.externalBytesPerStream);
  const cpu = cost.idleCpuMsPerSecond;
  return `${cost.streams} idle streams: ${total.toFixed(1)} KiB each (heap ${kib(cost.heapBytesPerStream).toFixed(1)} + external ${kib(cost.externalBytesPerStream).toFixed(1)}); ${kib(cost.leftBytesPerStream).toFixed(2)} KiB each left after they closed; idle CPU ${cpu.open.toFixed(1)} ms/s with them open, ${cpu.none.toFixed(1)} before`;
}

/** Server streaming (WatchOrder) over h2c: messages/s and CPU per message, and memory per idle stream. */
export async function streaming(options: BenchOptions): Promise<SuiteResult> {
  const rows: StreamingRow[] = [];
  const serviceToken = await benchAuthorization();
  for (const { target, file, burst } of targets) {
    process.stderr.write(`[streaming] ${target}...\n`);
    try {
      const server = await startStreamingTarget(file, options, burst ? null : { orders: idleStreams });
      try {
        const row: StreamingRow = { target, protocol: "gRPC, h2c", perSecond: Number.NaN, unit: "message" };
        if (burst) {
          const plan: WatchLoadPlan = { mode: "burst", url: server.url, authorization: serviceToken, connections: Math.min(callsInFlight, options.connections), warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds };
          const result = await runLoad("streaming/watch-load.ts", plan, loadTimeout(options), server);
          Object.assign(row, { perSecond: result.requestsPerSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, cpuMicrosPerOp: cpuPerOp(result), errors: result.errors });
        }
        const info = server.info as { orderIds?: string[]; authorization?: string };
        const ids = info.orderIds ?? Array.from({ length: idleStreams }, (_, n) => `order-${n}`);
        row.idleStream = await measureIdle(server, info.authorization ?? serviceToken, ids);
        row.note = idleNote(row.idleStream);
        rows.push(row);
      } finally {
        await server.stop();
      }
    } catch (error) {
      rows.push({ target, protocol: "gRPC, h2c", perSecond: Number.NaN, unit: "message", note: `not measured: ${reason(error)}` });
    }
  }
  return {
    name: "streaming",
    title: "Server streaming over h2c: OrderService/WatchOrder",
    rows: withRatios(rows, "plain @grpc/grpc-js server"),
    notes: [
      `throughput: a @grpc/grpc-js client keeps ${Math.min(callsInFlight, options.connections)} WatchOrder calls in flight on one h2c connection, each reading ${messagesPerCall} order versions; p50/p99 are per call, server CPU per message`,
      `idle: ${idleStreams} WatchOrder streams (at most 90 per connection) each read to its first message and left open; server heap and external memory after full collections, with them open minus before, per stream (${warmStreams} streams opened and closed first so first-use compilation is not counted); idle CPU is the server's over ${idleWindowMs / 1000} s with nothing happening, with the streams open and before; the embedded row runs the real order service (and the four others) with one placed order per stream`,
    ],
  };
}
