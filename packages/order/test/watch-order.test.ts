import { getEventListeners } from "node:events";
import { LimitError, NotFoundError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { WatchOrder } from "../src/app/watch-order.js";
import type { Order, OrderStatus } from "../src/domain/order.js";
import { dishes, makeApp } from "./support/fakes.js";
import { moveTo } from "./support/orders.js";

describe("WatchOrder", () => {
  it("sees changes stored by another instance when the watched orders are re-read", async () => {
    const { app, repository } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const seen: string[] = [];
    for await (const current of app.watchOrder.execute(order.id)) {
      seen.push(current.status);
      // Straight to the repository: the in-process feed never hears of it.
      if (current.status === "PENDING") await repository.update(order.id, (stored) => moveTo(stored, "AWAITING_PAYMENT"));
      if (current.status === "AWAITING_PAYMENT") await repository.update(order.id, (stored) => stored.cancel("gone", new Date()));
      await app.refreshWatchedOrders.execute();
    }
    expect(seen).toEqual(["PENDING", "AWAITING_PAYMENT", "CANCELLED"]);
  });

  it("ends when its signal aborts", async () => {
    const { app } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const current of app.watchOrder.execute(order.id, controller.signal)) {
      seen.push(current.status);
      controller.abort();
    }
    expect(seen).toEqual(["PENDING"]);
  });

  it("yields the final state once and ends for an order already completed", async () => {
    const { app, repository } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    await repository.update(order.id, (stored) => moveTo(stored, "COMPLETED"));
    const seen: string[] = [];
    for await (const current of app.watchOrder.execute(order.id)) seen.push(current.status);
    expect(seen).toEqual(["COMPLETED"]);
  });
});

describe("WatchOrder bounds and ownership", () => {
  const newOrder = (app: ReturnType<typeof makeApp>["app"], key: string) =>
    app.createOrder.execute({ customerId: "alice", idempotencyKey: key, lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });

  it("refuses watchers past the per-order bound with LimitError, and frees a slot when one ends", async () => {
    const { app } = makeApp();
    const order = await newOrder(app, "k");
    const controllers = Array.from({ length: 8 }, () => new AbortController());
    const streams = controllers.map((controller) => app.watchOrder.execute(order.id, controller.signal));
    for (const stream of streams) expect((await stream.next()).value?.status).toBe("PENDING");
    const refused = app.watchOrder.execute(order.id).next();
    await expect(refused).rejects.toThrow(LimitError);
    await expect(refused).rejects.toThrow("id: this order already has 8 watchers");
    controllers[0]!.abort();
    await streams[0]!.return(undefined);
    const another = app.watchOrder.execute(order.id);
    expect((await another.next()).value?.status).toBe("PENDING");
    await another.return(undefined);
    for (const stream of streams.slice(1)) await stream.return(undefined);
  });

  it("refuses watchers past the bound for all orders", async () => {
    const { app, repository } = makeApp();
    const limited = new WatchOrder({ repository, feed: app.feed, limits: { maxWatchers: 2 } });
    const [first, second, third] = [await newOrder(app, "a"), await newOrder(app, "b"), await newOrder(app, "c")];
    const open = [limited.execute(first.id), limited.execute(second.id)];
    for (const stream of open) await stream.next();
    await expect(limited.execute(third.id).next()).rejects.toThrow(/too many orders are being watched/);
    for (const stream of open) await stream.return(undefined);
    const after = limited.execute(third.id);
    expect((await after.next()).value?.id).toBe(third.id);
    await after.return(undefined);
  });

  it("shows a customer only their own order: another's is NOT_FOUND, as an unknown id", async () => {
    const { app } = makeApp();
    const order = await newOrder(app, "k");
    await expect(app.watchOrder.execute(order.id, undefined, "bob").next()).rejects.toThrow(NotFoundError);
    await expect(app.getOrder.execute(order.id, "bob")).rejects.toThrow(NotFoundError);
    await expect(app.cancelOrder.execute(order.id, "", "bob")).rejects.toThrow(NotFoundError);
    expect((await app.getOrder.execute(order.id, "alice")).status).toBe("PENDING");
    expect((await app.watchOrder.execute(order.id, undefined, "alice").next()).value?.id).toBe(order.id);
  });
});

