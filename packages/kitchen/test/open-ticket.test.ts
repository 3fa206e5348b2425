import { NotFoundError, ValidationError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { MemoryTicketRepository } from "../src/adapters/memory-ticket-repository.js";
import { OpenTicket } from "../src/app/open-ticket.js";
import { GetTicket } from "../src/app/get-ticket.js";
import { ListTickets } from "../src/app/list-tickets.js";
import { allTickets } from "./all-tickets.js";

const now = new Date("2026-11-25T12:00:00Z");
const soup = [{ name: "Soup", quantity: 2 }];

function opening() {
  const repository = new MemoryTicketRepository();
  const queued = { count: 0 };
  const openTicket = new OpenTicket({ repository, clock: () => now, onQueued: () => void (queued.count += 1) });
  return { repository, queued, openTicket };
}

describe("OpenTicket", () => {
  it("opens a QUEUED ticket with the order's lines and wakes a cook", async () => {
    const { repository, queued, openTicket } = opening();
    const orderId = newId();
    const ticket = await openTicket.execute({ orderId, lines: soup });
    expect([ticket.orderId, ticket.status, ticket.lines, ticket.createTime]).toEqual([orderId, "QUEUED", soup, now]);
    expect((await repository.findByOrderId(orderId))?.id).toBe(ticket.id);
    expect(queued.count).toBe(1);
  });

  it("answers a redelivered order.paid with the stored ticket, waking no one", async () => {
    const { repository, queued, openTicket } = opening();
    const orderId = newId();
    const first = await openTicket.execute({ orderId, lines: soup });
    const again = await openTicket.execute({ orderId, lines: [{ name: "Other", quantity: 1 }] });
    expect(again.id).toBe(first.id);
    expect(again.lines).toEqual(soup);
    expect(await allTickets(repository)).toHaveLength(1);
    expect(queued.count).toBe(1);
  });

  it("finds the ticket of a redelivered order.paid without trying to store another", async () => {
    const { repository, openTicket } = opening();
    const orderId = newId();
    await openTicket.execute({ orderId, lines: soup });
    const create = repository.create.bind(repository);
    const attempts = { count: 0 };
    repository.create = async (ticket) => {
      attempts.count += 1;
      return create(ticket);
    };
    await openTicket.execute({ orderId, lines: soup });
    expect(attempts.count).toBe(0);
  });

  it("answers two deliveries at once with one ticket", async () => {
    const { repository, queued, openTicket } = opening();
    const orderId = newId();
    const [a, b] = await Promise.all([openTicket.execute({ orderId, lines: soup }), openTicket.execute({ orderId, lines: soup })]);
    expect(a.id).toBe(b.id);
    expect(await allTickets(repository)).toHaveLength(1);
    expect(queued.count).toBe(1);
  });

  it("passes a storage failure on, waking no one", async () => {
    const { repository, queued, openTicket } = opening();
    repository.create = async () => {
      throw new Error("disk full");
    };
    await expect(openTicket.execute({ orderId: newId(), lines: soup })).rejects.toThrow("disk full");
    expect(queued.count).toBe(0);
  });

  it("refuses an event without an order id, naming order_id", async () => {
    const { repository, openTicket } = opening();
    const error = await openTicket.execute({ orderId: "", lines: soup }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe("order_id: must not be empty");
    expect(await allTickets(repository)).toEqual([]);
  });

  it("opens a ticket with no one to wake", async () => {
    const repository = new MemoryTicketRepository();
    const ticket = await new OpenTicket({ repository, clock: () => now }).execute({ orderId: newId(), lines: soup });
    expect((await repository.findByOrderId(ticket.orderId))?.status).toBe("QUEUED");
  });
});

describe("GetTicket and ListTickets", () => {
  it("finds an order's ticket, and answers NOT_FOUND naming order_id for an order without one", async () => {
    const { repository, openTicket } = opening();
    const getTicket = new GetTicket(repository);
    const ticket = await openTicket.execute({ orderId: newId(), lines: soup });
    expect((await getTicket.execute(ticket.orderId)).id).toBe(ticket.id);

    const unknown = newId();
    const missing = await getTicket.execute(unknown).catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).field).toBe("order_id");
    expect((missing as Error).message).toBe(`order_id: ticket for order "${unknown}" not found`);
  });

  it("lists every ticket, or those in one status, oldest first", async () => {
    const { repository, openTicket } = opening();
    const listTickets = new ListTickets(repository);
    const [first, second] = [await openTicket.execute({ orderId: newId(), lines: soup }), await openTicket.execute({ orderId: newId(), lines: soup })];
    await repository.claimNext({ cook: "cook-1", kitchenId: "k1", claimId: "c1", leaseUntil: new Date(now.getTime() + 60_000) }, now);
    const ids = async (status?: "COOKING" | "QUEUED") => (await listTickets.execute({ status, pageSize: 0, pageToken: "" })).tickets.map((ticket) => ticket.id);
    expect(await ids()).toEqual([first.id, second.id]);
    expect(await ids("COOKING")).toEqual([first.id]);
    expect(await ids("QUEUED")).toEqual([second.id]);
  });

  it("pages with opaque tokens, 20 to a page when no size is asked, the last page without a token", async () => {
    const { openTicket, repository } = opening();
    const listTickets = new ListTickets(repository);
    const opened: string[] = [];
    for (let index = 0; index < 23; index++) opened.push((await openTicket.execute({ orderId: newId(), lines: soup })).id);

    const first = await listTickets.execute({ pageSize: 0, pageToken: "" });
    expect(first.tickets.map((ticket) => ticket.id)).toEqual(opened.slice(0, 20));
    const second = await listTickets.execute({ pageSize: 0, pageToken: first.nextPageToken });
    expect(second.tickets.map((ticket) => ticket.id)).toEqual(opened.slice(20));
    expect(second.nextPageToken).toBe("");
    expect(first.nextPageToken).not.toContain(opened[19]);

    const queuedPages: string[][] = [];
    let pageToken = "";
    do {
      const page = await listTickets.execute({ status: "QUEUED", pageSize: 10, pageToken });
      queuedPages.push(page.tickets.map((ticket) => ticket.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(queuedPages).toEqual([opened.slice(0, 10), opened.slice(10, 20), opened.slice(20)]);
  });

  it.each([
    ["not base64url", "not a token!"],
    ["another kind of token", Buffer.from(`orders-before:${newId()}`).toString("base64url")],
    ["a token without an id", Buffer.from("tickets-after:nonsense").toString("base64url")],
  ])("refuses a page token this service did not issue (%s) with ValidationError naming page_token", async (_, pageToken) => {
    const listTickets = new ListTickets(new MemoryTicketRepository());
    const refused = await listTickets.execute({ pageSize: 0, pageToken }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).field).toBe("page_token");
  });
});
