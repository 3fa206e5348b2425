import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { SummedCounter } from "../src/telemetry/summed-counter.js";

/** Prometheus text of one meter provider's metrics. */
async function prometheusText(exporter: PrometheusExporter): Promise<string> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

function meterWithExporter() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meter = new MeterProvider({ readers: [exporter] }).getMeter("test");
  return { exporter, meter };
}

describe("SummedCounter", () => {
  it("reads as an SDK Counter given the same adds: names, series, totals and zeros", async () => {
    const attributesOf = (queue: string, type: string) => ({ "messaging.consumer.group.name": queue, "messaging.rabbitmq.destination.routing_key": type });
    const adds: Array<[number, string, string]> = [
      [0, "kitchen", "order.paid"],
      [0, "kitchen", "order.cancelled"],
      [1, "kitchen", "order.paid"],
      [1, "kitchen", "order.paid"],
      [2, "stock", "order.paid"],
      [0, "stock", "order.paid"],
    ];
    const sdk = meterWithExporter();
    const counter = sdk.meter.createCounter("messaging.client.consumed.messages", { description: "Events handled" });
    for (const [value, queue, type] of adds) counter.add(value, attributesOf(queue, type));
    const summed = meterWithExporter();
    const ours = new SummedCounter(summed.meter, "messaging.client.consumed.messages", { description: "Events handled" }, attributesOf);
    for (const [value, queue, type] of adds) ours.add(value, queue, type);

    const text = await prometheusText(summed.exporter);
    expect(text).toBe(await prometheusText(sdk.exporter));
    expect(text).toContain('messaging_client_consumed_messages_total{messaging_consumer_group_name="kitchen",messaging_rabbitmq_destination_routing_key="order.paid",otel_scope_name="test"} 2');
    expect(text).toContain('messaging_client_consumed_messages_total{messaging_consumer_group_name="kitchen",messaging_rabbitmq_destination_routing_key="order.cancelled",otel_scope_name="test"} 0');
  });

  it("keeps counting across collections, as a cumulative sum", async () => {
    const { exporter, meter } = meterWithExporter();
    const counter = new SummedCounter(meter, "sent", {}, (destination, type) => ({ destination, type }));
    counter.add(1, "oms.events", "order.paid");
    await prometheusText(exporter);
    counter.add(3, "oms.events", "order.paid");
    expect(await prometheusText(exporter)).toContain('sent_total{destination="oms.events",type="order.paid",otel_scope_name="test"} 4');
  });
});
