import { LimitError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryTicketRepository } from "../src/adapters/memory-ticket-repository.js";
import { AnnouncedTicketRepository, TicketChanges } from "../src/app/ticket-changes.js";
import { WatchTickets } from "../src/app/watch-tickets.js";
import { Ticket } from "../src/domain/ticket.js";

const now = new Date("2026-11-25T12:00:00Z");
const lease = new Date(now.getTime() + 60_000);

async function kitchenWith(count: number) {
  const repository = new MemoryTicketRepository();
  const tickets: Ticket[] = [];
  for (let index = 0; index < count; index++) {
    const ticket = Ticket.open({ id: newId(), orderId: newId(), lines: [{ name: "Soup", quantity: 1 }], now });
    await repository.create(ticket);
    tickets.push(ticket);
  }
  return { repository, ids: tickets.map((ticket) => ticket.id) };
}

/** Takes the oldest waiting ticket; finishes it too when `ready`. Returns the claim. */
async function cook(repository: MemoryTicketRepository, ready = false): Promise<string> {
  const claimId = newId();
  const ticket = (await repository.claimNext({ cook: "cook-1", kitchenId: "k1", claimId, leaseUntil: lease }, now))!;
  if (ready) await repository.update(ticket.id, (current) => current.finish(claimId, now));
  return claimId;
}

const shown = (tickets: Ticket[]) => tickets.map((ticket) => [ticket.id, ticket.status]);

/** The repository as a display reads it, counting its reads of the working list. */
function counting(repository: MemoryTicketRepository) {
  const reads = { count: 0 };
  return {
    reads,
    repository: {
      listOpen: () => {
        reads.count += 1;
        return repository.listOpen();
      },
      newestReady: (limit: number) => repository.newestReady(limit),
    },
  };
}

