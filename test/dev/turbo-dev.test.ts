import { randomBytes } from "node:crypto";
import { utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevIssuer, type RunningDevIssuer } from "@oms/platform/auth";
import { freePort } from "@oms/platform/free-port";
import { waitFor } from "@oms/platform/testing";
import { demoDishes } from "@oms/all-in-one/demo-menu";
import { consulAvailable, startConsul, type RunningConsul } from "@oms/testkit/consul";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { rabbitMqAvailable, startRabbitMq, type RunningRabbitMq } from "@oms/testkit/rabbitmq";
import { call, orderUntilReady, startTurboDev, type TurboDev } from "./turbo-dev.js";

const root = join(import.meta.dirname, "../..");
const services = ["menu", "stock", "order", "payment", "kitchen"] as const;

/** Free ports for the five services and the development issuer, so the test never meets a `pnpm start` on 8081-8086. */
async function ports(): Promise<Record<string, string>> {
  const chosen: Record<string, string> = {};
  for (const name of [...services, "auth_dev_issuer"]) chosen[`${name.toUpperCase()}_PORT`] = String(await freePort());
  return chosen;
}

const quick = { PAYMENT_AUTO_PAY_AFTER: "100ms", KITCHEN_COOK_TIME: "100ms", LOG_FORMAT: "json" };
const url = (env: Record<string, string>, service: (typeof services)[number]) => `http://127.0.0.1:${env[`${service.toUpperCase()}_PORT`]}`;

/** Touches a source file as an editor's save does: its mtime moves, its content stays. */
async function touch(path: string): Promise<void> {
  const now = new Date();
  await utimes(join(root, path), now, now);
}

/**
 * Saves `path` until tsx says it saw the change (`seen`, after output offset `from`): tsx watch adds
 * its watches (1,700 files) after the process imported them, so a save right after the start can
 * come before the file is watched (on a loaded machine, seconds later). Another save is what the
 * developer would do.
 */
async function saveUntilSeen(dev: TurboDev, path: string, from: number, seen: RegExp): Promise<void> {
  await waitFor(
    async () => {
      if (seen.test(dev.output().slice(from))) return true;
      await touch(path);
      return undefined;
    },
    { timeoutMs: 90_000, intervalMs: 2_000, message: `tsx to see ${path} saved` },
  );
}

/**
 * `turbo run dev` as the README writes it, both ways: with nothing configured
 * the all-in-one runs the whole system in one watched process (the services'
 * tasks stay idle); with AMQP_URL, MONGODB_URL and CONSUL_HTTP_ADDR set, five
 * watched processes on RabbitMQ, FerretDB and Consul, seeded by the
 * all-in-one's task. Either way an order reaches READY, and a saved file
 * restarts what imports it, which then answers again.
 */
describe("turbo run dev, nothing configured", () => {
  let dev: TurboDev;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { ...(await ports()), ...quick };
    dev = startTurboDev(env);
    await dev.until("OMS is running", 0, 120_000);
  }, 150_000);
  afterAll(async () => {
    expect(await dev?.stop()).toBe(0);
  }, 60_000);

  it("runs one working system: the services' own tasks stay idle, an order reaches READY", async () => {
    for (const service of services) expect(dev.output()).toContain(`${service}: runs inside the all-in-one`);
    const token = /export CUSTOMER_TOKEN=(\S+)/.exec(dev.output())![1]!;
    await orderUntilReady(url(env, "order"), token, demoDishes[0]!.id);
  }, 90_000);

  it("restarts on a saved file and answers again", async () => {
    const from = dev.output().length;
    const change = /@oms\/all-in-one:dev: .*\[tsx\] change in .*order\/src\/rpc\.ts/;
    await saveUntilSeen(dev, "packages/order/src/rpc.ts", from, change);
    await dev.untilAfter(from, change, "OMS is running", 90_000);
    const listed = await waitFor(async () => (await call(url(env, "menu"), "oms.menu.v1.MenuService/ListItems", {})).items as unknown[] | undefined, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(listed).toHaveLength(demoDishes.length);
  }, 120_000);
});

describe.skipIf(!rabbitMqAvailable() || !ferretDbAvailable() || !consulAvailable())("turbo run dev on RabbitMQ, FerretDB and Consul", () => {
  let dev: TurboDev;
  let env: Record<string, string>;
  let rabbit: RunningRabbitMq;
  let ferret: RunningFerretDb;
  let consul: RunningConsul;
  let issuer: RunningDevIssuer;

  beforeAll(async () => {
    [rabbit, ferret, consul, issuer] = await Promise.all([
      startRabbitMq(),
      startFerretDb(),
      startConsul(),
      startDevIssuer({ host: "127.0.0.1", port: 0, audience: "oms" }),
    ]);
    env = {
      ...(await ports()),
      ...quick,
      AMQP_URL: rabbit.url,
      MONGODB_URL: `${ferret.url}oms`,
      CONSUL_HTTP_ADDR: consul.url,
      // What `pnpm dev-issuer` prints for the developer to export.
      AUTH_ISSUER: issuer.issuer.url,
      AUTH_AUDIENCE: "oms",
      AUTH_JWKS_URL: issuer.issuer.jwksUrl,
      AUTH_SERVICE_KEY: randomBytes(32).toString("base64url"),
    };
    dev = startTurboDev(env);
    await dev.until("seed: demo data in place", 0, 150_000);
  }, 240_000);
  afterAll(async () => {
    expect(await dev?.stop()).toBe(0);
    await Promise.allSettled([rabbit?.stop(), ferret?.stop(), consul?.stop(), issuer?.close()]);
  }, 90_000);

  it("runs five processes, each on its own port, and an order reaches READY", async () => {
    for (const service of services) {
      await waitFor(async () => (await fetch(`${url(env, service)}/readyz`)).ok, { timeoutMs: 60_000, intervalMs: 200, message: `${service} ready` });
      // Its own process says so: /readyz answers as soon as it listens, the line comes once it registered, through turbo's pipe.
      await dev.until(`"msg":"${service} listening"`, 0, 30_000);
    }
    await orderUntilReady(url(env, "order"), await issuer.issuer.issue("alice", "customer"), demoDishes[1]!.id);
  }, 150_000);

  it("restarts the service whose file was saved, which answers again", async () => {
    const from = dev.output().length;
    const change = /@oms\/menu:dev: .*\[tsx\] change in \.\/src\/rpc\.ts/;
    await saveUntilSeen(dev, "packages/menu/src/rpc.ts", from, change);
    await dev.untilAfter(from, change, `"msg":"menu listening"`, 90_000);
    const listed = await waitFor(async () => (await call(url(env, "menu"), "oms.menu.v1.MenuService/ListItems", {})).items as unknown[] | undefined, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(listed).toHaveLength(demoDishes.length);
  }, 120_000);
});
