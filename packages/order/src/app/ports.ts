import type { Money } from "../domain/money.js";
import type { Order } from "../domain/order.js";

/** A dish as the menu describes it now: the one source of names and prices. */
export interface MenuItem {
  id: string;
  name: string;
  price: Money;
  available: boolean;
}

/** The menu service, as create-order needs it. Adapter: adapters/menu-catalog-client.ts. */
export interface MenuCatalog {
  /** The items among `ids` that exist; unknown ids are left out. Throws UnavailableError when the menu cannot be reached. */
  findItems(ids: readonly string[]): Promise<MenuItem[]>;
}

/** A quantity to hold for an order. */
export interface ReservationLine {
  itemId: string;
  quantity: number;
}

/** The stock service, as create-order needs it. Adapter: adapters/stock-reservations-client.ts. */
export interface StockReservations {
  /**
   * Holds every line for the order, all or nothing; repeating it for the same
   * order is harmless. Throws PreconditionError naming the items short, or
   * UnavailableError when stock cannot be reached.
   */
  reserve(orderId: string, lines: readonly ReservationLine[]): Promise<void>;
  /** Returns the order's held units to stock. Idempotent. */
  release(orderId: string): Promise<void>;
}

/** Told after every stored change of an order: wakes watchers and publishes the outbox. See order-change-feed.ts. */
export interface OrderChanges {
  stored(order: Order): Promise<void>;
}

/**
 * Runs work on one order as part of that order's story: telemetry tags what
 * it does with the order id and, for work no request started (a timer), gives
 * it a span linked to the order's trace. By default it just runs the work.
 */
export type OrderScope = <T>(orderId: string, work: () => Promise<T>) => Promise<T>;

export const unscoped: OrderScope = (_orderId, work) => work();

/** The current time; tests pass a fake one to move past deadlines. */
export type Clock = () => Date;
