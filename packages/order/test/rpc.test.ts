import { Code, ConnectError, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import { newId } from "@oms/platform/ids";
import { authorizationInterceptor } from "@oms/platform/auth";
import { errorMappingInterceptor, requestValidationInterceptor } from "@oms/platform/server";
import { testIdentities, withToken } from "@oms/platform/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { orderPolicies, orderRoutes } from "../src/rpc.js";
import { dishes, makeApp } from "./support/fakes.js";

let context: ReturnType<typeof makeApp>;
let client: Client<typeof OrderService>;

let identities: Awaited<ReturnType<typeof testIdentities>>;
let staffToken: string;
beforeAll(async () => {
  identities = await testIdentities();
  staffToken = await identities.token("staff", "counter");
});

// As staff, who may act on any customer's order: these tests are about the mapping, test/access about the doors.
beforeEach(() => {
  context = makeApp();
  const interceptors = [errorMappingInterceptor(), authorizationInterceptor(orderPolicies, identities.authenticator), requestValidationInterceptor];
  const transport = createRouterTransport(orderRoutes(context.app), { router: { interceptors }, transport: { interceptors: [withToken(staffToken)] } });
  client = createClient(OrderService, transport);
});

const validRequest = () => ({
  customerId: "alice",
  idempotencyKey: newId(),
  lines: [
    { itemId: dishes.margherita.id, quantity: 2 },
    { itemId: dishes.espresso.id, quantity: 1 },
  ],
});

async function rpcError(call: Promise<unknown>): Promise<ConnectError> {
  return call.then(() => expect.fail("expected an error"), (error: unknown) => ConnectError.from(error));
}

describe("OrderService over Connect", () => {
  it("creates, gets, lists, cancels an order with proto fields filled in", async () => {
    const { order } = await client.createOrder(validRequest());
    expect(order?.status).toBe(OrderStatus.PENDING);
    expect(order?.customerId).toBe("alice");
    expect(Number(order?.total?.amountMinor)).toBe(2150);
    expect(order?.total?.currencyCode).toBe("EUR");
    expect(order?.lines.map((line) => [line.name, line.quantity, Number(line.unitPrice?.amountMinor), Number(line.lineTotal?.amountMinor)])).toEqual([
      ["Margherita", 2, 950, 1900],
      ["Espresso", 1, 250, 250],
    ]);
    expect(order?.createTime).toBeDefined();
    expect(order?.paymentDeadline).toBeDefined();

    expect((await client.getOrder({ id: order!.id })).order?.id).toBe(order!.id);
    const listed = await client.listOrders({ customerId: "alice" });
    expect(listed.orders.map((listedOrder) => listedOrder.id)).toEqual([order!.id]);
    expect(listed.nextPageToken).toBe("");
    const cancelled = await client.cancelOrder({ id: order!.id, reason: "wrong table" });
    expect(cancelled.order?.status).toBe(OrderStatus.CANCELLED);
    expect(cancelled.order?.cancelReason).toBe("wrong table");
  });

  it("returns the same order for a retried CreateOrder", async () => {
    const request = validRequest();
    const first = await client.createOrder(request);
    const second = await client.createOrder(request);
    expect(second.order?.id).toBe(first.order?.id);
    const conflict = await rpcError(client.createOrder({ ...request, customerId: "bob" }));
    expect(conflict.code).toBe(Code.AlreadyExists);
  });

  const manyLines = (count: number) => Array.from({ length: count }, (_, index) => ({ itemId: `item-${index}`, quantity: 1 }));
  const badCreates: Array<[string, Record<string, unknown>, string]> = [
    ["a missing customer_id", { customerId: "" }, "customer_id: is required"],
    ["a blank customer_id", { customerId: "   " }, "customer_id: is required"],
    ["a 129-character customer_id", { customerId: "c".repeat(129) }, "customer_id: must be at most 128 characters"],
    ["no lines", { lines: [] }, "lines: must have from 1 to 50 lines, has 0"],
    ["51 lines", { lines: manyLines(51) }, "lines: must have from 1 to 50 lines, has 51"],
    ["a missing item_id", { lines: [{ itemId: "", quantity: 1 }] }, "lines[0].item_id: is required"],
    ["a blank item_id", { lines: [{ itemId: dishes.margherita.id, quantity: 1 }, { itemId: " ", quantity: 1 }] }, "lines[1].item_id: is required"],
    ["a 129-character item_id", { lines: [{ itemId: "i".repeat(129), quantity: 1 }] }, "lines[0].item_id: must be at most 128 characters"],
    ["a zero quantity", { lines: [{ itemId: dishes.margherita.id, quantity: 0 }] }, "lines[0].quantity: must be from 1 to 100, is 0"],
    ["a negative quantity", { lines: [{ itemId: dishes.margherita.id, quantity: 1 }, { itemId: dishes.espresso.id, quantity: -1 }] }, "lines[1].quantity: must be from 1 to 100, is -1"],
    ["a huge quantity", { lines: [{ itemId: dishes.margherita.id, quantity: 1_000_000 }] }, "lines[0].quantity: must be from 1 to 100, is 1000000"],
    ["101 of one item", { lines: [{ itemId: dishes.margherita.id, quantity: 101 }] }, "lines[0].quantity: must be from 1 to 100, is 101"],
    [
      "the same item on two lines",
      { lines: [{ itemId: dishes.margherita.id, quantity: 1 }, { itemId: dishes.margherita.id, quantity: 2 }] },
      "lines[1].item_id: repeats lines[0].item_id; order the whole quantity on one line",
    ],
    ["a missing idempotency_key", { idempotencyKey: "" }, "idempotency_key: is required"],
    ["a 129-character idempotency_key", { idempotencyKey: "k".repeat(129) }, "idempotency_key: must be at most 128 characters"],
  ];
  for (const [what, overrides, message] of badCreates) {
    it(`CreateOrder with ${what}: INVALID_ARGUMENT "${message}", and nothing reserved or stored`, async () => {
      const error = await rpcError(client.createOrder({ ...validRequest(), ...overrides }));
      expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, message]);
      expect(context.stock.reservations.size).toBe(0);
    });
  }

  it("CreateOrder at every limit: 128-character ids and key, quantity 100, and 50 lines pass the contract", async () => {
    context.stock.available.set(dishes.margherita.id, 100);
    const atLimits = { customerId: "c".repeat(128), idempotencyKey: "k".repeat(128), lines: [{ itemId: dishes.margherita.id, quantity: 100 }] };
    expect((await client.createOrder(atLimits)).order?.lines[0]?.quantity).toBe(100);
    // 50 lines pass the contract; the menu, not the contract, then refuses items it does not know.
    const fifty = await rpcError(client.createOrder({ ...validRequest(), lines: manyLines(50) }));
    expect([fifty.code, fifty.rawMessage.split(":")[0]]).toEqual([Code.NotFound, "lines[0].item_id"]);
    const longItem = await rpcError(client.createOrder({ ...validRequest(), lines: [{ itemId: "i".repeat(128), quantity: 1 }] }));
    expect(longItem.code).toBe(Code.NotFound);
  });

  it("CancelOrder: a reason of 500 characters is kept, one of 501 is INVALID_ARGUMENT", async () => {
    const { order } = await client.createOrder(validRequest());
    const tooLong = await rpcError(client.cancelOrder({ id: order!.id, reason: "x".repeat(501) }));
    expect([tooLong.code, tooLong.rawMessage]).toEqual([Code.InvalidArgument, "reason: must be at most 500 characters"]);
    expect((await client.cancelOrder({ id: order!.id, reason: "x".repeat(500) })).order?.cancelReason).toBe("x".repeat(500));
  });

  it("CreateOrder with an unknown item: NOT_FOUND naming the line", async () => {
    const error = await rpcError(client.createOrder({ ...validRequest(), lines: [{ itemId: "01KDVZZZZZZZZZZZZZZZZZZZZZ", quantity: 1 }] }));
    expect(error.code).toBe(Code.NotFound);
    expect(error.rawMessage).toContain("lines[0].item_id");
  });

  it("CreateOrder with an unavailable item or short stock: FAILED_PRECONDITION", async () => {
    const unavailable = await rpcError(client.createOrder({ ...validRequest(), lines: [{ itemId: dishes.truffleFries.id, quantity: 1 }] }));
    expect(unavailable.code).toBe(Code.FailedPrecondition);
    expect(unavailable.rawMessage).toContain("lines[0].item_id");
    context.stock.available.set(dishes.espresso.id, 0);
    const short = await rpcError(client.createOrder(validRequest()));
    expect(short.code).toBe(Code.FailedPrecondition);
    expect(short.rawMessage).toContain(dishes.espresso.id);
    expect((await client.listOrders({})).orders).toEqual([]);
  });

  it("CreateOrder while stock is down: UNAVAILABLE", async () => {
    context.stock.down = true;
    expect((await rpcError(client.createOrder(validRequest()))).code).toBe(Code.Unavailable);
  });

  it("GetOrder, CancelOrder, CompleteOrder: INVALID_ARGUMENT for no id, NOT_FOUND for an unknown one", async () => {
    for (const call of [(id: string) => client.getOrder({ id }), (id: string) => client.cancelOrder({ id }), (id: string) => client.completeOrder({ id })]) {
      for (const id of ["", "  "]) {
        const missing = await rpcError(call(id));
        expect([missing.code, missing.rawMessage]).toEqual([Code.InvalidArgument, "id: is required"]);
      }
      const unknown = await rpcError(call(newId()));
      expect(unknown.code).toBe(Code.NotFound);
      expect(unknown.rawMessage.startsWith("id: ")).toBe(true);
    }
  });

  it("illegal moves: FAILED_PRECONDITION", async () => {
    const { order } = await client.createOrder(validRequest());
    const early = await rpcError(client.completeOrder({ id: order!.id }));
    expect(early.code).toBe(Code.FailedPrecondition);
    expect(early.rawMessage).toBe(`order ${order!.id} is PENDING; cannot complete`);
    await client.cancelOrder({ id: order!.id });
    // Cancelling again is a retry (answered as is); completing a cancelled order is a real illegal move.
    expect((await client.cancelOrder({ id: order!.id })).order?.status).toBe(OrderStatus.CANCELLED);
    const late = await rpcError(client.completeOrder({ id: order!.id }));
    expect(late.code).toBe(Code.FailedPrecondition);
    expect(late.rawMessage).toBe(`order ${order!.id} is CANCELLED; cannot complete`);
  });

  it("ListOrders: bad page_size and page_token are INVALID_ARGUMENT naming the field", async () => {
    for (const [request, message] of [
      [{ pageSize: -1 }, "page_size: must be from 1 to 100 (0 means 20), is -1"],
      [{ pageSize: 101 }, "page_size: must be from 1 to 100 (0 means 20), is 101"],
      [{ pageToken: "not-a-token" }, "page_token: is not a page token this service issued"],
    ] as const) {
      const error = await rpcError(client.listOrders(request));
      expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, message]);
    }
    expect((await client.listOrders({ pageSize: 100 })).orders).toEqual([]);
  });

  it("ListOrders pages with next_page_token", async () => {
    const ids = [];
    for (let index = 0; index < 3; index++) ids.push((await client.createOrder(validRequest())).order!.id);
    const first = await client.listOrders({ pageSize: 2 });
    expect(first.orders.map((order) => order.id)).toEqual([ids[2], ids[1]]);
    const second = await client.listOrders({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.orders.map((order) => order.id)).toEqual([ids[0]]);
    expect(second.nextPageToken).toBe("");
  });

  it("WatchOrder streams every state from PENDING to COMPLETED, then ends", async () => {
    const { order } = await client.createOrder(validRequest());
    const id = order!.id;
    const steps: Array<() => Promise<unknown>> = [
      () => context.app.recordPaymentLink.execute({ orderId: id, checkoutUrl: "https://pay.example/1" }),
      () => context.app.recordPaymentSucceeded.execute({ orderId: id }),
      () => context.app.recordTicketStarted.execute({ orderId: id }),
      () => context.app.recordTicketReady.execute({ orderId: id }),
      () => client.completeOrder({ id }),
    ];
    const seen: OrderStatus[] = [];
    for await (const response of client.watchOrder({ id })) {
      seen.push(response.order!.status);
      await steps.shift()?.();
    }
    expect(seen).toEqual([OrderStatus.PENDING, OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED]);
  });

  it("WatchOrder sees a burst of changes one by one, and ends at CANCELLED", async () => {
    const { order } = await client.createOrder(validRequest());
    const id = order!.id;
    const seen: string[] = [];
    for await (const response of client.watchOrder({ id })) {
      seen.push(OrderStatus[response.order!.status]);
      if (seen.length === 1) {
        // Both changes land before the stream's next read: each still arrives.
        await context.app.recordPaymentLink.execute({ orderId: id, checkoutUrl: "https://pay.example/1" });
        await context.app.recordPaymentFailed.execute({ orderId: id, reason: "card declined" });
      }
    }
    expect(seen).toEqual(["PENDING", "AWAITING_PAYMENT", "CANCELLED"]);
  });

  it("WatchOrder: NOT_FOUND for an unknown id, INVALID_ARGUMENT for none", async () => {
    const consume = async (id: string) => {
      for await (const message of client.watchOrder({ id })) expect(message).toBeDefined();
    };
    expect((await rpcError(consume(newId()))).code).toBe(Code.NotFound);
    const missing = await rpcError(consume(""));
    expect([missing.code, missing.rawMessage]).toEqual([Code.InvalidArgument, "id: is required"]);
  });
});
