import { Writable } from "node:stream";
import { context, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logging.js";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { createTelemetry, tagOrder, withOrderId } from "../src/telemetry/index.js";
import { addSpanProcessor } from "../src/telemetry/span-processors.js";

/** A logger writing JSON lines into an array, with the platform's options. */
function capturingLogger(lines: Array<Record<string, unknown>>) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return createLogger("log-test", { level: "info" }, sink);
}

describe("log correlation", () => {
  it("writes the active span's trace_id and span_id on a line logged inside it, and none outside", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = capturingLogger(lines);
    const telemetry = createTelemetry("log-test");
    const span = telemetry.tracer.startSpan("handler");
    context.with(trace.setSpan(context.active(), span), () => logger.info("inside the handler"));
    span.end();
    logger.info("outside any span");

    const inside = lines.find((line) => line.msg === "inside the handler")!;
    expect(inside.trace_id).toBe(span.spanContext().traceId);
    expect(inside.span_id).toBe(span.spanContext().spanId);
    const outside = lines.find((line) => line.msg === "outside any span")!;
    expect(outside.trace_id).toBeUndefined();
    await telemetry.shutdown();
  });

  it("writes the order a span works on as oms.order_id, on its lines and on the spans started inside it", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = capturingLogger(lines);
    const telemetry = createTelemetry("log-test");
    // Spans record their attributes only while something exports them.
    const removeExporter = addSpanProcessor(new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }));
    const span = telemetry.tracer.startSpan("handler");
    let child: ReturnType<typeof telemetry.tracer.startSpan> | undefined;
    context.with(trace.setSpan(context.active(), span), () =>
      withOrderId("01ORDER", () => {
        logger.info("working on an order");
        child = telemetry.tracer.startSpan("storage");
        child.end();
      }),
    );
    context.with(trace.setSpan(context.active(), span), () => logger.info("tagged span, no baggage"));
    span.end();
    expect(lines.find((line) => line.msg === "working on an order")?.["oms.order_id"]).toBe("01ORDER");
    expect(lines.find((line) => line.msg === "tagged span, no baggage")?.["oms.order_id"]).toBe("01ORDER");
    for (const made of [span, child]) expect((made as unknown as { attributes: Record<string, unknown> }).attributes["oms.order_id"]).toBe("01ORDER");
    removeExporter();
    await telemetry.shutdown();
  });

  it("with nothing exporting spans, records none, yet every line keeps its trace and order", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = capturingLogger(lines);
    const telemetry = createTelemetry("log-test");
    const span = telemetry.tracer.startSpan("checkout page");
    expect(span.isRecording()).toBe(false);
    context.with(trace.setSpan(context.active(), span), () => {
      tagOrder("01ORDER");
      logger.info("paying");
    });
    span.end();
    expect(lines.find((line) => line.msg === "paying")).toMatchObject({ trace_id: span.spanContext().traceId, "oms.order_id": "01ORDER" });
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    await telemetry.shutdown();
  });

  it("redacts secrets and authorization headers", () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = capturingLogger(lines);
    logger.info({ req: { headers: { authorization: "Bearer sk_live_x" } }, stripe: { secret: "whsec_y" } }, "request");
    expect(JSON.stringify(lines)).not.toMatch(/sk_live_x|whsec_y/);
  });
});
