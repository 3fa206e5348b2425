import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAll, type RunningSystem } from "@oms/all-in-one";
import { waitFor } from "@oms/platform/testing";
import { usableOrSkipped } from "@oms/testkit/skip-or-fail";
import { commandsOf, readme, readmeBlocks, transcriptOf, type ReadmeBlock } from "./readme-blocks.js";

/**
 * Every command and snippet of the README's "Try it", run as written against
 * the embedded system (what `pnpm start` runs), in the order a reader meets
 * them: the curl lines, paying on the checkout page, the hand-over, grpcurl,
 * `buf curl`, the TypeScript client, the error example (its output compared
 * with the page), dead letters and faults.
 *
 * Ports: the system starts on free ports, not 8081-8086, since other
 * processes on a shared machine may hold those; each command's
 * `localhost:8081` ... `:8086` is rewritten to the port that service got,
 * consistently, and nothing else in it changes. Placeholders the README asks
 * the reader to fill (`<order id>`, `<paymentUrl>`, `<event id>`) are filled
 * with what the earlier commands answered.
 *
 * Blocks outside "Try it" start processes or infrastructure of their own;
 * each is listed below with the test that runs it, so a new block fails here
 * until it is run or placed.
 */
const root = join(import.meta.dirname, "../..");
const defaultPorts = { menu: 8081, stock: 8082, order: 8083, payment: 8084, kitchen: 8085 } as const;
const checkedElsewhere: Array<[string, string]> = [
  ["pnpm install && pnpm start", "the first-five-minutes commands: CI runs `pnpm test`; `pnpm start` is this test's system"],
  ["turbo run dev", "test/dev/turbo-dev.test.ts runs `turbo run dev` both ways"],
  ["docker compose up --build", "test/repo/compose.test.ts renders compose.yaml with docker-compose and the Compose schema"],
  ["scripts/real-stack.ts", "test/real and test/chaos run the real stack"],
  ["stripe listen", "packages/payment's Stripe tests run against stripe-mock"],
  ["pnpm generate", "CI runs generate, typecheck, test and bench"],
  ["flowchart LR", "a diagram"],
  ["stateDiagram-v2", "a diagram"],
  ["proto/oms/<service>/v1/*.proto", "the layout, not a command"],
];

