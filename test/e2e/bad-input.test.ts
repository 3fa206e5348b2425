import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { demoDishes, key, orderInStatus, rpc, startSystem } from "./support.js";

const createOrder = "oms.order.v1.OrderService/CreateOrder";
const unknownId = "01KDVDNA008K7ESVVT02SXGT1X";

describe("bad input gets the right code and names the problem; the service keeps serving", () => {
  let system: RunningSystem;
  let orderUrl: string;
  beforeAll(async () => {
    system = await startSystem();
    orderUrl = system.services.order.url;
  });
  afterAll(() => system?.close());

  const valid = () => ({ customerId: "frank", idempotencyKey: key("bad"), lines: [{ itemId: demoDishes[0]!.id, quantity: 1 }] });

  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ["missing customer", () => ({ ...valid(), customerId: "" }), "invalid_argument", /customer_id/],
    ["missing idempotency key", () => ({ ...valid(), idempotencyKey: "" }), "invalid_argument", /idempotency_key/],
    ["no lines", () => ({ ...valid(), lines: [] }), "invalid_argument", /lines/],
    ["missing item id", () => ({ ...valid(), lines: [{ quantity: 1 }] }), "invalid_argument", /lines\[0\]\.item_id/],
    ["zero quantity", () => ({ ...valid(), lines: [{ itemId: demoDishes[0]!.id, quantity: 0 }] }), "invalid_argument", /lines\[0\]\.quantity/],
    ["negative quantity", () => ({ ...valid(), lines: [{ itemId: demoDishes[0]!.id, quantity: -3 }] }), "invalid_argument", /lines\[0\]\.quantity/],
    ["huge quantity", () => ({ ...valid(), lines: [{ itemId: demoDishes[0]!.id, quantity: 1_000_000 }] }), "invalid_argument", /lines\[0\]\.quantity/],
    ["quantity beyond int32", () => ({ ...valid(), lines: [{ itemId: demoDishes[0]!.id, quantity: 1e12 }] }), "invalid_argument", /quantity/],
    ["quantity as a word", () => ({ ...valid(), lines: [{ itemId: demoDishes[0]!.id, quantity: "two" }] }), "invalid_argument", /quantity/],
    ["lines as a string", () => ({ ...valid(), lines: "pizza" }), "invalid_argument", /lines/],
    ["unknown field", () => ({ ...valid(), colour: "blue" }), "invalid_argument", /colour/],
    ["unknown item", () => ({ ...valid(), lines: [{ itemId: unknownId, quantity: 1 }] }), "not_found", new RegExp(unknownId)],
    ["second line unknown", () => ({ ...valid(), lines: [{ itemId: demoDishes[0]!.id, quantity: 1 }, { itemId: unknownId, quantity: 1 }] }), "not_found", /lines\[1\]\.item_id/],
  ];

  for (const [name, body, code, message] of cases) {
    it(`CreateOrder with ${name}: ${code}`, async () => {
      const result = await rpc(orderUrl, createOrder, body());
      expect(result.body.code).toBe(code);
      expect(result.body.message).toMatch(message);
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
    });
  }

  it("malformed JSON: invalid_argument", async () => {
    const result = await rpc(orderUrl, createOrder, '{"customerId": "x", "lines": [');
    expect(result.status).toBe(400);
    expect(result.body.code).toBe("invalid_argument");
  });

  it("an oversized body is refused and the next request still works", async () => {
    const huge = JSON.stringify({ ...valid(), customerId: "x".repeat(2 * 1024 * 1024) });
    const response = await fetch(`${orderUrl}/${createOrder}`, { method: "POST", headers: { "content-type": "application/json" }, body: huge });
    expect([413, 429]).toContain(response.status);
    const text = await response.text();
    expect(text).toMatch(/resource_exhausted|too large|limit/i);
    const next = await rpc(orderUrl, createOrder, valid());
    expect(next.status).toBe(200);
  });

  it("unknown ids: not_found naming the id", async () => {
    for (const [url, path, body] of [
      [orderUrl, "oms.order.v1.OrderService/GetOrder", { id: unknownId }],
      [orderUrl, "oms.order.v1.OrderService/CancelOrder", { id: unknownId }],
      [system.services.payment.url, "oms.payment.v1.PaymentService/GetPayment", { orderId: unknownId }],
      [system.services.kitchen.url, "oms.kitchen.v1.KitchenService/GetTicket", { orderId: unknownId }],
      [system.services.menu.url, "oms.menu.v1.MenuService/GetItems", { itemIds: [unknownId] }],
    ] as const) {
      const result = await rpc(url, path, body);
      expect(result.status, path).toBe(404);
      expect(result.body.code).toBe("not_found");
      expect(result.body.message).toContain(unknownId);
    }
  });

  it("empty ids: invalid_argument naming the field", async () => {
    const result = await rpc(orderUrl, "oms.order.v1.OrderService/GetOrder", {});
    expect(result.body.code).toBe("invalid_argument");
    expect(result.body.message).toMatch(/\bid\b/);
  });

  it("illegal state moves: failed_precondition", async () => {
    const { body } = await rpc(orderUrl, createOrder, valid());
    await orderInStatus(system, body.order.id, "AWAITING_PAYMENT");
    const early = await rpc(orderUrl, "oms.order.v1.OrderService/CompleteOrder", { id: body.order.id });
    expect(early.body.code).toBe("failed_precondition");
    expect(early.body.message).toMatch(/AWAITING_PAYMENT/);
    await rpc(orderUrl, "oms.order.v1.OrderService/CancelOrder", { id: body.order.id });
    // A repeated cancel is a retry, answered with the order as it is; completing a cancelled order is refused.
    const again = await rpc(orderUrl, "oms.order.v1.OrderService/CancelOrder", { id: body.order.id });
    expect(again.body.order.status).toBe("ORDER_STATUS_CANCELLED");
    const late = await rpc(orderUrl, "oms.order.v1.OrderService/CompleteOrder", { id: body.order.id });
    expect(late.body.code).toBe("failed_precondition");
    expect(late.body.message).toMatch(/CANCELLED/);
  });

  it("a bad page token: invalid_argument naming page_token", async () => {
    const result = await rpc(orderUrl, "oms.order.v1.OrderService/ListOrders", { pageToken: "not-a-token" });
    expect(result.body.code).toBe("invalid_argument");
    expect(result.body.message).toMatch(/page_token/);
  });

  it("still serves after all of that", async () => {
    const result = await rpc(orderUrl, createOrder, valid());
    expect(result.status).toBe(200);
    const health = await fetch(`${orderUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});
