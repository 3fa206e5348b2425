import { describe, expect, it } from "vitest";
import { OrderChangeFeed } from "../src/app/order-change-feed.js";
import { newOrder } from "./support/orders.js";

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
    const leaveFirst = feed.subscribe(order.id, () => (heard.first += 1));
    const leaveSecond = feed.subscribe(order.id, () => (heard.second += 1));
    leaveFirst();
    await feed.stored(order);
    expect(heard).toEqual({ first: 0, second: 1 });
    leaveSecond();
    feed.subscribe(order.id, () => (heard.first += 10));
    await feed.stored(order);
    expect(heard).toEqual({ first: 10, second: 1 });
  });
});

describe("OrderChangeFeed unsubscribing", () => {
  it("forgets an order once its last listener leaves", () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const leaveA = feed.subscribe(order.id, () => {});
    const leaveB = feed.subscribe(order.id, () => {});
    expect(feed.watchedOrders).toBe(1);
    leaveA();
    expect(feed.watchedOrders).toBe(1);
    leaveB();
    expect(feed.watchedOrders).toBe(0);
  });

  it("counts a second unsubscribe as nothing: a listener that came since keeps hearing", async () => {
    const feed = new OrderChangeFeed();
    const order = newOrder();
    const leaveFirst = feed.subscribe(order.id, () => {});
    leaveFirst();
    let heard = 0;
    feed.subscribe(order.id, () => (heard += 1));
    leaveFirst();
    await feed.stored(order);
    expect(heard).toBe(1);
    expect(feed.watchedOrders).toBe(1);
  });
});
