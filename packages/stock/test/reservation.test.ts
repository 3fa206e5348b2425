import { PreconditionError, UnavailableError, ValidationError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { InsufficientStockError } from "../src/domain/insufficient-stock.js";
import { Reservation, type ReservationLine } from "../src/domain/reservation.js";

function refusedField(orderId: string, lines: ReservationLine[]): string {
  try {
    Reservation.request(orderId, lines);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error("the reservation was accepted");
}

const held = () => {
  const reservation = Reservation.request("order-1", [{ itemId: "a", quantity: 2 }]);
  reservation.hold();
  return reservation;
};

describe("Reservation rules", () => {
  it("accepts lines of any positive whole number of units, starting in RESERVING (the request's bounds are its contract's)", () => {
    const lines = Array.from({ length: 50 }, (_, i) => ({ itemId: `item-${i}`, quantity: i % 2 ? 1 : 100 }));
    const reservation = Reservation.request("order-1", lines);
    expect(reservation.status).toBe("RESERVING");
    expect(reservation.lines).toEqual(lines);
  });

  // What would corrupt the unit counts, whoever asks: no lines, an item twice, a quantity that gives units back.
  it.each([
    ["lines", "order-1", []],
    ["lines[0].quantity", "order-1", [{ itemId: "a", quantity: 0 }]],
    ["lines[1].quantity", "order-1", [{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: -3 }]],
    ["lines[0].quantity", "order-1", [{ itemId: "a", quantity: 1.5 }]],
    ["lines[2].item_id", "order-1", [{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 1 }, { itemId: "a", quantity: 2 }]],
  ])("refuses a bad %s", (field, orderId, lines) => {
    expect(refusedField(orderId, lines)).toBe(field);
  });

  it("says what is wrong with a refused request, naming the field", () => {
    const message = (lines: ReservationLine[]) => {
      try {
        Reservation.request("order-1", lines);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("the reservation was accepted");
    };
    expect(message([])).toBe("lines: must hold at least one line");
    expect(message([{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 1 }, { itemId: "a", quantity: 2 }])).toBe(
      "lines[2].item_id: repeats lines[0].item_id; one line per item",
    );
    expect(message([{ itemId: "a", quantity: 0 }])).toBe("lines[0].quantity: must be a whole number of units, 1 or more");
  });

  it("compares lines as a set of item and quantity", () => {
    const reservation = Reservation.request("o", [{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 2 }]);
    expect(reservation.sameLines([{ itemId: "b", quantity: 2 }, { itemId: "a", quantity: 1 }])).toBe(true);
    expect(reservation.sameLines([{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 3 }])).toBe(false);
    expect(reservation.sameLines([{ itemId: "a", quantity: 1 }])).toBe(false);
    // Item ids are the caller's: one whose text runs into the next line's must not pass for two lines.
    expect(reservation.sameLines([{ itemId: "a\u00001b", quantity: 2 }])).toBe(false);
  });

  it("says why a move is refused, naming the order and its status", () => {
    const reserving = Reservation.request("order-1", [{ itemId: "a", quantity: 1 }]);
    expect(() => reserving.confirm()).toThrow("reservation for order order-1 is still being made and cannot be confirmed yet; retry");
    expect(() => reserving.commit()).toThrow("reservation for order order-1 is still being made and cannot be committed yet; retry");
    expect(() => reserving.release()).toThrow("reservation for order order-1 is still being made and cannot be released yet; retry");
    reserving.hold();
    expect(() => reserving.hold()).toThrow("reservation for order order-1 is HELD, not RESERVING");

    const expired = held();
    expired.expire();
    expect(() => expired.commit()).toThrow("reservation for order order-1 expired before its order was confirmed; retry after order.created");
    const released = held();
    released.release();
    expect(() => released.commit()).toThrow("reservation for order order-1 is RELEASING and cannot be committed");
    const committed = held();
    committed.commit();
    expect(() => committed.release()).toThrow("reservation for order order-1 is COMMITTED and cannot be released");
  });

  it("moves HELD -> COMMITTED once; a repeat changes nothing; release is then refused", () => {
    const reservation = held();
    expect(reservation.commit()).toBe(true);
    expect(reservation.commit()).toBe(false);
    expect(reservation.status).toBe("COMMITTED");
    expect(() => reservation.release()).toThrow(PreconditionError);
  });

  it("moves HELD -> RELEASING -> RELEASED once each; a repeat changes nothing; commit is refused on the way and after", () => {
    const reservation = held();
    expect(reservation.release()).toBe(true);
    expect(reservation.release()).toBe(false);
    expect(reservation.status).toBe("RELEASING");
    expect(() => reservation.commit()).toThrow(PreconditionError);
    expect(reservation.confirm()).toBe(false);
    expect(reservation.finishReleasing()).toBe(true);
    expect(reservation.finishReleasing()).toBe(false);
    expect(reservation.release()).toBe(false);
    expect(reservation.status).toBe("RELEASED");
    expect(() => reservation.commit()).toThrow(PreconditionError);
  });

  it("tells a commit, release or confirm during RESERVING to retry, and cannot hold twice", () => {
    const reserving = Reservation.request("o", [{ itemId: "a", quantity: 1 }]);
    expect(() => reserving.commit()).toThrow(UnavailableError);
    expect(() => reserving.release()).toThrow(UnavailableError);
    expect(() => reserving.confirm()).toThrow(UnavailableError);
    reserving.hold();
    expect(() => reserving.hold()).toThrow(PreconditionError);
  });

  it("confirms a hold once; a confirmed hold never expires, and is committed or released as a held one", () => {
    const reservation = held();
    expect(reservation.confirm()).toBe(true);
    expect(reservation.confirm()).toBe(false);
    expect(reservation.expire()).toBe(false);
    expect(reservation.status).toBe("CONFIRMED");
    expect(reservation.commit()).toBe(true);
    expect(reservation.confirm()).toBe(false);
    const released = held();
    released.confirm();
    expect(released.release()).toBe(true);
    expect(released.confirm()).toBe(false);
    expect(released.status).toBe("RELEASING");
  });

  it("expires an unconfirmed hold in two steps, and lets its late order reclaim it unless it was released", () => {
    const reservation = held();
    expect(reservation.expire()).toBe(true);
    expect(reservation.status).toBe("EXPIRING");
    expect(reservation.expire()).toBe(false);
    expect(reservation.reclaim()).toBe(false);
    expect(() => reservation.commit()).toThrow(UnavailableError);
    expect(reservation.finishExpiring()).toBe(true);
    expect(reservation.finishExpiring()).toBe(false);
    expect(reservation.confirm()).toBe(false);
    expect(() => reservation.commit()).toThrow(UnavailableError);
    expect(reservation.reclaim()).toBe(true);
    expect(reservation.status).toBe("RESERVING");

    const cancelled = held();
    cancelled.expire();
    expect(cancelled.release()).toBe(true);
    expect(cancelled.finishExpiring()).toBe(false);
    expect(cancelled.reclaim()).toBe(false);
    expect(cancelled.status).toBe("RELEASING");
  });

  it("round-trips through a snapshot without sharing state", () => {
    const reservation = held();
    const snapshot = reservation.toSnapshot();
    snapshot.lines[0] = { itemId: "changed", quantity: 9 };
    expect(Reservation.fromSnapshot(reservation.toSnapshot()).toSnapshot()).toEqual({
      orderId: "order-1",
      lines: [{ itemId: "a", quantity: 2 }],
      status: "HELD",
    });
  });
});

describe("stock rules", () => {
  it("names every short item in an InsufficientStockError", () => {
    const error = new InsufficientStockError([
      { itemId: "X", requested: 3, available: 1 },
      { itemId: "Y", requested: 2, available: 0 },
    ]);
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.message).toBe("not enough stock for items X (requested 3, available 1), Y (requested 2, available 0)");
  });
});
