import { PreconditionError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { beforeEach, describe, expect, it } from "vitest";
import type { StoredOrders } from "../src/adapters/order-storage.js";
import { orderStatuses, type Order, type OrderStatus } from "../src/domain/order.js";
import { DuplicateIdempotencyKeyError } from "../src/domain/order-repository.js";
import { moveTo, newOrder, t0 } from "./support/orders.js";

const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

/**
 * The behaviour every OrderRepository adapter must share (memory and
 * MongoDB). `makeRepository` returns an empty repository.
 */
export function describeOrderRepositoryContract(name: string, makeRepository: () => Promise<StoredOrders> | StoredOrders): void {
  describe(`OrderRepository contract: ${name}`, () => {
    let repository: StoredOrders;
    beforeEach(async () => {
      repository = await makeRepository();
    });

    it("stores and returns an order as it was", async () => {
      const order = newOrder();
      await repository.create(order);
      expect((await repository.get(order.id))?.toSnapshot()).toEqual(order.toSnapshot());
      expect((await repository.findByIdempotencyKey(order.idempotencyKey))?.id).toBe(order.id);
      expect(await repository.get(newId())).toBeUndefined();
      expect(await repository.findByIdempotencyKey("never used")).toBeUndefined();
    });

    it("reads many orders by id at once, leaving out ids it does not hold", async () => {
      const orders = [newOrder({ idempotencyKey: "m-1" }), newOrder({ idempotencyKey: "m-2" }), newOrder({ idempotencyKey: "m-3" })];
      for (const order of orders) await repository.create(order);
      const found = await repository.getMany([orders[2]!.id, newId(), orders[0]!.id]);
      expect(found.map((order) => order.toSnapshot()).sort((a, b) => a.id.localeCompare(b.id))).toEqual([orders[0]!.toSnapshot(), orders[2]!.toSnapshot()].sort((a, b) => a.id.localeCompare(b.id)));
      expect(await repository.getMany([])).toEqual([]);
    });

    it("tells the stored version of many orders at once, leaving out ids it does not hold", async () => {
      const [kept, changed] = [newOrder({ idempotencyKey: "v-1" }), newOrder({ idempotencyKey: "v-2" })];
      for (const order of [kept, changed]) await repository.create(order);
      await repository.update(changed.id, (order) => order.cancel("changed its mind", t0));
      const versions = await repository.versionsOf([kept.id, newId(), changed.id]);
      expect(versions).toEqual(new Map([[kept.id, kept.version], [changed.id, changed.version + 1]]));
      expect(await repository.versionsOf([])).toEqual(new Map());
    });

    it("refuses a second order with the same idempotency key, handing back the first", async () => {
      const first = newOrder({ idempotencyKey: "key-1" });
      await repository.create(first);
      const error = await repository.create(newOrder({ idempotencyKey: "key-1" })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DuplicateIdempotencyKeyError);
      expect((error as DuplicateIdempotencyKeyError).existing.id).toBe(first.id);
    });

    it("lets exactly one of many concurrent creates with one key win", async () => {
      const orders = Array.from({ length: 8 }, () => newOrder({ idempotencyKey: "race" }));
      const results = await Promise.allSettled(orders.map((order) => repository.create(order)));
      const won = results.filter((result) => result.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const result of results) {
        if (result.status === "rejected") expect(result.reason).toBeInstanceOf(DuplicateIdempotencyKeyError);
      }
      const page = await repository.list({ limit: 100 });
      expect(page.orders).toHaveLength(1);
    });

    it("counts orders by status", async () => {
      expect(await repository.countByStatus()).toEqual({});
      for (let i = 0; i < 3; i++) await repository.create(newOrder());
      const moved = newOrder();
      await repository.create(moved);
      await repository.update(moved.id, (stored) => stored.awaitPayment("https://pay.example/2", minutes(1)));
      expect(await repository.countByStatus()).toEqual({ PENDING: 3, AWAITING_PAYMENT: 1 });
    });

    it("counts every status, finished long ago or just now, and counts again as orders move on", async () => {
      // As the service does, orders move at the current time (t0 is long past): a finished order's time is when it finished.
      const now = new Date();
      await repository.create(moveTo(newOrder(), "COMPLETED"));
      await repository.create(moveTo(newOrder(), "CANCELLED"));
      const byStatus = new Map<OrderStatus, Order>();
      for (const status of orderStatuses) {
        const order = moveTo(newOrder({ now }), status, now);
        await repository.create(order);
        byStatus.set(status, order);
      }
      const one = { PENDING: 1, AWAITING_PAYMENT: 1, PAID: 1, PREPARING: 1, READY: 1 };
      expect(await repository.countByStatus()).toEqual({ ...one, COMPLETED: 2, CANCELLED: 2 });

      await repository.update(byStatus.get("READY")!.id, (stored) => stored.complete(now));
      await repository.update(byStatus.get("PENDING")!.id, (stored) => stored.cancel("changed my mind", now));
      await repository.update(byStatus.get("PAID")!.id, (stored) => stored.startPreparing(now));
      expect(await repository.countByStatus()).toEqual({ AWAITING_PAYMENT: 1, PREPARING: 2, COMPLETED: 3, CANCELLED: 3 });
    });

    it("updates through a closure and returns the stored order", async () => {
      const order = newOrder();
      await repository.create(order);
      const updated = await repository.update(order.id, (stored) => stored.awaitPayment("https://pay.example/1", minutes(1)));
      expect(updated?.status).toBe("AWAITING_PAYMENT");
      expect(updated?.paymentUrl).toBe("https://pay.example/1");
      expect((await repository.get(order.id))?.toSnapshot()).toEqual(updated?.toSnapshot());
    });

    it("saves nothing when the closure throws", async () => {
      const order = newOrder();
      await repository.create(order);
      await expect(repository.update(order.id, (stored) => stored.complete(minutes(1)))).rejects.toBeInstanceOf(PreconditionError);
      expect((await repository.get(order.id))?.toSnapshot()).toEqual(order.toSnapshot());
    });

    it("returns undefined when updating an unknown order", async () => {
      expect(await repository.update(newId(), () => {})).toBeUndefined();
    });

    it("applies concurrent updates one after the other, losing none", async () => {
      const order = newOrder();
      await repository.create(order);
      await Promise.all([
        repository.update(order.id, (stored) => {
          if (stored.status === "PENDING") stored.awaitPayment("https://pay.example/1", minutes(1));
        }),
        repository.update(order.id, (stored) => stored.cancel("changed my mind", minutes(1))),
      ]);
      const stored = await repository.get(order.id);
      // Either order of the two is fine; overwriting one with the other is not.
      expect(stored?.status).toBe("CANCELLED");
      expect(stored?.version).toBe(stored?.paymentUrl ? 3 : 2);
    });

    it("lists newest first, a page at a time, optionally for one customer", async () => {
      const created = [];
      for (let index = 0; index < 5; index++) {
        const order = newOrder({ customerId: index % 2 === 0 ? "alice" : "bob" });
        await repository.create(order);
        created.push(order.id);
      }
      const newestFirst = [...created].reverse();
      const first = await repository.list({ limit: 2 });
      expect(first.orders.map((order) => order.id)).toEqual(newestFirst.slice(0, 2));
      const second = await repository.list({ limit: 2, beforeId: first.nextBeforeId });
      expect(second.orders.map((order) => order.id)).toEqual(newestFirst.slice(2, 4));
      const last = await repository.list({ limit: 2, beforeId: second.nextBeforeId });
      expect(last.orders.map((order) => order.id)).toEqual(newestFirst.slice(4));
      expect(last.nextBeforeId).toBeUndefined();

      const alice = await repository.list({ customerId: "alice", limit: 10 });
      expect(alice.orders.map((order) => order.id)).toEqual([created[4], created[2], created[0]]);
      expect(alice.nextBeforeId).toBeUndefined();
      expect((await repository.list({ customerId: "carol", limit: 10 })).orders).toEqual([]);
      // One customer's orders a page at a time, each page from where the last ended.
      const alicePage = await repository.list({ customerId: "alice", limit: 2 });
      expect(alicePage.orders.map((order) => order.id)).toEqual([created[4], created[2]]);
      const aliceRest = await repository.list({ customerId: "alice", limit: 2, beforeId: alicePage.nextBeforeId });
      expect(aliceRest.orders.map((order) => order.id)).toEqual([created[0]]);
      expect(aliceRest.nextBeforeId).toBeUndefined();
      expect((await repository.list({ customerId: "bob", limit: 2, beforeId: created[3] })).orders.map((order) => order.id)).toEqual([created[1]]);
    });

    it("finds unpaid orders at or past their payment deadline", async () => {
      const due = newOrder({ paymentDeadline: minutes(5) });
      const awaiting = moveTo(newOrder({ paymentDeadline: minutes(4) }), "AWAITING_PAYMENT");
      const notYet = newOrder({ paymentDeadline: minutes(6) });
      const paid = moveTo(newOrder({ paymentDeadline: minutes(1) }), "PAID");
      const cancelled = moveTo(newOrder({ paymentDeadline: minutes(1) }), "CANCELLED");
      for (const order of [due, awaiting, notYet, paid, cancelled]) await repository.create(order);
      const found = await repository.findPastPaymentDeadline(minutes(5), 10);
      expect(found.map((order) => order.id).sort()).toEqual([due.id, awaiting.id].sort());
      expect(await repository.findPastPaymentDeadline(minutes(5), 1)).toHaveLength(1);
    });

    it("keeps the outbox with the order until its events are marked published", async () => {
      const order = newOrder();
      await repository.create(order);
      await repository.update(order.id, (stored) => stored.cancel("changed my mind", minutes(1)));
      const pending = await repository.pendingOutbox(10);
      expect(pending).toHaveLength(1);
      expect(pending[0]?.aggregateId).toBe(order.id);
      expect(pending[0]?.events.map((event) => event.type)).toEqual(["order.created", "order.cancelled"]);

      await repository.markPublished(order.id, [pending[0]!.events[0]!.id]);
      const rest = await repository.pendingOutbox(10);
      expect(rest[0]?.events.map((event) => event.type)).toEqual(["order.cancelled"]);
      await repository.markPublished(order.id, [rest[0]!.events[0]!.id]);
      expect(await repository.pendingOutbox(10)).toEqual([]);
      expect((await repository.get(order.id))?.status).toBe("CANCELLED");
    });

    it("returns pending outboxes oldest first, at most the limit", async () => {
      const older = newOrder({ now: minutes(1) });
      const newer = newOrder({ now: minutes(2) });
      await repository.create(newer);
      await repository.create(older);
      const pending = await repository.pendingOutbox(10);
      expect(pending.map((entry) => entry.aggregateId)).toEqual([older.id, newer.id]);
      expect(await repository.pendingOutbox(1)).toHaveLength(1);
    });
  });
}
