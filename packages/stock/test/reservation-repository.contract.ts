import { PreconditionError } from "@oms/platform/errors";
import { beforeEach, describe, expect, it } from "vitest";
import { Reservation } from "../src/domain/reservation.js";
import type { ReservationRepository } from "../src/domain/reservation-repository.js";

const request = (orderId = "order-1") => Reservation.request(orderId, [{ itemId: "a", quantity: 2 }, { itemId: "b", quantity: 1 }]);
const hold = (reservation: Reservation) => {
  reservation.hold();
  return true;
};

/** The behaviour every ReservationRepository adapter must share. `makeRepository` returns an empty one. */
export function describeReservationRepositoryContract(name: string, makeRepository: () => Promise<ReservationRepository>): void {
  describe(`ReservationRepository contract: ${name}`, () => {
    let reservations: ReservationRepository;
    beforeEach(async () => {
      reservations = await makeRepository();
    });

    it("creates a reservation once per order and returns the stored one after", async () => {
      const first = await reservations.create(request());
      expect(first.created).toBe(true);
      expect(first.reservation.toSnapshot()).toEqual(request().toSnapshot());
      const again = await reservations.create(Reservation.request("order-1", [{ itemId: "z", quantity: 9 }]));
      expect(again.created).toBe(false);
      expect(again.reservation.lines).toEqual(request().lines);
    });

    it("finds claims still being made after a time, and deletes a claim only while it is one", async () => {
      await reservations.create(Reservation.request("stale", [{ itemId: "a", quantity: 1 }]));
      await reservations.create(Reservation.request("held", [{ itemId: "a", quantity: 1 }]));
      await reservations.update("held", (r) => (r.hold(), true));
      const future = new Date(Date.now() + 60_000);
      expect((await reservations.findOlderThan("RESERVING", future, 10)).map((r) => r.orderId)).toEqual(["stale"]);
      expect(await reservations.findOlderThan("RESERVING", new Date(Date.now() - 60_000), 10)).toEqual([]);
      expect((await reservations.findOlderThan("HELD", future, 10)).map((r) => r.orderId)).toEqual(["held"]);
      await reservations.update("held", (r) => r.confirm());
      expect(await reservations.findOlderThan("HELD", future, 10)).toEqual([]);
      expect(await reservations.deleteClaim("held")).toBe(false);
      expect(await reservations.deleteClaim("stale")).toBe(true);
      expect(await reservations.deleteClaim("stale")).toBe(false);
      expect(await reservations.get("stale")).toBeUndefined();
      expect((await reservations.get("held"))?.status).toBe("CONFIRMED");
    });

    it("lets exactly one of concurrent creates for an order win", async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => reservations.create(request())));
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it("gets, updates through a domain method and deletes", async () => {
      await reservations.create(request());
      expect(await reservations.get("unknown")).toBeUndefined();
      expect(await reservations.update("unknown", hold)).toBeUndefined();
      const held = await reservations.update("order-1", hold);
      expect(held?.changed).toBe(true);
      expect(held?.reservation.status).toBe("HELD");
      expect((await reservations.get("order-1"))?.status).toBe("HELD");
      await reservations.delete("order-1");
      expect(await reservations.get("order-1")).toBeUndefined();
    });

    it("saves nothing when the change says nothing changed or throws", async () => {
      await reservations.create(request());
      await reservations.update("order-1", hold);
      await reservations.update("order-1", (r) => r.release());
      const repeat = await reservations.update("order-1", (r) => r.release());
      expect(repeat).toMatchObject({ changed: false });
      await expect(reservations.update("order-1", (r) => r.commit())).rejects.toThrow(PreconditionError);
      expect((await reservations.get("order-1"))?.status).toBe("RELEASING");
    });

    it("applies exactly one of concurrent conflicting moves", async () => {
      await reservations.create(request());
      await reservations.update("order-1", hold);
      const moves = await Promise.allSettled([
        ...Array.from({ length: 5 }, () => reservations.update("order-1", (r) => r.commit())),
        ...Array.from({ length: 5 }, () => reservations.update("order-1", (r) => r.release())),
      ]);
      const changed = moves.filter((move) => move.status === "fulfilled" && move.value?.changed);
      expect(changed).toHaveLength(1);
      const status = (await reservations.get("order-1"))?.status;
      expect(["COMMITTED", "RELEASED"]).toContain(status);
    });

    it("keeps stored reservations apart from the objects callers hold", async () => {
      const { reservation } = await reservations.create(request());
      reservation.hold();
      expect((await reservations.get("order-1"))?.status).toBe("RESERVING");
    });
  });
}
