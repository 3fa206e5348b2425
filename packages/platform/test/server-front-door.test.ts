import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildServer } from "@oms/platform/server";
import { testModule } from "./support/test-service.js";

const web = "http://localhost:8080";
const listItems = "/oms.menu.v1.MenuService/ListItems";

/**
 * The front door serves plain unary calls before Fastify does; these pin
 * which calls it leaves to Fastify's routes. Fastify's onRequest hooks run
 * for every request Fastify serves, so counting them tells the two apart.
 */
describe("the RPC front door", () => {
  let app: FastifyInstance;
  let url: string;
  let seenByFastify: string[];
  beforeAll(async () => {
    app = await buildServer(testModule().definition, { allowedOrigins: [web] });
    app.addHook("onRequest", async (request) => void seenByFastify.push(request.url));
    url = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => app.close());

  const call = (path: string, headers: Record<string, string> = {}, body = "{}") =>
    fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  it("answers a plain Connect call without Fastify, the same as Fastify's route does", async () => {
    seenByFastify = [];
    const direct = await call(listItems);
    const throughFastify = await call(listItems, { origin: web });
    expect(direct.status).toBe(200);
    expect(await direct.json()).toEqual(await throughFastify.json());
    // A browser's call (Origin) needs the CORS headers Fastify's hook adds: it goes to the route.
    expect(throughFastify.headers.get("access-control-allow-origin")).toBe(web);
    expect(seenByFastify).toEqual([listItems]);
  });

  it("leaves other methods, other paths and a query string to Fastify", async () => {
    seenByFastify = [];
    expect((await fetch(`${url}${listItems}`)).status).not.toBe(200);
    expect((await call("/oms.menu.v1.MenuService/NoSuchMethod")).status).toBe(404);
    expect((await call(`${listItems}?x=1`)).status).toBe(200);
    expect(seenByFastify).toEqual([listItems, "/oms.menu.v1.MenuService/NoSuchMethod", `${listItems}?x=1`]);
  });

  it("hands a body over the limit to Fastify's route with the part it read, which refuses it as Connect does", async () => {
    const small = await buildServer(testModule().definition, { bodyLimit: 64 });
    try {
      const smallUrl = await small.listen({ host: "127.0.0.1", port: 0 });
      // No content-length up front (a stream), so the front door only learns the size by reading.
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`{"ids": [${'"x",'.repeat(40)}"y"]}`));
          controller.close();
        },
      });
      const response = await fetch(`${smallUrl}${listItems}`, { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" });
      expect(response.status).toBe(429);
      expect(await response.json()).toMatchObject({ code: "resource_exhausted" });
    } finally {
      await small.close();
    }
  });
});
