import { OrderStatus } from "@oms/contracts/order/v1/order";
import { TicketStatus } from "@oms/contracts/kitchen/v1/kitchen";
import type { Money } from "@oms/contracts/common/v1/money";

/** `€8.50` from integer minor units and a currency code. */
export function formatMoney(money: Money | undefined): string {
  if (!money) return "";
  return new Intl.NumberFormat("en", { style: "currency", currency: money.currencyCode }).format(Number(money.amountMinor) / 100);
}

const orderWords: Record<OrderStatus, string> = {
  [OrderStatus.UNSPECIFIED]: "Unknown",
  [OrderStatus.PENDING]: "Received",
  [OrderStatus.AWAITING_PAYMENT]: "Awaiting payment",
  [OrderStatus.PAID]: "Paid",
  [OrderStatus.PREPARING]: "Preparing",
  [OrderStatus.READY]: "Ready for pick-up",
  [OrderStatus.COMPLETED]: "Completed",
  [OrderStatus.CANCELLED]: "Cancelled",
};

/** An order status in words; the machine name (READY) is kept in `data-status` for tests and styles. */
export function orderStatusWords(status: OrderStatus): string {
  return orderWords[status];
}

export function orderStatusName(status: OrderStatus): string {
  return OrderStatus[status];
}

export function ticketStatusName(status: TicketStatus): string {
  return TicketStatus[status];
}

/** Short, readable order reference: the last six characters of the id. */
export function shortId(id: string): string {
  return id.slice(-6);
}
