import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { createTelemetry, installPropagation } from "../src/telemetry/index.js";
import { contextForOrder, orderIdAttribute, orderIdIn, tagOrder, taggedOrder, withOrderId } from "../src/telemetry/order-id.js";

installPropagation();
const entriesOf = (ctx: typeof ROOT_CONTEXT) => Object.fromEntries(propagation.getBaggage(ctx)?.getAllEntries().map(([key, entry]) => [key, entry.value]) ?? []);

describe("contextForOrder", () => {
  it("names the order in the baggage, keeping the other entries", () => {
    expect(entriesOf(contextForOrder(ROOT_CONTEXT, "order-1"))).toEqual({ [orderIdAttribute]: "order-1" });
    const other = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ tenant: { value: "t" }, [orderIdAttribute]: { value: "old" } }));
    expect(entriesOf(contextForOrder(other, "order-2"))).toEqual({ tenant: "t", [orderIdAttribute]: "order-2" });
  });

  it("returns the same context when it already names the order, and one baggage per order", () => {
    const scoped = contextForOrder(ROOT_CONTEXT, "order-3");
    expect(contextForOrder(scoped, "order-3")).toBe(scoped);
    expect(propagation.getBaggage(contextForOrder(ROOT_CONTEXT, "order-3"))).toBe(propagation.getBaggage(scoped));
    expect(orderIdIn(contextForOrder(scoped, "order-4"))).toBe("order-4");
  });
});

describe("withOrderId", () => {
  it("tags the active span and runs the work in the order's context", () => {
    const span = trace.wrapSpanContext({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.NONE });
    const seen = context.with(trace.setSpan(ROOT_CONTEXT, span), () => withOrderId("order-5", () => orderIdIn(context.active())));
    expect(seen).toBe("order-5");
    expect(taggedOrder(span)).toBe("order-5");
  });

  it("tags the service tracer's unrecorded spans too, each with its own order", () => {
    const tracer = createTelemetry("order-id-test").tracer;
    const [first, second] = [tracer.startSpan("first"), tracer.startSpan("second")];
    expect(first.isRecording()).toBe(false);
    context.with(trace.setSpan(ROOT_CONTEXT, first), () => tagOrder("order-7"));
    context.with(trace.setSpan(ROOT_CONTEXT, second), () => withOrderId("order-8", () => undefined));
    expect([taggedOrder(first), taggedOrder(second)]).toEqual(["order-7", "order-8"]);
  });

  it("runs the work as it is without an order id, and without a span tags nothing", () => {
    expect(withOrderId("", () => orderIdIn(context.active()))).toBeUndefined();
    expect(withOrderId("order-6", () => orderIdIn(context.active()))).toBe("order-6");
  });
});
