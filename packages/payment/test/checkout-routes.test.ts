import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "@oms/platform/ids";
import { checkoutRoutes } from "../src/adapters/checkout-routes.js";
import { formatMoney } from "../src/adapters/checkout-pages.js";
import { makePaymentApp, orderCreated } from "./support/payment-fixtures.js";

describe("the simulated checkout pages", () => {
  let context: ReturnType<typeof makePaymentApp>;
  let server: FastifyInstance;

  beforeEach(async () => {
    context = makePaymentApp();
    server = Fastify();
    await server.register(checkoutRoutes({ app: context.app }));
    await server.ready();
  });
  afterEach(() => server.close());

  const form = { "content-type": "application/x-www-form-urlencoded" };

  it("shows the order's lines, the total and Pay / Cancel forms", async () => {
    const payment = await context.app.openCheckout.execute(orderCreated());
    const page = await server.inject({ method: "GET", url: `/checkout/${payment.id}` });

    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("2 × Margherita");
    expect(page.body).toContain("€19.00");
    expect(page.body).toContain("€21.50");
    expect(page.body).toContain(`<form method="post" action="/checkout/${payment.id}/pay">`);
    expect(page.body).toContain(`<form method="post" action="/checkout/${payment.id}/cancel">`);
    expect(page.body).not.toMatch(/<(script|link|img)\b/);
  });

  it("pays from a form post: payment.succeeded, then an already-settled page", async () => {
    const payment = await context.app.openCheckout.execute(orderCreated());

    const paid = await server.inject({ method: "POST", url: `/checkout/${payment.id}/pay`, headers: form, payload: "" });
    expect(paid.statusCode).toBe(200);
    expect(paid.body).toContain("Payment received");
    expect(context.types()).toEqual(["payment.link_created", "payment.succeeded"]);

    const again = await server.inject({ method: "POST", url: `/checkout/${payment.id}/pay` });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("already settled");
    const page = await server.inject({ method: "GET", url: `/checkout/${payment.id}` });
    expect(page.body).toContain("This order is paid");
    expect(page.body).not.toContain("<form");
    expect(context.types()).toEqual(["payment.link_created", "payment.succeeded"]);
  });

  it("cancels from a form post: payment.failed with the customer's reason", async () => {
    const payment = await context.app.openCheckout.execute(orderCreated());

    const cancelled = await server.inject({ method: "POST", url: `/checkout/${payment.id}/cancel`, headers: form, payload: "x=1" });

    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.body).toContain("Payment cancelled");
    expect(context.published.at(-1)).toMatchObject({ type: "payment.failed", reason: "customer cancelled at checkout" });
  });

  it("refunds a pay on the page of an order cancelled meanwhile", async () => {
    const payment = await context.app.openCheckout.execute(orderCreated());
    await context.app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" });

    const paid = await server.inject({ method: "POST", url: `/checkout/${payment.id}/pay` });

    expect(paid.body).toContain("refunded");
    expect(context.types()).not.toContain("payment.succeeded");
    expect(context.provider.refunds).toHaveLength(1);
  });

  it("answers 404 with a page for an unknown payment", async () => {
    for (const request of [
      { method: "GET" as const, url: `/checkout/${newId()}` },
      { method: "POST" as const, url: `/checkout/${newId()}/pay` },
      { method: "POST" as const, url: `/checkout/${newId()}/cancel` },
    ]) {
      const response = await server.inject(request);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain("Checkout not found");
    }
  });

  it("escapes every name it shows", async () => {
    const order = orderCreated();
    order.lines = [{ name: `<script>alert("x")</script> & 'more'`, quantity: 1, unitPriceMinor: 2150 }];
    const payment = await context.app.openCheckout.execute(order);

    const page = await server.inject({ method: "GET", url: `/checkout/${payment.id}` });

    expect(page.body).not.toContain("<script>");
    expect(page.body).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;more&#39;");
  });
});

describe("formatMoney", () => {
  it("divides minor units exactly by the currency's digits", () => {
    expect(formatMoney({ currencyCode: "EUR", amountMinor: 2550 })).toBe("€25.50");
    expect(formatMoney({ currencyCode: "EUR", amountMinor: 5 })).toBe("€0.05");
    expect(formatMoney({ currencyCode: "JPY", amountMinor: 1200 })).toBe("¥1,200");
    expect(formatMoney({ currencyCode: "KWD", amountMinor: 1234 })).toMatch(/^KWD\s1\.234$/);
    expect(formatMoney({ currencyCode: "USD", amountMinor: 9_007_199_254_740_991 })).toBe("$90,071,992,547,409.91");
  });
});
