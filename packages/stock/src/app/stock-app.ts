import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { AdjustStock } from "./adjust-stock.js";
import { CommitReservation } from "./commit-reservation.js";
import { ConfirmReservation } from "./confirm-reservation.js";
import { GetStock } from "./get-stock.js";
import { ReleaseReservation } from "./release-reservation.js";
import { ReserveItems } from "./reserve-items.js";

/** The stock service's use cases, as rpc.ts, the event consumers and tests call them. */
export interface StockApp {
  getStock: GetStock;
  adjustStock: AdjustStock;
  reserveItems: ReserveItems;
  releaseReservation: ReleaseReservation;
  commitReservation: CommitReservation;
  confirmReservation: ConfirmReservation;
}

/** Builds every use case on the two repositories. */
export function createStockApp(levels: StockLevelRepository, reservations: ReservationRepository): StockApp {
  return {
    getStock: new GetStock(levels),
    adjustStock: new AdjustStock(levels),
    reserveItems: new ReserveItems(levels, reservations),
    releaseReservation: new ReleaseReservation(levels, reservations),
    commitReservation: new CommitReservation(levels, reservations),
    confirmReservation: new ConfirmReservation(levels, reservations),
  };
}
