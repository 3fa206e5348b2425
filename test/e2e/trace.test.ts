import { SpanKind } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { addSpanProcessor } from "@oms/platform/telemetry";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { demoDishes, key, orderInStatus, rpc, startSystem } from "./support.js";

const serviceOf = (span: ReadableSpan) => String(span.resource.attributes["service.name"]);

describe("one trace from CreateOrder to READY", () => {
  const exporter = new InMemorySpanExporter();
  let removeProcessor: () => void;
  let system: RunningSystem;
  beforeAll(async () => {
    removeProcessor = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
    removeProcessor?.();
  });

  it("shares one trace id across spans of all five services, correctly parented", async () => {
    const { body } = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
      customerId: "trace",
      idempotencyKey: key("trace"),
      lines: [{ itemId: demoDishes[8]!.id, quantity: 1 }],
    });
    const awaiting = await orderInStatus(system, body.order.id, "AWAITING_PAYMENT");
    await fetch(`${awaiting.paymentUrl}/pay`, { method: "POST" });
    await orderInStatus(system, body.order.id, "READY");
    await new Promise((resolve) => setTimeout(resolve, 200));

    const spans = exporter.getFinishedSpans();
    const create = spans.find((span) => span.name === "oms.order.v1.OrderService/CreateOrder" && span.kind === SpanKind.SERVER);
    expect(create, "CreateOrder server span").toBeDefined();
    const traceId = create!.spanContext().traceId;
    const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
    expect(new Set(inTrace.map(serviceOf))).toEqual(new Set(["order", "menu", "stock", "payment", "kitchen"]));

    const byId = new Map(inTrace.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? "");
    // Every span but the root has its parent in the same trace.
    for (const span of inTrace) if (span !== create) expect(parentOf(span), `${serviceOf(span)} ${span.name}`).toBeDefined();

    // RPC: order's client span is the parent of menu's and stock's server spans.
    for (const [service, name] of [["menu", "oms.menu.v1.MenuService/GetItems"], ["stock", "oms.stock.v1.StockService/ReserveItems"]]) {
      const server = inTrace.find((span) => serviceOf(span) === service && span.name === name && span.kind === SpanKind.SERVER)!;
      expect(server, name).toBeDefined();
      const client = parentOf(server)!;
      expect([serviceOf(client), client.kind, client.name]).toEqual(["order", 2, name]);
    }
    // Messaging: each consumer span is the child of its message's creation context (a zero-length PRODUCER
    // "create" span: of the event, or of the aggregate when the event was raised outside the order's trace),
    // as is the span that published it.
    const expectedHops: Array<[string, string]> = [
      ["payment", "process order.created"],
      ["order", "process payment.link_created"],
      ["order", "process payment.succeeded"],
      ["stock", "process order.paid"],
      ["kitchen", "process order.paid"],
      ["order", "process kitchen.ticket_started"],
      ["order", "process kitchen.ticket_ready"],
    ];
    for (const [service, name] of expectedHops) {
      const consumer = inTrace.find((span) => serviceOf(span) === service && span.name === name);
      expect(consumer, `${service}: ${name}`).toBeDefined();
      expect(consumer!.kind).toBe(4);
      expect(consumer!.attributes["messaging.system"]).toBe("rabbitmq");
      const creation = parentOf(consumer!)!;
      expect([creation.kind, creation.name.startsWith("create ")]).toEqual([SpanKind.PRODUCER, true]);
      const publish = inTrace.find((span) => span.name === name.replace("process", "publish") && parentOf(span) === creation);
      expect(publish, `publish of ${name}`).toBeDefined();
    }
  });

  it("serves the RPCs it made as Prometheus metrics on GET /metrics", async () => {
    const response = await fetch(`${system.services.order.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/rpc_server_duration_count\{[^}]*rpc_method="CreateOrder"[^}]*\} [1-9]/);
    expect(text).toMatch(/messaging_client_sent_messages(_total)?\{[^}]*order\.created[^}]*\} [1-9]/);
    expect(text).toMatch(/oms_orders\{[^}]*oms_order_status="READY"[^}]*\} [1-9]/);
    // Every status is reported, zeros too, so a count that drops to nothing shows as 0, not its last value.
    expect(text).toMatch(/oms_orders\{[^}]*oms_order_status="CANCELLED"[^}]*\} 0/);
  });
});
