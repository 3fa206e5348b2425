import { NotFoundError, PreconditionError, ValidationError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { dishes, makeApp, outboxTypes, paymentDeadlineMs } from "./support/fakes.js";
import { moveTo } from "./support/orders.js";

let keys = 0;
const orderFor = (app: ReturnType<typeof makeApp>["app"], customerId = "alice") =>
  app.createOrder.execute({ customerId, idempotencyKey: `key-${++keys}`, lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => expect.fail("expected a failure"), (error: unknown) => error as Error);
}

describe("GetOrder", () => {
  it("returns the order and reports an unknown one", async () => {
    const { app } = makeApp();
    const order = await orderFor(app);
    expect((await app.getOrder.execute(order.id)).id).toBe(order.id);
    const unknownId = newId();
    const unknown = await failure(app.getOrder.execute(unknownId));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).field).toBe("id");
    expect(unknown.message).toBe(`id: order "${unknownId}" not found`);
  });
});

describe("ListOrders", () => {
  it("pages newest first with opaque tokens, 20 per page by default", async () => {
    const { app, stock } = makeApp();
    stock.available.set(dishes.espresso.id, 100);
    const ids: string[] = [];
    for (let index = 0; index < 25; index++) ids.push((await orderFor(app, index < 22 ? "alice" : "bob")).id);
    const first = await app.listOrders.execute({ customerId: "", pageSize: 0, pageToken: "" });
    expect(first.orders.map((order) => order.id)).toEqual([...ids].reverse().slice(0, 20));
    expect(first.nextPageToken).not.toBe("");
    const second = await app.listOrders.execute({ customerId: "", pageSize: 0, pageToken: first.nextPageToken });
    expect(second.orders.map((order) => order.id)).toEqual([...ids].reverse().slice(20));
    expect(second.nextPageToken).toBe("");

    const bob = await app.listOrders.execute({ customerId: "bob", pageSize: 2, pageToken: "" });
    expect(bob.orders.map((order) => order.id)).toEqual([ids[24], ids[23]]);
    const bobRest = await app.listOrders.execute({ customerId: "bob", pageSize: 2, pageToken: bob.nextPageToken });
    expect(bobRest.orders.map((order) => order.id)).toEqual([ids[22]]);
    expect(bobRest.nextPageToken).toBe("");
  });

  // A token is exactly what the service issued: a stray character around one (which base64url decoding skips) is refused too.
  // (Fixed ids: a test's name must be the same each time the file loads.)
  const anId = "01KDVDNA008K7ESVVT02SXGT1B";
  const issued = Buffer.from(`orders-before:${anId}`).toString("base64url");
  const foreign = [Buffer.from("orders-before:nope").toString("base64url"), Buffer.from(anId).toString("base64url"), `!${issued}`, `${issued}!`];
  for (const pageToken of ["garbage!", "bm90IGEgdG9rZW4", ...foreign]) {
    it(`refuses the page token ${JSON.stringify(pageToken)}`, async () => {
      const { app } = makeApp();
      const error = await failure(app.listOrders.execute({ customerId: "", pageSize: 10, pageToken }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("page_token");
    });
  }
});

describe("CancelOrder", () => {
  it("cancels an unpaid order with the reason given, or a default one, and publishes order.cancelled", async () => {
    const { app, repository, counter } = makeApp();
    const order = await orderFor(app);
    const cancelled = await app.cancelOrder.execute(order.id, "  wrong table ");
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.cancelReason).toBe("wrong table");
    expect(await outboxTypes(repository, order.id)).toEqual(["order.created", "order.cancelled"]);
    expect(counter.published).toBe(2);

    const awaiting = await orderFor(app);
    await repository.update(awaiting.id, (stored) => stored.awaitPayment("https://pay.example/1", new Date()));
    expect((await app.cancelOrder.execute(awaiting.id, "   ")).cancelReason).toBe("cancelled by the customer");
  });

  it("answers a repeat (a retry after a lost answer) with the cancelled order as it is, raising nothing more", async () => {
    const { app, repository, counter } = makeApp();
    const order = await orderFor(app);
    const first = await app.cancelOrder.execute(order.id, "wrong table");
    const repeat = await app.cancelOrder.execute(order.id, "still wrong");
    expect(repeat.toSnapshot()).toEqual(first.toSnapshot());
    expect(repeat.cancelReason).toBe("wrong table");
    expect(await outboxTypes(repository, order.id)).toEqual(["order.created", "order.cancelled"]);
    expect(counter.published).toBe(2);
  });

  it("refuses to cancel a paid order, and an unknown one", async () => {
    const { app, repository } = makeApp();
    const order = await orderFor(app);
    await repository.update(order.id, (stored) => moveTo(stored, "PAID"));
    const error = await failure(app.cancelOrder.execute(order.id, ""));
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.message).toBe(`order ${order.id} is PAID; cannot cancel`);
    expect((await repository.get(order.id))?.status).toBe("PAID");
    const unknownId = newId();
    const unknown = await failure(app.cancelOrder.execute(unknownId, ""));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.message).toBe(`id: order "${unknownId}" not found`);
  });
});

