import { NotFoundError } from "@oms/platform/errors";
import type { Payment } from "../domain/payment.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { isCheckoutToken, sameCheckoutToken } from "./checkout-token.js";
import type { PaymentLookup } from "./ports.js";

/** The payment `lookup` names; NotFoundError when there is none. */
export async function findPayment(repository: PaymentRepository, lookup: PaymentLookup): Promise<Payment> {
  if ("checkoutToken" in lookup) return findByCheckoutToken(repository, lookup.checkoutToken);
  const payment = "paymentId" in lookup ? await repository.get(lookup.paymentId) : await repository.findByOrderId(lookup.orderId);
  if (payment) return payment;
  throw "paymentId" in lookup ? new NotFoundError("payment", lookup.paymentId, "payment_id") : new NotFoundError("payment for order", lookup.orderId, "order_id");
}

/**
 * A checkout by its token. Malformed tokens are not looked up; a found one is
 * compared again in constant time, so no storage's match rules (or a
 * hash-bucket hit) decide alone. The error never carries the token.
 */
async function findByCheckoutToken(repository: PaymentRepository, token: string): Promise<Payment> {
  const payment = isCheckoutToken(token) ? await repository.findByCheckoutToken(token) : undefined;
  if (payment && sameCheckoutToken(payment.checkoutToken, token)) return payment;
  throw new NotFoundError("checkout", "(token withheld)");
}
