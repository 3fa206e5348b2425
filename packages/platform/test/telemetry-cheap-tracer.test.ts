import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import { createTelemetry } from "../src/telemetry/index.js";
import { addSpanProcessor } from "../src/telemetry/span-processors.js";

/** The service tracer: non-recording spans made cheaply with no exporter, the SDK's spans with one. */
describe("the service tracer", () => {
  const telemetry = createTelemetry("cheap-tracer-test");
  const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.SAMPLED });
  let removeProcessor: (() => void) | undefined;
  afterEach(() => removeProcessor?.());

  it("with no exporter, continues the parent's trace in a non-recording span of its own", () => {
    const span = telemetry.tracer.startSpan("work", { attributes: { a: 1 } }, parent);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", traceFlags: TraceFlags.NONE });
    expect(span.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.spanContext().spanId).not.toBe("b7ad6b7169203331");
  });

  it("starts a new trace without a parent or when asked for a root, and none where tracing is suppressed", () => {
    const root = telemetry.tracer.startSpan("root", { root: true }, parent);
    expect(trace.isSpanContextValid(root.spanContext())).toBe(true);
    expect(root.spanContext().traceId).not.toBe("0af7651916cd43dd8448eb211c80319c");
    expect(trace.isSpanContextValid(telemetry.tracer.startSpan("orphan", {}, ROOT_CONTEXT).spanContext())).toBe(true);
    expect(trace.isSpanContextValid(telemetry.tracer.startSpan("quiet", {}, suppressTracing(parent)).spanContext())).toBe(false);
  });

  it("continues its own unrecorded spans' trace, and starts a new one under an invalid parent", () => {
    const first = telemetry.tracer.startSpan("first", {}, parent);
    const child = telemetry.tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, first));
    expect(child.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    const invalid = trace.setSpanContext(ROOT_CONTEXT, { traceId: "0".repeat(32), spanId: "b7ad6b7169203331", traceFlags: TraceFlags.SAMPLED });
    const orphan = telemetry.tracer.startSpan("orphan", {}, invalid);
    expect(trace.isSpanContextValid(orphan.spanContext())).toBe(true);
    expect(orphan.spanContext().traceId).not.toBe("0".repeat(32));
  });

  it("injects an unrecorded span's context as the W3C propagator does any other", () => {
    const span = telemetry.tracer.startSpan("work", {}, parent);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
    expect(headers).toEqual({ traceparent: `00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-00` });
  });

  it("makes the span active for startActiveSpan", () => {
    const seen = telemetry.tracer.startActiveSpan("active", {}, parent, (span) => trace.getSpan(context.active()) === span && span.spanContext().traceId);
    expect(seen).toBe("0af7651916cd43dd8448eb211c80319c");
  });

  it("records with the SDK once something exports, attributes and all", () => {
    const exporter = new InMemorySpanExporter();
    removeProcessor = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
    const span = telemetry.tracer.startSpan("work", { attributes: { a: 1 } }, parent);
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(exporter.getFinishedSpans().map((finished) => [finished.name, finished.attributes.a, finished.spanContext().traceId])).toEqual([["work", 1, "0af7651916cd43dd8448eb211c80319c"]]);
  });
});
