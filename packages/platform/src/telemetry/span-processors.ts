import type { Context } from "@opentelemetry/api";
import { AlwaysOnSampler, ParentBasedSampler, SamplingDecision, type ReadableSpan, type Sampler, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { orderIdAttribute, orderIdIn } from "./order-id.js";

/**
 * The span processors every tracer provider of this process feeds: the OTLP
 * exporter when configured, an in-memory exporter under test. One list for
 * the process, so per-service providers (each with its own service.name in
 * the embedded mode) all reach the same exporters, added before or after
 * the providers were made.
 */
const processors = new Set<SpanProcessor>();

export function addSpanProcessor(processor: SpanProcessor): () => void {
  processors.add(processor);
  return () => processors.delete(processor);
}

/**
 * Hands each span to whatever processors are registered when it starts and
 * ends. First it tags the span with the order its context is about (the
 * baggage withOrderId set, or that came with the request or event), so every
 * span of an order's work carries the id, whoever made it.
 */
export const sharedSpanProcessor: SpanProcessor = {
  onStart(span: Span, parentContext: Context) {
    const orderId = orderIdIn(parentContext);
    if (orderId !== undefined) span.setAttribute(orderIdAttribute, orderId);
    for (const processor of processors) processor.onStart(span, parentContext);
  },
  onEnd(span: ReadableSpan) {
    for (const processor of processors) processor.onEnd(span);
  },
  async forceFlush() {
    await Promise.all([...processors].map((processor) => processor.forceFlush()));
  },
  async shutdown() {
    await Promise.all([...processors].map((processor) => processor.shutdown()));
  },
};

/** Whether any span processor is registered, i.e. whether a recorded span would reach anything. */
export function spansExported(): boolean {
  return processors.size > 0;
}

const parentBased = new ParentBasedSampler({ root: new AlwaysOnSampler() });

/**
 * Spans are recorded only while something would receive them: with no
 * exporter (the embedded default, the bench) each span is a non-recording
 * one, which still carries a trace id and propagates context (logs, events
 * and peers keep their trace), but keeps no attributes, times or events and
 * reaches no processor. With one, the SDK's default: parent-based, always on.
 */
export const recordWhenExported: Sampler = {
  shouldSample(...args) {
    return processors.size === 0 ? { decision: SamplingDecision.NOT_RECORD } : parentBased.shouldSample(...args);
  },
  toString: () => "RecordWhenExported{ParentBased{AlwaysOn}}",
};
