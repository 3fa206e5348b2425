import { describe, expect, it } from "vitest";
import { dishes, makeApp, outboxTypes, paymentDeadlineMs } from "./support/fakes.js";
import { moveTo } from "./support/orders.js";

describe("ExpireUnpaidOrders under concurrent payments", () => {
  it("leaves an order paid between the sweep's query and its update, raising nothing", async () => {
    const { app, repository, clock, counter } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    await repository.update(order.id, (stored) => moveTo(stored, "AWAITING_PAYMENT"));
    clock.advance(paymentDeadlineMs);
    const findDue = repository.findPastPaymentDeadline.bind(repository);
    repository.findPastPaymentDeadline = async (now, limit) => {
      const due = await findDue(now, limit);
      // The payment lands after the query has found the order due.
      await app.recordPaymentSucceeded.execute({ orderId: order.id });
      return due;
    };
    const published = counter.published;

    expect(await app.expireUnpaidOrders.execute()).toBe(0);
    expect((await repository.get(order.id))?.status).toBe("PAID");
    expect(await outboxTypes(repository, order.id)).toEqual(["order.created", "order.paid"]);
    expect(counter.published).toBe(published + 1);
  });

  it("cancels only the due orders still unpaid when it reaches them, counting those", async () => {
    const { app, repository, clock } = makeApp();
    const create = (key: string) => app.createOrder.execute({ customerId: "alice", idempotencyKey: key, lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const [paidMeanwhile, stillUnpaid] = [await create("a"), await create("b")];
    clock.advance(paymentDeadlineMs);
    const findDue = repository.findPastPaymentDeadline.bind(repository);
    repository.findPastPaymentDeadline = async (now, limit) => {
      const due = await findDue(now, limit);
      await repository.update(paidMeanwhile.id, (stored) => moveTo(stored, "PAID"));
      return due;
    };

    expect(await app.expireUnpaidOrders.execute()).toBe(1);
    expect((await repository.get(paidMeanwhile.id))?.status).toBe("PAID");
    expect((await repository.get(stillUnpaid.id))?.status).toBe("CANCELLED");
  });
});

describe("ExpireUnpaidOrders batches", () => {
  it("cancels at most 100 orders a sweep, leaving the rest to the next", async () => {
    const { app, repository, clock, stock } = makeApp();
    stock.available.set(dishes.espresso.id, 101);
    for (let index = 0; index < 101; index++) {
      await app.createOrder.execute({ customerId: "alice", idempotencyKey: `k${index}`, lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    }
    clock.advance(paymentDeadlineMs);
    expect(await app.expireUnpaidOrders.execute()).toBe(100);
    expect(await app.expireUnpaidOrders.execute()).toBe(1);
    expect((await repository.list({ limit: 200 })).orders.every((order) => order.status === "CANCELLED")).toBe(true);
  });
});
