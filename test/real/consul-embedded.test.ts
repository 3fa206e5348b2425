import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { consulAvailable, startConsul, type RunningConsul } from "@oms/testkit/consul";
import { as, demoDishes, key, orderInStatus, rpc, startSystem, tokens } from "../e2e/support.js";

/** The embedded mode honours CONSUL_HTTP_ADDR: its services register with a real agent and find their peers through it. */
describe.skipIf(!consulAvailable())("the embedded mode on a real Consul", () => {
  let consul: RunningConsul;
  let system: RunningSystem;
  beforeAll(async () => {
    consul = await startConsul();
    system = await startSystem({ CONSUL_HTTP_ADDR: consul.url, PAYMENT_AUTO_PAY_AFTER: "10ms" });
  }, 60_000);
  afterAll(async () => {
    await system?.close();
    await consul?.stop();
  });

  it("registers the five services, each health-checked through /readyz", async () => {
    const services = (await (await fetch(`${consul.url}/v1/agent/services`)).json()) as Record<string, { Service: string; Port: number }>;
    const registered = Object.values(services).map((service) => [service.Service, service.Port]);
    for (const [name, running] of Object.entries(system.services)) expect(registered).toContainEqual([name, running.port]);
  });

  it("carries an order to READY with order finding menu and stock through Consul", async () => {
    const created = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", { idempotencyKey: key("consul"), lines: [{ itemId: demoDishes[1]!.id, quantity: 1 }] }, as(tokens.alice));
    expect(created.status).toBe(200);
    await orderInStatus(system, created.body.order.id, "READY");
  }, 30_000);

  it("deregisters every service when the system stops", async () => {
    await system.close();
    const services = (await (await fetch(`${consul.url}/v1/agent/services`)).json()) as Record<string, unknown>;
    expect(Object.keys(services)).toEqual([]);
  });
});
