import { parseArgs } from "node:util";

/** What one `pnpm bench` run measures, from flags (`--duration=10`) or environment (`BENCH_DURATION=10`). */
export interface BenchOptions {
  /** Seconds of load that are measured, per target. */
  durationSeconds: number;
  /** Seconds of load before that, excluded from the figures (JIT, connection set-up). */
  warmupSeconds: number;
  /** Concurrent HTTP/1.1 connections, or gRPC calls in flight on one h2c connection. */
  connections: number;
  /** Suites to run: rpc, grpc, e2e, events, history, streaming. */
  suites: readonly SuiteName[];
  /** Directory for `--cpu-prof` profiles of the servers under test; none when empty. */
  cpuProfileDirectory: string;
  /** Also measure the experiments (bench/experiments): prototypes behind the profiling notes. */
  experiments: boolean;
  /** Where the .json and .md results go. */
  resultsDirectory: string;
}

export const suiteNames = ["rpc", "grpc", "e2e", "events", "history", "streaming"] as const;
export type SuiteName = (typeof suiteNames)[number];

/** The flags, each also read from its environment variable when not given. */
const flags = {
  duration: { type: "string" },
  warmup: { type: "string" },
  connections: { type: "string" },
  only: { type: "string" },
  "cpu-prof": { type: "string" },
  results: { type: "string" },
  experiments: { type: "boolean" },
} as const;

const usage = "flags: --duration=S --warmup=S --connections=N --only=rpc,grpc,e2e,events,history,streaming --cpu-prof=DIR --results=DIR --experiments";

/** Reads the options; a bad value stops the run with a message naming the flag. */
export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv, defaultResults: string): BenchOptions {
  let given: ReturnType<typeof parseArgs<{ options: typeof flags }>>["values"];
  try {
    given = parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message} (${usage})`, { cause: error });
  }
  const value = (flag: Exclude<keyof typeof flags, "experiments">, variable: string) => given[flag] ?? env[variable];
  const number = (flag: "duration" | "warmup" | "connections", variable: string, fallback: number, min: number) => {
    const raw = value(flag, variable);
    if (raw === undefined || raw === "") return fallback;
    const parsed = Number(raw);
    if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${flag} (${variable}): must be a number >= ${min}, got "${raw}"`);
    return parsed;
  };
  const only = value("only", "BENCH_ONLY");
  const suites = only ? only.split(",").map((name) => name.trim()) : [...suiteNames];
  for (const name of suites) {
    if (!(suiteNames as readonly string[]).includes(name)) throw new Error(`--only (BENCH_ONLY): unknown suite "${name}", expected ${suiteNames.join(", ")}`);
  }
  return {
    durationSeconds: number("duration", "BENCH_DURATION", 10, 1),
    warmupSeconds: number("warmup", "BENCH_WARMUP", 5, 0),
    connections: Math.round(number("connections", "BENCH_CONNECTIONS", 32, 1)),
    suites: suites as SuiteName[],
    cpuProfileDirectory: value("cpu-prof", "BENCH_CPU_PROF") ?? "",
    experiments: given.experiments ?? ["1", "true"].includes(env.BENCH_EXPERIMENTS ?? ""),
    resultsDirectory: value("results", "BENCH_RESULTS") ?? defaultResults,
  };
}
