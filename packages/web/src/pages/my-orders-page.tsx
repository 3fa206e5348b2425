import { useQuery } from "@connectrpc/connect-query";
import { OrderService } from "@oms/contracts/order/v1/order";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading } from "../components.js";
import { describeError } from "../errors.js";
import { formatMoney, orderStatusName, orderStatusWords, shortId } from "../format.js";
import { href } from "../router.js";

/** The customer's own orders, newest first (the service answers only theirs). */
export function MyOrdersPage() {
  const { transports } = useApp();
  const orders = useQuery(OrderService.method.listOrders, { pageSize: 50 }, { transport: transports.order, refetchInterval: 5_000 });
  if (orders.isPending) return <Loading what="your orders" />;
  if (orders.isError) return <ErrorNote>{describeError(orders.error)}</ErrorNote>;
  return (
    <section aria-labelledby="my-orders-title">
      <h1 id="my-orders-title">My orders</h1>
      {orders.data.orders.length === 0 ? (
        <p>No orders yet.</p>
      ) : (
        <ul className="order-list">
          {orders.data.orders.map((order) => (
            <li key={order.id}>
              <a href={href(`/orders/${order.id}`)}>Order {shortId(order.id)}</a>
              <span data-status={orderStatusName(order.status)}>{orderStatusWords(order.status)}</span>
              <span>{formatMoney(order.total)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
