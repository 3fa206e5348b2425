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
 *
 * An order usually has one watcher, and an idle watcher is one of many
 * (bench/PROFILE.md, "Streams"): an order's only listener is kept as it is,
 * a Set (about 230 bytes with its table) only once a second one comes.
 */
export class OrderChangeFeed implements OrderChanges {
  private readonly listeners = new Map<string, OrderListener | Set<OrderListener>>();
  /** The newest version handed to a watched order's listeners: RefreshWatchedOrders reads only orders stored since. */
  private readonly newest = new Map<string, number>();

  constructor(private readonly publish: () => Promise<void> = async () => {}) {}

  async stored(order: Order): Promise<void> {
    this.heard(order);
    await this.publish();
  }

  /** Tells the order's watchers of a version read from the store (they skip any they have seen). */
  heard(order: Order): void {
    const held = this.listeners.get(order.id);
    if (!held) return;
    if (order.version > this.newestHeard(order.id)) this.newest.set(order.id, order.version);
    if (typeof held === "function") held(order);
    else for (const listener of held) listener(order);
  }

  /** The newest version of a watched order its listeners were handed; 0 when none yet (the first read is each watcher's own). */
  newestHeard(orderId: string): number {
    return this.newest.get(orderId) ?? 0;
  }

  /** The ids of the orders someone watches now. */
  watchedIds(): string[] {
    return [...this.listeners.keys()];
  }

  /** Calls `listener` with each stored version of the order until `unsubscribe` (a listener subscribed twice is called once). */
  subscribe(orderId: string, listener: OrderListener): void {
    const held = this.listeners.get(orderId);
    if (held === undefined) this.listeners.set(orderId, listener);
    else if (typeof held !== "function") held.add(listener);
    else if (held !== listener) this.listeners.set(orderId, new Set([held, listener]));
  }

  /** Stops calling `listener` for the order; nothing if it is not subscribed (a second call, say). */
  unsubscribe(orderId: string, listener: OrderListener): void {
    const held = this.listeners.get(orderId);
    if (held === listener) {
      this.listeners.delete(orderId);
      this.newest.delete(orderId);
    } else if (typeof held === "object" && held.delete(listener) && held.size === 1) this.listeners.set(orderId, held.values().next().value!);
  }

  /** Orders with at least one listener now: 0 once every watcher has left. */
  get watchedOrders(): number {
    return this.listeners.size;
  }
}
