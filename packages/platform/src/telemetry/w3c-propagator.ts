import { propagation, trace, type Baggage, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from "@opentelemetry/api";
import { isTracingSuppressed, TraceState, W3CBaggagePropagator } from "@opentelemetry/core";
import { isPlainBaggage, parsePlainBaggage, serializeBaggage } from "./baggage-header.js";
import { Recent } from "./recent.js";
import { formatTraceParent, parseTraceParent } from "./traceparent.js";
import { validSpanContext } from "./unrecorded-span.js";

const traceParentHeader = "traceparent";
const traceStateHeader = "tracestate";
const baggageHeader = "baggage";

/** OTel's own, for the baggage headers that are not plain (escapes, properties, spaces, several values). */
const otelBaggage = new W3CBaggagePropagator();

/**
 * W3C trace context and W3C baggage in one propagator: what OTel's
 * CompositePropagator of W3CTraceContextPropagator and W3CBaggagePropagator
 * does (the same headers accepted, refused and written; see the differential
 * test), at a fraction of the cost on the path every RPC hop and event
 * takes. The traceparent is read by position rather than by a regular
 * expression; plain baggage is read without decoding each entry, and the
 * baggage of a header seen lately (an order's, at every hop and event) is
 * reused, as is the header written for a baggage object.
 */
export class W3CPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const spanContext = validSpanContext(trace.getSpan(context));
    if (spanContext) {
      setter.set(carrier, traceParentHeader, formatTraceParent(spanContext));
      if (spanContext.traceState) setter.set(carrier, traceStateHeader, spanContext.traceState.serialize());
    }
    const baggage = propagation.getBaggage(context);
    if (!baggage) return;
    const header = baggageHeaderOf(baggage);
    if (header.length > 0) setter.set(carrier, baggageHeader, header);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return extractBaggage(extractTraceContext(context, carrier, getter), carrier, getter);
  }

  fields(): string[] {
    return [traceParentHeader, traceStateHeader, baggageHeader];
  }
}

/** W3CBaggagePropagator.extract, with plain headers read by parsePlainBaggage and the baggage of recent ones reused. */
function extractBaggage(context: Context, carrier: unknown, getter: TextMapGetter): Context {
  const header = getter.get(carrier, baggageHeader);
  if (!header) return context;
  if (typeof header !== "string" || !isPlainBaggage(header)) return otelBaggage.extract(context, carrier, getter);
  const baggage = recentBaggage.getOrMake(header, (plain) => {
    const entries = parsePlainBaggage(plain);
    return entries && propagation.createBaggage(entries);
  });
  return baggage ? propagation.setBaggage(context, baggage) : context;
}

/** The baggage of each plain header seen lately: an order's arrives unchanged at every hop and event. */
const recentBaggage = new Recent<Baggage | undefined>();

/** The header each baggage was written as; baggage is immutable (setEntry makes another), so it stays right. */
const baggageHeaders = new WeakMap<Baggage, string>();

function baggageHeaderOf(baggage: Baggage): string {
  let header = baggageHeaders.get(baggage);
  if (header === undefined) {
    header = serializeBaggage(baggage);
    baggageHeaders.set(baggage, header);
  }
  return header;
}

/** W3CTraceContextPropagator.extract, with the traceparent read by parseTraceParent. */
function extractTraceContext(context: Context, carrier: unknown, getter: TextMapGetter): Context {
  const header = getter.get(carrier, traceParentHeader);
  if (!header) return context;
  const traceParent = Array.isArray(header) ? header[0] : header;
  if (typeof traceParent !== "string") return context;
  const spanContext = parseTraceParent(traceParent);
  if (!spanContext) return context;
  spanContext.isRemote = true;
  const stateHeader = getter.get(carrier, traceStateHeader);
  if (stateHeader) {
    const state = Array.isArray(stateHeader) ? stateHeader.join(",") : stateHeader;
    spanContext.traceState = new TraceState(typeof state === "string" ? state : undefined);
  }
  return trace.setSpanContext(context, spanContext);
}
