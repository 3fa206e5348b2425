import * as http2 from "node:http2";
import * as net from "node:net";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService } from "@oms/contracts/order/v1/order";
import { describe, expect, it, vi } from "vitest";
import { StaticRegistry, type ServiceInstance } from "@oms/platform/discovery";
import { runService } from "@oms/platform/server";
import { Gate, testModule } from "./support/test-service.js";

/** Resolves when nothing accepts TCP connections on the port any more. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

describe("runService lifecycle", () => {
  it("starts the module, registers, and on close deregisters while still serving, then drains and stops", async () => {
    const events: string[] = [];
    const registry = new StaticRegistry();
    let registered: ServiceInstance | undefined;
    const recording = {
      register: async (instance: ServiceInstance) => {
        events.push("register");
        registered = instance;
        await registry.register(instance);
      },
      deregister: async (id: string) => {
        // Peers must stop choosing this instance while it still answers.
        const stillServing = await fetch(`${service.url}/healthz`).then((response) => response.status);
        events.push(`deregister (serving: ${stillServing})`);
        await registry.deregister(id);
      },
      lookup: (name: string) => registry.lookup(name),
      close: async () => {},
    };
    const service = await runService(testModule({ lifecycle: events }), { port: 0, registry: recording });
    expect(registered).toEqual({
      id: expect.stringMatching(/^testmenu-[0-9A-HJKMNP-TV-Z]{26}$/),
      name: "testmenu",
      address: "127.0.0.1",
      port: service.port,
      healthCheckUrl: `${service.url}/readyz`,
    });
    expect(await registry.lookup("testmenu")).toEqual([service.url]);

    const first = service.close();
    expect(service.close()).toBe(first);
    await first;
    await service.close();
    expect(events).toEqual(["start", "register", "deregister (serving: 200)", "stop"]);
    expect(await registry.lookup("testmenu")).toEqual([]);
    expect(await refused(service.port)).toBe(true);
  });

  it("advertises 127.0.0.1 when listening on every interface, or the address it is told", async () => {
    const wildcard = await runService(testModule(), { host: "0.0.0.0", port: 0 });
    expect(wildcard.url).toBe(`http://127.0.0.1:${wildcard.port}`);
    await wildcard.close();
    const told = await runService(testModule(), { port: 0, advertiseAddress: "localhost" });
    expect(told.url).toBe(`http://localhost:${told.port}`);
    await told.close();
  });

  it("registers the check address for health checks and the advertised one for peers (Consul in a container, services on the host)", async () => {
    let registered: ServiceInstance | undefined;
    const registry = { register: async (instance: ServiceInstance) => void (registered = instance), deregister: async () => {}, lookup: async () => [], close: async () => {} };
    const service = await runService(testModule(), { host: "0.0.0.0", port: 0, registry, checkAddress: "host.docker.internal" });
    expect(registered).toMatchObject({ address: "127.0.0.1", healthCheckUrl: `http://host.docker.internal:${service.port}/readyz` });
    expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
    await service.close();
  });

  it("releases the port when module.start() fails", async () => {
    const module = testModule();
    module.start = async () => {
      throw new Error("cannot reach the broker");
    };
    const stop = vi.spyOn(module, "stop");
    await expect(runService(module, { port: 0 })).rejects.toThrow("cannot reach the broker");
    expect(stop).not.toHaveBeenCalled();
  });
});

describe("graceful close", () => {
  it("lets in-flight unary calls (HTTP/1.1 and h2c) finish while close runs, and refuses new connections", async () => {
    const slow = new Gate();
    const service = await runService(testModule({ slow }), { port: 0 });
    const h1 = fetch(`${service.url}/oms.menu.v1.MenuService/GetItems`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ itemIds: ["slow", "01ITEMTIRAMISU"] }),
    });
    const h2 = createClient(MenuService, createConnectTransport({ baseUrl: service.url, httpVersion: "2" })).getItems({
      itemIds: ["slow", "01ITEMMARGHERITA"],
    });
    await vi.waitUntil(() => slow.waiting === 2, { timeout: 10_000 });

    let closed = false;
    const closing = service.close().then(() => (closed = true));
    await vi.waitUntil(() => refused(service.port), { timeout: 10_000, interval: 20 });
    expect(closed).toBe(false);

    slow.open();
    const h1Response = await h1;
    expect(h1Response.status).toBe(200);
    expect(((await h1Response.json()) as { items: { name: string }[] }).items[0]?.name).toBe("Tiramisu");
    expect((await h2).items[0]?.name).toBe("Margherita");
    await closing;
    expect(closed).toBe(true);
  });

  it("does not hang on an idle h2c session: it gets GOAWAY", async () => {
    // A drain deadline far beyond the test timeout: only GOAWAY can end this close in time.
    const service = await runService(testModule(), { port: 0, drainTimeoutMs: 600_000 });
    const session = http2.connect(service.url);
    const goaway = new Promise<void>((resolve) => session.once("goaway", () => resolve()));
    session.on("error", () => {});
    await new Promise<void>((resolve, reject) => {
      const stream = session.request({ ":path": "/healthz" });
      stream.on("response", () => resolve());
      stream.on("error", reject);
      stream.resume();
    });
    await service.close();
    await goaway;
    session.destroy();
  });

  it("does not hang on a connection that never sends a byte, nor on idle HTTP/1.1 keep-alive", async () => {
    const service = await runService(testModule(), { port: 0, drainTimeoutMs: 600_000 });
    const silent = net.connect(service.port, "127.0.0.1");
    silent.on("error", () => {});
    await new Promise((resolve) => silent.once("connect", resolve));
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200); // leaves a keep-alive socket in undici's pool
    await service.close();
    await new Promise((resolve) => (silent.destroyed ? resolve(undefined) : silent.once("close", resolve)));
  });

  it("ends long-lived streams with UNAVAILABLE as soon as it starts closing, not at the drain deadline", async () => {
    // A drain deadline far beyond the test timeout: only ending the stream at once lets this close finish in time.
    const service = await runService(testModule(), { port: 0, drainTimeoutMs: 600_000 });
    const client = createClient(OrderService, createConnectTransport({ baseUrl: service.url, httpVersion: "2" }));
    const updates = client.watchOrder({ id: "forever" })[Symbol.asyncIterator]();
    expect((await updates.next()).value?.order?.id).toBe("forever");
    const closing = service.close();
    await expect(updates.next()).rejects.toMatchObject({ code: 14 }); // Code.Unavailable: retry elsewhere
    await closing;
  });

  it("survives a client that resets before sending its first byte", async () => {
    const service = await runService(testModule(), { port: 0 });
    const socket = net.connect(service.port, "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.resetAndDestroy();
    await new Promise((resolve) => socket.once("close", resolve));
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    await service.close();
  });
});
