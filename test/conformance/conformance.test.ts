import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { connectConformanceAvailable, connectConformanceBinary } from "@oms/testkit/connectconformance";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Fewer cases than this means the config filtered the suite away, not that the server passed it. */
const fewestExpectedCases = 2_700;
const runnerTimeoutMs = 240_000;

/**
 * Connect's own conformance suite, run by its runner (server mode) against
 * ConformanceService hosted on the platform server (server.ts), with every
 * feature the platform claims (conformance.yaml). Any failing case fails the
 * test, and its report is printed. Cases listed in known-failing.txt must
 * fail (the runner checks), so the list cannot silently go stale.
 */
describe.skipIf(!connectConformanceAvailable())("Connect conformance of the platform server", () => {
  it(
    "passes every case: Connect, gRPC and gRPC-Web, HTTP/1.1 and h2c, proto and JSON, every stream type",
    async () => {
      const run = await runSuite();
      const summary = /Total cases: (\d+)\n(\d+) passed, (\d+) failed/.exec(run.output);
      const failures = run.output.split("\n").filter((line) => /^(FAILED|\s)/.test(line) && line.trim() !== "");
      if (run.code !== 0 || !summary) console.error(`connectconformance exited with ${run.code}:\n${failures.join("\n") || run.output}`);
      expect(summary, run.output.slice(-2_000)).not.toBeNull();
      const [, total, , failed] = summary!.map(Number);
      console.info(`connectconformance: ${summary![0].replace("\n", ", ")} in ${(run.ms / 1000).toFixed(0)} s`);
      expect(failed, failures.join("\n")).toBe(0);
      expect(total).toBeGreaterThanOrEqual(fewestExpectedCases);
      expect(run.code).toBe(0);
    },
    runnerTimeoutMs + 10_000,
  );
});

/** Runs the suite; two RPCs and two servers at a time suit a 2-core machine. */
function runSuite(): Promise<{ code: number | null; output: string; ms: number }> {
  const args = [
    "--mode", "server",
    "--conf", here("./conformance.yaml"),
    "--known-failing", `@${here("./known-failing.txt")}`,
    "--parallel", "2",
    "--max-servers", "2",
    "--", process.execPath, "--import", "tsx", here("./server.ts"),
  ];
  const started = Date.now();
  // Its own process group, so that a run past the deadline ends with the servers it started.
  const runner = spawn(connectConformanceBinary(), args, { cwd: root, detached: true, env: { ...process.env, LOG_LEVEL: "silent" } });
  let output = "";
  runner.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  runner.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = setTimeout(() => runner.pid && process.kill(-runner.pid, "SIGKILL"), runnerTimeoutMs);
  return new Promise((resolve, reject) => {
    runner.once("error", reject);
    runner.once("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}
