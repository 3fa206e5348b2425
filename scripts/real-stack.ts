import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { startDevIssuer, type DevIssuer } from "@oms/platform/auth";
import { restartablePort } from "@oms/testkit/restartable-port";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { seedDemoData } from "@oms/all-in-one/seed";
import { startConsul, type RunningConsul } from "@oms/testkit/consul";
import { startFerretDb } from "@oms/testkit/ferretdb";
import { startRabbitMq } from "@oms/testkit/rabbitmq";
import { startSingleConnectionProxy } from "@oms/testkit/single-connection-proxy";

/**
 * The real stack without Docker: FerretDB (the MongoDB wire protocol) and
 * RabbitMQ as local processes, and the five services as processes against
 * them, one database per service, trusting a development issuer this process
 * runs (as a real one would be). With `replicas`, a service runs as several
 * instances that share its database and compete for its queue's events, and
 * peers find them through a real Consul agent (healthy instances only);
 * otherwise through static addresses. Replicas reach FerretDB through a proxy
 * that funnels every process into one connection, which is what makes a
 * conditional update atomic on FerretDB (@oms/testkit/single-connection-proxy). Every instance can be killed, stopped
 * and started one by one, and so can the broker and the database: the chaos
 * suite in test/chaos drives these.
 *
 * `node --import tsx scripts/real-stack.ts [--replicas]` runs it until Ctrl-C.
 */

export const services = ["menu", "stock", "order", "payment", "kitchen"] as const;
export type ServiceName = (typeof services)[number];

/** Two of each service but stock: stock's holds need conditional updates that are atomic across processes, which FerretDB's are not. */
export const replicated: Partial<Record<ServiceName, number>> = { menu: 2, order: 2, payment: 2, kitchen: 2 };

export interface StackOptions {
  /** Instances per service (1 when left out). More than one of any service runs a Consul agent. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Find peers through a real Consul agent even with one instance each. */
  consul?: boolean;
  /** Environment for one instance only, on top of the shared one (e.g. auto-pay on one payment instance). */
  instanceEnv?: (instance: Pick<ServiceInstance, "id" | "service" | "index">) => Record<string, string>;
}

/** One service process: `order-2` is the second instance of order. */
export interface ServiceInstance {
  id: string;
  service: ServiceName;
  index: number;
  url: string;
  /** Whether its process runs (it may still be starting). */
  readonly running: boolean;
}

