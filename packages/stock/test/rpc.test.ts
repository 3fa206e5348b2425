import { Code, ConnectError, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import { InsufficientStockSchema, ReservationStatus, StockService } from "@oms/contracts/stock/v1/stock";
import { errorMappingInterceptor, requestValidationInterceptor } from "@oms/platform/server";
import { connectFailure } from "@oms/testkit/connect-failure";
import { beforeEach, describe, expect, it } from "vitest";
import type { StockApp } from "../src/app/stock-app.js";
import { stockRoutes } from "../src/rpc.js";
import { stockFixture } from "./stock-fixture.js";

type Stock = Client<typeof StockService>;

async function stockClient(opening: Record<string, number> = {}): Promise<{ stock: Stock; app: StockApp }> {
  const { app } = await stockFixture(opening);
  const transport = createRouterTransport(stockRoutes(app), { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } });
  return { stock: createClient(StockService, transport), app };
}

const failure = connectFailure;

describe("StockService over Connect", () => {
  let stock: Stock;
  let app: StockApp;
  beforeEach(async () => {
    ({ stock, app } = await stockClient({ pizza: 10, soup: 1 }));
  });

  it("reserves, repeats idempotently and releases", async () => {
    const request = { orderId: "o1", lines: [{ itemId: "pizza", quantity: 3 }] };
    const { reservation } = await stock.reserveItems(request);
    expect(reservation).toMatchObject({ orderId: "o1", status: ReservationStatus.HELD, lines: [{ itemId: "pizza", quantity: 3 }] });
    expect((await stock.reserveItems(request)).reservation?.status).toBe(ReservationStatus.HELD);
    expect((await stock.getStock({ itemIds: ["pizza"] })).levels[0]).toMatchObject({ available: 7, reserved: 3 });

    expect((await stock.releaseReservation({ orderId: "o1" })).reservation?.status).toBe(ReservationStatus.RELEASED);
    expect((await stock.releaseReservation({ orderId: "o1" })).reservation?.status).toBe(ReservationStatus.RELEASED);
    expect((await stock.getStock({})).levels.map(({ itemId, available, reserved }) => ({ itemId, available, reserved }))).toEqual([
      { itemId: "pizza", available: 10, reserved: 0 },
      { itemId: "soup", available: 1, reserved: 0 },
    ]);
  });

  it("answers a shortage with FAILED_PRECONDITION naming the items and an InsufficientStock detail", async () => {
    const error = await failure(
      stock.reserveItems({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 2 }, { itemId: "soup", quantity: 3 }] }),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.rawMessage).toBe("not enough stock for item soup (requested 3, available 1)");
    const [detail] = error.findDetails(InsufficientStockSchema);
    expect(detail?.shortages.map(({ itemId, requested, available }) => ({ itemId, requested, available }))).toEqual([
      { itemId: "soup", requested: 3, available: 1 },
    ]);
    expect((await stock.getStock({ itemIds: ["pizza"] })).levels[0]).toMatchObject({ available: 10, reserved: 0 });
  });

  const manyLines = (count: number) => Array.from({ length: count }, (_, i) => ({ itemId: `i${i}`, quantity: 1 }));
  it.each([
    ["order_id: is required", { orderId: "", lines: [{ itemId: "pizza", quantity: 1 }] }],
    ["order_id: must be at most 64 characters", { orderId: "o".repeat(65), lines: [{ itemId: "pizza", quantity: 1 }] }],
    ["lines: must hold at least one line", { orderId: "o1", lines: [] }],
    ["lines: must hold at most 50 lines (got 51)", { orderId: "o1", lines: manyLines(51) }],
    ["lines[0].item_id: is required", { orderId: "o1", lines: [{ itemId: " ", quantity: 1 }] }],
    ["lines[0].item_id: must be at most 64 characters", { orderId: "o1", lines: [{ itemId: "i".repeat(65), quantity: 1 }] }],
    ["lines[0].quantity: must be from 1 to 100", { orderId: "o1", lines: [{ itemId: "pizza", quantity: 0 }] }],
    ["lines[0].quantity: must be from 1 to 100", { orderId: "o1", lines: [{ itemId: "pizza", quantity: -2 }] }],
    ["lines[1].quantity: must be from 1 to 100", { orderId: "o1", lines: [{ itemId: "soup", quantity: 1 }, { itemId: "pizza", quantity: 101 }] }],
    ["lines[0].quantity: must be from 1 to 100", { orderId: "o1", lines: [{ itemId: "pizza", quantity: 2_000_000_000 }] }],
    ["lines[1].item_id: repeats lines[0].item_id; one line per item", { orderId: "o1", lines: [{ itemId: "pizza", quantity: 1 }, { itemId: "pizza", quantity: 1 }] }],
  ])("ReserveItems refuses with INVALID_ARGUMENT %j", async (message, request) => {
    const error = await failure(stock.reserveItems(request));
    expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, message]);
  });

  it("ReserveItems at the limits: 64-character ids, 50 lines, 100 units", async () => {
    const { stock: roomy } = await stockClient({ pizza: 100, ...Object.fromEntries(manyLines(50).map((line) => [line.itemId, 1])) });
    const atLimits = await roomy.reserveItems({ orderId: "o".repeat(64), lines: [{ itemId: "pizza", quantity: 100 }] });
    expect(atLimits.reservation?.lines).toEqual([expect.objectContaining({ itemId: "pizza", quantity: 100 })]);
    expect((await roomy.reserveItems({ orderId: "o2", lines: manyLines(50) })).reservation?.lines).toHaveLength(50);
    const longItem = await failure(roomy.reserveItems({ orderId: "o3", lines: [{ itemId: "i".repeat(64), quantity: 1 }] }));
    expect(longItem.code).toBe(Code.FailedPrecondition);
  });

  it("ReserveItems with other lines for a reserved order is ALREADY_EXISTS", async () => {
    await stock.reserveItems({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 1 }] });
    const error = await failure(stock.reserveItems({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 2 }] }));
    expect(error.code).toBe(Code.AlreadyExists);
    expect(error.rawMessage).toMatch(/^order_id: /);
  });

  it("ReleaseReservation: missing order_id is INVALID_ARGUMENT, unknown NOT_FOUND, committed FAILED_PRECONDITION", async () => {
    const missing = await failure(stock.releaseReservation({ orderId: "" }));
    expect([missing.code, missing.rawMessage]).toEqual([Code.InvalidArgument, "order_id: is required"]);
    const unknown = await failure(stock.releaseReservation({ orderId: "nope" }));
    expect(unknown.code).toBe(Code.NotFound);
    expect(unknown.rawMessage).toMatch(/^order_id: .*nope/);
    await stock.reserveItems({ orderId: "paid", lines: [{ itemId: "pizza", quantity: 1 }] });
    await app.commitReservation.execute("paid");
    const committed = await failure(stock.releaseReservation({ orderId: "paid" }));
    expect(committed.code).toBe(Code.FailedPrecondition);
    expect(committed.rawMessage).toMatch(/COMMITTED/);
  });

  it("AdjustStock refuses zero, huge and below-zero deltas and unknown items", async () => {
    for (const delta of [0, 100_001, -100_001]) {
      const error = await failure(stock.adjustStock({ itemId: "pizza", delta }));
      expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, "delta: must be a non-zero whole number from -100000 to 100000"]);
    }
    const noItem = await failure(stock.adjustStock({ itemId: "", delta: 1 }));
    expect([noItem.code, noItem.rawMessage]).toEqual([Code.InvalidArgument, "item_id: is required"]);
    expect((await stock.adjustStock({ itemId: "pizza", delta: 100_000 })).level?.available).toBe(100_010);
    expect((await stock.adjustStock({ itemId: "pizza", delta: -100_000 })).level?.available).toBe(10);
    const belowZero = await failure(stock.adjustStock({ itemId: "soup", delta: -2 }));
    expect(belowZero.code).toBe(Code.FailedPrecondition);
    const unknown = await failure(stock.adjustStock({ itemId: "ghost", delta: -1 }));
    expect([unknown.code, unknown.rawMessage.split(":")[0]]).toEqual([Code.NotFound, "item_id"]);
    expect((await stock.adjustStock({ itemId: "ghost", delta: 4 })).level).toMatchObject({ itemId: "ghost", available: 4, reserved: 0 });
  });

  it("GetStock takes at most 100 ids at once", async () => {
    const ids = (count: number) => Array.from({ length: count }, () => "pizza");
    expect((await stock.getStock({ itemIds: ids(100) })).levels).toHaveLength(100);
    const tooMany = await failure(stock.getStock({ itemIds: ids(101) }));
    expect([tooMany.code, tooMany.rawMessage]).toEqual([Code.InvalidArgument, "item_ids: must name at most 100 items (got 101)"]);
  });

  it("GetStock names unknown ids with NOT_FOUND on item_ids", async () => {
    const error = await failure(stock.getStock({ itemIds: ["pizza", "ghost"] }));
    expect(error.code).toBe(Code.NotFound);
    expect(error.rawMessage).toMatch(/^item_ids: .*ghost/);
  });

  it("never oversells: 50 concurrent orders for 10 units, exactly 10 succeed", async () => {
    const calls = Array.from({ length: 50 }, (_, i) =>
      stock.reserveItems({ orderId: `order-${i}`, lines: [{ itemId: "pizza", quantity: 1 }] }),
    );
    const results = await Promise.allSettled(calls);
    const succeeded = results.filter((result) => result.status === "fulfilled");
    const refused = results.flatMap((result) => (result.status === "rejected" ? [ConnectError.from(result.reason)] : []));
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const error of refused) expect(error.code).toBe(Code.FailedPrecondition);
    expect((await stock.getStock({ itemIds: ["pizza"] })).levels[0]).toMatchObject({ available: 0, reserved: 10 });
  });
});