/** Lets every callback already due run (a few turns of the event loop), without waiting on any timer. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("WatchTickets", () => {
  it("lists QUEUED and COOKING tickets oldest first, then the newest READY ones up to the limit", async () => {
    const { repository, ids } = await kitchenWith(5);
    await cook(repository, true);
    await cook(repository, true);
    await cook(repository, true);
    await cook(repository);
    const watching = new AbortController();
    const stream = new WatchTickets({ repository }).execute(2, watching.signal);
    expect(shown((await stream.next()).value)).toEqual([
      [ids[3], "COOKING"],
      [ids[4], "QUEUED"],
      [ids[2], "READY"],
      [ids[1], "READY"],
    ]);
    watching.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("keeps QUEUED and COOKING tickets in one list, oldest first, and ends at once when its signal aborts", async () => {
    const { repository, ids } = await kitchenWith(5);
    await cook(repository);
    const handedBack = await cook(repository);
    await cook(repository);
    await repository.update(ids[1]!, (ticket) => ticket.requeue({ claimId: handedBack }));
    const watching = new AbortController();
    // Re-reads far apart: the stream ends because the abort cuts its wait short.
    const stream = new WatchTickets({ repository, rereadIntervalMs: 3_600_000 }).execute(0, watching.signal);
    expect(shown((await stream.next()).value)).toEqual([
      [ids[0], "COOKING"],
      [ids[1], "QUEUED"],
      [ids[2], "COOKING"],
      [ids[3], "QUEUED"],
      [ids[4], "QUEUED"],
    ]);
    const end = stream.next();
    watching.abort();
    expect((await end).done).toBe(true);
  });

  it("reads again when this instance announces a change, not before, and sends only a changed list", async () => {
    const { repository, ids } = await kitchenWith(2);
    const changes = new TicketChanges();
    const announced = new AnnouncedTicketRepository(repository, changes);
    const { reads, repository: display } = counting(repository);
    const watching = new AbortController();
    // Re-reads an hour apart: only an announced change can bring the next read.
    const stream = new WatchTickets({ repository: display, changes, rereadIntervalMs: 3_600_000, minReadGapMs: 0 }).execute(0, watching.signal);
    expect(shown((await stream.next()).value)).toEqual([[ids[0], "QUEUED"], [ids[1], "QUEUED"]]);

    const next = stream.next();
    await settle();
    expect(reads.count).toBe(1);
    // A change announced that leaves the list as it was: read, not sent.
    changes.changed();
    await settle();
    expect(reads.count).toBe(2);
    await announced.claimNext({ cook: "cook-1", kitchenId: "k1", claimId: newId(), leaseUntil: lease }, now);
    expect(shown((await next).value)).toEqual([[ids[0], "COOKING"], [ids[1], "QUEUED"]]);
    expect(reads.count).toBe(3);
    watching.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("reads once for a burst of changes, and a change made during a read wakes the next wait at once", async () => {
    const { repository, ids } = await kitchenWith(3);
    const changes = new TicketChanges();
    const { reads, repository: display } = counting(repository);
    const slowRead = {
      ...display,
      listOpen: async () => {
        const open = await display.listOpen();
        // Another cook of this instance finishes while the display reads.
        if (reads.count === 2) changes.changed();
        return open;
      },
    };
    const watching = new AbortController();
    const stream = new WatchTickets({ repository: slowRead, changes, rereadIntervalMs: 3_600_000, minReadGapMs: 0 }).execute(0, watching.signal);
    await stream.next();
    const next = stream.next();
    await cook(repository);
    for (let change = 0; change < 10; change++) changes.changed();
    expect(shown((await next).value)[0]).toEqual([ids[0], "COOKING"]);
    // Pulled again: the change announced during the second read brings a third at once, and no more follow.
    const after = stream.next();
    await settle();
    expect(reads.count).toBe(3);
    watching.abort();
    expect((await after).done).toBe(true);
  });

  it("reads again every 5 s for the changes other kitchen instances make, which are not announced here", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { repository, ids } = await kitchenWith(1);
    const { reads, repository: display } = counting(repository);
    const watching = new AbortController();
    const stream = new WatchTickets({ repository: display, changes: new TicketChanges(), minReadGapMs: 0 }).execute(0, watching.signal);
    await stream.next();
    const next = stream.next();
    // Another instance's cook: the change reaches storage only.
    await cook(repository);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(reads.count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown((await next).value)).toEqual([[ids[0], "COOKING"]]);
    expect(reads.count).toBe(2);
    watching.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("leaves at least the least gap between two reads of one display, however often it is woken", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { repository } = await kitchenWith(1);
    const changes = new TicketChanges();
    const { reads, repository: display } = counting(repository);
    const watching = new AbortController();
    const stream = new WatchTickets({ repository: display, changes, rereadIntervalMs: 3_600_000, minReadGapMs: 100 }).execute(0, watching.signal);
    await stream.next();
    const next = stream.next();
    await cook(repository);
    changes.changed();
    // The display woke and waits out the gap (its timer set before the clock moves).
    await settle();
    await vi.advanceTimersByTimeAsync(99);
    changes.changed();
    expect(reads.count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(reads.count).toBe(2);
    watching.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("shows the 10 newest READY tickets when asked for none, and at most 100", async () => {
    const { repository } = await kitchenWith(101);
    for (let index = 0; index < 101; index++) await cook(repository, true);
    const readyShown = async (readyLimit: number) => {
      const watching = new AbortController();
      const stream = new WatchTickets({ repository }).execute(readyLimit, watching.signal);
      const tickets = (await stream.next()).value!;
      watching.abort();
      await stream.return(undefined);
      return tickets.length;
    };
    expect(await readyShown(0)).toBe(10);
    expect(await readyShown(1)).toBe(1);
    expect(await readyShown(100)).toBe(100);
  });

  it("refuses a display past the bound with LimitError, and frees the slot when one ends", async () => {
    const watch = new WatchTickets({ repository: new MemoryTicketRepository(), maxWatchers: 2 });
    const displays = [new AbortController(), new AbortController()];
    const streams = displays.map((display) => watch.execute(0, display.signal));
    for (const stream of streams) await stream.next();
    const refused = watch.execute(0, new AbortController().signal).next();
    await expect(refused).rejects.toThrow(LimitError);
    await expect(refused).rejects.toThrow("too many kitchen displays are open (2); try again later");
    displays[0]!.abort();
    expect((await streams[0]!.next()).done).toBe(true);
    const another = new AbortController();
    const replacement = watch.execute(0, another.signal);
    expect((await replacement.next()).value).toEqual([]);
    another.abort();
    displays[1]!.abort();
    await Promise.all([replacement.return(undefined), streams[1]!.return(undefined)]);
  });
});
