import { connect, type AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allow, anyone, servicePolicies } from "../src/auth/index.js";
import { buildServer } from "../src/server/index.js";
import { buildStockConnectServer } from "../src/testing/index.js";
import { createTelemetry } from "../src/telemetry/index.js";

/**
 * What the platform's Connect adapter answers to input connect-es mishandles:
 * undecodable request messages, and HTTP/1.1 requests refused before their
 * body was read. The stock @connectrpc/connect-fastify plugin answers the
 * first with HTTP 500 `internal` (asserted below, so the difference stays a
 * deliberate one) and leaves the second connection unusable until reset.
 */
describe("the platform's Connect adapter and bad input", () => {
  const routes = (router: ConnectRouter) =>
    router.service(MenuService, {
      listItems: () => ({ items: [] }),
      upsertItem: () => ({}),
    });
  const policies = servicePolicies(MenuService, { listItems: anyone, getItems: anyone, upsertItem: allow("staff") });
  const telemetry = createTelemetry("menu");
  const servers: Record<string, { app: FastifyInstance; url: string; port: number }> = {};
  beforeAll(async () => {
    for (const adapter of ["platform", "connect-fastify"] as const) {
      const app = await (adapter === "platform" ? buildServer : buildStockConnectServer)({ name: "menu", services: [MenuService], routes, policies }, { bodyLimit: 1024, telemetry });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      servers[adapter] = { app, port, url: `http://127.0.0.1:${port}` };
    }
  });
  afterAll(async () => {
    for (const { app } of Object.values(servers)) await app.close();
    await telemetry.shutdown();
  });

  const listItems = (adapter: string, init: RequestInit & { query?: string }) =>
    fetch(`${servers[adapter]!.url}/oms.menu.v1.MenuService/ListItems${init.query ?? ""}`, init).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { code: string; message: string },
    }));
  const notProtobuf = new Uint8Array([0x0a, 0xff, 0xff, 0xff]);
  const binaryPost = { method: "POST", headers: { "content-type": "application/proto" }, body: notProtobuf };

  it("answers a request message that is not protobuf with invalid_argument, where the stock plugin says internal", async () => {
    expect(await listItems("platform", binaryPost)).toEqual({ status: 400, body: { code: "invalid_argument", message: expect.stringContaining("parse binary") } });
    expect(await listItems("connect-fastify", binaryPost)).toMatchObject({ status: 500, body: { code: "internal" } });
  });

  it("answers a GET whose message is not base64, or not protobuf, with invalid_argument", async () => {
    const notBase64 = await listItems("platform", { method: "GET", query: "?encoding=proto&base64=1&message=%21%21" });
    expect(notBase64).toEqual({ status: 400, body: { code: "invalid_argument", message: "the message query parameter is not base64" } });
    expect((await listItems("connect-fastify", { method: "GET", query: "?encoding=proto&base64=1&message=%21%21" })).status).toBe(500);
    const notProto = await listItems("platform", { method: "GET", query: `?encoding=proto&base64=1&message=${Buffer.from(notProtobuf).toString("base64url")}` });
    expect(notProto).toMatchObject({ status: 400, body: { code: "invalid_argument" } });
  });

  it("counts the refusal in the error metrics, and still applies the access policy first", async () => {
    await listItems("platform", binaryPost);
    const metrics = await (await fetch(`${servers.platform!.url}/metrics`)).text();
    expect(metrics).toMatch(/rpc_server_errors_total\{[^}]*rpc_method="ListItems"[^}]*error_code="invalid_argument"[^}]*\} [1-9]/);
    const anonymousGarbage = await fetch(`${servers.platform!.url}/oms.menu.v1.MenuService/UpsertItem`, binaryPost);
    expect(((await anonymousGarbage.json()) as { code: string }).code).toBe("unauthenticated");
  });

  it("answers gRPC-Web with invalid_argument too, in its trailers", async () => {
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, notProtobuf.length]), notProtobuf]);
    const headers = { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" };
    const response = await fetch(`${servers.platform!.url}/oms.menu.v1.MenuService/ListItems`, { method: "POST", headers, body: framed });
    const trailer = Buffer.from(await response.arrayBuffer()).subarray(5).toString();
    expect(trailer).toMatch(/grpc-status: 3\r\n/);
    expect(trailer).toMatch(/grpc-message: parse/);
  });

  it("drains the rest of an HTTP/1.1 body it refused in part, so the next request on the connection is answered", async () => {
    const answers = await overLimitThenNext(servers.platform!.port);
    expect(answers.first).toMatch(/^HTTP\/1\.1 429/);
    expect(answers.second).toMatch(/^HTTP\/1\.1 200/);
    expect(answers.secondAfterMs).toBeLessThan(2_000);
  });
});

/**
 * Sends a chunked body larger than the limit on a raw socket, then a second
 * request on the same connection (what a keep-alive client does); resolves
 * with both answers' status lines and how long the second one took.
 */
function overLimitThenNext(port: number): Promise<{ first: string; second: string; secondAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let secondSentAt = 0;
    socket.setTimeout(10_000, () => socket.destroy(new Error("no second answer within 10 s")));
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      // A body has no line end of its own: the next status line may follow it directly.
      const statusLines = received.match(/HTTP\/1\.1 \d{3}[^\r]*/g) ?? [];
      if (statusLines.length < 2) return;
      socket.destroy();
      resolve({ first: statusLines[0]!, second: statusLines[1]!, secondAfterMs: Date.now() - secondSentAt });
    });
    // Larger than what the socket and the request stream buffer, or Node would swallow the rest unasked.
    const body = Buffer.alloc(1024 * 1024, 0x20);
    const post = "POST /oms.menu.v1.MenuService/ListItems HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n";
    socket.write(`${post}transfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`);
    socket.write(body);
    socket.write("\r\n0\r\n\r\n");
    setTimeout(() => {
      secondSentAt = Date.now();
      socket.write(`${post}content-length: 2\r\n\r\n{}`);
    }, 200);
  });
}
