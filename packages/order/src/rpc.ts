import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { OrderService, OrderStatus, type OrderSchema } from "@oms/contracts/order/v1/order";
import { moneyToProto } from "./adapters/proto-money.js";
import type { OrderApp } from "./app/order-app.js";
import { times } from "./domain/money.js";
import type { Order } from "./domain/order.js";

/** The use cases the RPCs call. */
export type OrderRpcApp = Pick<OrderApp, "createOrder" | "getOrder" | "listOrders" | "cancelOrder" | "completeOrder" | "watchOrder">;

/**
 * The Connect routes of oms.order.v1.OrderService: proto <-> app mapping
 * only. Validation lives in the use cases and names proto fields; errors
 * become Connect codes through the platform's errorMappingInterceptor.
 */
export function orderRoutes(app: OrderRpcApp): (router: ConnectRouter) => void {
  return (router) =>
    router.service(OrderService, {
      async createOrder(request) {
        const lines = request.lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity }));
        const order = await app.createOrder.execute({ customerId: request.customerId, lines, idempotencyKey: request.idempotencyKey });
        return { order: orderToProto(order) };
      },
      async getOrder(request) {
        return { order: orderToProto(await app.getOrder.execute(request.id)) };
      },
      async listOrders(request) {
        const page = await app.listOrders.execute({ customerId: request.customerId, pageSize: request.pageSize, pageToken: request.pageToken });
        return { orders: page.orders.map(orderToProto), nextPageToken: page.nextPageToken };
      },
      async cancelOrder(request) {
        return { order: orderToProto(await app.cancelOrder.execute(request.id, request.reason)) };
      },
      async completeOrder(request) {
        return { order: orderToProto(await app.completeOrder.execute(request.id)) };
      },
      async *watchOrder(request, context) {
        for await (const order of app.watchOrder.execute(request.id, context.signal)) yield { order: orderToProto(order) };
      },
    });
}

/** An order as `oms.order.v1.Order`. */
export function orderToProto(order: Order): MessageInitShape<typeof OrderSchema> {
  return {
    id: order.id,
    customerId: order.customerId,
    status: OrderStatus[order.status],
    lines: order.lines.map((line) => ({
      itemId: line.itemId,
      name: line.name,
      quantity: line.quantity,
      unitPrice: moneyToProto(line.unitPrice),
      lineTotal: moneyToProto(times(line.unitPrice, line.quantity)),
    })),
    total: moneyToProto(order.total),
    paymentUrl: order.paymentUrl,
    createTime: timestampFromDate(order.createTime),
    updateTime: timestampFromDate(order.updateTime),
    paymentDeadline: timestampFromDate(order.paymentDeadline),
    cancelReason: order.cancelReason,
  };
}
