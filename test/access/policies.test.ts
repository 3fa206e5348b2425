import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { KitchenService } from "@oms/contracts/kitchen/v1/kitchen";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService } from "@oms/contracts/order/v1/order";
import { PaymentService } from "@oms/contracts/payment/v1/payment";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { newId } from "@oms/platform/ids";
import { waitFor } from "@oms/platform/testing";
import { demoDishes, key, startSystem } from "../e2e/support.js";
import { callerNames, callerTokens, clientAs, outcome, testServiceKey, type CallerName } from "./callers.js";

type Expected = Record<CallerName, string>;
/** Shorthands for the rows below: who gets through (ok), who does not (the code). */
const row = (anonymous: string, alice: string, bob: string, staff: string, service: string): Expected => ({ anonymous, alice, bob, staff, service });
const U = "Unauthenticated";
const D = "PermissionDenied";
const N = "NotFound";

/**
 * Every RPC of every service, called as each kind of caller: anonymous, the
 * customer who owns the order (alice), another customer (bob), staff, and a
 * service. `ok` means the call passed the door and did its work.
 */
describe("who may do what: every method, every kind of caller", () => {
  let system: RunningSystem;
  let tokens: Awaited<ReturnType<typeof callerTokens>>;
  let aliceOrder: string;
  const dish = demoDishes[3]!;

  beforeAll(async () => {
    system = await startSystem({ AUTH_SERVICE_KEY: testServiceKey });
    tokens = await callerTokens(system);
    const created = await clientAs(OrderService, system.services.order.url, tokens.alice).createOrder({
      idempotencyKey: key("alice"),
      lines: [{ itemId: dish.id, quantity: 1 }],
    });
    aliceOrder = created.order!.id;
    // Payment opens the checkout from order.created: wait for it, so GetPayment's "ok" below is not a race.
    const payments = clientAs(PaymentService, system.services.payment.url, tokens.staff);
    await waitFor(async () => (await outcome(() => payments.getPayment({ orderId: aliceOrder }))) === "ok", { message: "the checkout to open" });
  });
  afterAll(() => system?.close());

  const as = <S extends Parameters<typeof clientAs>[0]>(service: S, name: keyof RunningSystem["services"], caller: CallerName) =>
    clientAs(service, system.services[name].url, tokens[caller]);

  const cases: Array<[string, Expected, (caller: CallerName) => unknown]> = [
    ["menu ListItems", row("ok", "ok", "ok", "ok", "ok"), (c) => as(MenuService, "menu", c).listItems({})],
    ["menu GetItems", row(U, "ok", "ok", "ok", "ok"), (c) => as(MenuService, "menu", c).getItems({ itemIds: [dish.id] })],
    [
      "menu UpsertItem",
      row(U, D, D, "ok", "ok"),
      (c) => as(MenuService, "menu", c).upsertItem({ item: { id: dish.id, name: dish.name, price: { currencyCode: "EUR", amountMinor: BigInt(dish.priceMinor) }, available: true } }),
    ],
    ["stock GetStock", row(U, "ok", "ok", "ok", "ok"), (c) => as(StockService, "stock", c).getStock({ itemIds: [dish.id] })],
    ["stock AdjustStock", row(U, D, D, "ok", "ok"), (c) => as(StockService, "stock", c).adjustStock({ itemId: dish.id, delta: 1 })],
    ["stock ReserveItems", row(U, D, D, D, "ok"), (c) => as(StockService, "stock", c).reserveItems({ orderId: newId(), lines: [{ itemId: dish.id, quantity: 1 }] })],
    ["stock ReleaseReservation", row(U, D, D, D, N), (c) => as(StockService, "stock", c).releaseReservation({ orderId: newId() })],
    ["order CreateOrder", row(U, "ok", "ok", "ok", D), (c) => as(OrderService, "order", c).createOrder({ customerId: c === "staff" ? "carol" : "", idempotencyKey: key(c), lines: [{ itemId: dish.id, quantity: 1 }] })],
    ["order GetOrder (alice's)", row(U, "ok", N, "ok", D), (c) => as(OrderService, "order", c).getOrder({ id: aliceOrder })],
    ["order ListOrders", row(U, "ok", "ok", "ok", D), (c) => as(OrderService, "order", c).listOrders({})],
    ["order WatchOrder (alice's)", row(U, "ok", N, "ok", D), (c) => as(OrderService, "order", c).watchOrder({ id: aliceOrder })],
    ["order CompleteOrder (alice's, not ready)", row(U, D, D, "FailedPrecondition", D), (c) => as(OrderService, "order", c).completeOrder({ id: aliceOrder })],
    ["payment GetPayment", row(U, D, D, "ok", D), (c) => as(PaymentService, "payment", c).getPayment({ orderId: aliceOrder })],
    ["kitchen ListTickets", row(U, D, D, "ok", D), (c) => as(KitchenService, "kitchen", c).listTickets({})],
    ["kitchen GetTicket", row(U, D, D, N, D), (c) => as(KitchenService, "kitchen", c).getTicket({ orderId: aliceOrder })],
    ["kitchen WatchTickets", row(U, D, D, "ok", D), (c) => as(KitchenService, "kitchen", c).watchTickets({})],
    ...(["menu", "stock", "order", "payment", "kitchen"] as const).flatMap((name): typeof cases => [
      [`${name} ListDeadLetters`, row(U, D, D, "ok", D), (c) => as(DeadLetterService, name, c).listDeadLetters({})],
      [`${name} ReplayDeadLetters`, row(U, D, D, "ok", D), (c) => as(DeadLetterService, name, c).replayDeadLetters({ ids: ["none"] })],
    ]),
  ];

  it.each(cases)("%s", async (_name, expected, call) => {
    const seen: Record<string, string> = {};
    for (const caller of callerNames) seen[caller] = await outcome(() => call(caller));
    expect(seen).toEqual(expected);
  });

  it("a customer orders and lists only as themselves: naming another customer is refused", async () => {
    const orders = as(OrderService, "order", "alice");
    expect(await outcome(() => orders.createOrder({ customerId: "bob", idempotencyKey: key("x"), lines: [{ itemId: dish.id, quantity: 1 }] }))).toBe(D);
    expect(await outcome(() => orders.listOrders({ customerId: "bob" }))).toBe(D);
    const own = await orders.listOrders({});
    expect(own.orders.length).toBeGreaterThan(0);
    expect(new Set(own.orders.map((order) => order.customerId))).toEqual(new Set(["alice"]));
    const bobs = await as(OrderService, "order", "bob").listOrders({});
    expect(bobs.orders.map((order) => order.id)).not.toContain(aliceOrder);
  });

  it("another customer cannot cancel alice's order (NOT_FOUND), and it stays as it was", async () => {
    expect(await outcome(() => as(OrderService, "order", "bob").cancelOrder({ id: aliceOrder }))).toBe(N);
    const order = await as(OrderService, "order", "alice").getOrder({ id: aliceOrder });
    expect(order.order!.cancelReason).toBe("");
    expect(await outcome(() => as(OrderService, "order", "anonymous").cancelOrder({ id: aliceOrder }))).toBe(U);
    expect(await outcome(() => as(OrderService, "order", "service").cancelOrder({ id: aliceOrder }))).toBe(D);
  });
});
