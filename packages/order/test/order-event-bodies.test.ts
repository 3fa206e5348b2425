import { timestampDate } from "@bufbuild/protobuf/wkt";
import { AggregateOutboxStore, decode } from "@oms/platform/events";
import { describe, expect, it } from "vitest";
import { MemoryOrderRepository } from "../src/adapters/memory-order-repository.js";
import { orderEventBody } from "../src/adapters/order-event-bodies.js";
import { newOrder, orderIn } from "./support/orders.js";

const toEnvelope = (event: Parameters<typeof orderEventBody>[0]) => new AggregateOutboxStore(new MemoryOrderRepository(), orderEventBody).envelope(event);

describe("order event bodies", () => {
  it("turns order.created into its protobuf envelope, keeping the event id and time", () => {
    const order = newOrder();
    const event = order.outbox[0]!;
    const envelope = toEnvelope(event);
    expect(envelope).toMatchObject({ id: event.id, type: "order.created", time: event.time });
    const body = decode("order.created", envelope);
    expect(body.orderId).toBe(order.id);
    expect(body.customerId).toBe("alice");
    expect(body.lines.map((line) => [line.itemId, line.name, line.quantity, Number(line.unitPrice?.amountMinor), line.unitPrice?.currencyCode])).toEqual(
      order.lines.map((line) => [line.itemId, line.name, line.quantity, line.unitPrice.amountMinor, "EUR"]),
    );
    expect(Number(body.total?.amountMinor)).toBe(order.total.amountMinor);
    expect(timestampDate(body.paymentDeadline!)).toEqual(order.paymentDeadline);
  });

  it("carries lines and total in order.paid, the reason in order.cancelled, the id in order.completed", () => {
    const paid = orderIn("PAID");
    const paidBody = decode("order.paid", toEnvelope(paid.outbox.at(-1)!));
    expect(paidBody.orderId).toBe(paid.id);
    expect(paidBody.lines).toHaveLength(2);
    expect(Number(paidBody.total?.amountMinor)).toBe(paid.total.amountMinor);

    const cancelled = orderIn("CANCELLED");
    expect(decode("order.cancelled", toEnvelope(cancelled.outbox.at(-1)!))).toMatchObject({ orderId: cancelled.id, reason: "changed my mind" });
    const completed = orderIn("COMPLETED");
    expect(decode("order.completed", toEnvelope(completed.outbox.at(-1)!)).orderId).toBe(completed.id);
  });

  it("serves the repository's outbox to the relay and marks events published", async () => {
    const repository = new MemoryOrderRepository();
    const order = orderIn("CANCELLED");
    await repository.create(order);
    const store = new AggregateOutboxStore(repository, orderEventBody);
    const [pending] = await store.pendingOutbox(10);
    expect(pending?.aggregateId).toBe(order.id);
    expect(pending?.events.map((event) => event.type)).toEqual(["order.created", "order.cancelled"]);
    await store.markPublished(order.id, pending!.events.map((event) => event.id));
    expect(await store.pendingOutbox(10)).toEqual([]);
  });
});
