import { ConflictError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import type { CreateOrderInput } from "../src/app/validate-create-order.js";
import { dishes, makeApp } from "./support/fakes.js";

const twoPizzasAndACoffee: CreateOrderInput["lines"] = [
  { itemId: dishes.margherita.id, quantity: 2 },
  { itemId: dishes.espresso.id, quantity: 1 },
];

const request = (lines = twoPizzasAndACoffee): CreateOrderInput => ({ customerId: "alice", idempotencyKey: "key-1", lines });

async function conflict(promise: Promise<unknown>): Promise<ConflictError> {
  const error = await promise.then(() => expect.fail("expected a conflict"), (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConflictError);
  return error as ConflictError;
}

// A key names one request: reused for anything else, it must not hand back the order of the first.
describe("CreateOrder idempotency key reused for another request", () => {
  const sameCountOtherRequests: Array<[string, CreateOrderInput["lines"]]> = [
    ["as many lines with other dishes", [{ itemId: dishes.margherita.id, quantity: 2 }, { itemId: dishes.truffleFries.id, quantity: 1 }]],
    ["as many lines with other quantities", [{ itemId: dishes.margherita.id, quantity: 2 }, { itemId: dishes.espresso.id, quantity: 3 }]],
    ["as many lines with the first dish swapped", [{ itemId: dishes.bourbon.id, quantity: 2 }, { itemId: dishes.espresso.id, quantity: 1 }]],
  ];
  const otherCounts: Array<[string, CreateOrderInput["lines"]]> = [
    ["the same lines and one more", [...twoPizzasAndACoffee, { itemId: dishes.bourbon.id, quantity: 1 }]],
    ["the first line only", [twoPizzasAndACoffee[0]!]],
  ];
  for (const [what, lines] of [...sameCountOtherRequests, ...otherCounts]) {
    it(`refuses ${what}, reserving nothing more`, async () => {
      const { app, repository, stock } = makeApp();
      const first = await app.createOrder.execute(request());
      const error = await conflict(app.createOrder.execute(request(lines)));
      expect(error.message).toBe(`idempotency_key: already used for order ${first.id} with a different request`);
      expect(stock.reservations.size).toBe(1);
      expect((await repository.list({ limit: 10 })).orders.map((order) => order.id)).toEqual([first.id]);
    });
  }

  it("refuses the loser of a race on one key with other dishes, releasing its reservation", async () => {
    const { app, repository, stock } = makeApp();
    const [winner, loser] = await race(app, [{ itemId: dishes.margherita.id, quantity: 2 }], [{ itemId: dishes.espresso.id, quantity: 2 }]);
    expect((await repository.list({ limit: 10 })).orders.map((order) => order.id)).toEqual([winner.id]);
    expect(loser).toBeInstanceOf(ConflictError);
    // Both reserved before either was stored; only the winner's units stay held.
    expect(stock.reservations.size).toBe(2);
    expect(stock.held()).toEqual([winner.id]);
  });

  it("refuses the loser of a race for the last units when it asked for other quantities", async () => {
    const { app, stock } = makeApp();
    stock.available.set(dishes.margherita.id, 2);
    const [winner, loser] = await race(app, [{ itemId: dishes.margherita.id, quantity: 1 }], [{ itemId: dishes.margherita.id, quantity: 2 }]);
    expect(loser).toBeInstanceOf(ConflictError);
    expect(stock.held()).toEqual([winner.id]);
  });
});

/** Two requests with one key at once: the order stored and what the other one failed with. */
async function race(app: ReturnType<typeof makeApp>["app"], a: CreateOrderInput["lines"], b: CreateOrderInput["lines"]) {
  const results = await Promise.allSettled([app.createOrder.execute(request(a)), app.createOrder.execute(request(b))]);
  const stored = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
  expect(stored).toHaveLength(1);
  expect(failed).toHaveLength(1);
  return [stored[0]!, failed[0]] as const;
}
