import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { KitchenService, TicketStatus, type TicketSchema } from "@oms/contracts/kitchen/v1/kitchen";
import { allow, servicePolicies } from "@oms/platform/auth";
import { withOrderId } from "@oms/platform/telemetry";
import type { KitchenApp } from "./app/kitchen-app.js";
import type { Ticket, TicketStatus as DomainStatus } from "./domain/ticket.js";

/** Tickets are the kitchen's working list: staff only. */
export const kitchenPolicies = servicePolicies(KitchenService, {
  listTickets: allow("staff"),
  getTicket: allow("staff"),
  watchTickets: allow("staff"),
});

/**
 * The Connect routes of oms.kitchen.v1.KitchenService: proto <-> app mapping
 * only; errors become Connect codes through errorMappingInterceptor.
 */
export function kitchenRoutes(app: Pick<KitchenApp, "listTickets" | "getTicket" | "watchTickets">): (router: ConnectRouter) => void {
  return (router) =>
    router.service(KitchenService, {
      async listTickets(request) {
        const page = await app.listTickets.execute({ status: statusFromProto(request.status), pageSize: request.pageSize, pageToken: request.pageToken });
        return { tickets: page.tickets.map(ticketToProto), nextPageToken: page.nextPageToken };
      },
      getTicket: (request) => withOrderId(request.orderId, async () => ({ ticket: ticketToProto(await app.getTicket.execute(request.orderId)) })),
      async *watchTickets(request, context) {
        for await (const tickets of app.watchTickets.execute(request.readyLimit, context.signal)) yield { tickets: tickets.map(ticketToProto) };
      },
    });
}

const statusesFromProto: Partial<Record<TicketStatus, DomainStatus>> = {
  [TicketStatus.QUEUED]: "QUEUED",
  [TicketStatus.COOKING]: "COOKING",
  [TicketStatus.READY]: "READY",
};

/** UNSPECIFIED (the default) means any status; the contract refuses a number outside the enum. */
function statusFromProto(status: TicketStatus): DomainStatus | undefined {
  return statusesFromProto[status];
}

/** A ticket as `oms.kitchen.v1.Ticket`. */
export function ticketToProto(ticket: Ticket): MessageInitShape<typeof TicketSchema> {
  return {
    id: ticket.id,
    orderId: ticket.orderId,
    status: TicketStatus[ticket.status],
    lines: ticket.lines,
    cook: ticket.cook,
    createTime: timestampFromDate(ticket.createTime),
    startTime: ticket.startTime && timestampFromDate(ticket.startTime),
    readyTime: ticket.readyTime && timestampFromDate(ticket.readyTime),
  };
}
