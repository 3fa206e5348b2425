import { PreconditionError, UnavailableError } from "@oms/platform/errors";
import type { Logger } from "@oms/platform/logging";
import { setImmediate as tick } from "node:timers/promises";
import { MemoryOrderRepository } from "../../src/adapters/memory-order-repository.js";
import { createOrderApp } from "../../src/app/order-app.js";
import type { MenuCatalog, MenuItem, ReservationLine, StockReservations } from "../../src/app/ports.js";
import { t0 } from "./orders.js";

export const dishes = {
  margherita: { id: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", price: { currencyCode: "EUR", amountMinor: 950 }, available: true },
  espresso: { id: "01KDVDNJS8YKHBMJX9HAV3X8KD", name: "Espresso", price: { currencyCode: "EUR", amountMinor: 250 }, available: true },
  truffleFries: { id: "01KDVDNMQRMMGZGECVJ7GR6YG4", name: "Truffle Fries", price: { currencyCode: "EUR", amountMinor: 790 }, available: false },
  bourbon: { id: "01KDVDNNQRMMGZGECVJ7GR6YG5", name: "Bourbon", price: { currencyCode: "USD", amountMinor: 900 }, available: true },
} satisfies Record<string, MenuItem>;

/** The menu in memory; `down` makes it unreachable. */
export class FakeMenu implements MenuCatalog {
  down = false;
  calls = 0;
  constructor(private readonly items: MenuItem[] = Object.values(dishes)) {}

  async findItems(ids: readonly string[]): Promise<MenuItem[]> {
    this.calls += 1;
    await tick();
    if (this.down) throw new UnavailableError("menu is unavailable: connection refused");
    return this.items.filter((item) => ids.includes(item.id));
  }
}

/** Stock in memory, all or nothing like the real one; `down` makes it unreachable. */
export class FakeStock implements StockReservations {
  down = false;
  readonly available = new Map<string, number>();
  readonly reservations = new Map<string, { lines: ReservationLine[]; status: "HELD" | "RELEASED" }>();

  constructor(levels: Record<string, number> = { [dishes.margherita.id]: 10, [dishes.espresso.id]: 10, [dishes.bourbon.id]: 10 }) {
    for (const [itemId, units] of Object.entries(levels)) this.available.set(itemId, units);
  }

  async reserve(orderId: string, lines: readonly ReservationLine[]): Promise<void> {
    await tick();
    if (this.down) throw new UnavailableError("stock is unavailable: connection refused");
    if (this.reservations.has(orderId)) return;
    const short = lines.filter((line) => (this.available.get(line.itemId) ?? 0) < line.quantity);
    if (short.length > 0) {
      const named = short.map((line) => `${line.itemId} (requested ${line.quantity}, available ${this.available.get(line.itemId) ?? 0})`);
      throw new PreconditionError(`not enough stock: ${named.join(", ")}`);
    }
    for (const line of lines) this.available.set(line.itemId, this.available.get(line.itemId)! - line.quantity);
    this.reservations.set(orderId, { lines: [...lines], status: "HELD" });
  }

  async release(orderId: string): Promise<void> {
    await tick();
    if (this.down) throw new UnavailableError("stock is unavailable: connection refused");
    const reservation = this.reservations.get(orderId);
    if (!reservation || reservation.status !== "HELD") return;
    for (const line of reservation.lines) this.available.set(line.itemId, this.available.get(line.itemId)! + line.quantity);
    reservation.status = "RELEASED";
  }

  held(): string[] {
    return [...this.reservations].filter(([, reservation]) => reservation.status === "HELD").map(([orderId]) => orderId);
  }
}

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public current = t0) {}
  readonly now = () => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const paymentDeadlineMs = 15 * 60_000;

/** The use cases over a memory repository, fake peers and a fake clock; `published` counts publish calls. */
export function makeApp(options: { logger?: Logger } = {}) {
  const repository = new MemoryOrderRepository();
  const menu = new FakeMenu();
  const stock = new FakeStock();
  const clock = new FakeClock();
  const counter = { published: 0 };
  const app = createOrderApp({
    repository,
    menu,
    stock,
    clock: clock.now,
    paymentDeadlineMs,
    publish: async () => {
      counter.published += 1;
    },
    logger: options.logger,
  });
  return { app, repository, menu, stock, clock, counter };
}

/** The types of the events waiting in an order's outbox. */
export async function outboxTypes(repository: MemoryOrderRepository, orderId: string): Promise<string[]> {
  const pending = await repository.pendingOutbox(1_000);
  return pending.find((entry) => entry.aggregateId === orderId)?.events.map((event) => event.type) ?? [];
}
