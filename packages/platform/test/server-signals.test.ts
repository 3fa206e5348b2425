import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/serve-test-service.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Starts the test service in its own process; resolves once it printed its URL. */
async function startChild(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /http:\/\/[\d.]+:\d+/.exec(output);
      if (match) resolve(match[0]);
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => reject(new Error(`child exited with ${code} before serving: ${output}`)));
  });
  return { child, url, exited, output: () => output };
}

function waitForOutput(read: () => string, text: string, child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const check = () => read().includes(text) && resolve();
    check();
    child.stdout!.on("data", check);
  });
}

describe("stopOnSignals", () => {
  it("on SIGTERM closes the service (module stopped) and exits 0", async () => {
    const { child, url, exited, output } = await startChild();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output()).toContain("stopped");
  });

  it("exits at once on a second signal while closing", async () => {
    const { child, exited, output } = await startChild({ HANG_ON_STOP: "1" });
    try {
      child.kill("SIGTERM");
      await waitForOutput(output, "stopping", child);
      child.kill("SIGTERM");
      expect(await exited).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
