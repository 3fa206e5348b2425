import { useMutation, useQuery } from "@connectrpc/connect-query";
import { OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import { useState } from "react";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading } from "../components.js";
import { describeError } from "../errors.js";
import { formatMoney, orderStatusName, orderStatusWords, shortId } from "../format.js";

const filters = [OrderStatus.UNSPECIFIED, OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED, OrderStatus.CANCELLED];

/** Every order, newest first, filtered by status; cancel an unpaid one, hand over a ready one. */
export function OrdersBoardPage() {
  const { transports } = useApp();
  const [filter, setFilter] = useState(OrderStatus.UNSPECIFIED);
  const orders = useQuery(OrderService.method.listOrders, { pageSize: 100 }, { transport: transports.order, refetchInterval: 2_000 });
  const complete = useMutation(OrderService.method.completeOrder, { transport: transports.order, onSuccess: () => void orders.refetch() });
  const cancel = useMutation(OrderService.method.cancelOrder, { transport: transports.order, onSuccess: () => void orders.refetch() });
  if (orders.isPending) return <Loading what="the orders" />;
  if (orders.isError) return <ErrorNote>{describeError(orders.error)}</ErrorNote>;
  const shown = orders.data.orders.filter((order) => filter === OrderStatus.UNSPECIFIED || order.status === filter);
  const failure = complete.error ?? cancel.error;
  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">Orders</h1>
      <label htmlFor="status-filter">Show</label>{" "}
      <select id="status-filter" value={filter} onChange={(event) => setFilter(filters.find((status) => String(status) === event.target.value) ?? OrderStatus.UNSPECIFIED)}>
        {filters.map((status) => (
          <option key={status} value={status}>
            {status === OrderStatus.UNSPECIFIED ? "All orders" : orderStatusWords(status)}
          </option>
        ))}
      </select>
      {failure && <ErrorNote>{describeError(failure)}</ErrorNote>}
      <table className="orders-table">
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Customer</th>
            <th scope="col">Dishes</th>
            <th scope="col">Total</th>
            <th scope="col">Status</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((order) => (
            <tr key={order.id} data-order={order.id}>
              <td>{shortId(order.id)}</td>
              <td>{order.customerId}</td>
              <td>{order.lines.map((line) => `${line.quantity} × ${line.name}`).join(", ")}</td>
              <td>{formatMoney(order.total)}</td>
              <td data-status={orderStatusName(order.status)}>{orderStatusWords(order.status)}</td>
              <td>
                {order.status === OrderStatus.READY && (
                  <button type="button" className="primary" onClick={() => complete.mutate({ id: order.id })} disabled={complete.isPending}>
                    Hand over
                  </button>
                )}
                {(order.status === OrderStatus.PENDING || order.status === OrderStatus.AWAITING_PAYMENT) && (
                  <button type="button" onClick={() => cancel.mutate({ id: order.id, reason: "cancelled at the counter" })} disabled={cancel.isPending}>
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p>No orders here.</p>}
    </section>
  );
}
