import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { waitFor } from "@oms/platform/testing";

const root = join(import.meta.dirname, "../..");

/** `turbo run dev` as a developer types it, in its own process group so a stop reaches every task as Ctrl-C would. */
export interface TurboDev {
  /** Everything printed so far, stdout and stderr, each line prefixed by its task (`@oms/menu:dev: ...`). */
  output(): string;
  /** How many lines printed so far contain `text`. */
  count(text: string): number;
  /** Waits until more than `count` lines contain `text`; on timeout the error ends with what turbo printed last. */
  until(text: string, count: number, timeoutMs: number): Promise<void>;
  /**
   * Waits for a line matching `cause` printed after `from` (an offset into output()), then for `effect`
   * after it: a restart this test caused, told apart from those other edits of the tree cause.
   */
  untilAfter(from: number, cause: RegExp, effect: string, timeoutMs: number): Promise<void>;
  /** Ctrl-C to the whole group; resolves with turbo's exit code once it ended (SIGKILL to the group after 30 s). */
  stop(): Promise<number | null>;
}

export function startTurboDev(env: Record<string, string>): TurboDev {
  // `turbo` by name, found on PATH as scripts/toolchain.sh puts it there; exec, so its exit code is turbo's.
  const child: ChildProcess = spawn("sh", ["-c", "exec turbo run dev"], {
    cwd: root,
    detached: true,
    env: { ...withoutOmsSettings(process.env), PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const count = (needle: string) => text.split("\n").filter((line) => line.includes(needle)).length;
  const explained = async (check: () => boolean, what: string, timeoutMs: number) => {
    try {
      await waitFor(check, { timeoutMs, intervalMs: 200, message: what });
    } catch (error) {
      throw new Error(`${(error as Error).message}; turbo printed last:\n${text.slice(-4_000)}`);
    }
  };
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    output: () => text,
    count,
    until: (needle, before, timeoutMs) => explained(() => count(needle) > before, `a line with ${JSON.stringify(needle)}`, timeoutMs),
    untilAfter: (from, cause, effect, timeoutMs) =>
      explained(
        () => {
          const caused = cause.exec(text.slice(from));
          return caused !== null && text.indexOf(effect, from + caused.index) >= 0;
        },
        `${String(cause)}, then ${JSON.stringify(effect)}`,
        timeoutMs,
      ),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      process.kill(-child.pid!, "SIGINT");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The test runner's own environment without OMS settings someone exported, so each test chooses its mode. */
function withoutOmsSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const oms = /^(AMQP_URL|MONGODB_URL|CONSUL_HTTP_ADDR|HOST|[A-Z]+_PORT|[A-Z]+_URL|AUTH_.*|SERVICE_.*|DEMO_DATA)$/;
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && !oms.test(entry[0])));
}

/** A Connect JSON call; the parsed body whatever the status. */
export async function call(url: string, path: string, body: unknown, token?: string): Promise<Record<string, any>> {
  const headers: Record<string, string> = { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) };
  const response = await fetch(`${url}/${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, any>;
}

/** Places one order as the token's customer and waits until the kitchen has made it READY. */
export async function orderUntilReady(orderUrl: string, customerToken: string, itemId: string): Promise<void> {
  let id: string | undefined;
  await waitFor(
    async () => {
      // Retried with the same key while a peer or the broker is still coming up: one order either way.
      const created = await call(orderUrl, "oms.order.v1.OrderService/CreateOrder", { idempotencyKey: `dev-${itemId}`, lines: [{ itemId, quantity: 1 }] }, customerToken);
      id = created.order?.id as string | undefined;
      return id !== undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, message: "CreateOrder to succeed" },
  );
  await waitFor(async () => (await call(orderUrl, "oms.order.v1.OrderService/GetOrder", { id }, customerToken)).order?.status === "ORDER_STATUS_READY", {
    timeoutMs: 60_000,
    intervalMs: 100,
    message: `order ${id} to reach READY`,
  });
}
