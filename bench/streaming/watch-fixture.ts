import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { OrderStatus, WatchOrderResponseSchema, type WatchOrderResponse } from "@oms/contracts/order/v1/order";

/**
 * What the streaming targets serve on OrderService/WatchOrder, so that only the
 * server path differs between rows:
 * - an id starting with `burst-`: `messagesPerCall` versions of one order,
 *   written as fast as the connection takes them, then the end (messages/s);
 * - any other id: that order once, then nothing until the client leaves (an
 *   idle watcher, for memory per open stream).
 */
export const watchOrderPath = "/oms.order.v1.OrderService/WatchOrder";

export const burstPrefix = "burst-";

export const messagesPerCall = 100;

const createdAt = Date.UTC(2026, 11, 1, 8, 0, 0);

/** A two-line order as the order service sends it, at `version` (its update time moves with it). */
export function orderVersion(id: string, version: number): WatchOrderResponse {
  const line = (itemId: string, name: string, quantity: number, unitMinor: number) => ({
    itemId,
    name,
    quantity,
    unitPrice: { currencyCode: "EUR", amountMinor: BigInt(unitMinor) },
    lineTotal: { currencyCode: "EUR", amountMinor: BigInt(unitMinor * quantity) },
  });
  return create(WatchOrderResponseSchema, {
    order: {
      id,
      customerId: "bench-customer",
      status: version === 0 ? OrderStatus.AWAITING_PAYMENT : OrderStatus.PREPARING,
      lines: [line("01KDVDNA008K7ESVVT02SXGT1B", "Margherita", 2, 950), line("01KDVDNAZ87F0ZJYN2JEJ9GFY7", "Diavola", 1, 1150)],
      total: { currencyCode: "EUR", amountMinor: 3050n },
      paymentUrl: `http://127.0.0.1:8084/pay/${id}`,
      createTime: timestampFromMs(createdAt),
      updateTime: timestampFromMs(createdAt + version),
      paymentDeadline: timestampFromMs(createdAt + 15 * 60_000),
    },
  });
}
