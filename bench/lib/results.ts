import type { MachineInfo } from "./machine.js";
import type { BenchOptions } from "./options.js";

/** One measured target: a row of the printed table. */
export interface ResultRow {
  target: string;
  /** What went over the wire: "Connect JSON, HTTP/1.1", "gRPC, h2c", ... */
  protocol: string;
  /** Operations per second (requests, calls, messages or orders as `unit` says). */
  perSecond: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  /** Server process CPU time (user + system) per operation in the measured window, microseconds: robust to a busy machine. */
  cpuMicrosPerOp?: number;
  /** This row's throughput over the suite's baseline row (1 for the baseline itself). */
  ratio?: number;
  baseline?: string;
  errors?: number;
  note?: string;
}

/** One numbered part of the issue: its rows, or the one line saying why it was skipped. */
export interface SuiteResult {
  name: string;
  title: string;
  rows: ResultRow[];
  notes: string[];
  skipped?: string;
}

/** Everything one `pnpm bench` run writes to bench/results/<date>.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: Pick<BenchOptions, "durationSeconds" | "warmupSeconds" | "connections">;
  suites: SuiteResult[];
}

/** Throughput ratios against the named baseline row. */
export function withRatios(rows: ResultRow[], baseline: string): ResultRow[] {
  const base = rows.find((row) => row.target === baseline && row.perSecond > 0);
  return rows.map((row) => (base && row.perSecond > 0 ? { ...row, ratio: row.perSecond / base.perSecond, baseline } : row));
}
