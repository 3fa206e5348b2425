import { NotFoundError } from "@oms/platform/errors";
import type { Logger } from "@oms/platform/logging";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { PaymentApp } from "../app/payment-app.js";
import { checkoutPage, providerStatusPage, resultPage, settledPage } from "./checkout-pages.js";

/** The reason order sees when the customer presses Cancel. */
export const customerCancelledReason = "customer cancelled at checkout";

export interface CheckoutRoutesOptions {
  app: Pick<PaymentApp, "getPayment" | "recordPaymentSucceeded" | "recordPaymentFailed">;
  logger?: Logger;
}

type WithPaymentId = { Params: { paymentId: string } };

/**
 * The simulated provider's checkout, as an encapsulated Fastify plugin:
 * `GET /checkout/:paymentId` shows the order and its total with Pay and Cancel,
 * which POST plain HTML forms to `/checkout/:paymentId/pay` and `/cancel`;
 * the outcome goes through the same use cases a Stripe webhook calls.
 */
export function checkoutRoutes(options: CheckoutRoutesOptions): FastifyPluginAsync {
  const { app, logger } = options;

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply
      .code(status)
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
      .send(html);

  /** Runs a page's work; an unknown payment is a 404 page, anything unexpected a 500 page without detail. */
  const answer = async (reply: FastifyReply, work: () => Promise<[number, string]>) => {
    try {
      const [status, html] = await work();
      return send(reply, status, html);
    } catch (error) {
      if (error instanceof NotFoundError) return send(reply, 404, resultPage("Checkout not found", "There is no payment at this address."));
      logger?.error({ err: error }, "checkout page failed");
      return send(reply, 500, resultPage("Something went wrong", "Nothing was charged. Please try again in a moment."));
    }
  };

  /**
   * Pay and Cancel are the simulated provider's buttons: for a payment a real
   * provider takes, only that provider (its signed webhook) reports the
   * outcome, so these answer 404 and change nothing.
   */
  const simulatedPayment = async (paymentId: string) => {
    const payment = await app.getPayment.execute({ paymentId });
    if (payment.provider !== "simulated") throw new NotFoundError("checkout", paymentId);
    return { paymentId };
  };

  return async (fastify) => {
    // Plain HTML forms post urlencoded bodies; nothing in them is needed, but they must not be refused (415).
    fastify.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => done(null, body));

    fastify.get<WithPaymentId>("/checkout/:paymentId", (request, reply) =>
      answer(reply, async () => {
        const payment = await app.getPayment.execute({ paymentId: request.params.paymentId });
        if (payment.provider !== "simulated") return [200, providerStatusPage(payment)];
        return [200, payment.status === "AWAITING_CUSTOMER" ? checkoutPage(payment) : settledPage(payment)];
      }),
    );

    fastify.post<WithPaymentId>("/checkout/:paymentId/pay", (request, reply) =>
      answer(reply, async () => {
        const lookup = await simulatedPayment(request.params.paymentId);
        const outcome = await app.recordPaymentSucceeded.execute(lookup);
        if (outcome === "paid") return [200, resultPage("Payment received", "Thank you! Your order goes to the kitchen now.")];
        if (outcome === "refunded") {
          return [200, resultPage("Payment refunded", "This order had already been cancelled, so your payment was refunded.")];
        }
        return [409, settledPage(await app.getPayment.execute(lookup))];
      }),
    );

    fastify.post<WithPaymentId>("/checkout/:paymentId/cancel", (request, reply) =>
      answer(reply, async () => {
        const lookup = await simulatedPayment(request.params.paymentId);
        const outcome = await app.recordPaymentFailed.execute(lookup, customerCancelledReason);
        if (outcome === "failed") return [200, resultPage("Payment cancelled", "Nothing was charged. Your order will be cancelled.")];
        return [409, settledPage(await app.getPayment.execute(lookup))];
      }),
    );
  };
}