describe("WatchOrder and the change feed", () => {
  /** The app's feed, counting open subscriptions and handing the test each listener to call. */
  function countingFeed(app: ReturnType<typeof makeApp>["app"]) {
    const feed = { open: 0, listeners: [] as Array<(order: Order) => void> };
    return Object.assign(feed, {
      subscribe(orderId: string, listener: (order: Order) => void) {
        feed.open += 1;
        feed.listeners.push(listener);
        app.feed.subscribe(orderId, listener);
      },
      unsubscribe(orderId: string, listener: (order: Order) => void) {
        feed.open -= 1;
        app.feed.unsubscribe(orderId, listener);
      },
    });
  }

  async function watched(status: OrderStatus = "PENDING") {
    const context = makeApp();
    const order = await context.app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    await context.repository.update(order.id, (stored) => moveTo(stored, status));
    const feed = countingFeed(context.app);
    // A re-read only every minute: every version below comes through the feed.
    const watch = new WatchOrder({ repository: context.repository, feed });
    return { ...context, feed, watch, orderId: order.id };
  }

  it("sends each version once, in order, skipping a version sent again or an older one", async () => {
    const { repository, feed, watch, orderId } = await watched();
    const stream = watch.execute(orderId);
    const first = (await stream.next()).value!;
    const awaiting = (await repository.update(orderId, (stored) => stored.awaitPayment("https://pay.example/1", new Date())))!;
    const paid = (await repository.update(orderId, (stored) => stored.pay(new Date())))!;

    const second = stream.next();
    for (const version of [first, awaiting, first, awaiting]) for (const listener of feed.listeners) listener(version);
    expect((await second).value?.version).toBe(awaiting.version);
    const third = stream.next();
    for (const version of [awaiting, first, paid]) for (const listener of feed.listeners) listener(version);
    expect((await third).value?.status).toBe("PAID");
    expect([first.version, awaiting.version, paid.version]).toEqual([1, 2, 3]);
    await stream.return(undefined);
  });

  it("unsubscribes when the order reaches a final state", async () => {
    const { app, feed, watch, orderId } = await watched();
    const seen: string[] = [];
    for await (const current of watch.execute(orderId)) {
      seen.push(current.status);
      expect(feed.open).toBe(1);
      if (current.status === "PENDING") await app.cancelOrder.execute(orderId, "changed my mind");
    }
    expect(seen).toEqual(["PENDING", "CANCELLED"]);
    expect(feed.open).toBe(0);
  });

  it("unsubscribes when the stream is closed, its signal aborts, or the order is unknown", async () => {
    const { feed, watch, orderId } = await watched();
    const closed = watch.execute(orderId);
    await closed.next();
    await closed.return(undefined);
    expect(feed.open).toBe(0);

    const controller = new AbortController();
    const aborted = watch.execute(orderId, controller.signal);
    await aborted.next();
    const ended = aborted.next();
    controller.abort();
    expect((await ended).done).toBe(true);
    expect(feed.open).toBe(0);

    await expect(watch.execute("01KDVZZZZZZZZZZZZZZZZZZZZZ").next()).rejects.toThrow(NotFoundError);
    expect(feed.open).toBe(0);
  });
});

