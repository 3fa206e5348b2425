import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import { waitFor } from "@oms/platform/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryTicketRepository } from "../src/adapters/memory-ticket-repository.js";
import { Cooks, type CooksOptions } from "../src/app/cooks.js";
import { Ticket, type TicketStatus } from "../src/domain/ticket.js";
import { allTickets } from "./all-tickets.js";

const now = new Date("2026-11-25T12:00:00Z");
const minute = 60_000;

let running: Cooks[] = [];
afterEach(async () => {
  for (const cooks of running) await cooks.stop();
  running = [];
});

/** Cooks over a memory repository on a fixed clock; `published` holds each ticket's status at each publish. */
function kitchen(options: Partial<CooksOptions> = {}) {
  const repository = new MemoryTicketRepository();
  const published: TicketStatus[][] = [];
  const logged: Array<{ level: number; msg: string; cook?: string; tickets?: number; orderId?: string }> = [];
  const logger = createLogger("cooks-test", { level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const cooks = new Cooks({
    repository,
    publish: async () => void published.push((await allTickets(repository)).map((ticket) => ticket.status)),
    cooks: 1,
    cookTimeMs: 0,
    kitchenId: "kitchen-a",
    clock: () => now,
    logger,
    pollIntervalMs: 5,
    ...options,
  });
  running.push(cooks);
  return { repository, cooks, published, logged };
}

async function queue(repository: MemoryTicketRepository, name = "Soup"): Promise<Ticket> {
  const ticket = Ticket.open({ id: newId(), orderId: newId(), lines: [{ name, quantity: 1 }], now });
  await repository.create(ticket);
  return ticket;
}

/** Counts the repository's claimNext calls: each is one look for work, one query on a real database. */
function countLooks(repository: MemoryTicketRepository): { count: number } {
  const looks = { count: 0 };
  const claimNext = repository.claimNext.bind(repository);
  repository.claimNext = (claim, at) => {
    looks.count += 1;
    return claimNext(claim, at);
  };
  return looks;
}

const statusOf = async (repository: MemoryTicketRepository, id: string) => (await repository.get(id))?.status;
const until = (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5_000) =>
  waitFor(async () => ((await check()) ? true : undefined), { timeoutMs, intervalMs: 5, message: what });

describe("Cooks", () => {
  it("cook each queued ticket, publishing after the claim and again after it is ready", async () => {
    const { repository, cooks, published } = kitchen();
    const ticket = await queue(repository);
    await cooks.start();
    await until("READY", async () => (await statusOf(repository, ticket.id)) === "READY");
    await until("two publishes", () => published.length === 2);
    expect(published).toEqual([["COOKING"], ["READY"]]);
    expect((await repository.get(ticket.id))?.cook).toBe("cook-1");
  });

  it("hold a claim for the cooking time, the extra time of the moment and the lease margin", async () => {
    const { repository, cooks } = kitchen({ cookTimeMs: 10 * minute, extraCookTimeMs: () => minute, leaseMarginMs: 5_000 });
    const ticket = await queue(repository);
    await cooks.start();
    await until("COOKING", async () => (await statusOf(repository, ticket.id)) === "COOKING");
    const claim = (await repository.get(ticket.id))!.claim!;
    expect([claim.cook, claim.kitchenId, claim.leaseUntil]).toEqual(["cook-1", "kitchen-a", new Date(now.getTime() + 11 * minute + 5_000)]);
  });

  it("lease for 30 s past the cooking time by default", async () => {
    const { repository, cooks } = kitchen({ cookTimeMs: 10 * minute });
    const ticket = await queue(repository);
    await cooks.start();
    await until("COOKING", async () => (await statusOf(repository, ticket.id)) === "COOKING");
    expect((await repository.get(ticket.id))!.claim!.leaseUntil).toEqual(new Date(now.getTime() + 10 * minute + 30_000));
  });

  it("hand the ticket in hand back to the queue on stop, without marking it ready", async () => {
    const { repository, cooks, published, logged } = kitchen({ cookTimeMs: 10 * minute });
    const ticket = await queue(repository);
    await cooks.start();
    await until("COOKING", async () => (await statusOf(repository, ticket.id)) === "COOKING");
    await cooks.stop();
    const handedBack = await repository.get(ticket.id);
    expect([handedBack?.status, handedBack?.claim, handedBack?.startTime]).toEqual(["QUEUED", undefined, undefined]);
    expect(published).toEqual([["COOKING"]]);
    expect(logged.find((line) => line.msg === "kitchen stopping: ticket handed back to the queue")).toMatchObject({ orderId: ticket.orderId });
  });

  it("on start, queue again this kitchen's tickets a crash left COOKING, not another kitchen's", async () => {
    const { repository, cooks, logged } = kitchen({ cooks: 0 });
    const [ours, theirs, waiting] = [await queue(repository, "A"), await queue(repository, "B"), await queue(repository, "C")];
    const leaseUntil = new Date(now.getTime() + minute);
    await repository.claimNext({ cook: "cook-1", kitchenId: "kitchen-a", claimId: "crashed", leaseUntil }, now);
    await repository.claimNext({ cook: "cook-1", kitchenId: "kitchen-b", claimId: "alive", leaseUntil }, now);
    await cooks.start();
    expect([await statusOf(repository, ours.id), await statusOf(repository, theirs.id), await statusOf(repository, waiting.id)]).toEqual(["QUEUED", "COOKING", "QUEUED"]);
    expect(logged.find((line) => line.msg.includes("queued again"))?.tickets).toBe(1);
  });

  it("log nothing on start when no ticket was left cooking", async () => {
    const { cooks, logged } = kitchen({ cooks: 0 });
    await cooks.start();
    expect(logged).toEqual([]);
  });

  it("start an idle cook at once when woken, without waiting for its next look", async () => {
    const { repository, cooks } = kitchen({ pollIntervalMs: 10 * minute });
    const looks = countLooks(repository);
    await cooks.start();
    await until("the cook found nothing and went idle", () => looks.count === 1);
    const ticket = await queue(repository);
    cooks.wake();
    await until("READY", async () => (await statusOf(repository, ticket.id)) === "READY", 2_000);
  });

  it("find tickets queued elsewhere by looking again every poll interval", async () => {
    const { repository, cooks } = kitchen({ pollIntervalMs: 5 });
    await cooks.start();
    const ticket = await queue(repository);
    await until("READY", async () => (await statusOf(repository, ticket.id)) === "READY");
  });

  it("when idle, look once per poll interval between all cooks, and cook a backlog found so with every cook", async () => {
    const { repository, cooks } = kitchen({ cooks: 4, pollIntervalMs: 10 * minute, cookTimeMs: 50 });
    const looks = countLooks(repository);
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      await cooks.start();
      await until("every cook looked once and went idle", () => looks.count === 4);
      vi.advanceTimersByTime(30 * minute);
      await until("three more looks", () => looks.count === 7);
      // Queued by another kitchen: nobody wakes these cooks but the poll, and one look starts them all.
      const backlog = [await queue(repository), await queue(repository), await queue(repository)];
      vi.advanceTimersByTime(10 * minute);
      await until("all cooking", async () => (await Promise.all(backlog.map((ticket) => statusOf(repository, ticket.id)))).every((status) => status !== "QUEUED"));
      expect(new Set(await Promise.all(backlog.map(async (ticket) => (await repository.get(ticket.id))?.cook))).size).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("log a failure to claim and try again", async () => {
    const { repository, cooks, logged } = kitchen();
    const claimNext = repository.claimNext.bind(repository);
    let failures = 1;
    repository.claimNext = async (claim, at) => {
      if (failures-- > 0) throw new Error("storage restarting");
      return claimNext(claim, at);
    };
    const ticket = await queue(repository);
    await cooks.start();
    await until("READY", async () => (await statusOf(repository, ticket.id)) === "READY");
    expect(logged.filter((line) => line.msg === "cook could not work; trying again shortly").map((line) => line.cook)).toEqual(["cook-1"]);
  });

  it("name each of N cooks, all working at once", async () => {
    const { repository, cooks } = kitchen({ cooks: 3, cookTimeMs: 10 * minute });
    const tickets = [await queue(repository), await queue(repository), await queue(repository), await queue(repository)];
    await cooks.start();
    await until("three COOKING", async () => (await allTickets(repository, "COOKING")).length === 3);
    expect(new Set((await allTickets(repository, "COOKING")).map((ticket) => ticket.cook))).toEqual(new Set(["cook-1", "cook-2", "cook-3"]));
    expect(await statusOf(repository, tickets[3]!.id)).toBe("QUEUED");
  });

  it("work without a logger: resuming after a crash, retrying a failed claim and handing a ticket back on stop", async () => {
    const { repository, cooks } = kitchen({ logger: undefined, cookTimeMs: 10 * minute });
    const leftCooking = await queue(repository);
    await repository.claimNext({ cook: "cook-1", kitchenId: "kitchen-a", claimId: "crashed", leaseUntil: new Date(now.getTime() + minute) }, now);
    const claimNext = repository.claimNext.bind(repository);
    let failures = 1;
    repository.claimNext = async (claim, at) => {
      if (failures-- > 0) throw new Error("storage restarting");
      return claimNext(claim, at);
    };
    await cooks.start();
    await until("cooking again", async () => (await repository.get(leftCooking.id))?.claim?.claimId !== "crashed" && (await statusOf(repository, leftCooking.id)) === "COOKING");
    await cooks.stop();
    expect(await statusOf(repository, leftCooking.id)).toBe("QUEUED");
  });

  it("read the wall clock by default", async () => {
    const { repository, cooks } = kitchen({ clock: undefined });
    const ticket = await queue(repository);
    const before = Date.now();
    await cooks.start();
    await until("READY", async () => (await statusOf(repository, ticket.id)) === "READY");
    const ready = (await repository.get(ticket.id))!;
    expect(ready.startTime!.getTime()).toBeGreaterThanOrEqual(before);
    expect(ready.readyTime!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("look every 5 s by default when idle, and stop looking once stopped", async () => {
    const { repository, cooks } = kitchen({ pollIntervalMs: undefined });
    const looks = countLooks(repository);
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      await cooks.start();
      await until("the cook looked once and went idle", () => looks.count === 1);
      vi.advanceTimersByTime(4_999);
      // Whatever a wake would set off has run by the time a few turns of the event loop have passed.
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(looks.count).toBe(1);
      vi.advanceTimersByTime(1);
      await until("a second look", () => looks.count === 2);
      await cooks.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("start once however often start is called: one set of cooks and one poll timer, all ended by stop", async () => {
    const { cooks } = kitchen({ pollIntervalMs: undefined });
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      await cooks.start();
      await cooks.start();
      expect(vi.getTimerCount()).toBe(1);
      await cooks.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("stop a cook that found nothing just as the kitchen stopped", async () => {
    const { repository, cooks } = kitchen({ pollIntervalMs: 10 * minute });
    const claimNext = repository.claimNext.bind(repository);
    let stopped: Promise<void> | undefined;
    repository.claimNext = async (claim, at) => {
      const found = await claimNext(claim, at);
      // The kitchen stops while this cook is still looking: it must not then wait for work.
      stopped ??= cooks.stop();
      return found;
    };
    await cooks.start();
    await until("stop asked", () => stopped !== undefined);
    await stopped;
  });
});
