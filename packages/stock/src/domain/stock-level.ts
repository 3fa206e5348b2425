import { ValidationError } from "@oms/platform/errors";

/** The units of one item: `available` can still be reserved, `reserved` are held for unpaid orders. Both >= 0. */
export interface StockLevel {
  readonly itemId: string;
  readonly available: number;
  readonly reserved: number;
}

export const maxAdjustment = 100_000;

/** A stock adjustment is a non-zero whole number of units, at most 100000 either way. */
export function checkAdjustment(delta: number): void {
  if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > maxAdjustment) {
    throw new ValidationError("delta", `must be a non-zero whole number from -${maxAdjustment} to ${maxAdjustment}`);
  }
}
