import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsulRegistry } from "@oms/platform/discovery";
import { describeRegistryContract, fakeInstance } from "./registry.contract.js";
import { ConsulDouble } from "./support/consul-double.js";
import { waitFor } from "@oms/platform/testing";
import { consulAvailable, startConsul } from "@oms/testkit/consul";
import { runService } from "@oms/platform/server";
import { testDefinition, testModule } from "./support/test-service.js";

// Two tiers: a fast double of Consul's documented agent and health endpoints
// (support/consul-double.ts), and the same contract against a real agent below.
describeRegistryContract("consul (HTTP API double)", async () => {
  const consul = await new ConsulDouble().start();
  return { registry: new ConsulRegistry({ url: consul.url, watchWait: "2s" }), cleanup: () => consul.stop() };
});

describe("ConsulRegistry against the documented API", () => {
  let consul: ConsulDouble;
  let registry: ConsulRegistry;
  beforeAll(async () => {
    consul = await new ConsulDouble().start();
    registry = new ConsulRegistry({ url: consul.url, watchWait: "2s", checkInterval: "2s", deregisterCriticalAfter: "30s" });
  });
  afterAll(async () => {
    await registry.close();
    await consul.stop();
  });

  it("registers with name, id, address, port, tags and an HTTP health check", async () => {
    const instance = await fakeInstance();
    await registry.register({ id: "order-1", name: "order", address: "127.0.0.1", port: instance.port, tags: ["v1"], healthCheckUrl: `http://127.0.0.1:${instance.port}/readyz` });
    const call = consul.requests.find((request) => request.path === "/v1/agent/service/register");
    expect(call?.method).toBe("PUT");
    expect(call?.body).toEqual({
      ID: "order-1",
      Name: "order",
      Address: "127.0.0.1",
      Port: instance.port,
      Tags: ["v1"],
      Check: { HTTP: `http://127.0.0.1:${instance.port}/readyz`, Interval: "2s", Timeout: "2s", DeregisterCriticalServiceAfter: "30s", Status: "passing" },
    });
    instance.server.close();
  });

  it("returns healthy instances only, and notices a change through blocking queries", async () => {
    const [healthy, sick] = [await fakeInstance(), await fakeInstance()];
    for (const [id, instance] of [["pay-1", healthy], ["pay-2", sick]] as const) {
      await registry.register({ id, name: "payment", address: "127.0.0.1", port: instance.port, healthCheckUrl: `http://127.0.0.1:${instance.port}/readyz` });
    }
    await consul.runChecks();
    expect((await registry.lookup("payment")).sort()).toHaveLength(2);
    sick.healthy = false;
    await consul.runChecks();
    const deadline = Date.now() + 5_000;
    let urls = await registry.lookup("payment");
    while (urls.length !== 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      urls = await registry.lookup("payment");
    }
    expect(urls).toEqual([`http://127.0.0.1:${healthy.port}`]);
    // The change arrived by a blocking query carrying the last index, not by a fresh poll.
    const blocking = consul.requests.filter((request) => request.path === "/v1/health/service/payment" && Number(request.query.get("index")) > 0);
    expect(blocking.length).toBeGreaterThan(0);
    expect(blocking.every((request) => request.query.get("wait") === "2s" && request.query.has("passing"))).toBe(true);
    healthy.server.close();
    sick.server.close();
  });

  it("keeps the last known instances while Consul is unreachable", async () => {
    const instance = await fakeInstance();
    await registry.register({ id: "menu-1", name: "menu", address: "127.0.0.1", port: instance.port, healthCheckUrl: `http://127.0.0.1:${instance.port}/readyz` });
    await consul.runChecks();
    expect(await registry.lookup("menu")).toHaveLength(1);
    await consul.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await registry.lookup("menu")).toEqual([`http://127.0.0.1:${instance.port}`]);
    instance.server.close();
  });
});

// The same contract against a real agent (consul agent -dev, v1.14.11 built by scripts/test-infra.sh).
describe.skipIf(!consulAvailable())("against a real Consul agent", () => {
  describeRegistryContract("consul (real agent)", async () => {
    const consul = await startConsul();
    return { registry: new ConsulRegistry({ url: consul.url, watchWait: "2s", checkInterval: "1s" }), cleanup: () => consul.stop() };
  });

  it("drops an instance whose health check fails, and takes it back when it passes again", async () => {
    const consul = await startConsul();
    const registry = new ConsulRegistry({ url: consul.url, watchWait: "2s", checkInterval: "1s" });
    const [healthy, sick] = [await fakeInstance(), await fakeInstance()];
    try {
      for (const [id, instance] of [["stock-1", healthy], ["stock-2", sick]] as const) {
        await registry.register({ id, name: "stock", address: "127.0.0.1", port: instance.port, healthCheckUrl: `http://127.0.0.1:${instance.port}/readyz` });
      }
      const both = [healthy, sick].map((instance) => `http://127.0.0.1:${instance.port}`).sort();
      await waitFor(async () => (await registry.lookup("stock")).length === 2, { timeoutMs: 15_000, message: "both instances passing" });
      sick.healthy = false;
      expect(await waitFor(async () => ((await registry.lookup("stock")).length === 1 ? registry.lookup("stock") : undefined), { timeoutMs: 15_000 })).toEqual([
        `http://127.0.0.1:${healthy.port}`,
      ]);
      sick.healthy = true;
      await waitFor(async () => (await registry.lookup("stock")).sort().join() === both.join(), { timeoutMs: 15_000, message: "the instance back" });
    } finally {
      await registry.close();
      await consul.stop();
      healthy.server.close();
      sick.server.close();
    }
  }, 60_000);

  it("health-checks an instance at its check address when Consul cannot reach the one peers use (the mixed mode)", async () => {
    const consul = await startConsul();
    const registry = new ConsulRegistry({ url: consul.url, watchWait: "2s", checkInterval: "1s" });
    // 192.0.2.1 (TEST-NET-1) stands for the address peers use and Consul cannot reach: 127.0.0.1 seen from a container.
    const unreachable = "192.0.2.1";
    const [checkedThere, checkedAtAdvertised] = [
      await runService(testModule(), { port: 0, registry, advertiseAddress: unreachable, checkAddress: "127.0.0.1" }),
      await runService({ ...testModule(), definition: { ...testDefinition(), name: "testmenu-alone" } }, { port: 0, registry, advertiseAddress: unreachable }),
    ];
    try {
      // The one checked at the advertised address fails its check and drops out; the other stays, peers given the advertised URL.
      await waitFor(async () => (await registry.lookup("testmenu-alone")).length === 0, { timeoutMs: 20_000, message: "the unreachable check to fail" });
      expect(await registry.lookup("testmenu")).toEqual([`http://${unreachable}:${checkedThere.port}`]);
      // The agent's own record of its last check (the catalog's copy of the output lags by minutes): passing, made at the check address.
      const checked = async () =>
        Object.values((await (await fetch(`${consul.url}/v1/agent/checks`)).json()) as Record<string, { ServiceName: string; Status: string; Output: string }>).find(
          (check) => check.ServiceName === "testmenu",
        );
      const last = await waitFor(async () => ((await checked())?.Output.includes(`http://127.0.0.1:${checkedThere.port}/readyz`) ? checked() : undefined), {
        timeoutMs: 10_000,
        message: "a check at the check address",
      });
      expect(last?.Status).toBe("passing");
    } finally {
      await checkedThere.close();
      await checkedAtAdvertised.close();
      await registry.close();
      await consul.stop();
    }
  }, 60_000);
});
