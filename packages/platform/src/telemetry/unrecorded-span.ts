import { trace, type Span, type SpanContext } from "@opentelemetry/api";

/**
 * The span the service tracer makes while nothing exports spans: records
 * nothing, as the API's NonRecordingSpan, but has a place for the order it
 * works on (tagOrder, order-id.ts), which log lines written in it name. A
 * field here costs an order far less than an entry per span in a WeakMap.
 */
export class UnrecordedSpan implements Span {
  /** The order tagOrder tagged this span with. */
  orderId: string | undefined = undefined;

  constructor(private readonly context: SpanContext) {}

  spanContext(): SpanContext {
    return this.context;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}

/**
 * The span's context when it is valid (trace.isSpanContextValid), else
 * undefined. An UnrecordedSpan's is valid as made (the SDK's id generator
 * never gives all zeros, and an inherited trace id was checked), so only
 * other spans' ids are read through.
 */
export function validSpanContext(span: Span | undefined): SpanContext | undefined {
  if (!span) return undefined;
  const spanContext = span.spanContext();
  return span instanceof UnrecordedSpan || trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}
