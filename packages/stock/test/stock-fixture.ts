import { MemoryReservationRepository } from "../src/adapters/memory-reservation-repository.js";
import { MemoryStockLevelRepository } from "../src/adapters/memory-stock-level-repository.js";
import { createStockApp, type StockApp } from "../src/app/stock-app.js";

/** A stock app on fresh memory adapters, with the given opening levels. */
export async function stockFixture(opening: Record<string, number> = {}): Promise<{
  app: StockApp;
  levels: MemoryStockLevelRepository;
  reservations: MemoryReservationRepository;
  /** One item's level, zeros when unknown. */
  level(itemId: string): Promise<{ available: number; reserved: number }>;
}> {
  const levels = new MemoryStockLevelRepository();
  const reservations = new MemoryReservationRepository();
  for (const [itemId, available] of Object.entries(opening)) await levels.insertLevel(itemId, available);
  const level = async (itemId: string) => {
    const [found] = await levels.find([itemId]);
    return { available: found?.available ?? 0, reserved: found?.reserved ?? 0 };
  };
  return { app: createStockApp(levels, reservations), levels, reservations, level };
}
