import type { BenchOptions } from "../lib/options.js";
import { BenchChild, type ChildMessage } from "../lib/child.js";
import type { RunningTarget } from "../lib/measure.js";
import type { SettledMemory } from "./memory.js";

/** A streaming target: a RunningTarget that also reports its settled memory. */
export interface StreamingTarget extends RunningTarget {
  memory(): Promise<SettledMemory & Record<string, number>>;
  /** Writes a V8 heap snapshot of the target to `path` (for profiling what the streams hold); returns where it went. */
  snapshot(path: string): Promise<string>;
}

/** Starts a target file (bench/streaming/...) in its own process, as measure.ts's startTarget does. */
export async function startStreamingTarget(file: string, options: BenchOptions, payload: unknown = null): Promise<StreamingTarget> {
  const profile = options.cpuProfileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDirectory}`] : [];
  const child = BenchChild.start(file, payload, { label: file, execArgv: profile, env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } });
  const ask = async <T extends ChildMessage>(type: string, timeoutMs = 60_000) => {
    child.send({ type });
    return child.next<T>(type, timeoutMs);
  };
  try {
    const ready = await child.next<{ type: string; url: string }>("ready", 180_000);
    return {
      url: ready.url,
      info: ready,
      cpuMicros: async () => (await ask<{ type: string; micros: number }>("cpu", 10_000)).micros,
      memory: async () => {
        const { type: _type, ...memory } = await ask<ChildMessage & SettledMemory & Record<string, number>>("memory");
        return memory;
      },
      snapshot: async (path) => {
        child.send({ type: "snapshot", path });
        return (await child.next<{ type: string; path: string }>("snapshot", 120_000)).path;
      },
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}

/** Opens idle WatchOrder streams from a load process; `leave` cancels them all and waits until they are gone. */
export async function openIdleStreams(url: string, authorization: string, ids: string[]): Promise<{ leave(): Promise<void> }> {
  const load = BenchChild.start("streaming/watch-load.ts", { mode: "idle", url, authorization, ids, streamsPerConnection: 90 }, { label: "idle watchers" });
  try {
    await load.next("opened", 120_000);
  } catch (error) {
    await load.stop(2_000);
    throw error;
  }
  return {
    async leave() {
      load.send({ type: "leave" });
      await load.next("left", 60_000);
      await load.stop(2_000);
    },
  };
}
