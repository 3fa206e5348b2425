import { baggageEntryMetadataFromString, defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, TraceFlags, type Context } from "@opentelemetry/api";
import { CompositePropagator, suppressTracing, TraceState, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";
import { defaultPropagators } from "../src/telemetry/start-telemetry.js";
import { W3CPropagator } from "../src/telemetry/w3c-propagator.js";

/** The differential test: W3CPropagator against OTel's own propagators, on valid and invalid headers alike. */
const ours = new W3CPropagator();
const otel = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

const traceId = "0af7651916cd43dd8448eb211c80319c";
const spanId = "b7ad6b7169203331";
const valid = `00-${traceId}-${spanId}-01`;

/** What a context carries that propagation decides: the remote span context and the baggage entries. */
function carried(ctx: Context) {
  const span = trace.getSpanContext(ctx);
  const baggage = propagation.getBaggage(ctx)?.getAllEntries().map(([key, entry]) => [key, entry.value, entry.metadata?.toString()]);
  return { span: span && { ...span, traceState: span.traceState?.serialize() }, baggage };
}

function expectSameExtract(carrier: Record<string, string | string[]>) {
  const expected = carried(otel.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
  expect(carried(ours.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)), JSON.stringify(carrier)).toEqual(expected);
  return expected;
}

function injected(propagator: { inject: W3CPropagator["inject"] }, ctx: Context) {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

/** Every single-character change of `text` at each position, to the characters that matter to a parser. */
function mutations(text: string): string[] {
  const swaps = ["0", "1", "9", "a", "f", "g", "A", "F", "-", " ", "\t", "\n", "\u00a0", "%", ";", "=", ",", ""];
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) for (const swap of swaps) out.push(text.slice(0, i) + swap + text.slice(i + 1));
  return out;
}

describe("W3CPropagator extracts what OTel's W3C propagators extract", () => {
  it("accepts and refuses the same traceparent headers", () => {
    const cases = [
      valid,
      `00-${traceId}-${spanId}-00`,
      `00-${traceId}-${spanId}-ff`,
      `01-${traceId}-${spanId}-01`,
      `01-${traceId}-${spanId}-01-extra`,
      `01-${traceId}-${spanId}-01-extra\n`,
      `01-${traceId}-${spanId}-01-\n\n`,
      `00-${traceId}-${spanId}-01-extra`,
      `00-${traceId}-${spanId}-01-`,
      `ff-${traceId}-${spanId}-01`,
      `fe-${traceId}-${spanId}-01`,
      ` ${valid}`,
      `${valid} `,
      `  ${valid}`,
      `${valid}\n`,
      `00-${"0".repeat(32)}-${spanId}-01`,
      `00-${traceId}-${"0".repeat(16)}-01`,
      valid.toUpperCase(),
      `00_${traceId}-${spanId}-01`,
      "",
      "00",
      "garbage",
      ...mutations(valid),
    ];
    let accepted = 0;
    for (const traceparent of cases) if (expectSameExtract({ traceparent }).span) accepted++;
    // Both sides of the line are exercised, not only refusals.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(cases.length - 100);
  });

  it("reads the flags and tracestate as OTel does, and the first of several traceparent values", () => {
    expect(expectSameExtract({ traceparent: `00-${traceId}-${spanId}-ff`, tracestate: "a=1,b=2" }).span).toMatchObject({ traceFlags: 255, traceState: "a=1,b=2", isRemote: true });
    expectSameExtract({ traceparent: [valid, `00-${traceId}-${spanId}-00`], tracestate: ["a=1", "b=2"] });
    expectSameExtract({ traceparent: valid, tracestate: "bad key=1,ok=2" });
  });

  it("keeps and drops the same baggage entries", () => {
    const cases = [
      "oms.order_id=01JDX0Q5Z2",
      "a=1,b=2,c=3",
      "a=1,,b=2",
      "=1,a=,b",
      "a==1,b=2=3",
      "a=1;prop=x,b=2",
      "a=%20one%20,b=%E0%A4%A",
      " a = 1 , b=2 ",
      "a\t=1",
      "k=\u00e9",
      "__proto__=x,a=1",
      "a=1,a=2",
      ",",
      "=",
      `big=${"x".repeat(4100)},small=1`,
      Array.from({ length: 200 }, (_, i) => `k${i}=v`).join(","),
      Array.from({ length: 9 }, (_, i) => `k${i}=${"v".repeat(1000)}`).join(","),
      ...mutations("ab=12,c=d"),
    ];
    let kept = 0;
    for (const baggage of cases) if (expectSameExtract({ traceparent: valid, baggage }).baggage) kept++;
    expect(kept).toBeGreaterThan(20);
    expect(kept).toBeLessThan(cases.length);
    expectSameExtract({ baggage: ["a=1", "b=2;p"] });
    expect(expectSameExtract({ baggage: "" }).baggage).toBeUndefined();
  });
});

describe("W3CPropagator injects what OTel's W3C propagators inject", () => {
  const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED });

  it("writes the same traceparent, tracestate and baggage", () => {
    const withState = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 0x81, traceState: new TraceState("a=1,b=2") });
    const bag = propagation.createBaggage({
      "oms.order_id": { value: "01JDX0Q5Z2" },
      "needs encoding": { value: "é, ;=" },
      meta: { value: "v", metadata: baggageEntryMetadataFromString("p=1") },
      huge: { value: "x".repeat(5000) },
      ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`filler${i}`, { value: "y".repeat(2000) }])),
    });
    const contexts = [
      ROOT_CONTEXT,
      parent,
      withState,
      trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.NONE }),
      trace.setSpanContext(ROOT_CONTEXT, { traceId: traceId.toUpperCase(), spanId, traceFlags: TraceFlags.SAMPLED }),
      trace.setSpanContext(ROOT_CONTEXT, { traceId: "0".repeat(32), spanId, traceFlags: TraceFlags.SAMPLED }),
      propagation.setBaggage(parent, bag),
      propagation.setBaggage(ROOT_CONTEXT, bag),
      propagation.setBaggage(parent, propagation.createBaggage()),
      propagation.setBaggage(parent, propagation.createBaggage(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, { value: "v" }])))),
      suppressTracing(propagation.setBaggage(parent, bag)),
    ];
    for (const ctx of contexts) expect(injected(ours, ctx)).toEqual(injected(otel, ctx));
    expect(injected(ours, withState)).toEqual({ traceparent: `00-${traceId}-${spanId}-081`, tracestate: "a=1,b=2" });
  });

  it("round-trips: what it injects, it extracts to the same trace and order", () => {
    const ctx = propagation.setBaggage(parent, propagation.createBaggage({ "oms.order_id": { value: "01JDX0Q5Z2" } }));
    const back = ours.extract(ROOT_CONTEXT, injected(ours, ctx), defaultTextMapGetter);
    expect(trace.getSpanContext(back)).toMatchObject({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(propagation.getBaggage(back)?.getEntry("oms.order_id")?.value).toBe("01JDX0Q5Z2");
  });

  it("names the same fields", () => {
    expect(new Set(ours.fields())).toEqual(new Set(otel.fields()));
  });
});

