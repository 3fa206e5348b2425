import { PreconditionError, UnavailableError, ValidationError } from "@oms/platform/errors";

/** One item and how many units of it an order holds. */
export interface ReservationLine {
  readonly itemId: string;
  readonly quantity: number;
}

/**
 * RESERVING: units are being taken line by line (internal, never returned to
 * callers); HELD: every line's units are held for the order; CONFIRMED: held,
 * and the order is known to exist (its `order.created` arrived); EXPIRING:
 * held so long with no sign of the order that it was taken for never stored,
 * and its units are being given back; EXPIRED: they are back; COMMITTED: the
 * order was paid and the units are sold; RELEASED: the units went back to
 * available. COMMITTED and RELEASED are final.
 */
export type ReservationStatus = "RESERVING" | "HELD" | "CONFIRMED" | "EXPIRING" | "EXPIRED" | "COMMITTED" | "RELEASING" | "RELEASED";

/** What a reservation is made of, as storage keeps it. */
export interface ReservationSnapshot {
  orderId: string;
  lines: ReservationLine[];
  status: ReservationStatus;
}

/**
 * The units one order holds. On creation it refuses what would corrupt the
 * unit counts, whoever asks (request field names in errors: `lines[1].item_id`):
 * no lines, an item on two lines (each line is one hold per item and order),
 * a quantity that is not a positive whole number (reserving it would give
 * units back). The request's bounds (ids, at most 50 lines, at most 100 units)
 * are its contract's, checked before any use case runs. Status moves only
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
    if (lines.length === 0) throw new ValidationError("lines", "must hold at least one line");
    const seen = new Map<string, number>();
    lines.forEach((line, index) => {
      const first = seen.get(line.itemId);
      if (first !== undefined) throw new ValidationError(`lines[${index}].item_id`, `repeats lines[${first}].item_id; one line per item`);
      seen.set(line.itemId, index);
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        throw new ValidationError(`lines[${index}].quantity`, "must be a whole number of units, 1 or more");
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

  /**
   * HELD -> CONFIRMED: the order exists. False (nothing to do) when confirmed,
   * sold or released already, and when expiring or expired (the caller waits
   * for the units to be back, then takes them again: reclaim); refused while RESERVING.
   */
  confirm(): boolean {
    this.refuseWhileReserving("confirmed");
    if (this.currentStatus !== "HELD") return false;
    this.currentStatus = "CONFIRMED";
    return true;
  }

  /** HELD -> EXPIRING: no order came for these units. False for any other status: a confirmed hold never expires. */
  expire(): boolean {
    if (this.currentStatus !== "HELD") return false;
    this.currentStatus = "EXPIRING";
    return true;
  }

  /** EXPIRING -> EXPIRED, once the units are back. False for any other status. */
  finishExpiring(): boolean {
    if (this.currentStatus !== "EXPIRING") return false;
    this.currentStatus = "EXPIRED";
    return true;
  }

  /** EXPIRED -> RESERVING: its order turned up late, so its units are to be taken again. False for any other status. */
  reclaim(): boolean {
    if (this.currentStatus !== "EXPIRED") return false;
    this.currentStatus = "RESERVING";
    return true;
  }

  /**
   * HELD | CONFIRMED -> COMMITTED. False (nothing to do) when already
   * committed; refused when released. Expiring or expired: the order exists
   * after all (it was paid), so the caller is told to retry until its
   * `order.created` has taken the units again.
   */
  commit(): boolean {
    this.refuseWhileReserving("committed");
    if (this.currentStatus === "COMMITTED") return false;
    if (this.currentStatus === "EXPIRING" || this.currentStatus === "EXPIRED") {
      throw new UnavailableError(`reservation for order ${this.orderId} expired before its order was confirmed; retry after order.created`);
    }
    if (this.currentStatus !== "HELD" && this.currentStatus !== "CONFIRMED") {
      throw new PreconditionError(`reservation for order ${this.orderId} is ${this.currentStatus} and cannot be committed`);
    }
    this.currentStatus = "COMMITTED";
    return true;
  }

  /**
   * HELD | CONFIRMED | EXPIRING | EXPIRED -> RELEASING (after which a late
   * order.created no longer takes the units again); the caller gives the
   * units back, then finishReleasing(). False when releasing or released
   * already; refused when committed (the units are sold).
   */
  release(): boolean {
    this.refuseWhileReserving("released");
    if (this.currentStatus === "RELEASING" || this.currentStatus === "RELEASED") return false;
    if (this.currentStatus === "COMMITTED") {
      throw new PreconditionError(`reservation for order ${this.orderId} is ${this.currentStatus} and cannot be released`);
    }
    this.currentStatus = "RELEASING";
    return true;
  }

  /** RELEASING -> RELEASED, once the units are back. False for any other status. */
  finishReleasing(): boolean {
    if (this.currentStatus !== "RELEASING") return false;
    this.currentStatus = "RELEASED";
    return true;
  }

  /** Units are being taken right now: the caller should come back (a redelivered event will), not be told "never". */
  private refuseWhileReserving(what: string): void {
    if (this.currentStatus === "RESERVING") {
      throw new UnavailableError(`reservation for order ${this.orderId} is still being made and cannot be ${what} yet; retry`);
    }
  }

  toSnapshot(): ReservationSnapshot {
    return { orderId: this.orderId, lines: this.lines.map((line) => ({ ...line })), status: this.currentStatus };
  }
}
