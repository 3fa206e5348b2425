import { KitchenService, TicketStatus, type Ticket } from "@oms/contracts/kitchen/v1/kitchen";
import { useCallback, useState } from "react";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading, StreamBadge } from "../components.js";
import { describeError } from "../errors.js";
import { shortId, ticketStatusName } from "../format.js";
import { useLiveStream } from "../live-stream.js";
import { clientOf } from "../transports.js";

const columns = [
  { status: TicketStatus.QUEUED, title: "Waiting" },
  { status: TicketStatus.COOKING, title: "Cooking" },
  { status: TicketStatus.READY, title: "Ready" },
];

/** The kitchen display: tickets by state, live through WatchTickets. */
export function KitchenPage() {
  const { transports } = useApp();
  const [tickets, setTickets] = useState<Ticket[]>();
  const open = useCallback((signal: AbortSignal) => clientOf(KitchenService, transports.kitchen).watchTickets({ readyLimit: 12 }, { signal }), [transports]);
  const { state, error } = useLiveStream(open, (message) => setTickets(message.tickets), "kitchen");
  if (!tickets) return state === "failed" || state === "reconnecting" ? <ErrorNote>{describeError(error)}</ErrorNote> : <Loading what="the tickets" />;
  return (
    <section aria-labelledby="kitchen-title">
      <h1 id="kitchen-title">
        Kitchen <StreamBadge state={state} />
      </h1>
      <div className="board">
        {columns.map((column) => {
          const inColumn = tickets.filter((ticket) => ticket.status === column.status);
          return (
            <section key={column.status} aria-labelledby={`column-${column.status}`} className="column">
              <h2 id={`column-${column.status}`}>
                {column.title} ({inColumn.length})
              </h2>
              <ul>
                {inColumn.map((ticket) => (
                  <li key={ticket.id} className="ticket" data-order={ticket.orderId} data-status={ticketStatusName(ticket.status)}>
                    <strong>Order {shortId(ticket.orderId)}</strong>
                    {ticket.cook && <span className="cook">{ticket.cook}</span>}
                    <ul>
                      {ticket.lines.map((line) => (
                        <li key={line.name}>
                          {line.quantity} × {line.name}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}
