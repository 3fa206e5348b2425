import { PreconditionError, ValidationError } from "@oms/platform/errors";

/** One item and how many units of it an order holds. */
export interface ReservationLine {
  readonly itemId: string;
  readonly quantity: number;
}

/**
 * RESERVING: units are being taken line by line (internal, never returned to
 * callers); HELD: every line's units are held for the order; COMMITTED: the
 * order was paid and the units are sold; RELEASED: the units went back to
 * available. COMMITTED and RELEASED are final.
 */
export type ReservationStatus = "RESERVING" | "HELD" | "COMMITTED" | "RELEASED";

/** What a reservation is made of, as storage keeps it. */
export interface ReservationSnapshot {
  orderId: string;
  lines: ReservationLine[];
  status: ReservationStatus;
}

export const reservationLimits = { maxLines: 50, minQuantity: 1, maxQuantity: 100, maxIdLength: 64 } as const;

/**
 * The units one order holds. Lines are checked on creation (request field
 * names in errors: `order_id`, `lines[1].quantity`); status moves only
 * through the guarded methods below.
 */
export class Reservation {
  private constructor(
    readonly orderId: string,
    readonly lines: readonly ReservationLine[],
    private currentStatus: ReservationStatus,
  ) {}

  /**
   * A new reservation in RESERVING. A repeated item id is refused rather than
   * merged: it is almost always a caller bug, and merging would hide it.
   */
  static request(orderId: string, lines: readonly ReservationLine[]): Reservation {
    checkId(orderId, "order_id");
    if (lines.length === 0) throw new ValidationError("lines", "must hold at least one line");
    if (lines.length > reservationLimits.maxLines) {
      throw new ValidationError("lines", `must hold at most ${reservationLimits.maxLines} lines (got ${lines.length})`);
    }
    const seen = new Map<string, number>();
    lines.forEach((line, index) => {
      checkId(line.itemId, `lines[${index}].item_id`);
      const first = seen.get(line.itemId);
      if (first !== undefined) throw new ValidationError(`lines[${index}].item_id`, `repeats lines[${first}].item_id; one line per item`);
      seen.set(line.itemId, index);
      const { minQuantity: min, maxQuantity: max } = reservationLimits;
      if (!Number.isInteger(line.quantity) || line.quantity < min || line.quantity > max) {
        throw new ValidationError(`lines[${index}].quantity`, `must be from ${min} to ${max}`);
      }
    });
    return new Reservation(orderId, lines.map(({ itemId, quantity }) => ({ itemId, quantity })), "RESERVING");
  }

  /** Rebuilds a stored reservation (adapters only). */
  static fromSnapshot(snapshot: ReservationSnapshot): Reservation {
    return new Reservation(snapshot.orderId, snapshot.lines.map((line) => ({ ...line })), snapshot.status);
  }

  get status(): ReservationStatus {
    return this.currentStatus;
  }

  /** True when `lines` asks for exactly these items and quantities, in any order. */
  sameLines(lines: readonly ReservationLine[]): boolean {
    const key = (list: readonly ReservationLine[]) =>
      list.map((line) => `${line.itemId}\u0000${line.quantity}`).sort().join("\u0001");
    return key(lines) === key(this.lines);
  }

  /** RESERVING -> HELD, once every line's units are taken. */
  hold(): void {
    if (this.currentStatus !== "RESERVING") throw new PreconditionError(`reservation for order ${this.orderId} is ${this.currentStatus}, not RESERVING`);
    this.currentStatus = "HELD";
  }

  /** HELD -> COMMITTED. False (nothing to do) when already committed; refused when released. */
  commit(): boolean {
    if (this.currentStatus === "COMMITTED") return false;
    if (this.currentStatus !== "HELD") {
      throw new PreconditionError(`reservation for order ${this.orderId} is ${this.currentStatus} and cannot be committed`);
    }
    this.currentStatus = "COMMITTED";
    return true;
  }

  /** HELD -> RELEASED. False (nothing to do) when already released; refused when committed (the units are sold). */
  release(): boolean {
    if (this.currentStatus === "RELEASED") return false;
    if (this.currentStatus !== "HELD") {
      throw new PreconditionError(`reservation for order ${this.orderId} is ${this.currentStatus} and cannot be released`);
    }
    this.currentStatus = "RELEASED";
    return true;
  }

  toSnapshot(): ReservationSnapshot {
    return { orderId: this.orderId, lines: this.lines.map((line) => ({ ...line })), status: this.currentStatus };
  }
}

/** Order and item ids come from their owners (order, menu): stock only needs them present and bounded. */
export function checkId(id: string, field: string): void {
  if (id.trim() === "") throw new ValidationError(field, "is required");
  if (id.length > reservationLimits.maxIdLength) {
    throw new ValidationError(field, `must be at most ${reservationLimits.maxIdLength} characters`);
  }
}
