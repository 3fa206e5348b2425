import { PreconditionError } from "@oms/platform/errors";

/** One item a reservation could not hold. `available` is what was there when the update was refused. */
export interface Shortage {
  readonly itemId: string;
  readonly requested: number;
  readonly available: number;
}

/**
 * Not enough stock for one or more lines: FAILED_PRECONDITION. The message
 * names every short item; `shortages` is the structured form (rpc.ts turns it
 * into an oms.stock.v1.InsufficientStock error detail).
 */
export class InsufficientStockError extends PreconditionError {
  constructor(readonly shortages: readonly Shortage[]) {
    const list = shortages.map((s) => `${s.itemId} (requested ${s.requested}, available ${s.available})`).join(", ");
    super(`not enough stock for ${shortages.length === 1 ? "item" : "items"} ${list}`, shortages);
  }
}
