import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { formatMarkdown, formatText } from "./lib/format.js";
import { describeMachine } from "./lib/machine.js";
import { readOptions, type BenchOptions, type SuiteName } from "./lib/options.js";
import type { BenchReport, SuiteResult } from "./lib/results.js";
import { endToEnd } from "./suites/end-to-end.js";
import { events } from "./suites/events.js";
import { grpcOverhead } from "./suites/grpc.js";
import { history } from "./suites/history.js";
import { rpcOverhead } from "./suites/rpc-overhead.js";
import { streaming } from "./suites/streaming.js";

/**
 * `pnpm bench`: each server under test in its own child process, one at a
 * time, with load from another process on loopback; prints the table and
 * writes bench/results/<date>.json and .md.
 */
const suites: Record<SuiteName, (options: BenchOptions, previous: readonly SuiteResult[]) => Promise<SuiteResult>> = { rpc: rpcOverhead, grpc: grpcOverhead, e2e: endToEnd, events, history, streaming };

const options = readOptions(process.argv.slice(2), process.env, fileURLToPath(new URL("./results/", import.meta.url)));
const startedAt = new Date().toISOString();
const machine = describeMachine();
const results: SuiteResult[] = [];
for (const name of options.suites) results.push(await suites[name](options, results));

const report: BenchReport = {
  startedAt,
  finishedAt: new Date().toISOString(),
  machine,
  options: { durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, connections: options.connections },
  suites: results,
};
const stamp = startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
await mkdir(options.resultsDirectory, { recursive: true });
const base = `${options.resultsDirectory.replace(/\/$/, "")}/${stamp}`;
await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
await writeFile(`${base}.md`, formatMarkdown(report));
process.stdout.write(`\n${formatText(report)}\nwrote ${base}.json and ${base}.md\n`);
