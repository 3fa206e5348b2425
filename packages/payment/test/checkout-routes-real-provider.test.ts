import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkoutRoutes } from "../src/adapters/checkout-routes.js";
import { makePaymentApp, orderCreated } from "./support/payment-fixtures.js";

// With a real provider, only the provider (its signed webhook) may say a payment
// succeeded: the simulated buttons must not exist for those payments.
describe("checkout pages of a payment a real provider takes", () => {
  let context: ReturnType<typeof makePaymentApp>;
  let server: FastifyInstance;

  beforeEach(async () => {
    context = makePaymentApp("stripe");
    server = Fastify();
    await server.register(checkoutRoutes({ app: context.app }));
    await server.ready();
  });
  afterEach(() => server.close());

  it("refuses Pay and Cancel with 404 and changes nothing", async () => {
    const payment = await context.app.openCheckout.execute(orderCreated());
    for (const action of ["pay", "cancel"]) {
      const response = await server.inject({ method: "POST", url: `/checkout/${payment.checkoutToken}/${action}` });
      expect(response.statusCode, action).toBe(404);
    }
    const stored = await context.app.getPayment.execute({ paymentId: payment.id });
    expect(stored.status).toBe("AWAITING_CUSTOMER");
    expect(context.types()).toEqual(["payment.link_created"]);
  });

  it("shows a read-only status page that follows the payment live and links to the provider", async () => {
    const payment = await context.app.openCheckout.execute(orderCreated());
    const waiting = await server.inject({ method: "GET", url: `/checkout/${payment.checkoutToken}` });
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).not.toContain("<form");
    expect(waiting.body).toContain('<meta http-equiv="refresh" content="2">');
    expect(waiting.body).toContain(`href="${payment.checkoutUrl}"`);
    expect(waiting.body).toContain("2 × Margherita");

    await context.app.recordPaymentSucceeded.execute({ paymentId: payment.id });
    const paid = await server.inject({ method: "GET", url: `/checkout/${payment.checkoutToken}` });
    expect(paid.body).toContain("Payment received");
    expect(paid.body).not.toContain("kitchen");
    expect(paid.body).toContain("http-equiv=\"refresh\"");

    await context.app.recordOrderPaid.execute({ orderId: payment.orderId });
    const accepted = await server.inject({ method: "GET", url: `/checkout/${payment.checkoutToken}` });
    expect(accepted.body).toContain("Your order goes to the kitchen now");
    expect(accepted.body).not.toContain("http-equiv=\"refresh\"");
  });
});
