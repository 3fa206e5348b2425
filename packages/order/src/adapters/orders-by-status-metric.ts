import type { Meter } from "@opentelemetry/api";
import { orderStatuses } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";

/**
 * `oms.orders` gauge: how many orders are in each status, read from storage
 * when metrics are collected (a Prometheus scrape or an OTLP export), so it
 * is right across instances and restarts. Every status is reported, zeros
 * too: a status left out would keep showing its last count.
 */
export function observeOrdersByStatus(meter: Meter, repository: OrderRepository): void {
  const gauge = meter.createObservableGauge("oms.orders", { description: "Orders by status" });
  gauge.addCallback(async (result) => {
    const counts = await repository.countByStatus();
    for (const status of orderStatuses) result.observe(counts[status] ?? 0, { "oms.order.status": status });
  });
}
