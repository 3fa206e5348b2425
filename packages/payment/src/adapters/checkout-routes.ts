import { NotFoundError } from "@oms/platform/errors";
import type { Logger } from "@oms/platform/logging";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { PaymentApp } from "../app/payment-app.js";
import type { Payment } from "../domain/payment.js";
import { isCrossSite, isFormOrEmpty } from "./checkout-guard.js";
import { checkoutPage, resultPage, statusPage } from "./checkout-pages.js";

/** The reason order sees when the customer presses Cancel. */
export const customerCancelledReason = "customer cancelled at checkout";
/** The reason order sees when the simulated issuer declines a payment (the payment_decline_rate fault). */
export const cardDeclinedReason = "card declined";

export interface CheckoutRoutesOptions {
  app: Pick<PaymentApp, "getPayment" | "recordPaymentSucceeded" | "recordPaymentFailed">;
  /** PAYMENT_PUBLIC_URL: its origin may post the forms even when a proxy rewrites Host. */
  publicUrl?: string;
  /** Whether the simulated issuer declines this payment (a fault switched on for demos and chaos tests). */
  declines?: () => boolean;
  logger?: Logger;
}

type WithToken = { Params: { token: string } };

/** Sent with every checkout response, errors included: no caching, no sniffing, no scripts, no framing, no referrer leaking the token. */
const securityHeaders = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const notFound = resultPage("Checkout not found", "There is no payment at this address.");

/**
 * The checkout, as an encapsulated Fastify plugin, reached only through the
 * payment's checkout token: `GET /checkout/:token` shows the order with Pay
 * and Cancel (simulated provider) or its status (otherwise); the forms POST
 * to `/checkout/:token/pay` and `/cancel`, which record the outcome through
 * the same use cases a Stripe webhook calls and then send the browser back to
 * the page (303), so what it reads is the stored outcome. Any other address
 * under /checkout, a payment id included, is the same 404.
 */
export function checkoutRoutes(options: CheckoutRoutesOptions): FastifyPluginAsync {
  const { app, declines, logger } = options;
  const trustedOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;

  const send = (reply: FastifyReply, status: number, html: string) => reply.code(status).type("text/html; charset=utf-8").send(html);

  /** Runs a page's work; an unknown checkout is a 404 page, anything unexpected a 500 page without detail. */
  const answer = async (reply: FastifyReply, work: () => Promise<[number, string] | string>) => {
    try {
      const result = await work();
      if (typeof result === "string") return await reply.code(303).header("location", result).send();
      return await send(reply, ...result);
    } catch (error) {
      if (error instanceof NotFoundError) return send(reply, 404, notFound);
      logger?.error({ err: error }, "checkout page failed");
      return send(reply, 500, resultPage("Something went wrong", "Nothing was charged. Please try again in a moment."));
    }
  };

  const pageOf = (payment: Payment) => `/checkout/${encodeURIComponent(payment.checkoutToken)}`;

  /**
   * Pay and Cancel are the simulated provider's buttons: for a payment a real
   * provider takes, only that provider (its signed webhook) reports the
   * outcome, so these answer 404 and change nothing.
   */
  const simulatedPayment = async (token: string) => {
    const payment = await app.getPayment.execute({ checkoutToken: token });
    if (payment.provider !== "simulated") throw new NotFoundError("checkout", "(token withheld)");
    return payment;
  };

  /** Refuses a post another site's page sent (403) or that is no form of ours (415), before its body is read. */
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== "POST") return;
    if (isCrossSite(request.headers, request.host, trustedOrigin)) {
      return send(reply, 403, resultPage("Request refused", "Pay and Cancel work only from the checkout page itself. Nothing was changed."));
    }
    if (!isFormOrEmpty(request.headers)) {
      return send(reply, 415, resultPage("Unsupported request", "The checkout accepts only its own form (application/x-www-form-urlencoded)."));
    }
  };

  // Whoever holds a checkout's unguessable token may open it: the token is the key (no bearer token on a payment page).
  const keyed = { config: { access: "keyed" } } as const;

  return async (fastify) => {
    fastify.addHook("onRequest", guard);
    fastify.addHook("onSend", async (_request, reply) => {
      reply.headers(securityHeaders);
    });
    // The forms carry no fields; the body is accepted (not 415) and ignored.
    fastify.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => done(null, body));

    fastify.get<WithToken>("/checkout/:token", keyed, (request, reply) =>
      answer(reply, async () => {
        const payment = await app.getPayment.execute({ checkoutToken: request.params.token });
        const waitsForSimulatedPay = payment.provider === "simulated" && payment.status === "AWAITING_CUSTOMER";
        return [200, waitsForSimulatedPay ? checkoutPage(payment) : statusPage(payment)];
      }),
    );

    fastify.post<WithToken>("/checkout/:token/pay", keyed, (request, reply) =>
      answer(reply, async () => {
        const payment = await simulatedPayment(request.params.token);
        if (declines?.()) {
          const declined = await app.recordPaymentFailed.execute({ paymentId: payment.id }, cardDeclinedReason);
          if (declined === "failed") return pageOf(payment);
          return [409, statusPage(await app.getPayment.execute({ paymentId: payment.id }))];
        }
        const outcome = await app.recordPaymentSucceeded.execute({ paymentId: payment.id });
        if (outcome !== "already-settled") return pageOf(payment);
        return [409, statusPage(await app.getPayment.execute({ paymentId: payment.id }))];
      }),
    );

    fastify.post<WithToken>("/checkout/:token/cancel", keyed, (request, reply) =>
      answer(reply, async () => {
        const payment = await simulatedPayment(request.params.token);
        const outcome = await app.recordPaymentFailed.execute({ paymentId: payment.id }, customerCancelledReason);
        if (outcome === "failed") return pageOf(payment);
        return [409, statusPage(await app.getPayment.execute({ paymentId: payment.id }))];
      }),
    );

    // Everything else under /checkout answers exactly like an unknown token.
    fastify.route({ method: ["GET", "POST"], url: "/checkout/*", config: { access: "public" }, handler: (_request, reply) => send(reply, 404, notFound) });
  };
}
