import type { GrpcLoadPlan } from "../load/grpc-load.js";
import type { HttpLoadPlan, LoadResult } from "../load/http-load.js";
import { BenchChild } from "./child.js";
import type { BenchOptions } from "./options.js";

/** A server under test, running in its own process until `stop`. */
export interface RunningTarget {
  url: string;
  info: Record<string, unknown>;
  /** CPU time (user + system) the target's process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts a target file (bench/targets/...) in a child process; with
 * --cpu-prof, Node writes that process's CPU profile when it stops.
 */
export async function startTarget(file: string, options: BenchOptions, payload: unknown = null, env: NodeJS.ProcessEnv = {}): Promise<RunningTarget> {
  const profile = options.cpuProfileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDirectory}`] : [];
  const child = BenchChild.start(file, payload, { label: file, execArgv: profile, env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...env } });
  try {
    const ready = await child.next<{ type: string; url: string }>("ready", 60_000);
    const cpuMicros = async () => {
      child.send({ type: "cpu" });
      return (await child.next<{ type: string; micros: number }>("cpu", 10_000)).micros;
    };
    return { url: ready.url, info: ready, cpuMicros, stop: () => child.stop() };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}

/**
 * Runs one load child (bench/load/...) to completion and returns what it
 * measured; with a target, also the target's CPU time over the measured
 * window (from the load's "measuring" message to its result). A load that
 * sends "window-end" (one that goes on after its window, as the e2e load
 * follows its orders) gets the target's CPU read there too
 * (`serverCpuMicrosInWindow`), and waits for "window-read" before going on.
 */
export async function runLoad<T = LoadResult>(file: string, plan: HttpLoadPlan | GrpcLoadPlan | object, timeoutMs: number, target?: RunningTarget): Promise<T & ServerCpu> {
  const child = BenchChild.start(file, plan, { label: file });
  try {
    if (!target) return (await child.next<{ type: string; result: T & ServerCpu }>("result", timeoutMs)).result;
    await child.next("measuring", timeoutMs);
    const before = await target.cpuMicros();
    let inWindow: number | undefined;
    // Loads without a window end never send it: this wait ends with the child.
    void child.next("window-end", timeoutMs).then(
      async () => {
        inWindow = (await target.cpuMicros()) - before;
        child.send({ type: "window-read" });
      },
      () => {},
    );
    const { result } = await child.next<{ type: string; result: T }>("result", timeoutMs);
    const serverCpuMicros = (await target.cpuMicros()) - before;
    return { ...result, serverCpuMicros, ...(inWindow !== undefined && { serverCpuMicrosInWindow: inWindow }) };
  } finally {
    await child.stop(2_000);
  }
}

/** The target's CPU time (user + system, µs) a load charged it. */
export interface ServerCpu {
  /** From the load's "measuring" message to its result. */
  serverCpuMicros?: number;
  /** From "measuring" to "window-end", for a load that sends it. */
  serverCpuMicrosInWindow?: number;
}

/** Milliseconds a load of this plan may take before it counts as hung. */
export function loadTimeout(options: BenchOptions, extraSeconds = 30): number {
  return (options.warmupSeconds + options.durationSeconds + extraSeconds) * 1000;
}

/** A short reason from anything thrown. */
export function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}

/** Server CPU microseconds per request of a load result (undefined without a CPU reading). */
export function cpuPerOp(result: { serverCpuMicros?: number; requests: number }): number | undefined {
  return result.serverCpuMicros === undefined || result.requests === 0 ? undefined : result.serverCpuMicros / result.requests;
}