describe("defaultPropagators", () => {
  it("is chosen for OTEL_PROPAGATORS unset or tracecontext and baggage, not for anything else", () => {
    for (const setting of [undefined, "", "tracecontext,baggage", "baggage, tracecontext"]) expect(defaultPropagators(setting), setting).toBe(true);
    for (const setting of ["tracecontext", "b3", "tracecontext,baggage,b3", "none"]) expect(defaultPropagators(setting), setting).toBe(false);
  });
});

describe("W3CPropagator's reuse of baggage", () => {
  it("gives the same entries for a header seen before, and writes a new baggage's own entries", () => {
    const carrier = { baggage: "oms.order_id=01JDX0Q5Z2,x=1" };
    const first = propagation.getBaggage(ours.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))!;
    const again = propagation.getBaggage(ours.extract(ROOT_CONTEXT, { ...carrier }, defaultTextMapGetter))!;
    expect(again.getAllEntries()).toEqual(first.getAllEntries());
    expect(injected(ours, propagation.setBaggage(ROOT_CONTEXT, again))).toEqual({ baggage: "oms.order_id=01JDX0Q5Z2,x=1" });
    const changed = again.setEntry("oms.order_id", { value: "other" }).removeEntry("x");
    expect(injected(ours, propagation.setBaggage(ROOT_CONTEXT, changed))).toEqual({ baggage: "oms.order_id=other" });
    expect(injected(ours, propagation.setBaggage(ROOT_CONTEXT, again))).toEqual({ baggage: "oms.order_id=01JDX0Q5Z2,x=1" });
  });

  it("refuses a header seen before as it did the first time", () => {
    for (let round = 0; round < 2; round++) expect(propagation.getBaggage(ours.extract(ROOT_CONTEXT, { baggage: "=1,a=" }, defaultTextMapGetter))).toBeUndefined();
  });
});
