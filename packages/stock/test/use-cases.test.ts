import { ConflictError, NotFoundError, PreconditionError, UnavailableError, ValidationError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { InsufficientStockError } from "../src/domain/insufficient-stock.js";
import { stockFixture } from "./stock-fixture.js";

describe("ReserveItems", () => {
  it("holds every line's units", async () => {
    const { app, level } = await stockFixture({ pizza: 5, soup: 3 });
    const reservation = await app.reserveItems.execute("o1", [{ itemId: "pizza", quantity: 2 }, { itemId: "soup", quantity: 3 }]);
    expect(reservation.toSnapshot()).toEqual({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 2 }, { itemId: "soup", quantity: 3 }], status: "HELD" });
    expect(await level("pizza")).toEqual({ available: 3, reserved: 2 });
    expect(await level("soup")).toEqual({ available: 0, reserved: 3 });
  });

  it("leaves the first line's stock untouched when the second line is short, and stores no reservation", async () => {
    const { app, level, reservations } = await stockFixture({ pizza: 5, soup: 1 });
    const error = await app.reserveItems
      .execute("o1", [{ itemId: "pizza", quantity: 2 }, { itemId: "soup", quantity: 3 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as Error).message).toBe("not enough stock for item soup (requested 3, available 1)");
    expect(await level("pizza")).toEqual({ available: 5, reserved: 0 });
    expect(await level("soup")).toEqual({ available: 1, reserved: 0 });
    expect(await reservations.get("o1")).toBeUndefined();
  });

  it("names every short item, unknown items as having none", async () => {
    const { app } = await stockFixture({ a: 1, b: 9, c: 0 });
    const error = (await app.reserveItems
      .execute("o1", [{ itemId: "a", quantity: 3 }, { itemId: "b", quantity: 1 }, { itemId: "c", quantity: 2 }, { itemId: "ghost", quantity: 1 }])
      .catch((e: unknown) => e)) as InsufficientStockError;
    expect(error.shortages).toEqual([
      { itemId: "a", requested: 3, available: 1 },
      { itemId: "c", requested: 2, available: 0 },
      { itemId: "ghost", requested: 1, available: 0 },
    ]);
    expect(error.message).toBe(
      "not enough stock for items a (requested 3, available 1), c (requested 2, available 0), ghost (requested 1, available 0)",
    );
  });

  it("lets a short order be retried with the same id after a restock", async () => {
    const { app, level } = await stockFixture({ a: 1 });
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 2 }])).rejects.toThrow(InsufficientStockError);
    await app.adjustStock.execute("a", 1);
    expect((await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 2 }])).status).toBe("HELD");
    expect(await level("a")).toEqual({ available: 0, reserved: 2 });
  });

  it("returns the existing reservation on a repeat, taking nothing more", async () => {
    const { app, level } = await stockFixture({ a: 10, b: 10 });
    const lines = [{ itemId: "a", quantity: 2 }, { itemId: "b", quantity: 1 }];
    await app.reserveItems.execute("o1", lines);
    const repeat = await app.reserveItems.execute("o1", [...lines].reverse());
    expect(repeat.lines).toEqual(lines);
    expect(await level("a")).toEqual({ available: 8, reserved: 2 });
  });

  it("takes units once for concurrent repeats of one order", async () => {
    const { app, level } = await stockFixture({ a: 10 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }])));
    // Repeats that arrive while the first is still taking units are told to retry (UNAVAILABLE), never served twice.
    expect(results.some((result) => result.status === "fulfilled")).toBe(true);
    expect(await level("a")).toEqual({ available: 7, reserved: 3 });
    expect((await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }])).status).toBe("HELD");
  });

  it.each(["EXPIRING", "EXPIRED"] as const)("tells a repeat for an order whose hold is %s to start over as a new order", async (status) => {
    const { app, reservations } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 2 }]);
    await reservations.update("o1", (reservation) => reservation.expire() && (status === "EXPIRING" || reservation.finishExpiring()));
    expect((await reservations.get("o1"))?.status).toBe(status);
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 2 }])).rejects.toThrow(
      new UnavailableError("order_id: the reservation for order o1 expired unconfirmed; retry as a new order"),
    );
  });

  it("refuses other lines for an order that has a reservation with ConflictError", async () => {
    const { app, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 2 }]);
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 3 }])).rejects.toThrow(ConflictError);
    expect(await level("a")).toEqual({ available: 8, reserved: 2 });
  });

  it("validates before touching stock", async () => {
    const { app, level } = await stockFixture({ a: 10 });
    await expect(app.reserveItems.execute("o1", [{ itemId: "a", quantity: 0 }])).rejects.toThrow(ValidationError);
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });
});