const grpcurlPath = [process.env.GRPCURL, join(homedir(), "go/bin/grpcurl"), "/usr/local/bin/grpcurl"].find((path) => path && existsSync(path));
const grpcurlUsable = usableOrSkipped("the README's grpcurl lines", grpcurlPath ? undefined : "grpcurl is not installed: `bash scripts/test-infra.sh` installs it");

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe("README: Try it, as written", () => {
  let system: RunningSystem;
  let ports: Record<string, number>;
  let env: Record<string, string>;
  const filled: Record<string, string> = { "<event id>": "none" };
  const tryIt = readmeBlocks().filter((block) => block.section === "Try it");
  const block = (needle: string): ReadmeBlock => {
    const found = tryIt.find((each) => each.text.includes(needle));
    if (!found) throw new Error(`README "Try it" has no block with ${needle}`);
    return found;
  };

  /** The command with the system's ports in place of the defaults and the placeholders filled. */
  const asRun = (command: string) =>
    Object.entries(filled).reduce(
      (text, [placeholder, value]) => text.replaceAll(placeholder, value),
      command.replace(/\b(localhost|127\.0\.0\.1):(808[1-6])\b/g, (_match, host: string, port: string) => `${host}:${ports[port]}`),
    );

  const run = (command: string, cwd = root): Promise<Outcome> =>
    new Promise((resolve) => {
      // Asynchronous: the system answering these commands runs in this process.
      execFile("bash", ["-c", command], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  /**
   * Runs every command of a block; each must exit 0 and none may answer a Connect error. The first order
   * created is the `<order id>` of every later command, as the reader would paste it.
   */
  const runBlock = async (text: string): Promise<Outcome[]> => {
    const outcomes: Outcome[] = [];
    for (const command of commandsOf(text)) {
      const outcome = await run(asRun(command));
      expect(outcome, command).toMatchObject({ code: 0 });
      expect(outcome.stdout, command).not.toMatch(/^\{"code":/);
      const created = /"order":\s*\{\s*"id":\s*"([0-9A-Z]{26})"/.exec(outcome.stdout)?.[1];
      if (created && !filled["<order id>"]) filled["<order id from above>"] = filled["<order id>"] = created;
      outcomes.push(outcome);
    }
    return outcomes;
  };

  const orderStatus = async () => {
    const response = await fetch(`${system.services.order.url}/oms.order.v1.OrderService/GetOrder`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.CUSTOMER_TOKEN}` },
      body: JSON.stringify({ id: filled["<order id>"] }),
    });
    return ((await response.json()) as { order: { status: string; paymentUrl?: string } }).order;
  };

  beforeAll(async () => {
    system = await startAll({ randomPorts: true, env: { ...process.env, KITCHEN_COOK_TIME: "200ms", LOG_LEVEL: "warn", LOG_FORMAT: "json" } });
    ports = Object.fromEntries(Object.entries(defaultPorts).map(([name, port]) => [String(port), system.services[name as keyof typeof defaultPorts].port]));
    ports["8086"] = Number(new URL(system.issuer!.url).port);
    // What the two `export` lines `pnpm start` prints set: alice's token and a staff token.
    env = {
      ...(process.env as Record<string, string>),
      PATH: [join(root, "node_modules/.bin"), grpcurlPath ? join(grpcurlPath, "..") : "", process.env.PATH].filter(Boolean).join(delimiter),
      CUSTOMER_TOKEN: await system.issuer!.issue("alice", "customer"),
      STAFF_TOKEN: await system.issuer!.issue("counter", "staff"),
    };
  }, 60_000);
  afterAll(() => system?.close());

  it("places every fenced block: run here, or by the test named", () => {
    const unplaced = readmeBlocks().filter(
      (each) => each.section !== "Try it" && !checkedElsewhere.some(([needle]) => each.text.includes(needle)),
    );
    expect(unplaced.map((each) => `${each.section}: ${each.text.split("\n")[0]}`)).toEqual([]);
  });

  it("lists the menu, orders, and shows the order", async () => {
    const [listed, created, shown] = await runBlock(block("MenuService/ListItems").text);
    expect(JSON.parse(listed!.stdout).items).toHaveLength(12);
    const { order } = JSON.parse(created!.stdout) as { order: { id: string; status: string } };
    expect(order.status).toBe("ORDER_STATUS_PENDING");
    expect(filled["<order id>"]).toBe(order.id);
    expect(JSON.parse(shown!.stdout).order.id).toBe(order.id);
  }, 60_000);

  it("pays on the checkout page with curl; the kitchen makes the order READY", async () => {
    const pay = /`(curl -sL -d '' <paymentUrl>\/pay)`/.exec(readme())![1]!;
    filled["<paymentUrl>"] = await waitFor(async () => (await orderStatus()).paymentUrl, { intervalMs: 100, message: "the checkout to open" });
    const paid = await run(asRun(pay));
    expect(paid).toMatchObject({ code: 0 });
    expect(paid.stdout).toContain("Payment received");
    await waitFor(async () => (await orderStatus()).status === "ORDER_STATUS_READY", { timeoutMs: 20_000, intervalMs: 100, message: "READY" });
  }, 60_000);

  it("hands the order over at the counter", async () => {
    const [completed] = await runBlock(block("CompleteOrder").text);
    expect(JSON.parse(completed!.stdout).order.status).toBe("ORDER_STATUS_COMPLETED");
  }, 30_000);

  it.skipIf(!grpcurlUsable)("answers grpcurl with reflection: list, describe, create, watch (ending), health", async () => {
    const [list, describe, created, watched, health] = await runBlock(block("grpcurl -plaintext").text);
    expect(list!.stdout).toContain("oms.order.v1.OrderService");
    expect(describe!.stdout).toContain("rpc CreateOrder");
    expect(JSON.parse(created!.stdout).order.status).toBe("ORDER_STATUS_PENDING");
    expect(watched!.stdout).toContain("ORDER_STATUS_COMPLETED");
    expect(JSON.parse(health!.stdout).status).toBe("SERVING");
  }, 60_000);

  it("answers buf curl", async () => {
    const [got] = await runBlock(block("buf curl").text);
    expect(JSON.parse(got!.stdout).items[0].name).toBe("Margherita");
  }, 60_000);

  it("runs the TypeScript client snippet: it prints status names and ends", async () => {
    const snippet = tryIt.find((each) => each.language === "ts")!;
    const command = /`(node --import tsx watch\.mts <order id>)`/.exec(readme())![1]!;
    // Saved inside the workspace, as the README says, so its imports resolve as in a package of it.
    const dir = join(root, "node_modules/.cache/oms-readme");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "watch.mts"), asRun(snippet.text));
    const outcome = await run(asRun(command), dir);
    expect(outcome).toMatchObject({ code: 0, stderr: "" });
    expect(outcome.stdout.trim().split("\n")).toEqual(["COMPLETED"]);
  }, 60_000);

  it("answers the error example exactly as shown", async () => {
    for (const { command, output } of transcriptOf(block("$ curl").text)) {
      expect((await run(asRun(command))).stdout.trim()).toBe(output.trim());
    }
  }, 30_000);

  it("lists and replays dead letters, then sets faults", async () => {
    const [listed, replayed] = await runBlock(block("ListDeadLetters").text);
    expect(JSON.parse(listed!.stdout)).toEqual({});
    expect(JSON.parse(replayed!.stdout)).toBeDefined();
    const [set] = await runBlock(block("SetFaults").text);
    expect(JSON.parse(set!.stdout).faults).toMatchObject({ stockFailureRate: 0.5, paymentDeclineRate: 0.2 });
  }, 30_000);
});
