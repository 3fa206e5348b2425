import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { MemoryEventBus, envelope, type EventEnvelope } from "@oms/platform/events";
import { demoDishes, eventually, key, orderInStatus, rpc, startSystem } from "./support.js";

describe("events between the services", () => {
  let system: RunningSystem;
  let bus: MemoryEventBus;
  const published: EventEnvelope[] = [];
  beforeAll(async () => {
    bus = new MemoryEventBus({ retry: { maxAttempts: 3, delaysMs: [20, 40] } });
    const publish = bus.publish.bind(bus);
    bus.publish = async (event) => {
      published.push(event);
      await publish(event);
    };
    system = await startSystem({}, { bus });
  });
  afterAll(async () => {
    await system?.close();
    await bus.close();
  });

  it("a duplicate event changes nothing", async () => {
    const { body } = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
      customerId: "gina",
      idempotencyKey: key("dup"),
      lines: [{ itemId: demoDishes[9]!.id, quantity: 1 }],
    });
    const orderId = body.order.id;
    const awaiting = await orderInStatus(system, orderId, "AWAITING_PAYMENT");
    await fetch(`${awaiting.paymentUrl}/pay`, { method: "POST" });
    await orderInStatus(system, orderId, "READY");
    const succeeded = published.find((event) => event.type === "payment.succeeded" && Buffer.from(event.body).includes(orderId));
    expect(succeeded).toBeDefined();
    const paidBefore = published.filter((event) => event.type === "order.paid").length;

    await bus.publish({ ...succeeded!, headers: { ...succeeded!.headers } });
    await bus.publish(envelope("payment.succeeded", { orderId, paymentId: "another-delivery-of-the-same-fact" }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await rpc(system.services.order.url, "oms.order.v1.OrderService/GetOrder", { id: orderId });
    expect(after.body.order.status).toBe("ORDER_STATUS_READY");
    expect(published.filter((event) => event.type === "order.paid")).toHaveLength(paidBefore);
    expect(await bus.deadLetters("order")).toHaveLength(0);
  });

  it("a message no consumer can handle is retried, then dead-lettered, and replayable", async () => {
    const poison: EventEnvelope = { ...envelope("order.paid", {}), body: new Uint8Array([0xff, 0xff, 0xff]) };
    await bus.publish(poison);
    const dead = await eventually(async () => {
      const letters = await bus.deadLetters("kitchen");
      return letters.find((letter) => letter.id === poison.id);
    }, 10_000, "the poison message in kitchen's dead letters");
    expect(dead.attempts).toBe(3);
    expect(dead.error).not.toBe("");
    // The kitchen kept working.
    const tickets = await rpc(system.services.kitchen.url, "oms.kitchen.v1.KitchenService/ListTickets", {});
    expect(tickets.status).toBe(200);

    // An operator sees it over RPC, and replays it once the cause is fixed (here it fails again, and is parked again).
    const listed = await rpc(system.services.kitchen.url, "oms.admin.v1.DeadLetterService/ListDeadLetters", {});
    const letter = listed.body.deadLetters.find((each: { id: string }) => each.id === poison.id);
    expect(letter).toMatchObject({ type: "order.paid", queue: "kitchen", attempts: 3 });
    expect(letter.error).not.toBe("");
    const replayed = await rpc(system.services.kitchen.url, "oms.admin.v1.DeadLetterService/ReplayDeadLetters", { ids: [poison.id] });
    expect(replayed.body).toEqual({ replayed: 1 });
    await eventually(async () => {
      const again = await rpc(system.services.kitchen.url, "oms.admin.v1.DeadLetterService/ListDeadLetters", {});
      const parked = again.body.deadLetters?.find((each: { id: string }) => each.id === poison.id);
      // Parked again after three more attempts: a later dead time than the first.
      return parked && Date.parse(parked.deadTime) > Date.parse(letter.deadTime) ? parked : undefined;
    }, 10_000, "the replayed poison message parked again");
  });
});
