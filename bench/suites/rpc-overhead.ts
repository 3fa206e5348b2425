import type { HttpLoadPlan } from "../load/http-load.js";
import { cpuPerOp, loadTimeout, reason, runLoad, startTarget } from "../lib/measure.js";
import { benchAuthorization } from "../lib/bench-auth.js";
import { getItemsPath, getItemsRequestJson, getItemsResponseJson } from "../lib/menu-fixture.js";
import type { BenchOptions } from "../lib/options.js";
import { withRatios, type ResultRow, type SuiteResult } from "../lib/results.js";

const targets = [
  { target: "bare node:http", file: "targets/node-http.ts", protocol: "JSON, HTTP/1.1" },
  { target: "bare Fastify route", file: "targets/fastify.ts", protocol: "JSON, HTTP/1.1" },
  { target: "OMS platform, stock connect-fastify", file: "targets/platform-menu-connect-fastify.ts", protocol: "Connect JSON, HTTP/1.1" },
  { target: "OMS platform (menu)", file: "targets/platform-menu.ts", protocol: "Connect JSON, HTTP/1.1" },
] as const;

/** With --experiments: the prototypes behind the profiling write-up (bench/experiments). */
const experiments = [
  { target: "experiment: thin adapter", file: "experiments/thin-adapter-menu.ts", protocol: "Connect JSON, HTTP/1.1" },
  { target: "experiment: direct unary", file: "experiments/direct-unary-menu.ts", protocol: "Connect JSON, HTTP/1.1" },
  { target: "experiment: codec floor (node:http + protobuf-es JSON)", file: "experiments/codec-floor-menu.ts", protocol: "JSON, HTTP/1.1" },
] as const;

/** Sends the call once and checks the answer is the fixture's, so every row measures the same work. */
async function check(url: string, authorization: string): Promise<string | undefined> {
  const response = await fetch(`${url}${getItemsPath}`, { method: "POST", headers: { "content-type": "application/json", authorization }, body: getItemsRequestJson });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GetItems answered ${response.status}: ${text.slice(0, 200)}`);
  if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(JSON.parse(getItemsResponseJson))) return `body differs from the baseline's (${text.length} bytes)`;
  return undefined;
}

/** Part 1: a small unary call through the platform server against bare node:http and Fastify. */
export async function rpcOverhead(options: BenchOptions): Promise<SuiteResult> {
  const rows: ResultRow[] = [];
  for (const { target, file, protocol } of options.experiments ? [...targets, ...experiments] : targets) {
    process.stderr.write(`[rpc] ${target}...\n`);
    try {
      const server = await startTarget(file, options);
      try {
        const authorization = await benchAuthorization();
        const mismatch = await check(server.url, authorization);
        const plan: HttpLoadPlan = {
          url: server.url,
          path: getItemsPath,
          body: getItemsRequestJson,
          authorization,
          connections: options.connections,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds,
        };
        const result = await runLoad("load/http-load.ts", plan, loadTimeout(options), server);
        rows.push({
          target,
          protocol,
          perSecond: result.requestsPerSecond,
          unit: "req",
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          cpuMicrosPerOp: cpuPerOp(result),
          errors: result.errors + result.non2xx,
          ...(mismatch ? { note: mismatch } : {}),
        });
      } finally {
        await server.stop();
      }
    } catch (error) {
      rows.push({ target, protocol, perSecond: Number.NaN, unit: "req", note: `not measured: ${reason(error)}` });
    }
  }
  const ratioRows = withRatios(rows, "bare node:http");
  const platform = rows.find((row) => row.target === "OMS platform (menu)");
  const fastify = rows.find((row) => row.target === "bare Fastify route");
  const notes = [`request ${getItemsRequestJson.length} bytes, response ${getItemsResponseJson.length} bytes; autocannon in its own process, server in another; ratios are throughput over bare node:http`];
  if (platform && fastify && platform.perSecond > 0 && fastify.perSecond > 0) notes.push(`OMS platform / bare Fastify = ${(platform.perSecond / fastify.perSecond).toFixed(2)}x`);
  return { name: "rpc", title: "1. RPC overhead: MenuService/GetItems, unary, HTTP/1.1", rows: ratioRows, notes };
}
