import { useMutation } from "@connectrpc/connect-query";
import { OrderService, OrderStatus, type Order } from "@oms/contracts/order/v1/order";
import { useCallback, useState } from "react";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading, StreamBadge } from "../components.js";
import { describeError } from "../errors.js";
import { formatMoney, orderStatusName, orderStatusWords, shortId } from "../format.js";
import { useLiveStream } from "../live-stream.js";
import { clientOf } from "../transports.js";

const steps = [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED];

/** One order, its status moving live through WatchOrder, reconnecting when the stream drops. */
export function OrderPage({ id }: { id: string }) {
  const { transports } = useApp();
  const [order, setOrder] = useState<Order>();
  const open = useCallback((signal: AbortSignal) => clientOf(OrderService, transports.order).watchOrder({ id }, { signal }), [transports, id]);
  const { state, error } = useLiveStream(open, (message) => setOrder(message.order), id);
  const cancel = useMutation(OrderService.method.cancelOrder, { transport: transports.order, onSuccess: (response) => setOrder(response.order) });

  if (!order) {
    if (state === "failed" || state === "reconnecting") return <ErrorNote>{describeError(error)}</ErrorNote>;
    return <Loading what="your order" />;
  }
  const cancellable = order.status === OrderStatus.PENDING || order.status === OrderStatus.AWAITING_PAYMENT;
  return (
    <section aria-labelledby="order-title" className="order">
      <h1 id="order-title">Order {shortId(order.id)}</h1>
      <p className="status-line">
        <span className={`status status-${orderStatusName(order.status)}`} data-testid="order-status" data-status={orderStatusName(order.status)}>
          {orderStatusWords(order.status)}
        </span>
        <StreamBadge state={state} />
      </p>
      {order.status === OrderStatus.CANCELLED ? (
        <p className="cancelled">This order was cancelled{order.cancelReason ? `: ${order.cancelReason}` : ""}.</p>
      ) : (
        <ol className="steps" aria-label="Progress">
          {steps.map((step) => (
            <li key={step} className={order.status >= step ? "done" : ""} aria-current={order.status === step ? "step" : undefined}>
              {orderStatusWords(step)}
            </li>
          ))}
        </ol>
      )}
      {order.status === OrderStatus.AWAITING_PAYMENT && order.paymentUrl && (
        <p>
          <a className="button primary" href={order.paymentUrl}>
            Pay now
          </a>
        </p>
      )}
      {order.status === OrderStatus.PENDING && <p>Opening the checkout…</p>}
      {order.status === OrderStatus.READY && <p className="ready">Your order is ready: show this page at the counter.</p>}
      <table>
        <caption>What you ordered</caption>
        <thead>
          <tr>
            <th scope="col">Dish</th>
            <th scope="col">Qty</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.itemId}>
              <td>{line.name}</td>
              <td>{line.quantity}</td>
              <td>{formatMoney(line.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td>{formatMoney(order.total)}</td>
          </tr>
        </tfoot>
      </table>
      {cancellable && (
        <button type="button" onClick={() => cancel.mutate({ id: order.id, reason: "cancelled by the customer" })} disabled={cancel.isPending}>
          {cancel.isPending ? "Cancelling…" : "Cancel order"}
        </button>
      )}
      {cancel.isError && <ErrorNote>{describeError(cancel.error)}</ErrorNote>}
    </section>
  );
}
