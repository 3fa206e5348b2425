import { UnavailableError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { Reservation } from "../src/domain/reservation.js";
import { FinishReleases } from "../src/app/finish-releases.js";
import { RecoverStaleClaims } from "../src/app/recover-stale-claims.js";
import { stockFixture } from "./stock-fixture.js";

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

/** What a stock process that died at each step of a reservation leaves behind, and how it is finished. */
describe("crash recovery of reservations", () => {
  it("undoes a reservation a crash left half made, after which the order can be reserved again", async () => {
    const { app, levels, reservations, level } = await stockFixture({ a: 10, b: 10 });
    // The crash: the claim is stored and line a taken; line b never was, hold() never ran.
    await reservations.create(Reservation.request("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 2 }]));
    await levels.reserveUnits("a", 3, "o1");
    expect(await level("a")).toEqual({ available: 7, reserved: 3 });
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 2 }])).rejects.toThrow(/still being made/);

    const recover = new RecoverStaleClaims(levels, reservations, 60_000);
    expect(await recover.execute(new Date())).toBe(0);
    expect(await recover.execute(later(2))).toBe(1);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect(await level("b")).toEqual({ available: 10, reserved: 0 });

    const retried = await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 2 }]);
    expect(retried.status).toBe("HELD");
    expect(await level("a")).toEqual({ available: 7, reserved: 3 });
    expect(await level("b")).toEqual({ available: 8, reserved: 2 });
  });

  it("finishes a release that crashed between the status and the units when the event comes again", async () => {
    const { app, levels, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    // The crash: the status moved to RELEASED, the units did not (the hold is put back as the crash left it).
    await app.releaseReservation.execute("o1");
    await levels.reserveUnits("a", 4, "o1");
    expect(await level("a")).toEqual({ available: 6, reserved: 4 });
    expect((await app.releaseReservation.execute("o1")).status).toBe("RELEASED");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });

  it("finishes a commit that crashed between the status and the units when the event comes again", async () => {
    const { app, levels, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    // The crash: COMMITTED, units still held.
    await app.commitReservation.execute("o1");
    await levels.reserveUnits("a", 4, "o1");
    expect(await level("a")).toEqual({ available: 2, reserved: 4 });
    await app.commitReservation.execute("o1");
    expect(await level("a")).toEqual({ available: 2, reserved: 0 });
  });

  it("puts the units back on hold when a slow call held its claim while the sweep gave them back", async () => {
    const { levels, reservations, level } = await stockFixture({ a: 10 });
    await reservations.create(Reservation.request("o1", [{ itemId: "a", quantity: 3 }]));
    await levels.reserveUnits("a", 3, "o1");
    // The slow call reaches hold() between the sweep's release and its delete: the delete finds HELD.
    const deleteClaim = reservations.deleteClaim.bind(reservations);
    reservations.deleteClaim = async (orderId) => {
      await reservations.update(orderId, (claim) => (claim.hold(), true));
      return deleteClaim(orderId);
    };
    expect(await new RecoverStaleClaims(levels, reservations, 60_000).execute(later(2))).toBe(0);
    expect((await reservations.get("o1"))?.status).toBe("HELD");
    expect(await level("a")).toEqual({ available: 7, reserved: 3 });
  });

  it.each([
    ["RELEASED", "releaseReservation"],
    ["COMMITTED", "commitReservation"],
  ] as const)("takes nothing again for an order the slow call held and that was %s before the sweep looked", async (status, useCase) => {
    const { app, levels, reservations, level } = await stockFixture({ a: 10 });
    await reservations.create(Reservation.request("o1", [{ itemId: "a", quantity: 3 }]));
    await levels.reserveUnits("a", 3, "o1");
    // Between the sweep's give-back and its delete, the slow call holds and the order is settled at once.
    const deleteClaim = reservations.deleteClaim.bind(reservations);
    reservations.deleteClaim = async (orderId) => {
      await reservations.update(orderId, (claim) => (claim.hold(), true));
      await app[useCase].execute(orderId);
      return deleteClaim(orderId);
    };
    expect(await new RecoverStaleClaims(levels, reservations, 60_000).execute(later(2))).toBe(0);
    expect((await reservations.get("o1"))?.status).toBe(status);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });
  it("goes on with the next claim when a slow call forgot its own claim (short of stock) before the sweep could", async () => {
    const { levels, reservations, level } = await stockFixture({ a: 10, b: 10 });
    for (const orderId of ["short", "crashed"]) await reservations.create(Reservation.request(orderId, [{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 1 }]));
    await levels.reserveUnits("a", 1, "crashed");
    const deleteClaim = reservations.deleteClaim.bind(reservations);
    reservations.deleteClaim = async (orderId) => {
      if (orderId === "short") await reservations.delete(orderId);
      return deleteClaim(orderId);
    };
    expect(await new RecoverStaleClaims(levels, reservations, 60_000).execute(later(2))).toBe(1);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect(await reservations.get("crashed")).toBeUndefined();
  });
});

