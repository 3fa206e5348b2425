import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { as, bearer, demoDishes, key, orderInStatus, rpc, stockOf, startSystem, tokens } from "./support.js";

describe("the order flow over HTTP/1.1 JSON (plain fetch)", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.close());

  it("takes an order from the menu to COMPLETED", async () => {
    const menu = await rpc(system.services.menu.url, "oms.menu.v1.MenuService/ListItems", {});
    expect(menu.status).toBe(200);
    expect(menu.body.items).toHaveLength(demoDishes.length);
    const [pizza, soup] = [demoDishes[0]!, demoDishes[4]!];
    const stockBefore = await stockOf(system, pizza.id);

    // The customer orders as themselves: their id is their token's subject.
    const created = await rpc(
      system.services.order.url,
      "oms.order.v1.OrderService/CreateOrder",
      {
        idempotencyKey: key(),
        lines: [
          { itemId: pizza.id, quantity: 2 },
          { itemId: soup.id, quantity: 1 },
        ],
      },
      as(tokens.alice),
    );
    expect(created.status).toBe(200);
    const order = created.body.order;
    expect(order.customerId).toBe("alice");
    expect(order.status).toMatch(/ORDER_STATUS_(PENDING|AWAITING_PAYMENT)/);
    expect(order.lines.map((line: { name: string }) => line.name)).toEqual([pizza.name, soup.name]);
    expect(order.total).toEqual({ currencyCode: "EUR", amountMinor: String(2 * pizza.priceMinor + soup.priceMinor) });
    expect(await stockOf(system, pizza.id)).toEqual({ available: stockBefore.available - 2, reserved: stockBefore.reserved + 2 });

    const awaiting = await orderInStatus(system, order.id, "AWAITING_PAYMENT");
    expect(awaiting.paymentUrl).toMatch(new RegExp(`^${system.services.payment.url}/checkout/`));
    const page = await fetch(awaiting.paymentUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(pizza.name);
    expect(html).toContain("25.50");

    const paid = await fetch(`${awaiting.paymentUrl}/pay`, { method: "POST" });
    expect(paid.status).toBeLessThan(400);
    await orderInStatus(system, order.id, "READY");
    const payment = await rpc(system.services.payment.url, "oms.payment.v1.PaymentService/GetPayment", { orderId: order.id });
    expect(payment.body.payment.status).toBe("PAYMENT_STATUS_SUCCEEDED");
    const ticket = await rpc(system.services.kitchen.url, "oms.kitchen.v1.KitchenService/GetTicket", { orderId: order.id });
    expect(ticket.body.ticket.status).toBe("TICKET_STATUS_READY");
    // Paid: the reservation is committed, the units are sold.
    expect(await stockOf(system, pizza.id)).toEqual({ available: stockBefore.available - 2, reserved: stockBefore.reserved });

    // Hand-over is the counter's: staff completes it (rpc's default token).
    const completed = await rpc(system.services.order.url, "oms.order.v1.OrderService/CompleteOrder", { id: order.id });
    expect(completed.status).toBe(200);
    expect(completed.body.order.status).toBe("ORDER_STATUS_COMPLETED");
  });

  it("serves idempotent reads with GET, as curl would", async () => {
    const message = encodeURIComponent(JSON.stringify({ itemIds: [demoDishes[1]!.id] }));
    const response = await fetch(`${system.services.menu.url}/oms.menu.v1.MenuService/GetItems?encoding=json&message=${message}`, {
      headers: bearer(tokens.alice),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ name: string }> };
    expect(body.items[0]!.name).toBe(demoDishes[1]!.name);
  });
});
