import { NotFoundError, PreconditionError, UnavailableError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { ExpireUnconfirmedHolds } from "../src/app/expire-unconfirmed-holds.js";
import { RecoverStaleClaims } from "../src/app/recover-stale-claims.js";
import type { ReservationRepository } from "../src/domain/reservation-repository.js";
import { stockFixture } from "./stock-fixture.js";

const holdTimeoutMs = 10 * 60_000;
const later = (ms: number) => new Date(Date.now() + ms);

/** Holds taken for orders that were never stored (order crashed, its compensation failed too) must not stay held. */
describe("holds no order came for", () => {
  const fixture = async (opening: Record<string, number>) => {
    const stock = await stockFixture(opening);
    return { ...stock, expire: new ExpireUnconfirmedHolds(stock.levels, stock.reservations, holdTimeoutMs) };
  };

  it("gives back a hold left unconfirmed past the timeout, and keeps one its order confirmed", async () => {
    const { app, level, reservations, expire } = await fixture({ a: 10 });
    await app.reserveItems.execute("orphan", [{ itemId: "a", quantity: 3 }]);
    await app.reserveItems.execute("real", [{ itemId: "a", quantity: 2 }]);
    await app.confirmReservation.execute("real");
    expect(await expire.execute(later(holdTimeoutMs - 60_000))).toBe(0);
    expect(await level("a")).toEqual({ available: 5, reserved: 5 });

    expect(await expire.execute(later(holdTimeoutMs + 1_000))).toBe(1);
    expect(await level("a")).toEqual({ available: 8, reserved: 2 });
    expect((await reservations.get("orphan"))?.status).toBe("EXPIRED");
    expect((await reservations.get("real"))?.status).toBe("CONFIRMED");
    expect(await expire.execute(later(holdTimeoutMs + 1_000))).toBe(0);
  });

  it("finishes an expiry a crash interrupted between the status and the units", async () => {
    const { app, level, reservations, expire } = await fixture({ a: 10 });
    await app.reserveItems.execute("orphan", [{ itemId: "a", quantity: 3 }]);
    // The crash: the status moved to EXPIRING, the units did not go back.
    await reservations.update("orphan", (reservation) => reservation.expire());
    expect(await level("a")).toEqual({ available: 7, reserved: 3 });
    expect(await expire.execute(new Date())).toBe(1);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect((await reservations.get("orphan"))?.status).toBe("EXPIRED");
  });

  it("takes the units again for an order whose order.created came after the timeout, which can then be paid", async () => {
    const { app, level, expire } = await fixture({ a: 10 });
    await app.reserveItems.execute("late", [{ itemId: "a", quantity: 4 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    // order.paid before order.created was handled: retried by the bus until the units are held again.
    await expect(app.commitReservation.execute("late")).rejects.toThrow(UnavailableError);

    expect((await app.confirmReservation.execute("late")).status).toBe("CONFIRMED");
    expect(await level("a")).toEqual({ available: 6, reserved: 4 });
    expect((await app.confirmReservation.execute("late")).status).toBe("CONFIRMED");
    expect(await level("a")).toEqual({ available: 6, reserved: 4 });
    expect((await app.commitReservation.execute("late")).status).toBe("COMMITTED");
    expect(await level("a")).toEqual({ available: 6, reserved: 0 });
  });

  it("refuses a late order.created when the units are gone meanwhile, holding nothing", async () => {
    const { app, level, reservations, expire } = await fixture({ a: 5, b: 5 });
    await app.reserveItems.execute("late", [{ itemId: "a", quantity: 2 }, { itemId: "b", quantity: 4 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    await app.reserveItems.execute("other", [{ itemId: "b", quantity: 3 }]);
    await expect(app.confirmReservation.execute("late")).rejects.toThrow(
      new PreconditionError("order late arrived after its hold expired, and stock no longer has its units"),
    );
    await expect(app.confirmReservation.execute("late")).rejects.toThrow(new NotFoundError("reservation for order", "late", "order_id"));
    expect(await level("a")).toEqual({ available: 5, reserved: 0 });
    expect(await level("b")).toEqual({ available: 2, reserved: 3 });
    expect(await reservations.get("late")).toBeUndefined();
  });

  it("never takes the units again for an order cancelled after its hold expired, whatever the order the events come in", async () => {
    const { app, level, expire } = await fixture({ a: 10 });
    await app.reserveItems.execute("gone", [{ itemId: "a", quantity: 4 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    expect((await app.releaseReservation.execute("gone")).status).toBe("RELEASED");
    expect((await app.confirmReservation.execute("gone")).status).toBe("RELEASED");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });

  it("does not let a late reserve call for an expired order id take the units again", async () => {
    const { app, level, expire } = await fixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }])).rejects.toThrow(/expired unconfirmed/);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    await expect(app.confirmReservation.execute("unknown")).rejects.toThrow(NotFoundError);
  });

  it("tells an order.created arriving while its units are being given back to retry once they are back", async () => {
    const { app, level, reservations } = await fixture({ a: 10 });
    await app.reserveItems.execute("late", [{ itemId: "a", quantity: 4 }]);
    // The sweep moved the hold to EXPIRING and has not given the units back yet.
    await reservations.update("late", (reservation) => reservation.expire());
    await expect(app.confirmReservation.execute("late")).rejects.toThrow(
      new UnavailableError("reservation for order late is expiring; retry once its units are back"),
    );
    expect((await reservations.get("late"))?.status).toBe("EXPIRING");
    expect(await level("a")).toEqual({ available: 6, reserved: 4 });
  });

  it("takes nothing for a late order.created whose order was cancelled while it was about to take the units again", async () => {
    const { app, level, reservations, expire } = await fixture({ a: 10 });
    await app.reserveItems.execute("late", [{ itemId: "a", quantity: 4 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    // order.cancelled is handled between the confirmation finding EXPIRED and its claim to take the units again.
    beforeUpdate(reservations, 2, () => app.releaseReservation.execute("late"));
    expect((await app.confirmReservation.execute("late")).status).toBe("RELEASED");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });

  it("answers NOT_FOUND to a duplicate late order.created whose twin found the units gone and forgot the reservation", async () => {
    const { app, level, reservations, expire } = await fixture({ a: 4 });
    await app.reserveItems.execute("late", [{ itemId: "a", quantity: 4 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    await app.reserveItems.execute("other", [{ itemId: "a", quantity: 2 }]);
    beforeUpdate(reservations, 2, () => expect(app.confirmReservation.execute("late")).rejects.toThrow(PreconditionError));
    await expect(app.confirmReservation.execute("late")).rejects.toThrow(new NotFoundError("reservation for order", "late", "order_id"));
    expect(await level("a")).toEqual({ available: 2, reserved: 2 });
  });

  it("gives back what it took again when the stale-claim sweep gave its claim up meanwhile, and asks for a retry", async () => {
    const { app, levels, level, reservations, expire } = await fixture({ a: 10, b: 10 });
    await app.reserveItems.execute("late", [{ itemId: "a", quantity: 4 }, { itemId: "b", quantity: 1 }]);
    await expire.execute(later(holdTimeoutMs + 1_000));
    // Taking the units again is slow: between line a and line b the sweep gives a back and deletes the claim.
    const reserveUnits = levels.reserveUnits.bind(levels);
    levels.reserveUnits = async (itemId, quantity, orderId) => {
      if (itemId === "b") await new RecoverStaleClaims(levels, reservations, 60_000).execute(later(120_000));
      return reserveUnits(itemId, quantity, orderId);
    };
    await expect(app.confirmReservation.execute("late")).rejects.toThrow(
      new UnavailableError("reservation for order late took too long to take again; retry"),
    );
    levels.reserveUnits = reserveUnits;
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect(await level("b")).toEqual({ available: 10, reserved: 0 });
    expect(await reservations.get("late")).toBeUndefined();
  });
});

/** Runs `meanwhile` once, just before the `nth` reservation update from here on: what another delivery did in between. */
function beforeUpdate(reservations: ReservationRepository, nth: number, meanwhile: () => Promise<unknown>): void {
  const update = reservations.update.bind(reservations);
  let calls = 0;
  reservations.update = async (orderId, change) => {
    if (++calls === nth) {
      reservations.update = update;
      await meanwhile();
    }
    return update(orderId, change);
  };
}
