import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { addSpanProcessor } from "@oms/platform/telemetry";
import { demoDishes, eventually, key, orderInStatus, rpc, startSystem } from "./support.js";

const orderId = "oms.order_id";
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
const label = (span: ReadableSpan) => `${String(span.resource.attributes["service.name"])}: ${span.name}`;
const nanoseconds = ([seconds, nanos]: [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
const start = (span: ReadableSpan) => nanoseconds(span.startTime);
const end = (span: ReadableSpan) => nanoseconds(span.endTime);
/**
 * The JavaScript SDK pins each span's start to Date.now(), whole milliseconds,
 * and measures its duration from there: two spans' clocks disagree by up to
 * 1 ms (plus rounding). Orderings are checked up to that.
 */
const resolution = 1_001_000n;

/**
 * An order's whole story as an operator finds it: one trace from CreateOrder
 * to READY, every span tagged with the order id, the pay action and the
 * hand-over (their own requests) linked to it, and no span Jaeger would
 * shift as clock skew.
 */
describe("an order's story in its trace", () => {
  const exporter = new InMemorySpanExporter();
  let removeProcessor: () => void;
  let system: RunningSystem;
  let id: string;
  let paymentUrl: string;
  let spans: ReadableSpan[];
  let story: ReadableSpan[];

  beforeAll(async () => {
    removeProcessor = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
    system = await startSystem();
    const { body } = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
      customerId: "story",
      idempotencyKey: key("story"),
      lines: [{ itemId: demoDishes[7]!.id, quantity: 1 }],
    });
    id = body.order.id;
    const awaiting = await orderInStatus(system, id, "AWAITING_PAYMENT");
    paymentUrl = awaiting.paymentUrl;
    await fetch(`${paymentUrl}/pay`, { method: "POST" });
    await orderInStatus(system, id, "READY");
    await rpc(system.services.order.url, "oms.order.v1.OrderService/CompleteOrder", { id });
    // Spans are exported when they end: wait for the last ones of the story.
    spans = await eventually(async () => {
      const finished = exporter.getFinishedSpans();
      const done = ["process kitchen.ticket_ready", "oms.order.v1.OrderService/CompleteOrder", "publish order.completed"].every((name) =>
        finished.some((span) => span.name === name && span.attributes[orderId] === id),
      );
      return done ? finished : undefined;
    });
    const create = spans.find((span) => span.name === "oms.order.v1.OrderService/CreateOrder" && span.kind === SpanKind.SERVER)!;
    story = spans.filter((span) => traceOf(span) === traceOf(create));
  });
  afterAll(async () => {
    await system?.close();
    removeProcessor?.();
  });

  it("tags every span of the order's trace with its id, in all five services", () => {
    expect(new Set(story.map((span) => span.resource.attributes["service.name"]))).toEqual(new Set(["order", "menu", "stock", "payment", "kitchen"]));
    expect(story.filter((span) => span.attributes[orderId] !== id).map(label)).toEqual([]);
    for (const name of ["process kitchen.ticket_ready", "publish order.paid", "oms.stock.v1.StockService/ReserveItems", "oms.menu.v1.MenuService/GetItems"]) {
      expect(story.some((span) => span.name === name), name).toBe(true);
    }
  });

  it("links the pay action and the hand-over, each its own request, to the order's trace, and the events they caused back to them", () => {
    const orderTrace = traceOf(story[0]!);
    const pay = spans.find((span) => span.name === "POST /checkout/:token/pay")!;
    const complete = spans.find((span) => span.name === "oms.order.v1.OrderService/CompleteOrder" && span.kind === SpanKind.SERVER)!;
    for (const [cause, event] of [[pay, "publish payment.succeeded"], [complete, "publish order.completed"]] as const) {
      expect(cause, event).toBeDefined();
      expect([cause.kind, cause.attributes[orderId]]).toEqual([SpanKind.SERVER, id]);
      expect(cause.links.map((link) => link.context.traceId)).toContain(orderTrace);
      // What the action caused stays in the order's trace (one tree), linked to the action.
      const published = story.find((span) => span.name === event)!;
      expect(published, event).toBeDefined();
      expect(published.links.map((link) => link.context.spanId)).toContain(cause.spanContext().spanId);
    }
    expect(pay.attributes["http.response.status_code"]).toBe(303);
    // Named by its route template: the checkout token in the path is a key, never recorded.
    expect(JSON.stringify(pay.attributes)).not.toContain(new URL(paymentUrl).pathname.split("/").pop());
  });

  it("starts no span before its parent, and ends one after its parent only under a zero-length creation context (to the SDK's millisecond)", () => {
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const related = spans.filter((span) => span.attributes[orderId] === id);
    const late: string[] = [];
    for (const span of related) {
      const parent = byId.get(span.parentSpanContext?.spanId ?? "");
      if (!parent) continue;
      expect(start(span) + resolution, `${label(span)} starts before ${label(parent)}`).toBeGreaterThanOrEqual(start(parent));
      if (end(span) <= end(parent) + resolution) continue;
      expect([parent.kind, end(parent) - start(parent)], `${label(span)} outlives ${label(parent)}`).toEqual([SpanKind.PRODUCER, 0n]);
      late.push(span.name);
    }
    // The asynchronous hops are the ones that outlive their parent.
    expect(late).toContain("process order.paid");
  });
});

describe("an order the payment-deadline sweep cancels", () => {
  const exporter = new InMemorySpanExporter();
  let removeProcessor: () => void;
  let system: RunningSystem;
  beforeAll(async () => {
    removeProcessor = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
    system = await startSystem({ PAYMENT_DEADLINE: "300ms", ORDER_DEADLINE_SWEEP: "50ms" });
  });
  afterAll(async () => {
    await system?.close();
    removeProcessor?.();
  });

  it("gives the sweep's work on it a span of its own, linked to the order's trace, and keeps order.cancelled in that trace", async () => {
    const { body } = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
      customerId: "late",
      idempotencyKey: key("late"),
      lines: [{ itemId: demoDishes[5]!.id, quantity: 1 }],
    });
    const id: string = body.order.id;
    await orderInStatus(system, id, "CANCELLED");
    const [sweep, published] = await eventually(async () => {
      const finished = exporter.getFinishedSpans().filter((span) => span.attributes[orderId] === id);
      const found = [finished.find((span) => span.name === "expire unpaid order"), finished.find((span) => span.name === "publish order.cancelled")];
      return found[0] && found[1] ? (found as [ReadableSpan, ReadableSpan]) : undefined;
    });
    const create = exporter.getFinishedSpans().find((span) => span.name === "oms.order.v1.OrderService/CreateOrder" && span.attributes[orderId] === id)!;
    expect(sweep.parentSpanContext).toBeUndefined();
    expect(sweep.links.map((link) => link.context.traceId)).toEqual([traceOf(create)]);
    expect(traceOf(published)).toBe(traceOf(create));
    expect(published.links.map((link) => link.context.spanId)).toEqual([sweep.spanContext().spanId]);
  });
});
