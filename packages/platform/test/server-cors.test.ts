import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { ConfigError } from "@oms/platform/config";
import { buildServer, readServerConfig } from "@oms/platform/server";
import { testModule } from "./support/test-service.js";

const web = "http://localhost:8080";
const listItems = "/oms.menu.v1.MenuService/ListItems";
const preflight = (origin: string, url = listItems) => ({
  method: "OPTIONS" as const,
  url,
  headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, connect-protocol-version" },
});

describe("browsers from the web origin (CORS)", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer(testModule().definition, { allowedOrigins: [web] });
  });
  afterAll(() => app.close());

  it("answers a preflight from an allowed origin 204 with Connect's and gRPC-Web's headers and the bearer token", async () => {
    const response = await app.inject(preflight(web));
    expect(response.statusCode).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe(web);
    expect(response.headers["access-control-allow-methods"]).toBe("POST, GET");
    const headers = String(response.headers["access-control-allow-headers"]).toLowerCase().split(", ");
    expect(headers).toEqual(expect.arrayContaining(["authorization", "content-type", "connect-protocol-version", "connect-timeout-ms", "x-grpc-web", "grpc-timeout"]));
    expect(response.headers.vary).toBe("Origin");
  });

  it("refuses a preflight from another origin 403, without CORS headers", async () => {
    const response = await app.inject(preflight("https://evil.example"));
    expect(response.statusCode).toBe(403);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("names the origin and exposes gRPC-Web's status headers on the call itself", async () => {
    const response = await app.inject({ method: "POST", url: listItems, headers: { origin: web, "content-type": "application/json" }, payload: "{}" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe(web);
    expect(String(response.headers["access-control-expose-headers"]).toLowerCase()).toContain("grpc-status");
    const other = await app.inject({ method: "POST", url: listItems, headers: { origin: "https://evil.example", "content-type": "application/json" }, payload: "{}" });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("leaves an OPTIONS without an origin to the route, and a server without allowed origins as it was", async () => {
    expect((await app.inject({ method: "OPTIONS", url: listItems })).statusCode).toBe(405);
    const closed = await buildServer(testModule().definition);
    try {
      expect((await closed.inject(preflight(web))).statusCode).toBe(405);
    } finally {
      await closed.close();
    }
  });

  it("allows any origin with *", async () => {
    const open = await buildServer(testModule().definition, { allowedOrigins: ["*"] });
    try {
      const response = await open.inject(preflight("https://anywhere.example"));
      expect([response.statusCode, response.headers["access-control-allow-origin"]]).toEqual([204, "*"]);
    } finally {
      await open.close();
    }
  });
});

describe("CORS_ALLOWED_ORIGINS", () => {
  it("defaults to the embedded web origin and Vite's dev server, and reads a comma-separated list", () => {
    expect(readServerConfig({}).allowedOrigins).toEqual(["http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:5173", "http://127.0.0.1:5173"]);
    expect(readServerConfig({ CORS_ALLOWED_ORIGINS: "https://shop.example, http://localhost:5173" }).allowedOrigins).toEqual([
      "https://shop.example",
      "http://localhost:5173",
    ]);
  });

  it.each(["shop.example", "https://shop.example/", "https://shop.example/path", "ftp://shop.example"])("refuses %s, naming the variable", (value) => {
    expect(() => readServerConfig({ CORS_ALLOWED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => readServerConfig({ CORS_ALLOWED_ORIGINS: value })).toThrow("CORS_ALLOWED_ORIGINS");
  });
});
