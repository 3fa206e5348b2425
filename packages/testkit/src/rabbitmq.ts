import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { restartablePort } from "./restartable-port.js";
import { usableOrSkipped } from "./skip-or-fail.js";

/**
 * Debian's rabbitmq-server run as a plain child process with a node name,
 * ports and data/log folders of its own, so parallel test files (and a
 * broker someone else runs on 5672) never meet. No Docker needed.
 */
export interface RunningRabbitMq {
  /** amqp://guest:guest@127.0.0.1:<port> (guest may log in over loopback). */
  url: string;
  /** How long the broker took to accept AMQP, for the curious. */
  startMs: number;
  /** Stops the broker (rabbitmqctl stop, then signals) and removes its folders. */
  stop(): Promise<void>;
  /** Stops the broker and starts it again on the same port and data: durable queues and persistent messages survive. */
  restart(): Promise<void>;
  /** Stops the broker gracefully (rabbitmqctl stop) and keeps its data until start(). */
  halt(): Promise<void>;
  /** Kills the Erlang VM with SIGKILL (a crash: nothing flushed) and keeps its data until start(). */
  kill(): Promise<void>;
  /** Starts a halted or killed broker again on the same port and data. */
  start(): Promise<void>;
}

const binDirs = ["/usr/lib/rabbitmq/bin", ...(process.env.PATH ?? "").split(delimiter), "/usr/sbin"];

/** Where rabbitmq-server and rabbitmqctl live, or why they cannot be used. */
function findRabbitMq(): { server: string; ctl: string } | { reason: string } {
  for (const dir of binDirs) {
    const server = join(dir, "rabbitmq-server");
    const ctl = join(dir, "rabbitmqctl");
    if (existsSync(server) && existsSync(ctl)) return { server, ctl };
  }
  return { reason: "rabbitmq-server is not installed (looked in /usr/lib/rabbitmq/bin and PATH); install it with `apt-get install -y rabbitmq-server`" };
}

/**
 * Whether tests can start RabbitMQ here. Under CI a missing broker is an
 * error, never a quiet skip; elsewhere it returns false and says why once,
 * so callers can `describe.skipIf(!rabbitMqAvailable())`.
 */
export function rabbitMqAvailable(): boolean {
  const found = findRabbitMq();
  return usableOrSkipped("RabbitMQ tests", "reason" in found ? found.reason : undefined);
}

/** Starts a fresh broker on free loopback ports and waits until it accepts AMQP connections. */
export async function startRabbitMq(): Promise<RunningRabbitMq> {
  const found = findRabbitMq();
  if ("reason" in found) throw new Error(found.reason);
  const dir = await mkdtemp(join(tmpdir(), "oms-rabbitmq-"));
  const [port, distPort] = [await restartablePort(), await restartablePort()];
  const node = `oms-test-${port}@localhost`;
  const env = await brokerEnvironment(dir, node, port, distPort);
  let child: ChildProcess | undefined;
  let output = "";

  const start = async () => {
    output = "";
    child = spawn(found.server, [], { env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-6_000));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    await waitForAmqp(port, child, () => output);
  };
  const halt = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    // rabbitmqctl stop lets the broker flush queues to disk: restart then finds the persistent messages.
    spawnSync(found.ctl, ["-n", node, "stop"], { env, timeout: 30_000, stdio: "ignore" });
    const force = setTimeout(() => child?.kill("SIGKILL"), 15_000);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(force);
  };

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    // The child is Debian's wrapper script; the broker is the Erlang VM it forks, whose pid the broker writes to its pid file.
    const vm = Number((await readFile(env.RABBITMQ_PID_FILE!, "utf8").catch(() => "")).trim());
    if (vm > 0) process.kill(vm, "SIGKILL");
    else child.kill("SIGKILL");
    await exited;
  };

  const started = performance.now();
  try {
    await start();
  } catch (error) {
    await halt();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    startMs: Math.round(performance.now() - started),
    restart: async () => {
      await halt();
      await start();
    },
    halt,
    kill,
    start,
    stop: async () => {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every path and port the broker would otherwise share with other nodes on this machine. */
async function brokerEnvironment(dir: string, node: string, port: number, distPort: number): Promise<NodeJS.ProcessEnv> {
  const home = join(dir, "home");
  await mkdir(home, { recursive: true });
  // No plugins: the management plugin would want port 15672, which another broker may hold.
  await writeFile(join(dir, "enabled_plugins"), "[].\n");
  await writeFile(join(dir, "rabbitmq.conf"), ["loopback_users = none", "log.console = true", "log.console.level = warning", "log.file = false", ""].join("\n"));
  return {
    PATH: process.env.PATH,
    // The Erlang cookie lives in $HOME; the server and rabbitmqctl share this one.
    HOME: home,
    LANG: "C.UTF-8",
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: join(dir, "log"),
    RABBITMQ_PID_FILE: join(dir, "rabbitmq.pid"),
    RABBITMQ_CONFIG_FILE: join(dir, "rabbitmq.conf"),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, "advanced.config"),
    RABBITMQ_CONF_ENV_FILE: join(dir, "rabbitmq-env.conf"),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, "enabled_plugins"),
  };
}

async function waitForAmqp(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rabbitmq-server exited with ${child.exitCode}: ${output()}`);
    if (await answersAmqp(port)) return;
    if (Date.now() > deadline) throw new Error(`rabbitmq-server did not accept AMQP on port ${port} within 60 s: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends the AMQP 0-9-1 protocol header; a ready broker answers with connection.start. */
function answersAmqp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write(Buffer.from("AMQP\x00\x00\x09\x01", "latin1")));
    // A method frame (type 1) on channel 0: connection.start.
    socket.on("data", (chunk: Buffer) => done(chunk[0] === 1));
  });
}
