import { PreconditionError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
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
});
