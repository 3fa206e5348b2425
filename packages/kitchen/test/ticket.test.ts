import { PreconditionError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { DuplicateTicketError } from "../src/domain/ticket-repository.js";
import { Ticket, type TicketClaim } from "../src/domain/ticket.js";

const now = new Date("2026-11-25T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const claim = (claimId = "c1", leaseMs = 1000): TicketClaim => ({ cook: "cook-1", kitchenId: "k1", claimId, leaseUntil: at(leaseMs) });
const queued = () => Ticket.open({ id: "t1", orderId: "o1", lines: [{ name: "Soup", quantity: 2 }], now });

describe("Ticket", () => {
  it("goes QUEUED -> COOKING -> READY, raising started and ready", () => {
    const ticket = queued();
    ticket.start(claim(), at(1));
    expect([ticket.status, ticket.cook]).toEqual(["COOKING", "cook-1"]);
    ticket.finish("c1", at(2));

    expect(ticket.status).toBe("READY");
    expect(ticket.readyTime).toEqual(at(2));
    expect(ticket.outbox.map((event) => [event.type, "cook" in event ? event.cook : ""])).toEqual([
      ["kitchen.ticket_started", "cook-1"],
      ["kitchen.ticket_ready", ""],
    ]);
  });

  it("refuses empty tickets and bad quantities", () => {
    expect(() => Ticket.open({ id: "t", orderId: "o", lines: [], now })).toThrow(PreconditionError);
    expect(() => Ticket.open({ id: "t", orderId: "o", lines: [], now })).toThrow("order o: a ticket needs at least one line");
    expect(() => Ticket.open({ id: "t", orderId: "o", lines: [{ name: "Soup", quantity: 0 }], now })).toThrow(/quantity 0/);
  });

  it("cannot be taken while another cook's lease holds, but can once it ran out", () => {
    const ticket = queued();
    ticket.start(claim("c1", 1000), at(0));
    expect(() => ticket.start(claim("c2"), at(999))).toThrow(/held by cook-1/);

    ticket.start(claim("c2"), at(1000));
    expect(() => ticket.finish("c1", at(1001))).toThrow(/cannot be finished by this cook/);
    ticket.finish("c2", at(1001));
    expect(() => ticket.start(claim("c3"), at(99_999))).toThrow(PreconditionError);
  });

  it("goes back to the queue when its cook hands it back or its kitchen restarts", () => {
    const ticket = queued();
    ticket.start(claim(), at(1));
    expect(() => ticket.requeue({ claimId: "other" })).toThrow(PreconditionError);
    expect(() => ticket.requeue({ kitchenId: "k2" })).toThrow(PreconditionError);
    ticket.requeue({ claimId: "c1" });
    expect([ticket.status, ticket.cook, ticket.startTime]).toEqual(["QUEUED", "", undefined]);

    ticket.start(claim("c2"), at(2));
    ticket.requeue({ kitchenId: "k1" });
    expect(ticket.status).toBe("QUEUED");
    expect(() => ticket.finish("c2", at(3))).toThrow(PreconditionError);
  });

  it("says why a cook or a kitchen may not move it", () => {
    const ticket = queued();
    expect(() => ticket.finish("c1", at(1))).toThrow("ticket t1 is QUEUED; cannot be finished by this cook");
    ticket.start(claim(), at(1));
    expect(() => ticket.requeue({ claimId: "other" })).toThrow("ticket t1 is COOKING (cook-1); cannot be handed back by this cook");
    expect(() => ticket.requeue({ kitchenId: "k2" })).toThrow("ticket t1 is not cooking in kitchen k2");
  });

  it("once READY, is neither finished again nor queued again, even by its own cook and kitchen", () => {
    const ticket = queued();
    ticket.start(claim(), at(1));
    ticket.finish("c1", at(2));
    expect(() => ticket.finish("c1", at(3))).toThrow(PreconditionError);
    expect(() => ticket.requeue({ claimId: "c1" })).toThrow(PreconditionError);
    expect(() => ticket.requeue({ kitchenId: "k1" })).toThrow(PreconditionError);
    expect([ticket.status, ticket.readyTime, ticket.outbox.length]).toEqual(["READY", at(2), 2]);
  });

  it("hands out copies of its claim and times, and has none before they happen", () => {
    const ticket = queued();
    expect([ticket.claim, ticket.startTime, ticket.readyTime]).toEqual([undefined, undefined, undefined]);
    ticket.start(claim(), at(1));
    ticket.finish("c1", at(2));
    expect([ticket.startTime, ticket.readyTime]).toEqual([at(1), at(2)]);
    ticket.claim!.cook = "someone else";
    ticket.claim!.leaseUntil.setTime(0);
    ticket.startTime!.setTime(0);
    ticket.readyTime!.setTime(0);
    expect([ticket.cook, ticket.claim!.leaseUntil, ticket.startTime, ticket.readyTime]).toEqual(["cook-1", at(1000), at(1), at(2)]);
  });

  it("names the order and its ticket when the order already has one", () => {
    expect(new DuplicateTicketError(queued()).message).toBe("order o1 already has ticket t1");
  });
});
