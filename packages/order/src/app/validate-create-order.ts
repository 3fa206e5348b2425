import { ValidationError } from "@oms/platform/errors";

/** What a caller asks for: items and quantities only; names and prices come from the menu. */
export interface CreateOrderInput {
  customerId: string;
  lines: Array<{ itemId: string; quantity: number }>;
  /** Chosen by the caller, unique per intended order: a retry with it returns the same order. */
  idempotencyKey: string;
}

/**
 * The two rules of a CreateOrder request its contract cannot state (the
 * contract's rules bound each field: lengths, line count, quantities):
 * - an order has an owner, but the contract lets a customer leave
 *   `customer_id` empty (they act for themselves), so whether it is missing
 *   is known only once the caller is;
 * - one line per item, refused naming the line that repeats an earlier one,
 *   which a rule on the list cannot point at.
 */
export function validateCreateOrder(input: CreateOrderInput): void {
  if (input.customerId.trim() === "") throw new ValidationError("customer_id", "is required");
  const seen = new Map<string, number>();
  input.lines.forEach((line, index) => {
    const first = seen.get(line.itemId);
    if (first !== undefined) {
      throw new ValidationError(`lines[${index}].item_id`, `repeats lines[${first}].item_id; order the whole quantity on one line`);
    }
    seen.set(line.itemId, index);
  });
}