describe("ReleaseReservation and CommitReservation", () => {
  it("release returns the units; a repeat changes nothing", async () => {
    const { app, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    expect((await app.releaseReservation.execute("o1")).status).toBe("RELEASED");
    expect((await app.releaseReservation.execute("o1")).status).toBe("RELEASED");
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });

  it("commit sells the units; a repeat changes nothing; release is then refused", async () => {
    const { app, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    expect((await app.commitReservation.execute("o1")).status).toBe("COMMITTED");
    expect((await app.commitReservation.execute("o1")).status).toBe("COMMITTED");
    expect(await level("a")).toEqual({ available: 6, reserved: 0 });
    await expect(app.releaseReservation.execute("o1")).rejects.toThrow(PreconditionError);
    expect(await level("a")).toEqual({ available: 6, reserved: 0 });
  });

  it("moves units once under concurrent duplicate releases", async () => {
    const { app, level } = await stockFixture({ a: 10 });
    await app.reserveItems.execute("o1", [{ itemId: "a", quantity: 4 }]);
    await Promise.all(Array.from({ length: 5 }, () => app.releaseReservation.execute("o1")));
    expect(await level("a")).toEqual({ available: 10, reserved: 0 });
  });

  it("answers an unknown order with NotFoundError on order_id", async () => {
    const { app } = await stockFixture();
    for (const call of [app.releaseReservation.execute("nope"), app.commitReservation.execute("nope"), app.confirmReservation.execute("nope")]) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).field).toBe("order_id");
      expect((error as NotFoundError).message).toBe('order_id: reservation for order "nope" not found');
    }
  });
});

describe("AdjustStock and GetStock", () => {
  it("creates, adds and removes units; never below zero", async () => {
    const { app } = await stockFixture();
    expect(await app.adjustStock.execute("a", 5)).toEqual({ itemId: "a", available: 5, reserved: 0 });
    expect(await app.adjustStock.execute("a", -2)).toEqual({ itemId: "a", available: 3, reserved: 0 });
    const error = await app.adjustStock.execute("a", -4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toBe("delta: removing 4 units of item a would leave available below zero (available 3)");
    await expect(app.adjustStock.execute("ghost", -1)).rejects.toThrow(new NotFoundError("stock level of item", "ghost", "item_id"));
  });

  it("lists every level when no id is given, in the order asked otherwise", async () => {
    const { app } = await stockFixture({ b: 2, a: 1 });
    expect((await app.getStock.execute([])).map((level) => level.itemId)).toEqual(["a", "b"]);
    expect((await app.getStock.execute(["b", "a"])).map((level) => level.itemId)).toEqual(["b", "a"]);
  });

  it("names unknown ids in a NotFoundError on item_ids", async () => {
    const { app } = await stockFixture({ a: 1 });
    const error = (await app.getStock.execute(["a", "x", "y"]).catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.field).toBe("item_ids");
    expect(error.message).toBe('item_ids: stock levels of items "x, y" not found');
    await expect(app.getStock.execute(["x", "a", "x"])).rejects.toThrow('item_ids: stock level of item "x" not found');
  });
});
