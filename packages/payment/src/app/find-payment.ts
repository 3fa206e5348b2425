import { NotFoundError } from "@oms/platform/errors";
import type { Payment } from "../domain/payment.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import type { PaymentLookup } from "./ports.js";

/** The payment `lookup` names; NotFoundError when there is none. */
export async function findPayment(repository: PaymentRepository, lookup: PaymentLookup): Promise<Payment> {
  const payment = "paymentId" in lookup ? await repository.get(lookup.paymentId) : await repository.findByOrderId(lookup.orderId);
  if (payment) return payment;
  throw "paymentId" in lookup ? new NotFoundError("payment", lookup.paymentId, "payment_id") : new NotFoundError("payment for order", lookup.orderId, "order_id");
}
