import { ConflictError, NotFoundError, PreconditionError, UnavailableError, ValidationError } from "@oms/platform/errors";
import { createLogger } from "@oms/platform/logging";
import { describe, expect, it } from "vitest";
import type { CreateOrderInput } from "../src/app/validate-create-order.js";
import { dishes, makeApp, outboxTypes, paymentDeadlineMs } from "./support/fakes.js";
import { t0 } from "./support/orders.js";

const request = (overrides: Partial<CreateOrderInput> = {}): CreateOrderInput => ({
  customerId: "alice",
  idempotencyKey: "key-1",
  lines: [
    { itemId: dishes.margherita.id, quantity: 2 },
    { itemId: dishes.espresso.id, quantity: 1 },
  ],
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail("expected a failure"),
    (error: unknown) => error as Error,
  );
}

describe("CreateOrder", () => {
  it("stores a PENDING order priced by the menu, reserves stock and publishes order.created", async () => {
    const { app, repository, stock, counter } = makeApp();
    const order = await app.createOrder.execute(request());
    expect(order.status).toBe("PENDING");
    expect(order.lines).toEqual([
      { itemId: dishes.margherita.id, name: "Margherita", quantity: 2, unitPrice: { currencyCode: "EUR", amountMinor: 950 } },
      { itemId: dishes.espresso.id, name: "Espresso", quantity: 1, unitPrice: { currencyCode: "EUR", amountMinor: 250 } },
    ]);
    expect(order.total).toEqual({ currencyCode: "EUR", amountMinor: 2150 });
    expect(order.paymentDeadline).toEqual(new Date(t0.getTime() + paymentDeadlineMs));
    expect(stock.held()).toEqual([order.id]);
    expect(stock.available.get(dishes.margherita.id)).toBe(8);
    expect((await repository.get(order.id))?.toSnapshot()).toEqual(order.toSnapshot());
    expect(await outboxTypes(repository, order.id)).toEqual(["order.created"]);
    expect(counter.published).toBe(1);
  });

  // The rules the contract cannot state (its own are checked before the use case, by the platform).
  const badInputs: Array<[string, Partial<CreateOrderInput>, string]> = [
    ["no customer", { customerId: "" }, "customer_id"],
    ["a blank customer", { customerId: "   " }, "customer_id"],
    ["the same item twice", { lines: [{ itemId: dishes.margherita.id, quantity: 1 }, { itemId: dishes.margherita.id, quantity: 1 }] }, "lines[1].item_id"],
    [
      "the same item on lines 0 and 2",
      { lines: [{ itemId: dishes.margherita.id, quantity: 1 }, { itemId: dishes.espresso.id, quantity: 1 }, { itemId: dishes.margherita.id, quantity: 3 }] },
      "lines[2].item_id",
    ],
  ];
  for (const [what, overrides, field] of badInputs) {
    it(`refuses ${what}, naming ${field}`, async () => {
      const { app, repository, stock, menu } = makeApp();
      const error = await failure(app.createOrder.execute(request(overrides)));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
      expect(menu.calls).toBe(0);
      expect(stock.reservations.size).toBe(0);
      expect((await repository.list({ limit: 10 })).orders).toEqual([]);
    });
  }

  it("accepts the smallest and largest quantities the contract allows, 1 and 100", async () => {
    const { app } = makeApp();
    const order = await app.createOrder.execute(request({ lines: [{ itemId: dishes.margherita.id, quantity: 1 }] }));
    expect(order.lines[0]?.quantity).toBe(1);
    const { app: other, stock } = makeApp();
    stock.available.set(dishes.margherita.id, 100);
    expect((await other.createOrder.execute(request({ lines: [{ itemId: dishes.margherita.id, quantity: 100 }] }))).total.amountMinor).toBe(95_000);
  });

  it("refuses an item the menu does not know, naming its line, and stores nothing", async () => {
    const { app, repository, stock } = makeApp();
    const unknown = "01KDVZZZZZZZZZZZZZZZZZZZZZ";
    const error = await failure(app.createOrder.execute(request({ lines: [{ itemId: dishes.espresso.id, quantity: 1 }, { itemId: unknown, quantity: 1 }] })));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).field).toBe("lines[1].item_id");
    expect(error.message).toBe(`lines[1].item_id: menu item "${unknown}" not found`);
    expect(stock.reservations.size).toBe(0);
    expect((await repository.list({ limit: 10 })).orders).toEqual([]);
  });

  it("refuses an unavailable item", async () => {
    const { app, repository, stock } = makeApp();
    const error = await failure(app.createOrder.execute(request({ lines: [{ itemId: dishes.truffleFries.id, quantity: 1 }] })));
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.message).toBe(`lines[0].item_id: Truffle Fries (${dishes.truffleFries.id}) is not available`);
    expect(stock.reservations.size).toBe(0);
    expect((await repository.list({ limit: 10 })).orders).toEqual([]);
  });

  it("refuses items in different currencies", async () => {
    const { app, stock } = makeApp();
    const error = await failure(app.createOrder.execute(request({ lines: [{ itemId: dishes.margherita.id, quantity: 1 }, { itemId: dishes.bourbon.id, quantity: 1 }] })));
    expect(error).toBeInstanceOf(PreconditionError);
    expect(stock.reservations.size).toBe(0);
  });

  it("refuses when stock is short, passing stock's message on, and no order exists", async () => {
    const { app, repository, stock, counter } = makeApp();
    stock.available.set(dishes.espresso.id, 0);
    const error = await failure(app.createOrder.execute(request()));
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.message).toBe(`not enough stock: ${dishes.espresso.id} (requested 1, available 0)`);
    expect((await repository.list({ limit: 10 })).orders).toEqual([]);
    expect(await repository.findByIdempotencyKey("key-1")).toBeUndefined();
    expect(stock.available.get(dishes.margherita.id)).toBe(10);
    expect(counter.published).toBe(0);
  });

  it("reports a peer that cannot be reached as unavailable", async () => {
    const { app, repository, menu, stock } = makeApp();
    menu.down = true;
    expect(await failure(app.createOrder.execute(request()))).toBeInstanceOf(UnavailableError);
    menu.down = false;
    stock.down = true;
    expect(await failure(app.createOrder.execute(request()))).toBeInstanceOf(UnavailableError);
    expect((await repository.list({ limit: 10 })).orders).toEqual([]);
  });

  it("returns the same order for a retry with the same key, reserving once", async () => {
    const { app, repository, stock } = makeApp();
    const first = await app.createOrder.execute(request());
    await repository.update(first.id, (order) => order.awaitPayment("https://pay.example/1", t0));
    const retry = await app.createOrder.execute(request());
    expect(retry.id).toBe(first.id);
    expect(retry.status).toBe("AWAITING_PAYMENT");
    expect(stock.reservations.size).toBe(1);
    expect((await repository.list({ limit: 10 })).orders).toHaveLength(1);
  });

  it("refuses the same key for another customer or other lines", async () => {
    const { app } = makeApp();
    await app.createOrder.execute(request());
    expect(await failure(app.createOrder.execute(request({ customerId: "bob" })))).toBeInstanceOf(ConflictError);
    const otherLines = await failure(app.createOrder.execute(request({ lines: [{ itemId: dishes.margherita.id, quantity: 3 }] })));
    expect(otherLines).toBeInstanceOf(ConflictError);
    expect(otherLines.message).toContain("idempotency_key");
  });

  it("creates one order for concurrent requests with one key and releases the losers' reservations", async () => {
    const { app, repository, stock } = makeApp();
    const results = await Promise.all(Array.from({ length: 5 }, () => app.createOrder.execute(request())));
    const ids = new Set(results.map((order) => order.id));
    expect(ids.size).toBe(1);
    const [winner] = ids;
    expect((await repository.list({ limit: 10 })).orders.map((order) => order.id)).toEqual([winner]);
    // Every request reserved (none saw the others' order yet); only the winner's stays held.
    expect(stock.reservations.size).toBe(5);
    expect(stock.held()).toEqual([winner]);
    expect(stock.available.get(dishes.margherita.id)).toBe(8);
  });

  it("answers a same-key request refused by stock with the order that took the last units", async () => {
    const { app, stock } = makeApp();
    stock.available.set(dishes.margherita.id, 2);
    const results = await Promise.all([app.createOrder.execute(request()), app.createOrder.execute(request())]);
    expect(results[0].id).toBe(results[1].id);
    expect(stock.held()).toEqual([results[0].id]);
  });

  it("answers with the storage failure when the release after it fails too, logging the units left held", async () => {
    const logged: Array<{ msg: string; orderId?: string; err?: { message: string } }> = [];
    const { app, repository, stock } = makeApp({ logger: createLogger("create-order-test", { level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line)) }) });
    repository.create = async () => {
      stock.down = true;
      throw new Error("disk full");
    };
    expect((await failure(app.createOrder.execute(request()))).message).toBe("disk full");
    const [orderId] = stock.held();
    expect(logged).toMatchObject([
      { msg: "could not release the reservation of an order that was not stored", orderId, err: { message: "stock is unavailable: connection refused" } },
    ]);
  });

  it("answers with the storage failure when the release after it fails too, with no logger", async () => {
    const { app, repository, stock } = makeApp();
    repository.create = async () => {
      stock.down = true;
      throw new Error("disk full");
    };
    expect((await failure(app.createOrder.execute(request()))).message).toBe("disk full");
  });

  it("releases the reservation when the order cannot be stored", async () => {
    const { app, repository, stock } = makeApp();
    repository.create = async () => {
      throw new Error("disk full");
    };
    expect((await failure(app.createOrder.execute(request()))).message).toBe("disk full");
    expect(stock.reservations.size).toBe(1);
    expect(stock.held()).toEqual([]);
    expect(stock.available.get(dishes.margherita.id)).toBe(10);
  });
});
