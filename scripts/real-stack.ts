import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { startDevIssuer, type DevIssuer } from "@oms/platform/auth";
import { freePort } from "@oms/platform/free-port";
import { demoCurrency, demoDishes } from "../packages/all-in-one/src/demo-menu.js";
import { startFerretDb } from "../test/infra/ferretdb.js";
import { startRabbitMq } from "../test/infra/rabbitmq.js";

/**
 * The real stack without Docker: FerretDB (the MongoDB wire protocol) and
 * RabbitMQ as local processes, and the five services as five processes
 * against them, each with its own database, found through static addresses,
 * trusting a development issuer this process runs (as a real one would be).
 * `node --import tsx scripts/real-stack.ts` runs it until Ctrl-C; the tests
 * in test/real use the same functions.
 */

export const services = ["menu", "stock", "order", "payment", "kitchen"] as const;
export type ServiceName = (typeof services)[number];

export interface RealStack {
  urls: Record<ServiceName, string>;
  amqpUrl: string;
  mongodbUrl: string;
  /** Signs staff and customer tokens the services accept. */
  issuer: DevIssuer;
  /** SIGTERM (graceful: drain, deregister) and start again on the same port and database. */
  restartService(name: ServiceName): Promise<void>;
  /** Stops the broker and starts it again on the same port and data. */
  restartBroker(): Promise<void>;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, "..");

export async function startRealStack(extraEnv: Record<string, string> = {}): Promise<RealStack> {
  const [ferret, rabbit, dev] = await Promise.all([startFerretDb(), startRabbitMq(), startDevIssuer({ host: "127.0.0.1", port: 0, audience: "oms" })]);
  const ports = Object.fromEntries(await Promise.all(services.map(async (name) => [name, await freePort()]))) as Record<ServiceName, number>;
  const urls = Object.fromEntries(services.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: "127.0.0.1",
    AMQP_URL: rabbit.url,
    PAYMENT_PUBLIC_URL: urls.payment,
    KITCHEN_ID: "kitchen-1",
    AUTH_ISSUER: dev.issuer.url,
    AUTH_AUDIENCE: "oms",
    AUTH_JWKS_URL: dev.issuer.jwksUrl,
    AUTH_SERVICE_KEY: randomBytes(32).toString("base64url"),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...Object.fromEntries(services.flatMap((name) => [[`${name.toUpperCase()}_PORT`, String(ports[name])], [`${name.toUpperCase()}_URL`, urls[name]]])),
    ...extraEnv,
  };
  const children = new Map<ServiceName, ChildProcess>();
  const start = async (name: ServiceName) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "packages", name, "src/main.ts")], {
      cwd: root,
      env: { ...env, MONGODB_URL: `${ferret.url}oms_${name}` },
      stdio: ["ignore", "inherit", "inherit"],
    });
    children.set(name, child);
    await untilReady(urls[name], child);
  };
  const stopService = async (name: ServiceName) => {
    const child = children.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };

  try {
    await Promise.all(services.map(start));
    await seed(urls, await dev.issuer.issue("real-stack-seed", "staff"));
  } catch (error) {
    await Promise.all(services.map(stopService));
    await Promise.all([rabbit.stop(), ferret.stop(), dev.close()]);
    throw error;
  }
  return {
    urls,
    amqpUrl: rabbit.url,
    mongodbUrl: ferret.url,
    issuer: dev.issuer,
    async restartService(name) {
      await stopService(name);
      await start(name);
    },
    restartBroker: () => rabbit.restart(),
    async stop() {
      // Callers first, so nothing calls a stopped peer; infrastructure last.
      for (const name of [...services].reverse()) await stopService(name);
      await Promise.all([rabbit.stop(), ferret.stop(), dev.close()]);
    },
  };
}

async function untilReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** The demo menu and opening stock, over the services' own RPCs (production seeds nothing). */
async function seed(urls: Record<ServiceName, string>, staffToken: string): Promise<void> {
  const headers = { "content-type": "application/json", authorization: `Bearer ${staffToken}` };
  const call = async (url: string, path: string, body: unknown) => {
    const response = await fetch(`${url}/${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  const { levels } = (await (await fetch(`${urls.stock}/oms.stock.v1.StockService/GetStock`, { method: "POST", headers, body: "{}" })).json()) as {
    levels?: Array<{ itemId: string }>;
  };
  if ((levels ?? []).length > 0) return;
  for (const dish of demoDishes) {
    const price = { currencyCode: demoCurrency, amountMinor: String(dish.priceMinor) };
    await call(urls.menu, "oms.menu.v1.MenuService/UpsertItem", { item: { id: dish.id, name: dish.name, description: dish.description, price, available: true } });
    await call(urls.stock, "oms.stock.v1.StockService/AdjustStock", { itemId: dish.id, delta: dish.stock });
  }
}

if (process.argv[1] === import.meta.filename) {
  const stack = await startRealStack();
  process.stdout.write(
    [
      "OMS real stack: FerretDB + RabbitMQ as local processes, five service processes.",
      ...services.map((name) => `  ${name.padEnd(8)} ${stack.urls[name]}`),
      `  amqp     ${stack.amqpUrl}`,
      `  mongodb  ${stack.mongodbUrl}`,
      "",
      `  export STAFF_TOKEN=${await stack.issuer.issue("counter", "staff")}`,
      `  curl -s -H 'content-type: application/json' -d '{}' ${stack.urls.menu}/oms.menu.v1.MenuService/ListItems`,
      `  grpcurl -plaintext ${stack.urls.order.replace("http://", "")} list`,
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