describe("CompleteOrder", () => {
  it("completes a READY order with order.completed and refuses any other", async () => {
    const { app, repository } = makeApp();
    const order = await orderFor(app);
    expect((await failure(app.completeOrder.execute(order.id))).message).toBe(`order ${order.id} is PENDING; cannot complete`);
    await repository.update(order.id, (stored) => moveTo(stored, "READY"));
    const completed = await app.completeOrder.execute(order.id);
    expect(completed.status).toBe("COMPLETED");
    expect(await outboxTypes(repository, order.id)).toEqual(["order.created", "order.paid", "order.completed"]);
    expect(await failure(app.completeOrder.execute(newId()))).toBeInstanceOf(NotFoundError);
  });

  it("answers a repeat with the completed order as it is, and still refuses to complete a cancelled order", async () => {
    const { app, repository, counter } = makeApp();
    const order = await orderFor(app);
    await repository.update(order.id, (stored) => moveTo(stored, "READY"));
    const publishedBefore = counter.published;
    const first = await app.completeOrder.execute(order.id);
    expect(counter.published).toBe(publishedBefore + 1);
    const repeat = await app.completeOrder.execute(order.id);
    expect(counter.published).toBe(publishedBefore + 1);
    expect(repeat.toSnapshot()).toEqual(first.toSnapshot());
    expect(await outboxTypes(repository, order.id)).toEqual(["order.created", "order.paid", "order.completed"]);

    const cancelled = await orderFor(app);
    await app.cancelOrder.execute(cancelled.id, "");
    const error = await failure(app.completeOrder.execute(cancelled.id));
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.message).toBe(`order ${cancelled.id} is CANCELLED; cannot complete`);
  });
});

describe("ExpireUnpaidOrders", () => {
  it("cancels unpaid orders once their deadline passes, publishing order.cancelled, and leaves paid ones", async () => {
    const { app, repository, clock, counter } = makeApp();
    const pending = await orderFor(app);
    const awaiting = await orderFor(app);
    const paid = await orderFor(app);
    await repository.update(awaiting.id, (stored) => moveTo(stored, "AWAITING_PAYMENT"));
    await repository.update(paid.id, (stored) => moveTo(stored, "PAID"));
    clock.advance(paymentDeadlineMs - 1);
    expect(await app.expireUnpaidOrders.execute()).toBe(0);
    clock.advance(1);
    const published = counter.published;
    expect(await app.expireUnpaidOrders.execute()).toBe(2);
    expect(counter.published).toBe(published + 2);
    for (const id of [pending.id, awaiting.id]) {
      const order = await repository.get(id);
      expect(order?.status).toBe("CANCELLED");
      expect(order?.cancelReason).toBe("payment deadline passed");
      expect((await outboxTypes(repository, id)).at(-1)).toBe("order.cancelled");
    }
    expect((await repository.get(paid.id))?.status).toBe("PAID");
    expect(await app.expireUnpaidOrders.execute()).toBe(0);
  });
});
