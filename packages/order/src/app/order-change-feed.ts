import type { Order } from "../domain/order.js";
import type { OrderChanges } from "./ports.js";

/** Receives each stored version of one order. */
export type OrderListener = (order: Order) => void;

/**
 * The in-process feed of order changes. Use cases and event handlers call
 * `stored` after each save: watchers of that order hear it at once, then the
 * outbox is published (`publish`, the relay's flush). Changes made by another
 * instance do not pass through here: RefreshWatchedOrders re-reads the
 * watched orders now and then and passes what it read to `heard`.
 */
export class OrderChangeFeed implements OrderChanges {
  private readonly listeners = new Map<string, Set<OrderListener>>();

  constructor(private readonly publish: () => Promise<void> = async () => {}) {}

  async stored(order: Order): Promise<void> {
    this.heard(order);
    await this.publish();
  }

  /** Tells the order's watchers of a version read from the store (they skip any they have seen). */
  heard(order: Order): void {
    for (const listener of this.listeners.get(order.id) ?? []) listener(order);
  }

  /** The ids of the orders someone watches now. */
  watchedIds(): string[] {
    return [...this.listeners.keys()];
  }

  /**
   * Calls `listener` with each stored version of the order; returns the
   * unsubscribe function, which may be called more than once: only the
   * first call counts, and it removes the order's entry only while that
   * entry is still the set it emptied (a later subscriber's set stays).
   */
  subscribe(orderId: string, listener: OrderListener): () => void {
    let set = this.listeners.get(orderId);
    if (!set) this.listeners.set(orderId, (set = new Set()));
    set.add(listener);
    return () => {
      if (!set.delete(listener)) return;
      if (set.size === 0 && this.listeners.get(orderId) === set) this.listeners.delete(orderId);
    };
  }

  /** Orders with at least one listener now: 0 once every watcher has left. */
  get watchedOrders(): number {
    return this.listeners.size;
  }
}
