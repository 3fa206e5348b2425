import { consume, type EventBus } from "@oms/platform/events";
import type { Logger } from "@oms/platform/logging";
import type { EventOutcome } from "../app/apply-event.js";
import type { OrderApp } from "../app/order-app.js";
import type { WorkInFlight } from "./work-in-flight.js";

/** The consumer queue of the order service, shared by its instances. */
export const orderQueue = "order";

type EventApp = Pick<OrderApp, "recordPaymentLink" | "recordPaymentSucceeded" | "recordPaymentFailed" | "recordTicketStarted" | "recordTicketReady">;

/**
 * Subscribes the "order" queue to the facts payment and kitchen report. Each
 * handler resolves (acknowledges) only after its change is stored; a thrown
 * error (an event ahead of the one it needs, storage down) makes the bus retry.
 */
export async function subscribeOrderEvents(bus: EventBus, app: EventApp, work: WorkInFlight, logger?: Logger): Promise<void> {
  const handle = async (type: string, orderId: string, apply: () => Promise<EventOutcome>) => {
    const outcome = await work.run(apply);
    // Nothing to retry for: no order will ever appear under that id.
    if (outcome === "unknown-order") logger?.warn({ type, orderId }, "event for an unknown order ignored");
    else logger?.debug({ type, orderId, outcome }, "event handled");
  };
  await consume(bus, orderQueue, {
    "payment.link_created": (event) =>
      handle("payment.link_created", event.orderId, () => app.recordPaymentLink.execute({ orderId: event.orderId, checkoutUrl: event.checkoutUrl })),
    "payment.succeeded": (event) =>
      handle("payment.succeeded", event.orderId, () => app.recordPaymentSucceeded.execute({ orderId: event.orderId })),
    "payment.failed": (event) =>
      handle("payment.failed", event.orderId, () => app.recordPaymentFailed.execute({ orderId: event.orderId, reason: event.reason })),
    "kitchen.ticket_started": (event) =>
      handle("kitchen.ticket_started", event.orderId, () => app.recordTicketStarted.execute({ orderId: event.orderId })),
    "kitchen.ticket_ready": (event) =>
      handle("kitchen.ticket_ready", event.orderId, () => app.recordTicketReady.execute({ orderId: event.orderId })),
  });
}
