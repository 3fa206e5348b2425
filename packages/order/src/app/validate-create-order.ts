import { ValidationError } from "@oms/platform/errors";

/** What a caller asks for: items and quantities only; names and prices come from the menu. */
export interface CreateOrderInput {
  customerId: string;
  lines: Array<{ itemId: string; quantity: number }>;
  /** Chosen by the caller, unique per intended order: a retry with it returns the same order. */
  idempotencyKey: string;
}

export const maxLines = 50;
export const maxQuantity = 100;
const maxIdLength = 128;

/** Refuses a malformed request with the path of the first bad field (proto names, e.g. `lines[1].quantity`). */
export function validateCreateOrder(input: CreateOrderInput): void {
  requireText("customer_id", input.customerId);
  if (input.lines.length < 1 || input.lines.length > maxLines) {
    throw new ValidationError("lines", `must have from 1 to ${maxLines} lines, has ${input.lines.length}`);
  }
  const seen = new Map<string, number>();
  input.lines.forEach((line, index) => {
    requireText(`lines[${index}].item_id`, line.itemId);
    const first = seen.get(line.itemId);
    if (first !== undefined) {
      throw new ValidationError(`lines[${index}].item_id`, `repeats lines[${first}].item_id; order the whole quantity on one line`);
    }
    seen.set(line.itemId, index);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > maxQuantity) {
      throw new ValidationError(`lines[${index}].quantity`, `must be from 1 to ${maxQuantity}, is ${line.quantity}`);
    }
  });
  requireText("idempotency_key", input.idempotencyKey);
}

function requireText(field: string, value: string): void {
  if (value.trim() === "") throw new ValidationError(field, "is required");
  if (value.length > maxIdLength) throw new ValidationError(field, `must be at most ${maxIdLength} characters`);
}
