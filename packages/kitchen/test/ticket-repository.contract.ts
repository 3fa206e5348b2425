import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { Ticket, type TicketClaim, type TicketStatus } from "../src/domain/ticket.js";
import type { StoredTickets } from "../src/adapters/ticket-storage.js";
import { DuplicateTicketError } from "../src/domain/ticket-repository.js";

const now = new Date("2026-11-25T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const claim = (cook: string, leaseMs = 10_000): TicketClaim => ({ cook, kitchenId: "k1", claimId: newId(), leaseUntil: at(leaseMs) });
const ticketFor = (orderId = newId()) => Ticket.open({ id: newId(), orderId, lines: [{ name: "Soup", quantity: 1 }], now });

/** The behaviour every TicketRepository adapter must show (memory and MongoDB). */
export function describeTicketRepositoryContract(name: string, makeRepository: () => Promise<StoredTickets> | StoredTickets): void {
  describe(`TicketRepository contract: ${name}`, () => {
    it("stores one ticket per order, also when two are created at once", async () => {
      const repository = await makeRepository();
      const orderId = newId();
      const results = await Promise.allSettled([repository.create(ticketFor(orderId)), repository.create(ticketFor(orderId))]);

      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect((results.find((result) => result.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateTicketError);
      expect((await repository.findByOrderId(orderId))?.orderId).toBe(orderId);
      expect(await repository.findByOrderId(newId())).toBeUndefined();
    });

    it("lists oldest first, filtered by status, and the working list (QUEUED and COOKING)", async () => {
      const repository = await makeRepository();
      const tickets = [ticketFor(), ticketFor(), ticketFor()];
      for (const ticket of tickets) await repository.create(ticket);
      await repository.claimNext(claim("cook-1"), now);
      const ids = async (status?: TicketStatus) => (await repository.list({ status, limit: 10 })).tickets.map((ticket) => ticket.id);

      expect(await ids()).toEqual(tickets.map((ticket) => ticket.id));
      expect(await ids("QUEUED")).toEqual([tickets[1]!.id, tickets[2]!.id]);
      expect(await ids("COOKING")).toEqual([tickets[0]!.id]);
      expect(await ids("READY")).toEqual([]);
      expect((await repository.listOpen()).map((ticket) => ticket.id)).toEqual(tickets.map((ticket) => ticket.id));
    });

    it("pages oldest first after a ticket, within a status too, telling where the next page starts", async () => {
      const repository = await makeRepository();
      const tickets = Array.from({ length: 7 }, () => ticketFor());
      for (const ticket of tickets) await repository.create(ticket);
      const ids = tickets.map((ticket) => ticket.id);
      // The second and the fifth are finished: READY pages skip the rest, QUEUED pages skip them.
      for (const index of [1, 4]) {
        const held = claim("cook-1");
        await repository.update(ids[index]!, (ticket) => ticket.start(held, now));
        await repository.update(ids[index]!, (ticket) => ticket.finish(held.claimId, now));
      }
      const pages = async (status: TicketStatus | undefined, limit: number) => {
        const found: string[][] = [];
        let afterId: string | undefined;
        do {
          const page = await repository.list({ status, limit, afterId });
          found.push(page.tickets.map((ticket) => ticket.id));
          if (page.nextAfterId) expect(page.nextAfterId).toBe(page.tickets.at(-1)!.id);
          afterId = page.nextAfterId;
        } while (afterId);
        return found;
      };

      expect(await pages(undefined, 3)).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);
      expect(await pages(undefined, 7)).toEqual([ids]);
      expect(await pages("QUEUED", 2)).toEqual([
        [ids[0], ids[2]],
        [ids[3], ids[5]],
        [ids[6]],
      ]);
      expect(await pages("READY", 1)).toEqual([[ids[1]], [ids[4]]]);
      // A page may start after a ticket of another status, or one that is not stored: ids order them all.
      expect((await repository.list({ status: "READY", limit: 5, afterId: ids[2] })).tickets.map((ticket) => ticket.id)).toEqual([ids[4]]);
      expect((await repository.list({ limit: 2, afterId: `${ids[5]}0` })).tickets.map((ticket) => ticket.id)).toEqual([ids[6]]);
      expect((await repository.list({ limit: 2, afterId: ids[6] })).tickets).toEqual([]);
    });

    it("lists the newest READY tickets first, as many as asked", async () => {
      const repository = await makeRepository();
      const tickets = [ticketFor(), ticketFor(), ticketFor()];
      for (const ticket of tickets) await repository.create(ticket);
      for (const _ of tickets) {
        const held = claim("cook-1");
        const taken = await repository.claimNext(held, now);
        await repository.update(taken!.id, (ticket) => ticket.finish(held.claimId, now));
      }

      expect((await repository.newestReady(2)).map((ticket) => ticket.id)).toEqual([tickets[2]!.id, tickets[1]!.id]);
      expect(await repository.newestReady(10)).toHaveLength(3);
    });

    it("claims the oldest waiting ticket, never one ticket for two cooks at once", async () => {
      const repository = await makeRepository();
      const tickets = [ticketFor(), ticketFor(), ticketFor()];
      for (const ticket of tickets) await repository.create(ticket);

      const claimed = await Promise.all(["a", "b", "c", "d"].map((cook) => repository.claimNext(claim(cook), now)));

      const ids = claimed.filter((ticket) => ticket !== undefined).map((ticket) => ticket.id);
      expect(ids.sort()).toEqual(tickets.map((ticket) => ticket.id).sort());
      expect(claimed.filter((ticket) => ticket === undefined)).toHaveLength(1);
      expect((await repository.findByOrderId(tickets[0]!.orderId))?.outbox.map((event) => event.type)).toEqual(["kitchen.ticket_started"]);
    });

    it("takes over a COOKING ticket only once its lease ran out", async () => {
      const repository = await makeRepository();
      const ticket = ticketFor();
      await repository.create(ticket);
      await repository.claimNext(claim("cook-1", 1000), now);

      expect(await repository.claimNext(claim("cook-2"), at(999))).toBeUndefined();
      expect((await repository.claimNext(claim("cook-2"), at(1000)))?.cook).toBe("cook-2");
    });

    it("updates through a closure and publishes the outbox once", async () => {
      const repository = await makeRepository();
      const ticket = ticketFor();
      await repository.create(ticket);
      const held = claim("cook-1");
      await repository.claimNext(held, now);

      await expect(repository.update(ticket.id, (current) => current.finish("someone else", now))).rejects.toThrow(/cannot be finished/);
      const ready = await repository.update(ticket.id, (current) => current.finish(held.claimId, at(5)));
      expect(ready?.status).toBe("READY");
      expect(await repository.update(newId(), () => {})).toBeUndefined();

      const [pending] = await repository.pendingOutbox(10);
      expect(pending?.events.map((event) => event.type)).toEqual(["kitchen.ticket_started", "kitchen.ticket_ready"]);
      await repository.markPublished(ticket.id, pending!.events.map((event) => event.id));
      expect(await repository.pendingOutbox(10)).toEqual([]);
    });
  });
}
