import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import type { OrderChangeFeed } from "./order-change-feed.js";
import { getOrderOrFail } from "./order-lookup.js";
import { WatcherLimits, type WatcherLimitOptions } from "./watcher-limits.js";

export interface WatchOrderDeps {
  repository: OrderRepository;
  feed: Pick<OrderChangeFeed, "subscribe" | "unsubscribe">;
  /** Bounds on open watchers (defaults in WatcherLimits). */
  limits?: WatcherLimitOptions;
}

/** The versions of one order as they come; `return` ends the watch at once, also while it waits. */
export interface OrderWatch extends AsyncIterableIterator<Order> {
  return(value?: unknown): Promise<IteratorReturnResult<undefined>>;
}

/**
 * WatchOrder: the order as it is now, then each later version, ending after
 * COMPLETED or CANCELLED, when `signal` aborts, or when the consumer calls
 * `return`. Every version arrives through the feed, each one in turn: those
 * stored by this instance at once, those stored elsewhere when
 * RefreshWatchedOrders reads them.
 */
export class WatchOrder {
  private readonly limits: WatcherLimits;

  constructor(private readonly deps: WatchOrderDeps) {
    this.limits = new WatcherLimits(deps.limits);
  }

  /** With `ownerId`, only that customer's order (another's is NOT_FOUND, as for GetOrder). Nothing is held until the first `next`. */
  execute(id: string, signal?: AbortSignal, ownerId?: string): OrderWatch {
    return new Watcher(this.deps, this.limits, id, signal, ownerId);
  }
}

const done: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One watcher, written out rather than an async generator: a generator
 * asked to `return` while it awaits (the usual state of an idle watcher)
 * only ends once that await settles, so a consumer that left kept its
 * subscription, abort listener and slot until the order next changed.
 * Here `return` lets go of them at once and wakes the waiting `next`.
 *
 * An idle watcher is one of many (bench/PROFILE.md, "Streams"), so while it
 * waits it holds one pending promise, no async function frames (their
 * registers kept stale orders alive) and no order: only the version it last
 * sent and whether that one was final, all it needs to skip older versions
 * and to end. Nor closures beyond its feed listener: it is the signal's
 * abort listener itself (`handleEvent`), and `close` gives back its slot,
 * subscription and abort listener from its own fields.
 */
class Watcher implements OrderWatch {
  private state: "new" | "open" | "closed" = "new";
  private readonly queue: Order[] = [];
  private sentVersion = 0;
  private sentFinal = false;
  /** Answers the `next` waiting for a version, if one is. */
  private waiting: ((result: IteratorResult<Order>) => void) | undefined;
  /** What the feed calls with each stored version of the order. */
  private readonly heard = (order: Order) => {
    this.queue.push(order);
    this.wake();
  };

  constructor(
    private readonly deps: WatchOrderDeps,
    private readonly limits: WatcherLimits,
    private readonly id: string,
    private readonly signal: AbortSignal | undefined,
    private readonly ownerId: string | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Order>> {
    if (this.state === "new") {
      return this.open().then(
        (order): IteratorResult<Order> => (order ? { value: order, done: false } : this.closed()),
        (error: unknown) => {
          this.close();
          throw error;
        },
      );
    }
    const result = this.nextVersion();
    // One promise while it waits: answered by wake when a version comes, the signal aborts or the consumer leaves.
    return result ? Promise.resolve(result) : new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorReturnResult<undefined>> {
    this.close();
    return done;
  }

  /** The order as it is now; undefined if the watch ended while it was read. */
  private async open(): Promise<Order | undefined> {
    this.limits.enter(this.id);
    // Subscribe before the first read, so nothing stored in between is missed.
    this.deps.feed.subscribe(this.id, this.heard);
    this.signal?.addEventListener("abort", this);
    this.state = "open";
    const order = await getOrderOrFail(this.deps.repository, this.id, this.ownerId);
    return this.isOpen() ? this.sent(order) : undefined;
  }

  /** The signal's abort listener: ends a waiting `next`. */
  handleEvent(): void {
    this.wake();
  }

  /** The next newer version; done once the order is final, the signal aborted or the consumer left; undefined: wait. */
  private nextVersion(): IteratorResult<Order> | undefined {
    while (this.isOpen() && !this.sentFinal) {
      const next = this.queue.shift();
      if (next === undefined) return undefined;
      if (next.version > this.sentVersion) return { value: this.sent(next), done: false };
    }
    return this.closed();
  }

  /** Answers a waiting `next` if there is an answer now. */
  private wake(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const result = this.nextVersion();
    if (!result) return;
    this.waiting = undefined;
    waiting(result);
  }

  private sent(order: Order): Order {
    this.sentVersion = order.version;
    this.sentFinal = order.isFinal;
    return order;
  }

  private isOpen(): boolean {
    return this.state === "open" && !this.signal?.aborted;
  }

  private closed(): IteratorReturnResult<undefined> {
    this.close();
    return done;
  }

  private close(): void {
    if (this.state === "closed") return;
    // Only an open watcher holds a slot, a subscription and an abort listener ("new" ones failed to enter).
    if (this.state === "open") {
      this.limits.leave(this.id);
      this.signal?.removeEventListener("abort", this);
      this.deps.feed.unsubscribe(this.id, this.heard);
    }
    this.state = "closed";
    this.wake();
  }
}
