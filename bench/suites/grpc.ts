import type { GrpcLoadPlan } from "../load/grpc-load.js";
import { benchAuthorization } from "../lib/bench-auth.js";
import { cpuPerOp, loadTimeout, reason, runLoad, startTarget } from "../lib/measure.js";
import type { BenchOptions } from "../lib/options.js";
import { withRatios, type ResultRow, type SuiteResult } from "../lib/results.js";

const targets = [
  { target: "plain @grpc/grpc-js server", file: "targets/grpc-js-menu.ts" },
  { target: "OMS platform, stock connect-fastify", file: "targets/platform-menu-connect-fastify.ts" },
  { target: "OMS platform (menu)", file: "targets/platform-menu.ts" },
] as const;

/** Part 2: gRPC over h2c through the platform server against a plain grpc-js server. */
export async function grpcOverhead(options: BenchOptions): Promise<SuiteResult> {
  const rows: ResultRow[] = [];
  for (const { target, file } of targets) {
    process.stderr.write(`[grpc] ${target}...\n`);
    try {
      const server = await startTarget(file, options);
      try {
        const plan: GrpcLoadPlan = { url: server.url, authorization: await benchAuthorization(), connections: options.connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds };
        const result = await runLoad("load/grpc-load.ts", plan, loadTimeout(options), server);
        rows.push({
          target,
          protocol: "gRPC, h2c",
          perSecond: result.requestsPerSecond,
          unit: "call",
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          cpuMicrosPerOp: cpuPerOp(result),
          errors: result.errors,
        });
      } finally {
        await server.stop();
      }
    } catch (error) {
      rows.push({ target, protocol: "gRPC, h2c", perSecond: Number.NaN, unit: "call", note: `not measured: ${reason(error)}` });
    }
  }
  return {
    name: "grpc",
    title: "2. gRPC over h2c: MenuService/GetItems",
    rows: withRatios(rows, "plain @grpc/grpc-js server"),
    notes: [`a @grpc/grpc-js client in its own process keeps ${options.connections} calls in flight on one h2c connection; binary protobuf both ways`],
  };
}
