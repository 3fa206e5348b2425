import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSpanProcessor, createTelemetry, traceHttpRoutes } from "../src/telemetry/index.js";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const callerSpan = "00f067aa0ba902b7";

describe("spans for plain HTTP routes", () => {
  const exporter = new InMemorySpanExporter();
  const telemetry = createTelemetry("http-test");
  const app = Fastify();
  let removeProcessor: () => void;

  beforeAll(async () => {
    removeProcessor = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
    await app.register(async (scope) => {
      traceHttpRoutes(scope, telemetry);
      scope.get<{ Params: { token: string } }>("/checkout/:token", async () => {
        // What the handler starts (storage, an event's creation context) is a child of the route's span.
        telemetry.tracer.startSpan("work inside").end();
        return { active: trace.getSpan(context.active())?.spanContext().spanId };
      });
      scope.post("/broken", async () => {
        throw new Error("boom");
      });
    });
  });
  afterAll(async () => {
    await app.close();
    removeProcessor();
    await telemetry.shutdown();
  });

  it("makes a SERVER span named by route template, continuing the caller's trace but not its baggage, around the handler", async () => {
    exporter.reset();
    const response = await app.inject({
      url: "/checkout/secret-token-123",
      headers: { traceparent: `00-${traceId}-${callerSpan}-01`, baggage: "oms.order_id=chosen-by-the-browser" },
    });
    expect(response.statusCode).toBe(200);
    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.name === "GET /checkout/:token")!;
    expect([server.kind, server.spanContext().traceId, server.parentSpanContext?.spanId]).toEqual([SpanKind.SERVER, traceId, callerSpan]);
    expect(server.attributes).toMatchObject({ "http.request.method": "GET", "http.route": "/checkout/:token", "http.response.status_code": 200 });
    expect(JSON.stringify(server.attributes)).not.toContain("secret-token-123");
    expect(server.attributes["oms.order_id"]).toBeUndefined();
    const inside = spans.find((span) => span.name === "work inside")!;
    expect(inside.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(response.json()).toEqual({ active: server.spanContext().spanId });
  });

  it("marks a route that failed with a server error", async () => {
    exporter.reset();
    expect((await app.inject({ method: "POST", url: "/broken" })).statusCode).toBe(500);
    const [span] = exporter.getFinishedSpans();
    expect([span?.name, span?.status.code, span?.attributes["http.response.status_code"]]).toEqual(["POST /broken", SpanStatusCode.ERROR, 500]);
    expect(span?.parentSpanContext).toBeUndefined();
  });
});