describe("a reservation whose claim the sweep gave up while it was taking units", () => {
  it("gives back every unit it took, forgets the claim and tells the caller to retry", async () => {
    const { app, levels, reservations, level } = await stockFixture({ a: 10, b: 10 });
    // The call is slow: after line a is taken the sweep finds the claim stale, gives a back and deletes the claim.
    const reserveUnits = levels.reserveUnits.bind(levels);
    levels.reserveUnits = async (itemId, quantity, orderId) => {
      if (itemId === "b") await new RecoverStaleClaims(levels, reservations, 60_000).execute(later(2));
      return reserveUnits(itemId, quantity, orderId);
    };
    const error = await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 2 }]).catch((e: unknown) => e);
    levels.reserveUnits = reserveUnits;

    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/^order_id: .*given up; retry$/);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect(await level("b")).toEqual({ available: 10, reserved: 0 });
    expect(await reservations.get("o1")).toBeUndefined();
    expect((await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 2 }])).status).toBe("HELD");
  });
});

describe("a release interrupted between its status and its units", () => {
  it("is finished by the sweep when nobody repeats it (order's compensation after a failed CreateOrder)", async () => {
    const { app, levels, reservations, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    // The storage failure: the status moved to RELEASING, giving the units back failed.
    const releaseUnits = levels.releaseUnits.bind(levels);
    levels.releaseUnits = () => Promise.reject(new Error("database restarting"));
    await expect(app.releaseReservation.execute("o1")).rejects.toThrow(/database restarting/);
    levels.releaseUnits = releaseUnits;
    expect((await reservations.get("o1"))?.status).toBe("RELEASING");
    expect(await level("a")).toEqual({ available: 6, reserved: 4 });

    expect(await new FinishReleases(levels, reservations).execute()).toBe(1);
    expect((await reservations.get("o1"))?.status).toBe("RELEASED");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect(await new FinishReleases(levels, reservations).execute()).toBe(0);
  });

  it("is counted once when two sweeps finish it at the same time", async () => {
    const { app, levels, reservations, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    await reservations.update("o1", (reservation) => reservation.release());
    const finish = new FinishReleases(levels, reservations);
    const counts = await Promise.all([finish.execute(), finish.execute()]);
    expect(counts.sort()).toEqual([0, 1]);
    expect((await reservations.get("o1"))?.status).toBe("RELEASED");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });
});

describe("a reservation whose storage fails midway", () => {
  it("keeps its claim, so the stale-claim sweep gives back what it took even when giving back failed too", async () => {
    const { app, levels, reservations, level } = await stockFixture({ a: 10, b: 10 });
    // Line a is taken, line b fails, and so does giving a back: the database went away midway.
    const [reserveUnits, releaseUnits] = [levels.reserveUnits.bind(levels), levels.releaseUnits.bind(levels)];
    levels.reserveUnits = (itemId, quantity, orderId) => (itemId === "b" ? Promise.reject(new Error("database restarting")) : reserveUnits(itemId, quantity, orderId));
    levels.releaseUnits = () => Promise.reject(new Error("database restarting"));
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 2 }])).rejects.toThrow(/database restarting/);
    [levels.reserveUnits, levels.releaseUnits] = [reserveUnits, releaseUnits];
    expect((await reservations.get("o1"))?.status).toBe("RESERVING");
    expect(await level("a")).toEqual({ available: 7, reserved: 3 });

    expect(await new RecoverStaleClaims(levels, reservations, 60_000).execute(later(2))).toBe(1);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
    expect(await reservations.get("o1")).toBeUndefined();
  });
});
