import { ValidationError } from "@oms/platform/errors";
import type { Payment } from "../domain/payment.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { findPayment } from "./find-payment.js";
import type { PaymentLookup } from "./ports.js";

/**
 * The payment of an order (GetPayment), with an id, or with a checkout token
 * (the checkout pages); NotFoundError when unknown. An empty id is a caller's
 * mistake (ValidationError); any bad token is simply not found.
 */
export class GetPayment {
  constructor(private readonly repository: PaymentRepository) {}

  async execute(lookup: PaymentLookup): Promise<Payment> {
    if ("paymentId" in lookup && lookup.paymentId.trim() === "") throw new ValidationError("payment_id", "must not be empty");
    if ("orderId" in lookup && lookup.orderId.trim() === "") throw new ValidationError("order_id", "must not be empty");
    return findPayment(this.repository, lookup);
  }
}