export interface RealStack {
  /** The first instance of each service. */
  urls: Record<ServiceName, string>;
  instances: readonly ServiceInstance[];
  urlsOf(name: ServiceName): string[];
  amqpUrl: string;
  mongodbUrl: string;
  /** The Consul agent's HTTP API, when peers are found through one. */
  consulUrl?: string;
  /** Signs staff and customer tokens the services accept. */
  issuer: DevIssuer;
  /** SIGTERM (graceful: drain, deregister) every instance of a service and start them again on the same ports and database. */
  restartService(name: ServiceName): Promise<void>;
  /** Ends one instance: SIGTERM (graceful) or SIGKILL (a crash: no deregistration, work in hand abandoned). */
  stopInstance(id: string, signal: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts a stopped instance on its port again and waits until it is ready. */
  startInstance(id: string): Promise<void>;
  /** The broker, on the same port and data throughout: halt is graceful, kill a crash, start brings it back. */
  broker: { halt(): Promise<void>; kill(): Promise<void>; start(): Promise<void> };
  /** Stops the broker and starts it again on the same port and data. */
  restartBroker(): Promise<void>;
  /** Ends FerretDB with the signal and starts it again on the same port and data. */
  restartDatabase(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, "..");

export async function startRealStack(extraEnv: Record<string, string> = {}, options: StackOptions = {}): Promise<RealStack> {
  const counts = Object.fromEntries(services.map((name) => [name, options.replicas?.[name] ?? 1])) as Record<ServiceName, number>;
  const replicas = Object.values(counts).some((count) => count > 1);
  const useConsul = options.consul || replicas;
  const [ferret, rabbit, dev, consul] = await Promise.all([
    startFerretDb(),
    startRabbitMq(),
    startDevIssuer({ host: "127.0.0.1", port: 0, audience: "oms" }),
    useConsul ? startConsul() : undefined,
  ]);
  const processes = new Map<string, ChildProcess>();
  const instances: ServiceInstance[] = [];
  for (const service of services) {
    for (let index = 1; index <= counts[service]; index++) {
      const id = `${service}-${index}`;
      const url = `http://127.0.0.1:${await restartablePort()}`;
      instances.push({ id, service, index, url, get running() { return isRunning(processes.get(id)); } });
    }
  }
  const first = (name: ServiceName) => instances.find((instance) => instance.service === name)!;
  const urls = Object.fromEntries(services.map((name) => [name, first(name).url])) as Record<ServiceName, string>;
  // Instances of one service are several processes on one database: on FerretDB they must share one connection.
  const database = replicas ? await startSingleConnectionProxy(Number(new URL(ferret.url).port)) : undefined;
  const databaseUrl = database?.url ?? ferret.url;
  const env = sharedEnvironment(rabbit.url, dev.issuer, consul, urls, extraEnv);

  const find = (id: string) => {
    const instance = instances.find((each) => each.id === id);
    if (!instance) throw new Error(`no instance ${id}; there are ${instances.map((each) => each.id).join(", ")}`);
    return instance;
  };
  const startInstance = async (id: string) => {
    const instance = find(id);
    if (instance.running) return;
    const port = new URL(instance.url).port;
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "packages", instance.service, "src/main.ts")], {
      cwd: root,
      env: {
        ...env,
        MONGODB_URL: `${databaseUrl}oms_${instance.service}`,
        [`${instance.service.toUpperCase()}_PORT`]: port,
        // The checkout page of a payment is served by the instance that opened it; any instance can take the payment.
        PAYMENT_PUBLIC_URL: instance.service === "payment" ? instance.url : urls.payment,
        // Stable per instance across restarts, so it resumes the tickets it left cooking.
        KITCHEN_ID: instance.id,
        ...options.instanceEnv?.(instance),
      },
      stdio: ["ignore", "inherit", "pipe"],
    });
    processes.set(id, child);
    // Passed on, and the last of it kept for the error when the instance does not come up.
    let errors = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      errors = (errors + chunk.toString()).slice(-2_000);
    });
    await untilReady(instance.url, child).catch((error: unknown) => {
      throw new Error(`${id}: ${(error as Error).message}${errors ? `; its last errors: ${errors}` : ""}`);
    });
  };
  const stopInstance = async (id: string, signal: "SIGTERM" | "SIGKILL") => {
    const child = processes.get(find(id).id);
    if (!child || !isRunning(child)) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  };
  const stopAll = async () => {
    // Callers first, so nothing calls a stopped peer; infrastructure last.
    for (const instance of [...instances].reverse()) await stopInstance(instance.id, "SIGTERM");
    await database?.stop();
    await Promise.all([rabbit.stop(), ferret.stop(), dev.close(), consul?.stop()]);
  };

  try {
    await Promise.all(instances.map((instance) => startInstance(instance.id)));
    await seed(urls, await dev.issuer.issue("real-stack-seed", "staff"));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    urls,
    instances,
    urlsOf: (name) => instances.filter((instance) => instance.service === name).map((instance) => instance.url),
    amqpUrl: rabbit.url,
    mongodbUrl: databaseUrl,
    consulUrl: consul?.url,
    issuer: dev.issuer,
    async restartService(name) {
      const ofService = instances.filter((instance) => instance.service === name);
      for (const instance of ofService) await stopInstance(instance.id, "SIGTERM");
      await Promise.all(ofService.map((instance) => startInstance(instance.id)));
    },
    stopInstance,
    startInstance,
    broker: { halt: rabbit.halt, kill: rabbit.kill, start: rabbit.start },
    restartBroker: () => rabbit.restart(),
    restartDatabase: (signal) => ferret.restart(signal),
    stop: stopAll,
  };
}

/** What every instance shares: infrastructure, the issuer it trusts, the peers' key, and how to find peers. */
function sharedEnvironment(amqpUrl: string, issuer: DevIssuer, consul: RunningConsul | undefined, urls: Record<ServiceName, string>, extraEnv: Record<string, string>) {
  const { CONSUL_HTTP_ADDR: _ignored, ...inherited } = process.env as Record<string, string>;
  // With Consul, peers are looked up among healthy instances; without, at the first instance's fixed address.
  const discovery = consul
    ? { CONSUL_HTTP_ADDR: consul.url }
    : Object.fromEntries(services.map((name) => [`${name.toUpperCase()}_URL`, urls[name]]));
  return {
    ...inherited,
    HOST: "127.0.0.1",
    AMQP_URL: amqpUrl,
    AUTH_ISSUER: issuer.url,
    AUTH_AUDIENCE: "oms",
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_SERVICE_KEY: randomBytes(32).toString("base64url"),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...discovery,
    ...extraEnv,
  };
}

function isRunning(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

async function untilReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`${url}: the process exited with ${child.exitCode ?? child.signalCode}`);
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** The demo menu and opening stock, over the services' own RPCs, as `pnpm seed` puts them in (here as staff). */
async function seed(urls: Record<ServiceName, string>, staffToken: string): Promise<void> {
  const bearer: Interceptor = (next) => (request) => {
    request.header.set("authorization", `Bearer ${staffToken}`);
    return next(request);
  };
  const transport = (baseUrl: string) => createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [bearer] });
  await seedDemoData(createClient(MenuService, transport(urls.menu)), createClient(StockService, transport(urls.stock)));
}

if (process.argv[1] === import.meta.filename) {
  const withReplicas = process.argv.includes("--replicas");
  const stack = await startRealStack({}, withReplicas ? { replicas: replicated } : {});
  process.stdout.write(
    [
      `OMS real stack: FerretDB + RabbitMQ${stack.consulUrl ? " + Consul" : ""} as local processes, ${stack.instances.length} service processes.`,
      ...stack.instances.map((instance) => `  ${instance.id.padEnd(10)} ${instance.url}`),
      `  amqp       ${stack.amqpUrl}`,
      `  mongodb    ${stack.mongodbUrl}`,
      ...(stack.consulUrl ? [`  consul     ${stack.consulUrl}`] : []),
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
