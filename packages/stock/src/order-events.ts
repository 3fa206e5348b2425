import { NotFoundError, PreconditionError } from "@oms/platform/errors";
import { consume, type EventBus, type TypedHandlers } from "@oms/platform/events";
import type { Logger } from "@oms/platform/logging";
import type { StockApp } from "./app/stock-app.js";

/** The stock service's consumer queue. */
export const stockQueue = "stock";

/**
 * order.created confirms the order's hold (it no longer expires, see
 * ExpireUnconfirmedHolds); order.paid commits the order's reservation (the units are sold);
 * order.cancelled releases it. Idempotent by state: a duplicate finds the
 * reservation already moved and changes nothing. A late or impossible event
 * (paid after released, no reservation at all) is logged and acknowledged:
 * retrying would not change the answer. Anything else throws, so the bus
 * retries and finally dead-letters it.
 */
export function orderEventHandlers(app: StockApp, logger: Logger): TypedHandlers {
  const settle = async (type: string, orderId: string, apply: () => Promise<unknown>) => {
    try {
      await apply();
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof PreconditionError)) throw error;
      logger.warn({ orderId, type, reason: error.message }, "event changes nothing; acknowledged");
    }
  };
  return {
    "order.created": (event) => settle("order.created", event.orderId, () => app.confirmReservation.execute(event.orderId)),
    "order.paid": (event) => settle("order.paid", event.orderId, () => app.commitReservation.execute(event.orderId)),
    "order.cancelled": (event) =>
      settle("order.cancelled", event.orderId, () => app.releaseReservation.execute(event.orderId)),
  };
}

/** Subscribes the "stock" queue to the order events stock reacts to. */
export function consumeOrderEvents(bus: EventBus, app: StockApp, logger: Logger): Promise<void> {
  return consume(bus, stockQueue, orderEventHandlers(app, logger));
}
