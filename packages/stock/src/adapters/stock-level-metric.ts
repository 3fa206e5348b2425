import type { Telemetry } from "@oms/platform/telemetry";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * `oms.stock.available` and `oms.stock.reserved` gauges, per item: read
 * from storage when metrics are collected (a Prometheus scrape or an OTLP
 * export), so every instance reports the shared truth. The dashboard's
 * "stock low" panel shows the items with the fewest units left.
 */
export function observeStockLevels(meter: Telemetry["meter"], levels: Pick<StockLevelRepository, "list">): void {
  const available = meter.createObservableGauge("oms.stock.available", { description: "Units available to reserve, per item" });
  const reserved = meter.createObservableGauge("oms.stock.reserved", { description: "Units held for orders not yet paid or released, per item" });
  meter.addBatchObservableCallback(
    async (result) => {
      for (const level of await levels.list()) {
        result.observe(available, level.available, { "oms.item.id": level.itemId });
        result.observe(reserved, level.reserved, { "oms.item.id": level.itemId });
      }
    },
    [available, reserved],
  );
}
