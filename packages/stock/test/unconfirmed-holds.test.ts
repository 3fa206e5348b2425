import { NotFoundError, PreconditionError, UnavailableError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { ExpireUnconfirmedHolds } from "../src/app/expire-unconfirmed-holds.js";
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
    await expect(app.confirmReservation.execute("late")).rejects.toThrow(PreconditionError);
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
});
