import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { KitchenService, TicketStatus } from "@oms/contracts/kitchen/v1/kitchen";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus, decode, envelope, type EventEnvelope } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import { waitFor } from "@oms/platform/testing";
import { errorMappingInterceptor, requestValidationInterceptor, type ServiceModule } from "@oms/platform/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryTicketRepository } from "../src/adapters/memory-ticket-repository.js";
import { Ticket } from "../src/domain/ticket.js";
import { createKitchenService, readKitchenConfig } from "../src/service.js";
import { allTickets } from "./all-tickets.js";

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000) =>
  waitFor(probe, { timeoutMs, intervalMs: 10, message: `timed out waiting for ${what}` });

const orderPaid = (orderId: string) => envelope("order.paid", { orderId, lines: [{ itemId: "i1", name: "Soup", quantity: 2 }] });

describe("the kitchen service", () => {
  let bus: MemoryEventBus;
  let repository: MemoryTicketRepository;
  let running: ServiceModule[];
  let seen: EventEnvelope[];

  async function startKitchen(options: { cooks?: number; cookTime?: string; kitchenId?: string } = {}) {
    const config = readKitchenConfig({
      KITCHEN_PORT: "0",
      KITCHEN_COOKS: String(options.cooks ?? 2),
      KITCHEN_COOK_TIME: options.cookTime ?? "5ms",
      KITCHEN_ID: options.kitchenId ?? "kitchen-a",
    });
    const module = await createKitchenService({ config, bus, registry: new StaticRegistry(), logger: createLogger("kitchen-test"), repository });
    await module.start();
    running.push(module);
    return module;
  }

  const startedFor = (orderId: string) => seen.filter((event) => event.type === "kitchen.ticket_started" && decode("kitchen.ticket_started", event).orderId === orderId);
  const readyFor = (orderId: string) => seen.filter((event) => event.type === "kitchen.ticket_ready" && decode("kitchen.ticket_ready", event).orderId === orderId);
  const allReady = async (count: number) => ((await allTickets(repository, "READY")).length === count ? true : undefined);

  beforeEach(async () => {
    bus = new MemoryEventBus({ retry: { maxAttempts: 3, delaysMs: [10] } });
    repository = new MemoryTicketRepository();
    running = [];
    seen = [];
    await bus.subscribe({ queue: "observer", types: ["kitchen.ticket_started", "kitchen.ticket_ready"], handler: async (event) => void seen.push(event) });
  });
  afterEach(async () => {
    for (const module of running) await module.stop();
    await bus.close();
  });

  it("cooks every paid order with N cooks: each ticket started once and ready once", async () => {
    await startKitchen({ cooks: 3 });
    const orderIds = Array.from({ length: 12 }, () => newId());
    for (const orderId of orderIds) await bus.publish(orderPaid(orderId));

    await eventually(() => allReady(12), "12 READY tickets");
    await eventually(() => (orderIds.every((orderId) => readyFor(orderId).length === 1) ? true : undefined), "every ticket_ready");
    for (const orderId of orderIds) expect([startedFor(orderId).length, readyFor(orderId).length]).toEqual([1, 1]);
    const cooks = new Set((await allTickets(repository)).map((ticket) => ticket.cook));
    expect([...cooks].every((cook) => ["cook-1", "cook-2", "cook-3"].includes(cook))).toBe(true);
  });

  it("opens one ticket for a duplicate order.paid", async () => {
    await startKitchen();
    const orderId = newId();
    const event = orderPaid(orderId);
    await Promise.all([bus.publish(event), bus.publish({ ...event }), bus.publish(orderPaid(orderId))]);

    await eventually(() => (readyFor(orderId).length === 1 ? true : undefined), "ticket_ready");
    expect(await allTickets(repository)).toHaveLength(1);
    expect(await bus.deadLetters("kitchen")).toEqual([]);
  });

  it("never cooks one ticket in two kitchens sharing the storage", async () => {
    await startKitchen({ kitchenId: "kitchen-a", cooks: 2 });
    await startKitchen({ kitchenId: "kitchen-b", cooks: 2 });
    const orderIds = Array.from({ length: 20 }, () => newId());
    for (const orderId of orderIds) await bus.publish(orderPaid(orderId));

    await eventually(() => allReady(20), "20 READY tickets");
    await eventually(() => (orderIds.every((orderId) => readyFor(orderId).length >= 1) ? true : undefined), "every ticket_ready");
    // Two relays over one outbox may both publish an event (at-least-once), but always under its one id.
    const distinct = (events: EventEnvelope[]) => new Set(events.map((event) => event.id)).size;
    for (const orderId of orderIds) expect([distinct(startedFor(orderId)), distinct(readyFor(orderId))]).toEqual([1, 1]);
  });

  it("after a crash, resumes its tickets left COOKING and cooks the QUEUED ones", async () => {
    // What a crashed run leaves behind: one ticket mid-cooking under a long lease, one still queued.
    const cooking = Ticket.open({ id: newId(), orderId: newId(), lines: [{ name: "Soup", quantity: 1 }], now: new Date() });
    const queued = Ticket.open({ id: newId(), orderId: newId(), lines: [{ name: "Bread", quantity: 1 }], now: new Date() });
    await repository.create(cooking);
    await repository.create(queued);
    await repository.claimNext({ cook: "cook-1", kitchenId: "kitchen-a", claimId: "crashed", leaseUntil: new Date(Date.now() + 3_600_000) }, new Date());
    await repository.markPublished(cooking.id, (await repository.pendingOutbox(10))[0]!.events.map((event) => event.id));

    await startKitchen({ kitchenId: "kitchen-a" });

    await eventually(() => allReady(2), "both tickets READY");
    await eventually(() => (readyFor(cooking.orderId).length === 1 && readyFor(queued.orderId).length === 1 ? true : undefined), "ticket_ready");
  });

  it("hands the ticket in hand back on stop, and the next run cooks it", async () => {
    const first = await startKitchen({ cooks: 1, cookTime: "1h" });
    const orderId = newId();
    await bus.publish(orderPaid(orderId));
    await eventually(async () => ((await allTickets(repository, "COOKING")).length === 1 ? true : undefined), "COOKING");

    await first.stop();
    running = running.filter((module) => module !== first);
    expect((await repository.findByOrderId(orderId))?.status).toBe("QUEUED");

    await startKitchen({ cooks: 1, cookTime: "5ms" });
    await eventually(() => allReady(1), "READY after restart");
    // The ticket is READY in storage a moment before the relay publishes ticket_ready: wait for the event, then count it.
    await eventually(async () => (readyFor(orderId).length > 0 ? true : undefined), "ticket_ready published");
    expect(readyFor(orderId)).toHaveLength(1);
  });

  it("ListTickets oldest first with a status filter, in pages; GetTicket with INVALID_ARGUMENT and NOT_FOUND", async () => {
    const module = await startKitchen({ cookTime: "1h", cooks: 1 });
    const client = createClient(KitchenService, createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } }));
    const orderIds = [newId(), newId(), newId()];
    for (const orderId of orderIds) await bus.publish(orderPaid(orderId));
    await eventually(async () => ((await allTickets(repository)).length === 3 ? true : undefined), "3 tickets");
    await eventually(async () => ((await allTickets(repository, "COOKING")).length === 1 ? true : undefined), "1 cooking");

    const all = await client.listTickets({});
    expect(all.tickets.map((ticket) => ticket.orderId)).toEqual(orderIds);
    const queued = await client.listTickets({ status: TicketStatus.QUEUED });
    expect(queued.tickets.map((ticket) => ticket.orderId)).toEqual(orderIds.slice(1));
    const { ticket } = await client.getTicket({ orderId: orderIds[0]! });
    expect(ticket).toMatchObject({ orderId: orderIds[0], status: TicketStatus.COOKING, cook: "cook-1", lines: [{ name: "Soup", quantity: 2 }] });

    const failure = (call: Promise<unknown>) => call.then(() => expect.fail("expected an error"), (error: unknown) => ConnectError.from(error));
    const empty = await failure(client.getTicket({ orderId: "" }));
    expect([empty.code, empty.rawMessage]).toEqual([Code.InvalidArgument, "order_id: must not be empty"]);
    expect((await failure(client.getTicket({ orderId: newId() }))).code).toBe(Code.NotFound);
    const blank = await failure(client.getTicket({ orderId: "  " }));
    expect([blank.code, blank.rawMessage]).toEqual([Code.InvalidArgument, "order_id: must not be empty"]);
    const badStatus = await failure(client.listTickets({ status: 42 as unknown as TicketStatus }));
    expect([badStatus.code, badStatus.rawMessage]).toEqual([Code.InvalidArgument, "status: unknown ticket status 42"]);
    const negativeStatus = await failure(client.listTickets({ status: -1 as unknown as TicketStatus }));
    expect([negativeStatus.code, negativeStatus.rawMessage]).toEqual([Code.InvalidArgument, "status: unknown ticket status -1"]);
    expect((await client.listTickets({ status: TicketStatus.READY })).tickets).toEqual([]);

    const firstPage = await client.listTickets({ pageSize: 2 });
    expect(firstPage.tickets.map((each) => each.orderId)).toEqual(orderIds.slice(0, 2));
    const lastPage = await client.listTickets({ pageSize: 2, pageToken: firstPage.nextPageToken });
    expect([lastPage.tickets.map((each) => each.orderId), lastPage.nextPageToken]).toEqual([orderIds.slice(2), ""]);
    expect(all.nextPageToken).toBe("");
    for (const pageSize of [-1, 101]) {
      const outOfRange = await failure(client.listTickets({ pageSize }));
      expect([outOfRange.code, outOfRange.rawMessage]).toEqual([Code.InvalidArgument, `page_size: must be from 1 to 100 (0 means 20), is ${pageSize}`]);
    }
    const badToken = await failure(client.listTickets({ pageToken: "not-ours" }));
    expect([badToken.code, badToken.rawMessage]).toEqual([Code.InvalidArgument, "page_token: is not a page token this service issued"]);
  });

  it("WatchTickets sends the working list at once and again as tickets move, oldest first", async () => {
    const module = await startKitchen({ cookTime: "1h", cooks: 1 });
    const client = createClient(KitchenService, createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } }));
    const watching = new AbortController();
    const lists: Array<Array<[string, TicketStatus]>> = [];
    const reading = (async () => {
      for await (const { tickets } of client.watchTickets({ readyLimit: 5 }, { signal: watching.signal })) {
        lists.push(tickets.map((ticket) => [ticket.orderId, ticket.status]));
      }
    })().catch((error: unknown) => {
      if (ConnectError.from(error).code !== Code.Canceled) throw error;
    });
    await eventually(() => (lists.length > 0 ? true : undefined), "the first list");
    expect(lists[0]).toEqual([]);

    const orderIds = [newId(), newId()];
    for (const orderId of orderIds) await bus.publish(orderPaid(orderId));
    const oneCookingOneQueued = [[orderIds[0], TicketStatus.COOKING], [orderIds[1], TicketStatus.QUEUED]];
    await eventually(() => (JSON.stringify(lists.at(-1)) === JSON.stringify(oneCookingOneQueued) ? true : undefined), "one cooking, one queued");
    watching.abort();
    await reading;

    for (const readyLimit of [-1, 101]) {
      const failure = await client.watchTickets({ readyLimit })[Symbol.asyncIterator]().next().then(
        () => expect.fail("expected an error"),
        (error: unknown) => ConnectError.from(error),
      );
      expect([failure.code, failure.rawMessage]).toEqual([Code.InvalidArgument, `ready_limit: must be from 0 to 100, is ${readyLimit}`]);
    }
  });
});

describe("readKitchenConfig", () => {
  it("defaults to port 8085, 2 cooks and 2 s per ticket; 0 cooking time is allowed", () => {
    expect(readKitchenConfig({ KITCHEN_ID: "k" })).toEqual({ port: 8085, cooks: 2, cookTimeMs: 2000, kitchenId: "k" });
    expect(readKitchenConfig({ KITCHEN_COOK_TIME: "0" }).cookTimeMs).toBe(0);
  });

  it.each([
    ["KITCHEN_PORT", "-1"],
    ["KITCHEN_COOKS", "0"],
    ["KITCHEN_COOK_TIME", "fast"],
  ])("refuses a bad %s, naming it", (name, value) => {
    expect(() => readKitchenConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readKitchenConfig({ [name]: value })).toThrow(name);
  });
});
