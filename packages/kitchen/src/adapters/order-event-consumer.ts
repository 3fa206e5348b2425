import { consume, type EventBus } from "@oms/platform/events";
import type { Logger } from "@oms/platform/logging";
import type { KitchenApp } from "../app/kitchen-app.js";

/** The consumer queue of the kitchen service, shared by its instances. */
export const kitchenQueue = "kitchen";

/**
 * Subscribes the "kitchen" queue to order.paid: each paid order becomes one
 * QUEUED ticket, stored before the event is acknowledged; a redelivery finds
 * the ticket and changes nothing.
 */
export async function subscribeOrderEvents(bus: EventBus, app: Pick<KitchenApp, "openTicket">, logger?: Logger): Promise<void> {
  await consume(bus, kitchenQueue, {
    "order.paid": async (event) => {
      const ticket = await app.openTicket.execute({
        orderId: event.orderId,
        lines: event.lines.map((line) => ({ name: line.name, quantity: line.quantity })),
      });
      logger?.debug({ orderId: event.orderId, ticketId: ticket.id, status: ticket.status }, "order.paid handled");
    },
  });
}
