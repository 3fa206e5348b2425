import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { OrderService, OrderStatus, type OrderSchema } from "@oms/contracts/order/v1/order";
import { allow, callerOf, servicePolicies } from "@oms/platform/auth";
import { moneyToProto } from "@oms/platform/proto-money";
import { tagOrder, withOrderId } from "@oms/platform/telemetry";
import type { OrderApp } from "./app/order-app.js";
import { times } from "./domain/money.js";
import type { OrderWatch } from "./app/watch-order.js";
import type { Order } from "./domain/order.js";

/** The use cases the RPCs call. */
export type OrderRpcApp = Pick<OrderApp, "createOrder" | "getOrder" | "listOrders" | "cancelOrder" | "completeOrder" | "watchOrder">;

/**
 * Who may call what: customers order, see, watch and cancel their own orders;
 * staff see and act on every order and alone hand one over (CompleteOrder).
 */
export const orderPolicies = servicePolicies(OrderService, {
  createOrder: allow("customer", "staff"),
  getOrder: allow("customer", "staff"),
  listOrders: allow("customer", "staff"),
  cancelOrder: allow("customer", "staff"),
  completeOrder: allow("staff"),
  watchOrder: allow("customer", "staff"),
});

/**
 * The Connect routes of oms.order.v1.OrderService: proto <-> app mapping
 * only. Requests reach them already checked against the contract's rules
 * (the platform's request validation); errors become Connect codes through
 * the platform's errorMappingInterceptor. A customer's identity is the
 * token's subject, never a request field.
 */
export function orderRoutes(app: OrderRpcApp): (router: ConnectRouter) => void {
  return (router) =>
    router.service(OrderService, {
      async createOrder(request, context) {
        const customerId = actingFor(context, request.customerId);
        const lines = request.lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity }));
        const order = await app.createOrder.execute({ customerId, lines, idempotencyKey: request.idempotencyKey });
        return { order: orderToProto(order) };
      },
      getOrder: (request, context) =>
        withOrderId(request.id, async () => ({ order: orderToProto(await app.getOrder.execute(request.id, ownerOf(context))) })),
      async listOrders(request, context) {
        const customerId = ownerOf(context) === undefined ? request.customerId : actingFor(context, request.customerId);
        const page = await app.listOrders.execute({ customerId, pageSize: request.pageSize, pageToken: request.pageToken });
        return { orders: page.orders.map(orderToProto), nextPageToken: page.nextPageToken };
      },
      cancelOrder: (request, context) =>
        withOrderId(request.id, async () => ({ order: orderToProto(await app.cancelOrder.execute(request.id, request.reason, ownerOf(context))) })),
      completeOrder: (request) => withOrderId(request.id, async () => ({ order: orderToProto(await app.completeOrder.execute(request.id)) })),
      watchOrder(request, context) {
        tagOrder(request.id);
        return mapVersions(app.watchOrder.execute(request.id, context.signal, ownerOf(context)), (order) => ({ order: orderToProto(order) }));
      },
    });
}

/**
 * Each version of a watched order as a message. Written out rather than as an
 * async generator: a generator asked to `return` while it awaits the next
 * version only ends once that version comes, where this passes `return` on to
 * the watch at once (it lets go of its subscription then), and an idle stream
 * holds one object less.
 */
function mapVersions<T>(versions: OrderWatch, toMessage: (order: Order) => T): AsyncIterable<T> {
  return new VersionMessages(versions, toMessage);
}

/** mapVersions' iterable: a class, so an idle stream holds no closures of its own for it (a computed-key arrow also allocates its name). */
class VersionMessages<T> implements AsyncIterableIterator<T> {
  constructor(
    private readonly versions: OrderWatch,
    private readonly toMessage: (order: Order) => T,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  // Not async: a pending async function holds a frame of its own while the watch waits.
  next(): Promise<IteratorResult<T>> {
    return this.versions.next().then((next) => (next.done ? next : { done: false, value: this.toMessage(next.value) }));
  }

  return(): Promise<IteratorResult<T>> {
    return this.versions.return();
  }
}

/** Whose orders the caller may touch: a customer's own (their token's subject); undefined for staff, who see all. */
function ownerOf(context: HandlerContext): string | undefined {
  const caller = callerOf(context);
  if (caller.role === "staff") return undefined;
  if (caller.role === "customer") return caller.subject;
  throw new ConnectError("this method needs a customer or staff token", Code.Unauthenticated);
}

/**
 * The customer a create or list acts for: a customer always acts for
 * themselves (an empty `customer_id`, or their own); staff name the customer.
 */
function actingFor(context: HandlerContext, requested: string): string {
  const owner = ownerOf(context);
  if (owner === undefined) return requested;
  if (requested !== "" && requested !== owner) {
    throw new ConnectError("customer_id: a customer acts only for themselves (leave it empty)", Code.PermissionDenied);
  }
  return owner;
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
