import type { Payment } from "../domain/payment.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { findPayment } from "./find-payment.js";
import type { PaymentLookup } from "./ports.js";

/**
 * The payment of an order (GetPayment), with an id, or with a checkout token
 * (the checkout pages); NotFoundError when unknown, a bad token included.
 * GetPayment's contract refuses an empty order id before this runs.
 */
export class GetPayment {
  constructor(private readonly repository: PaymentRepository) {}

  async execute(lookup: PaymentLookup): Promise<Payment> {
    return findPayment(this.repository, lookup);
  }
}
