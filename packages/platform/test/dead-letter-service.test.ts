import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryEventBus } from "../src/events/memory-bus.js";
import { newId } from "../src/ids.js";
import { registerDeadLetters } from "../src/server/dead-letter-service.js";
import { errorMappingInterceptor } from "../src/server/error-mapping.js";
import { requestValidationInterceptor } from "../src/server/request-validation.js";
import { waitFor } from "../src/testing/index.js";

const queue = "kitchen";
const buses: MemoryEventBus[] = [];

afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});

/** A memory bus whose `queue` holds `count` dead letters (one attempt each), and a client of its DeadLetterService. */
async function withDeadLetters(count: number) {
  const bus = new MemoryEventBus({ retry: { maxAttempts: 1, delaysMs: [] } });
  buses.push(bus);
  let failing = true;
  await bus.subscribe({
    queue,
    types: ["order.paid"],
    handler: async () => {
      if (failing) throw new Error("no kitchen today");
    },
  });
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = newId();
    ids.push(id);
    await bus.publish({ id, type: "order.paid", time: new Date(), body: new Uint8Array(), headers: {} });
  }
  await waitFor(async () => (await bus.queueDepth(queue)).deadLettered === count);
  const transport = createRouterTransport((router) => registerDeadLetters(router, bus, queue), { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } });
  return { ids, client: createClient(DeadLetterService, transport), heal: () => (failing = false) };
}

const failure = (call: Promise<unknown>) => call.then(() => expect.fail("expected an error"), (error: unknown) => ConnectError.from(error));

describe("DeadLetterService", () => {
  it("lists dead letters oldest first, 20 to a page when no size is asked, the last page without a token", async () => {
    const { ids, client } = await withDeadLetters(23);
    const first = await client.listDeadLetters({});
    expect(first.deadLetters.map((letter) => letter.id)).toEqual(ids.slice(0, 20));
    expect(first.deadLetters[0]).toMatchObject({ type: "order.paid", queue, attempts: 1, error: "no kitchen today" });
    const last = await client.listDeadLetters({ pageToken: first.nextPageToken });
    expect([last.deadLetters.map((letter) => letter.id), last.nextPageToken]).toEqual([ids.slice(20), ""]);

    const pages: string[][] = [];
    let pageToken = "";
    do {
      const page = await client.listDeadLetters({ pageSize: 10, pageToken });
      pages.push(page.deadLetters.map((letter) => letter.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(pages).toEqual([ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)]);
  });

  it("goes on after the last letter seen when a replay moved the rest forward", async () => {
    const { ids, client, heal } = await withDeadLetters(6);
    const first = await client.listDeadLetters({ pageSize: 3 });
    heal();
    expect((await client.replayDeadLetters({ ids: [ids[0]!, ids[1]!] })).replayed).toBe(2);
    const next = await client.listDeadLetters({ pageSize: 3, pageToken: first.nextPageToken });
    expect([next.deadLetters.map((letter) => letter.id), next.nextPageToken]).toEqual([ids.slice(3), ""]);
  });

  it.each([-1, 101])("refuses page_size %i with INVALID_ARGUMENT naming the field", async (pageSize) => {
    const { client } = await withDeadLetters(1);
    const refused = await failure(client.listDeadLetters({ pageSize }));
    expect([refused.code, refused.rawMessage]).toEqual([Code.InvalidArgument, `page_size: must be from 1 to 100 (0 means 20), is ${pageSize}`]);
  });

  it.each([
    ["not base64url", "not a token!"],
    ["another service's token", Buffer.from(`tickets-after:${newId()}`).toString("base64url")],
    ["an offset of 0", Buffer.from("dead-letters-after:0:x").toString("base64url")],
    ["an offset that is no number", Buffer.from("dead-letters-after:two:x").toString("base64url")],
  ])("refuses a page token it did not issue (%s) with INVALID_ARGUMENT naming page_token", async (_, pageToken) => {
    const { client } = await withDeadLetters(1);
    const refused = await failure(client.listDeadLetters({ pageToken }));
    expect([refused.code, refused.rawMessage]).toEqual([Code.InvalidArgument, "page_token: is not a page token this service issued"]);
  });
});
