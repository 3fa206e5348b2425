import http2 from "node:http2";
import type net from "node:net";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { OrderService } from "@oms/contracts/order/v1/order";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runService, type RunningService } from "@oms/platform/server";
import { closedWithin, openSocket, rawExchange } from "./support/raw-socket.js";
import { testModule } from "./support/test-service.js";

/** Writes `lines` one every `everyMs` while the socket is open (a slowloris client). */
function drip(socket: net.Socket, lines: string[], everyMs: number): void {
  const timer = setInterval(() => {
    const line = lines.shift();
    if (line === undefined || socket.destroyed) clearInterval(timer);
    else socket.write(line);
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
}

describe("slow clients are dropped, streams are not", () => {
  let service: RunningService;
  const limits = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 400, h2IdleTimeoutMs: 400 };
  beforeAll(async () => {
    // A short drain: the streams these tests leave open need not hold up close().
    service = await runService(testModule(), { port: 0, limits, drainTimeoutMs: 200 });
  });
  afterAll(() => service.close());

  it("drops a slowloris client that never finishes its headers", async () => {
    const socket = await openSocket(service.port);
    socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
    drip(socket, Array.from({ length: 100 }, (_, index) => `x-slow-${index}: 1\r\n`), 50);
    // The headers timeout, plus up to one check interval (no longer than the timeout itself).
    expect(await closedWithin(socket, 3_000)).toBeLessThan(2 * limits.headersTimeoutMs + 400);
  });

  it("drops a connection that never sends a byte", async () => {
    const socket = await openSocket(service.port);
    expect(await closedWithin(socket, 3_000)).toBeLessThan(limits.headersTimeoutMs + 400);
  });

  it("drops a client that sends its body too slowly (408)", async () => {
    const socket = await openSocket(service.port);
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    socket.write("POST /echo HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{");
    drip(socket, Array.from({ length: 200 }, () => " "), 50);
    expect(await closedWithin(socket, 4_000)).toBeLessThan(2 * limits.requestTimeoutMs + 400);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes an idle HTTP/1.1 keep-alive connection after the keep-alive timeout", async () => {
    const socket = await openSocket(service.port);
    socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await new Promise((resolve) => socket.once("data", resolve));
    // Node waits one more second than the timeout it announces, so a client never reuses a connection being closed.
    expect(await closedWithin(socket, 3_000)).toBeLessThan(limits.keepAliveTimeoutMs + 1_000 + 400);
  });

  it("keeps a server stream over HTTP/1.1 open well past the request timeout", async () => {
    const orders = createClient(OrderService, createConnectTransport({ baseUrl: service.url, httpVersion: "1.1" }));
    const abort = new AbortController();
    const updates = orders.watchOrder({ id: "forever" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await updates.next()).value?.order?.id).toBe("forever");
    const next = updates.next().then(
      () => "ended",
      (error: unknown) => `failed: ${String(error)}`,
    );
    const outcome = await Promise.race([next, new Promise((resolve) => setTimeout(() => resolve("still open"), 3 * limits.requestTimeoutMs))]);
    expect(outcome).toBe("still open");
    abort.abort();
  });

  it("sends GOAWAY to an h2c session with no stream for the idle timeout, but not while a stream is open", async () => {
    const idle = http2.connect(service.url);
    idle.on("error", () => {});
    const idleGoaway = new Promise<number>((resolve) => {
      const start = Date.now();
      idle.once("goaway", () => resolve(Date.now() - start));
    });

    const busy = http2.connect(service.url);
    busy.on("error", () => {});
    let busyGoaway = false;
    busy.once("goaway", () => (busyGoaway = true));
    const message = Buffer.from(JSON.stringify({ id: "forever" }));
    const watching = busy.request({ ":method": "POST", ":path": "/oms.order.v1.OrderService/WatchOrder", "content-type": "application/connect+json" });
    watching.on("error", () => {});
    watching.resume();
    watching.end(Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]));

    expect(await idleGoaway).toBeLessThan(limits.h2IdleTimeoutMs + 400);
    await new Promise((resolve) => setTimeout(resolve, 3 * limits.h2IdleTimeoutMs));
    expect(busyGoaway).toBe(false);
    idle.destroy();
    busy.destroy();
  });
});

describe("the connection cap", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0, limits: { maxConnections: 3 } });
  });
  afterAll(() => service.close());

  it("counts h2c sessions and HTTP/1.1 sockets together, closes one more at once, and keeps serving the others", async () => {
    const session = http2.connect(service.url);
    session.on("error", () => {});
    const listItems = () =>
      new Promise<number>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": "/oms.menu.v1.MenuService/ListItems", "content-type": "application/json" });
        stream.on("response", (headers) => resolve(Number(headers[":status"])));
        stream.on("error", reject);
        stream.resume();
        stream.end("{}");
      });
    expect(await listItems()).toBe(200);
    const held = [await openSocket(service.port), await openSocket(service.port)];
    held[0]!.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");

    const refused = await rawExchange(service.port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 2_000);
    expect(refused).toEqual({ received: "", closed: true });

    expect(await listItems()).toBe(200);
    held[1]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const admitted = await rawExchange(service.port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nconnection: close\r\n\r\n");
    expect(admitted.received).toMatch(/^HTTP\/1\.1 200/);
    held[0]!.destroy();
    session.destroy();
  });
});
