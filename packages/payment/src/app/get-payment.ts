import { ValidationError } from "@oms/platform/errors";
import type { Payment } from "../domain/payment.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { findPayment } from "./find-payment.js";
import type { PaymentLookup } from "./ports.js";

/** The payment of an order (GetPayment) or with an id (the checkout page); NotFoundError when unknown. */
export class GetPayment {
  constructor(private readonly repository: PaymentRepository) {}

  async execute(lookup: PaymentLookup): Promise<Payment> {
    const [field, value] = "paymentId" in lookup ? ["payment_id", lookup.paymentId] : ["order_id", lookup.orderId];
    if (value.trim() === "") throw new ValidationError(field, "must not be empty");
    return findPayment(this.repository, lookup);
  }
}
