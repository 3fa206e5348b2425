import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkoutRoutes } from "../src/adapters/checkout-routes.js";
import { formatMoney } from "../src/adapters/checkout-pages.js";
import { newCheckoutToken } from "../src/app/checkout-token.js";
import { makePaymentApp, orderCreated } from "./support/payment-fixtures.js";

/** What a browser sends when the checkout page's own form is submitted. */
const sameOrigin = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", origin: "http://localhost" };

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

  const open = () => context.app.openCheckout.execute(orderCreated());
  const page = (token: string) => server.inject({ method: "GET", url: `/checkout/${token}` });
  const post = (token: string, action: "pay" | "cancel", headers: Record<string, string> = sameOrigin, payload = "") =>
    server.inject({ method: "POST", url: `/checkout/${token}/${action}`, headers, payload });
  const status = async (paymentId: string) => (await context.app.getPayment.execute({ paymentId })).status;

  it("shows the order's lines, the total and Pay / Cancel forms at the checkout token's address only", async () => {
    const payment = await open();
    const shown = await page(payment.checkoutToken);

    expect(payment.checkoutToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers["content-type"]).toMatch(/^text\/html/);
    expect(shown.body).toContain("2 × Margherita");
    expect(shown.body).toContain("€19.00");
    expect(shown.body).toContain("€21.50");
    expect(shown.body).toContain(`<form method="post" action="/checkout/${payment.checkoutToken}/pay">`);
    expect(shown.body).toContain(`<form method="post" action="/checkout/${payment.checkoutToken}/cancel">`);
    expect(shown.body).not.toContain(payment.id);
    expect(shown.body).not.toMatch(/<(script|link|img)\b/);
  });

  it("sends nosniff, no-referrer, the CSP and no-store with every answer, errors included", async () => {
    const payment = await open();
    const answers = [
      await page(payment.checkoutToken),
      await page(newCheckoutToken()),
      await post(payment.checkoutToken, "pay", { origin: "https://evil.example" }),
      await post(payment.checkoutToken, "pay", { "content-type": "application/json" }, "{}"),
      await post(payment.checkoutToken, "pay"),
    ];
    for (const answer of answers) {
      expect(answer.headers, String(answer.statusCode)).toMatchObject({
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
        "content-security-policy": expect.stringContaining("default-src 'none'"),
      });
    }
  });

  it("pays from the page's form: 303 back to the page, which waits for the order before promising the kitchen", async () => {
    const payment = await open();

    const paid = await post(payment.checkoutToken, "pay");
    expect(paid.statusCode).toBe(303);
    expect(paid.headers.location).toBe(`/checkout/${payment.checkoutToken}`);
    expect(context.types()).toEqual(["payment.link_created", "payment.succeeded"]);

    const confirming = await page(payment.checkoutToken);
    expect(confirming.body).toContain("Payment received");
    expect(confirming.body).not.toContain("kitchen");
    expect(confirming.body).toContain('http-equiv="refresh"');

    await context.app.recordOrderPaid.execute({ orderId: payment.orderId });
    const confirmed = await page(payment.checkoutToken);
    expect(confirmed.body).toContain("Your order goes to the kitchen now");
    expect(confirmed.body).not.toContain('http-equiv="refresh"');
    expect(confirmed.body).not.toContain("<form");

    const again = await post(payment.checkoutToken, "pay");
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("Your order goes to the kitchen now");
    expect(context.types()).toEqual(["payment.link_created", "payment.succeeded"]);
  });

  it("never says 'goes to the kitchen' for a pay the order's cancellation overtook, and then says it was refunded", async () => {
    const payment = await open();
    // The order was cancelled at its deadline; payment has not heard yet when the customer presses Pay.
    const paid = await post(payment.checkoutToken, "pay");
    const after = await server.inject({ method: "GET", url: paid.headers.location ?? "" });
    expect(`${paid.body}${after.body}`).not.toContain("kitchen");

    await context.app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" });

    const refunded = await page(payment.checkoutToken);
    expect(refunded.body).toContain("Payment refunded");
    expect(refunded.body).toContain("cancelled, so your payment was refunded");
    expect(refunded.body).not.toContain("kitchen");
    expect(context.provider.refunds).toHaveLength(1);
  });

  it("cancels from the page's form: payment.failed with the customer's reason, then the page says so", async () => {
    const payment = await open();

    const cancelled = await post(payment.checkoutToken, "cancel", sameOrigin, "x=1");

    expect(cancelled.statusCode).toBe(303);
    expect((await page(payment.checkoutToken)).body).toContain("Payment cancelled");
    expect(context.published.at(-1)).toMatchObject({ type: "payment.failed", reason: "customer cancelled at checkout" });
  });

  it("refunds a pay on the page of an order cancelled meanwhile", async () => {
    const payment = await open();
    await context.app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" });

    const paid = await post(payment.checkoutToken, "pay");

    expect(paid.statusCode).toBe(303);
    expect((await page(payment.checkoutToken)).body).toContain("Payment refunded");
    expect(context.types()).not.toContain("payment.succeeded");
    expect(context.provider.refunds).toHaveLength(1);
  });

  it("answers the same 404 for an unknown token, a payment id and any other address, revealing nothing", async () => {
    const payment = await open();
    const addresses = [newCheckoutToken(), payment.id, payment.orderId, `${payment.checkoutToken}x`, payment.checkoutToken.slice(1), "%00", `${payment.checkoutToken}/extra`];
    const bodies = new Set<string>();
    for (const address of addresses) {
      for (const request of [
        { method: "GET" as const, url: `/checkout/${address}` },
        { method: "POST" as const, url: `/checkout/${address}/pay`, headers: sameOrigin },
        { method: "POST" as const, url: `/checkout/${address}/cancel`, headers: sameOrigin },
      ]) {
        const response = await server.inject(request);
        expect(response.statusCode, request.url).toBe(404);
        expect(response.body).not.toContain(payment.id);
        bodies.add(response.body);
      }
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain("Checkout not found");
    expect(await status(payment.id)).toBe("AWAITING_CUSTOMER");
  });

  it("refuses posts another site's page sends (403) and changes nothing", async () => {
    const payment = await open();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const headers of [
      { ...form, "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { ...form, "sec-fetch-site": "same-site", origin: "http://shop.localhost" },
      { ...form, origin: "https://evil.example" },
      { ...form, origin: "null" },
    ]) {
      for (const action of ["pay", "cancel"] as const) {
        const refused = await post(payment.checkoutToken, action, headers);
        expect(refused.statusCode, JSON.stringify(headers)).toBe(403);
      }
    }
    expect(await status(payment.id)).toBe("AWAITING_CUSTOMER");
    expect(context.types()).toEqual(["payment.link_created"]);
  });

  it("accepts a same-origin post told by Origin alone, and a post from no browser at all (curl)", async () => {
    const first = await open();
    const second = await open();

    const byOrigin = await post(first.checkoutToken, "pay", { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" });
    const byCurl = await server.inject({ method: "POST", url: `/checkout/${second.checkoutToken}/pay` });

    expect([byOrigin.statusCode, byCurl.statusCode]).toEqual([303, 303]);
    expect([await status(first.id), await status(second.id)]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("refuses any body but a form (415) and changes nothing", async () => {
    const payment = await open();
    for (const [type, body] of [
      ["application/json", '{"pay":true}'],
      ["text/plain", "pay"],
      ["multipart/form-data; boundary=x", "--x--"],
    ]) {
      const refused = await post(payment.checkoutToken, "pay", { ...sameOrigin, "content-type": type! }, body);
      expect(refused.statusCode, type).toBe(415);
    }
    const untyped = await server.inject({ method: "POST", url: `/checkout/${payment.checkoutToken}/pay`, headers: { "sec-fetch-site": "same-origin" }, payload: Buffer.from("{}") });
    expect(untyped.statusCode).toBe(415);
    expect(await status(payment.id)).toBe("AWAITING_CUSTOMER");
  });

  it("trusts the configured public origin, as behind a proxy that rewrites Host", async () => {
    const proxied = Fastify();
    await proxied.register(checkoutRoutes({ app: context.app, publicUrl: "https://pay.example.com/" }));
    const payment = await open();

    const paid = await proxied.inject({
      method: "POST",
      url: `/checkout/${payment.checkoutToken}/pay`,
      headers: { host: "payment-internal:8084", "content-type": "application/x-www-form-urlencoded", origin: "https://pay.example.com" },
    });

    expect(paid.statusCode).toBe(303);
    await proxied.close();
  });

  it("escapes every name it shows", async () => {
    const order = orderCreated();
    order.lines = [{ name: `<script>alert("x")</script> & 'more'`, quantity: 1, unitPriceMinor: 2150 }];
    const payment = await context.app.openCheckout.execute(order);

    const shown = await page(payment.checkoutToken);

    expect(shown.body).not.toContain("<script>");
    expect(shown.body).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;more&#39;");
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
