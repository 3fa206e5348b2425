import { describe, expect, it } from "vitest";
import { OrderChangeFeed } from "../src/app/order-change-feed.js";
import { moveTo, newOrder } from "./support/orders.js";

describe("OrderChangeFeed", () => {
  it("tells each listener of an order every version stored, then publishes", async () => {
    const steps: string[] = [];
    const feed = new OrderChangeFeed(async () => void steps.push("published"));
    const order = newOrder();
    const other = newOrder();
    feed.subscribe(order.id, (stored) => steps.push(`a heard ${stored.id === order.id ? "its order" : "another"}`));
    feed.subscribe(order.id, () => steps.push("b heard"));
    await feed.stored(order);
    await feed.stored(other);
    expect(steps).toEqual(["a heard its order", "b heard", "published", "published"]);
  });

  it("stops telling a listener once it unsubscribes, and keeps telling the others", async () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const heard = { first: 0, second: 0 };
    const first = () => (heard.first += 1);
    const second = () => (heard.second += 1);
    feed.subscribe(order.id, first);
    feed.subscribe(order.id, second);
    feed.unsubscribe(order.id, first);
    await feed.stored(order);
    expect(heard).toEqual({ first: 0, second: 1 });
    feed.unsubscribe(order.id, second);
    feed.subscribe(order.id, () => (heard.first += 10));
    await feed.stored(order);
    expect(heard).toEqual({ first: 10, second: 1 });
  });

  it("calls a listener subscribed twice once per version", async () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    let heard = 0;
    const listener = () => (heard += 1);
    feed.subscribe(order.id, listener);
    feed.subscribe(order.id, listener);
    await feed.stored(order);
    expect(heard).toBe(1);
    feed.unsubscribe(order.id, listener);
    expect(feed.watchedOrders).toBe(0);
  });
});

describe("OrderChangeFeed's newest version heard", () => {
  it("keeps the newest version handed to a watched order's listeners, none for an unwatched order, and forgets it with the last listener", () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const later = moveTo(newOrder({ id: order.id }), "CANCELLED");
    const [a, b] = [() => {}, () => {}];
    feed.heard(order);
    expect(feed.newestHeard(order.id)).toBe(0);
    feed.subscribe(order.id, a);
    feed.subscribe(order.id, b);
    feed.heard(later);
    // An older version read late (a refresh racing a save) does not move it back.
    feed.heard(order);
    expect(feed.newestHeard(order.id)).toBe(later.version);
    feed.unsubscribe(order.id, a);
    expect(feed.newestHeard(order.id)).toBe(later.version);
    feed.unsubscribe(order.id, b);
    expect(feed.newestHeard(order.id)).toBe(0);
  });
});

describe("OrderChangeFeed unsubscribing", () => {
  it("forgets an order once its last listener leaves, in either order", () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const [a, b, c] = [() => {}, () => {}, () => {}];
    feed.subscribe(order.id, a);
    feed.subscribe(order.id, b);
    feed.subscribe(order.id, c);
    expect(feed.watchedOrders).toBe(1);
    feed.unsubscribe(order.id, b);
    feed.unsubscribe(order.id, a);
    expect(feed.watchedOrders).toBe(1);
    feed.unsubscribe(order.id, c);
    expect(feed.watchedOrders).toBe(0);
  });

  it("counts a second unsubscribe as nothing: a listener that came since keeps hearing", async () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const first = () => {};
    feed.subscribe(order.id, first);
    feed.unsubscribe(order.id, first);
    let heard = 0;
    feed.subscribe(order.id, () => (heard += 1));
    feed.unsubscribe(order.id, first);
    await feed.stored(order);
    expect(heard).toBe(1);
    expect(feed.watchedOrders).toBe(1);
  });

  it("keeps telling the others while a listener leaves during a version", async () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const heard: string[] = [];
    const leaving = () => {
      heard.push("leaving");
      feed.unsubscribe(order.id, leaving);
    };
    feed.subscribe(order.id, leaving);
    feed.subscribe(order.id, () => heard.push("staying"));
    await feed.stored(order);
    await feed.stored(order);
    expect(heard).toEqual(["leaving", "staying", "staying"]);
  });
});