describe("RefreshWatchedOrders", () => {
  it("reads in full only the watched orders stored since the feed last handed them on, and nothing while none is watched", async () => {
    const { app, repository } = makeApp();
    const reads: string[][] = [];
    const probes: string[][] = [];
    const getMany = repository.getMany.bind(repository);
    const versionsOf = repository.versionsOf.bind(repository);
    repository.getMany = (ids) => {
      reads.push([...ids]);
      return getMany(ids);
    };
    repository.versionsOf = (ids) => {
      probes.push([...ids]);
      return versionsOf(ids);
    };
    expect(await app.refreshWatchedOrders.execute()).toBe(0);
    expect(probes).toEqual([]);

    const orders = await Promise.all(["a", "b", "c"].map((key) => app.createOrder.execute({ customerId: "alice", idempotencyKey: key, lines: [{ itemId: dishes.espresso.id, quantity: 1 }] })));
    const ids = orders.map((order) => order.id);
    const watches = orders.map((order) => app.watchOrder.execute(order.id));
    for (const watch of watches) await watch.next();
    // Each watcher waits on the feed alone: no timer of its own.
    const pending = watches.map((watch) => watch.next());
    // A change stored elsewhere: it never passes through this feed.
    await repository.update(orders[1]!.id, (stored) => stored.cancel("gone", new Date()));
    // The first pass reads each order once: the feed has handed none of them on yet (each watcher read its own).
    expect(await app.refreshWatchedOrders.execute()).toBe(3);
    expect((await pending[1]!).value?.status).toBe("CANCELLED");
    expect(await app.refreshWatchedOrders.execute()).toBe(0);
    await repository.update(orders[2]!.id, (stored) => stored.cancel("gone too", new Date()));
    expect(await app.refreshWatchedOrders.execute()).toBe(1);
    expect((await pending[2]!).value?.status).toBe("CANCELLED");
    expect(reads).toEqual([ids, [orders[2]!.id]]);
    expect(probes).toEqual([ids, ids, ids]);

    for (const watch of watches) await watch.return();
    await Promise.all(pending);
    expect(await app.refreshWatchedOrders.execute()).toBe(0);
    expect(probes).toHaveLength(3);
  });
});

describe("WatchOrder lets go when its consumer leaves", () => {
  it("while waiting for a change, without its signal aborting: the subscription, abort listener and slot go at once", async () => {
    const { app, repository } = makeApp();
    // Re-reads only every minute: nothing but the consumer leaving can end the wait below.
    const watch = new WatchOrder({ repository, feed: app.feed, limits: { maxWatchersPerOrder: 1 } });
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const staying = new AbortController();
    const stream = watch.execute(order.id, staying.signal);
    await stream.next();
    const waiting = stream.next();
    expect(getEventListeners(staying.signal, "abort")).toHaveLength(1);
    expect(app.feed.watchedOrders).toBe(1);

    await stream.return(undefined);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(getEventListeners(staying.signal, "abort")).toHaveLength(0);
    expect(app.feed.watchedOrders).toBe(0);
    // The order's one watcher slot is free again.
    const next = watch.execute(order.id);
    expect((await next.next()).value?.id).toBe(order.id);
    await next.return(undefined);
  });

  it("when its signal aborts during the first read: ends, and the subscription, abort listener and slot go", async () => {
    const { app, repository } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    let readStarted!: () => void;
    const reading = new Promise<void>((resolve) => (readStarted = resolve));
    const read = repository.get.bind(repository);
    repository.get = async (id) => {
      readStarted();
      await new Promise((resolve) => setTimeout(resolve, 10));
      return read(id);
    };
    const watch = new WatchOrder({ repository, feed: app.feed, limits: { maxWatchersPerOrder: 1 } });
    const leaving = new AbortController();
    const first = watch.execute(order.id, leaving.signal).next();
    await reading;
    leaving.abort();
    expect(await first).toEqual({ value: undefined, done: true });
    expect(getEventListeners(leaving.signal, "abort")).toHaveLength(0);
    expect(app.feed.watchedOrders).toBe(0);
    const next = watch.execute(order.id);
    expect((await next.next()).value?.id).toBe(order.id);
    await next.return(undefined);
  });

  it("after its signal aborts, or its order turns final, or its first read fails, holds nothing", async () => {
    const { app, repository } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const leaving = new AbortController();
    const aborted = app.watchOrder.execute(order.id, leaving.signal);
    await aborted.next();
    const waiting = aborted.next();
    leaving.abort();
    expect((await waiting).done).toBe(true);

    const other = new AbortController();
    await expect(app.watchOrder.execute(order.id, other.signal, "bob").next()).rejects.toThrow(NotFoundError);

    const ending = app.watchOrder.execute(order.id, other.signal);
    await ending.next();
    await repository.update(order.id, (stored) => moveTo(stored, "COMPLETED"));
    await app.refreshWatchedOrders.execute();
    expect((await ending.next()).value?.status).toBe("COMPLETED");
    expect((await ending.next()).done).toBe(true);
    expect(getEventListeners(leaving.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(other.signal, "abort")).toHaveLength(0);
    expect(app.feed.watchedOrders).toBe(0);
  });
});
