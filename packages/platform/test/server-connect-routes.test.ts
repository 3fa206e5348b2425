import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicPolicies } from "../src/auth/index.js";
import { buildServer } from "../src/server/index.js";
import { buildStockConnectServer } from "../src/testing/index.js";
import type { FastifyInstance } from "fastify";

/**
 * The platform's Connect adapter (connect-routes.ts) against the stock
 * @connectrpc/connect-fastify plugin: the same bytes for the same calls, and
 * the handler's signal aborted when the client leaves early.
 */
describe("the platform's Connect adapter", () => {
  const signals: AbortSignal[] = [];
  let release: () => void = () => {};
  const routes = (router: ConnectRouter) =>
    router.service(MenuService, {
      listItems: (_request, context) => {
        signals.push(context.signal);
        return { items: [{ id: "a", name: "Soup", price: { currencyCode: "EUR", amountMinor: 650n }, available: true }] };
      },
      getItems: async (_request, context) => {
        signals.push(context.signal);
        await new Promise<void>((resolve) => (release = resolve));
        return { items: [] };
      },
      upsertItem: () => {
        throw new Error("not here");
      },
    });
  const servers: Record<string, { app: FastifyInstance; url: string }> = {};
  beforeAll(async () => {
    for (const adapter of ["platform", "connect-fastify"] as const) {
      const app = await (adapter === "platform" ? buildServer : buildStockConnectServer)({ name: "menu", services: [MenuService], routes, policies: publicPolicies(MenuService) });
      await app.listen({ host: "127.0.0.1", port: 0 });
      servers[adapter] = { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
    }
  });
  afterAll(async () => {
    release();
    for (const { app } of Object.values(servers)) await app.close();
  });

  const call = async (url: string, path: string, init: RequestInit) => {
    const response = await fetch(`${url}/oms.menu.v1.MenuService/${path}`, init);
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "date" && name !== "keep-alive"));
    return { status: response.status, headers, body: await response.text() };
  };

  it("answers exactly as the stock plugin: success, unknown fields, malformed JSON, GET, wrong content type", async () => {
    const cases: Array<[string, RequestInit]> = [
      ["ListItems", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
      ["ListItems", { method: "POST", headers: { "content-type": "application/json" }, body: '{"colour":1}' }],
      ["ListItems", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }],
      ["ListItems?encoding=json&message=%7B%7D", { method: "GET" }],
      ["ListItems", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }],
      ["UpsertItem", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
      ["ListItems", { method: "POST", headers: { "content-type": "application/json", "connect-timeout-ms": "nonsense" }, body: "{}" }],
    ];
    for (const [path, init] of cases) {
      const ours = await call(servers.platform!.url, path, init);
      const stock = await call(servers["connect-fastify"]!.url, path, init);
      expect(ours, `${init.method} ${path} ${typeof init.body === "string" ? init.body : "(bytes)"}`).toEqual(stock);
    }
  });

  it("aborts the handler's signal when the client goes away mid-call", async () => {
    signals.length = 0;
    const client = new AbortController();
    const pending = fetch(`${servers.platform!.url}/oms.menu.v1.MenuService/GetItems`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"itemIds":["a"]}',
      signal: client.signal,
    }).catch(() => undefined);
    while (signals.length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signals[0]!.aborted).toBe(false);
    client.abort();
    await pending;
    const deadline = Date.now() + 5_000;
    while (!signals[0]!.aborted && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signals[0]!.aborted).toBe(true);
    release();
  });
});
