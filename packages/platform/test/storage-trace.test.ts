import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMongo } from "../src/storage/index.js";
import { addSpanProcessor, createTelemetry, withOrderId } from "../src/telemetry/index.js";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";

describe.skipIf(!ferretDbAvailable())("MongoDB command spans", () => {
  let server: RunningFerretDb;
  const exporter = new InMemorySpanExporter();
  let remove: () => void;
  beforeAll(async () => {
    server = await startFerretDb();
    remove = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
  });
  afterAll(async () => {
    remove?.();
    await server?.stop();
  });

  it("makes a client span per command, the child of the span that issued it, tagged with the order it works on", async () => {
    const telemetry = createTelemetry("spans-test");
    const storage = await connectMongo(server.url, { dbName: "trace_db", tracer: telemetry.tracer });
    try {
      const parent = telemetry.tracer.startSpan("use case");
      await context.with(trace.setSpan(context.active(), parent), () =>
        withOrderId("a", async () => {
          await storage.db.collection("orders").insertOne({ _id: "a" as never, status: "PENDING" });
          await storage.db.collection("orders").findOne({ _id: "a" as never });
        }),
      );
      parent.end();
      const spans = exporter.getFinishedSpans().filter((span) => span.attributes["db.system.name"] === "mongodb");
      expect(spans.map((span) => span.name)).toEqual(["insert orders", "find orders"]);
      for (const span of spans) {
        expect(span.kind).toBe(2);
        expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
        expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
        // Work on an order: its storage spans carry the order id too.
        expect(span.attributes).toMatchObject({ "db.namespace": "trace_db", "db.collection.name": "orders", "oms.order_id": "a" });
      }
    } finally {
      await storage.close();
      await telemetry.shutdown();
    }
  });
});
