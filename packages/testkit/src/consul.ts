import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "@oms/platform/free-port";
import { usableOrSkipped } from "./skip-or-fail.js";

/** A `consul agent -dev` of the tests' own: in memory, on loopback ports nobody else holds. */
export interface RunningConsul {
  /** http://127.0.0.1:<port>, the agent's HTTP API (CONSUL_HTTP_ADDR). */
  url: string;
  startMs: number;
  stop(): Promise<void>;
}

/** The binary scripts/test-infra.sh builds (v1.14.11, MPL-2.0), wherever Go put it, or on PATH. */
function findConsul(): string | undefined {
  const goBin = join(process.env.GOPATH ?? join(homedir(), "go"), "bin");
  return [goBin, ...(process.env.PATH ?? "").split(delimiter)].map((dir) => join(dir, "consul")).find((path) => existsSync(path));
}

/**
 * Whether tests can start Consul here. Under CI a missing binary is an error,
 * never a quiet skip (scripts/test-infra.sh builds it); elsewhere it says why once.
 */
export function consulAvailable(): boolean {
  const reason = "consul is not installed: `bash scripts/test-infra.sh` builds v1.14.11 into $(go env GOPATH)/bin";
  return usableOrSkipped("Consul tests", findConsul() ? undefined : reason);
}

/** Starts a dev agent (server and client in one, in memory) and waits until it has elected itself leader. */
export async function startConsul(): Promise<RunningConsul> {
  const binary = findConsul();
  if (!binary) throw new Error("consul is not installed");
  const [http, serfLan, serfWan, server] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const args = [
    "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1",
    "-http-port", String(http), "-serf-lan-port", String(serfLan), "-serf-wan-port", String(serfWan), "-server-port", String(server),
    // DNS and gRPC are not used by OMS: switched off, so their fixed default ports cannot clash.
    "-dns-port", "-1", "-grpc-port", "-1", "-hcl", "ports { grpc_tls = -1 }",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${http}`;
  const started = performance.now();
  try {
    await untilLeader(url, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { url, startMs: Math.round(performance.now() - started), stop: () => stop(child) };
}

async function untilLeader(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`consul exited with ${child.exitCode}: ${output()}`);
    const leader = await fetch(`${url}/v1/status/leader`).then((response) => response.text(), () => "");
    if (leader.length > 2) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`consul at ${url} elected no leader in ${timeoutMs} ms: ${output()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
  child.kill("SIGINT");
  await exited;
  clearTimeout(force);
}
