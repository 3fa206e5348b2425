import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  InsufficientStockSchema,
  ReservationSchema,
  ReservationStatus,
  StockLevelSchema,
  StockService,
  type Reservation as ReservationMessage,
  type StockLevel as StockLevelMessage,
} from "@oms/contracts/stock/v1/stock";
import { allow, servicePolicies } from "@oms/platform/auth";
import { withOrderId } from "@oms/platform/telemetry";
import type { StockApp } from "./app/stock-app.js";
import { InsufficientStockError } from "./domain/insufficient-stock.js";
import type { Reservation, ReservationStatus as Status } from "./domain/reservation.js";
import type { StockLevel } from "./domain/stock-level.js";

/**
 * Who may call what: levels are shown to customers (what can still be
 * ordered); staff restock, as does `pnpm seed` with a service token (the
 * demo stock); reservations are made and given back only by the
 * order service, so no one can hold or free units under another's order.
 */
export const stockPolicies = servicePolicies(StockService, {
  getStock: allow("customer", "staff", "service"),
  adjustStock: allow("staff", "service"),
  reserveItems: allow("service"),
  releaseReservation: allow("service"),
});

/** Connect routes of oms.stock.v1.StockService: proto <-> use cases only. */
export function stockRoutes(app: StockApp): (router: ConnectRouter) => void {
  return (router) => {
    router.service(StockService, {
      async getStock(request) {
        return { levels: (await app.getStock.execute(request.itemIds)).map(toLevelMessage) };
      },
      async adjustStock(request) {
        return { level: toLevelMessage(await app.adjustStock.execute(request.itemId, request.delta)) };
      },
      reserveItems: (request) =>
        withOrderId(request.orderId, async () => {
          const lines = request.lines.map(({ itemId, quantity }) => ({ itemId, quantity }));
          const reservation = await app.reserveItems.execute(request.orderId, lines).catch(withShortageDetail);
          return { reservation: toReservationMessage(reservation) };
        }),
      releaseReservation: (request) =>
        withOrderId(request.orderId, async () => ({ reservation: toReservationMessage(await app.releaseReservation.execute(request.orderId)) })),
    });
  };
}

/** FAILED_PRECONDITION naming the short items, with an oms.stock.v1.InsufficientStock detail for typed clients. */
function withShortageDetail(error: unknown): never {
  if (!(error instanceof InsufficientStockError)) throw error;
  const value = { shortages: error.shortages.map((shortage) => ({ ...shortage })) };
  throw new ConnectError(error.message, Code.FailedPrecondition, undefined, [{ desc: InsufficientStockSchema, value }]);
}

const statuses: Record<Status, ReservationStatus> = {
  // Never returned (reserve-items.ts answers a repeat during RESERVING with UNAVAILABLE), mapped for completeness.
  RESERVING: ReservationStatus.UNSPECIFIED,
  HELD: ReservationStatus.HELD,
  // Confirmation and expiry are stock's own bookkeeping; to a caller the units are held, or back.
  CONFIRMED: ReservationStatus.HELD,
  EXPIRING: ReservationStatus.RELEASED,
  EXPIRED: ReservationStatus.RELEASED,
  COMMITTED: ReservationStatus.COMMITTED,
  RELEASING: ReservationStatus.RELEASED,
  RELEASED: ReservationStatus.RELEASED,
};

function toReservationMessage(reservation: Reservation): ReservationMessage {
  return create(ReservationSchema, {
    orderId: reservation.orderId,
    lines: reservation.lines.map(({ itemId, quantity }) => ({ itemId, quantity })),
    status: statuses[reservation.status],
  });
}

function toLevelMessage(level: StockLevel): StockLevelMessage {
  return create(StockLevelSchema, { itemId: level.itemId, available: level.available, reserved: level.reserved });
}
