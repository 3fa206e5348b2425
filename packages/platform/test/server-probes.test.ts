import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "@oms/platform/config";
import { defaultAllowedOrigins, readServerConfig, reflectionV1, runService, serverLimitDefaults, type RunningService } from "@oms/platform/server";
import { createTelemetry } from "@oms/platform/telemetry";
import { testModule } from "./support/test-service.js";

describe("/readyz tells outsiders ready or not, and only the log why", () => {
  let service: RunningService;
  const logged: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const ready = async () => {
      throw new Error("amqp://oms:secret@rabbit.internal:5672 unreachable");
    };
    service = await runService(testModule({ ready }), { port: 0, logger: pino({ level: "info" }, sink) });
  });
  afterAll(() => service.close());

  it("answers 503 {status: unavailable} with no host, port or message in it", async () => {
    const response = await fetch(`${service.url}/readyz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: "unavailable" });
    expect(text).not.toMatch(/rabbit|5672|secret|unreachable/);
  });

  it("keeps the cause in the log for the operator", () => {
    expect(logged.some((line) => line.includes("not ready") && line.includes("rabbit.internal:5672"))).toBe(true);
  });

  it("leaves /healthz open: alive is not ready", async () => {
    const response = await fetch(`${service.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("/metrics and gRPC reflection can be switched off", () => {
  const reflect = (service: RunningService) =>
    (async () => {
      const client = createClient(reflectionV1.ServerReflection, createGrpcTransport({ baseUrl: service.url }));
      const requests = (async function* () {
        yield { messageRequest: { case: "listServices" as const, value: "" } };
      })();
      for await (const answer of client.serverReflectionInfo(requests)) return answer;
    })();

  it("serves both by default", async () => {
    const service = await runService(testModule(), { port: 0, telemetry: createTelemetry("testmenu") });
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
      expect((await reflect(service))?.messageResponse.case).toBe("listServicesResponse");
    } finally {
      await service.close();
    }
  });

  it("serves neither when told so: /metrics is 404, reflection unimplemented", async () => {
    const service = await runService(testModule(), { port: 0, telemetry: createTelemetry("testmenu"), metrics: false, reflection: false });
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
      await expect(reflect(service)).rejects.toMatchObject({ code: 12 });
    } finally {
      await service.close();
    }
  });
});

describe("readServerConfig", () => {
  it("defaults to both on and the documented limits", () => {
    expect(readServerConfig({})).toEqual({ metrics: true, reflection: true, limits: serverLimitDefaults, allowedOrigins: defaultAllowedOrigins });
  });

  it("reads the switches and limits from the environment", () => {
    const config = readServerConfig({
      METRICS_ENABLED: "false",
      REFLECTION_ENABLED: "no",
      SERVER_MAX_CONNECTIONS: "50",
      SERVER_MAX_STREAMS: "7",
      SERVER_MAX_STREAM_LIFETIME: "5m",
      SERVER_HEADERS_TIMEOUT: "2s",
    });
    expect(config).toMatchObject({ metrics: false, reflection: false });
    expect(config.limits).toMatchObject({ maxConnections: 50, maxStreams: 7, maxStreamLifetimeMs: 300_000, headersTimeoutMs: 2_000 });
  });

  it("names each bad variable", () => {
    expect(() => readServerConfig({ METRICS_ENABLED: "maybe", SERVER_MAX_STREAMS: "0" })).toThrow(ConfigError);
    expect(() => readServerConfig({ METRICS_ENABLED: "maybe", SERVER_MAX_STREAMS: "0" })).toThrow(/METRICS_ENABLED[\s\S]*SERVER_MAX_STREAMS/);
  });
});
