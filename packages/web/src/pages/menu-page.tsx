import { useMutation, useQuery } from "@connectrpc/connect-query";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService } from "@oms/contracts/order/v1/order";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { useMemo, useState } from "react";
import { useApp } from "../app-context.js";
import { maxQuantity, useCart } from "../cart.js";
import { ErrorNote, Loading } from "../components.js";
import { describeError } from "../errors.js";
import { formatMoney } from "../format.js";
import { navigate } from "../router.js";

/** The menu with prices and what is left, a cart, and placing the order. */
export function MenuPage() {
  const { transports } = useApp();
  const menu = useQuery(MenuService.method.listItems, {}, { transport: transports.menu });
  const items = menu.data?.items ?? [];
  const itemIds = items.map((item) => item.id);
  // Levels change as others order: read again every few seconds, so "out of stock" shows without a reload.
  const stock = useQuery(StockService.method.getStock, { itemIds }, { transport: transports.stock, enabled: itemIds.length > 0, refetchInterval: 3_000 });
  const left = useMemo(() => new Map((stock.data?.levels ?? []).map((level) => [level.itemId, level.available])), [stock.data]);
  const names = useMemo(() => new Map(items.map((item) => [item.id, item.name])), [items]);
  const { cart, change, clear } = useCart();
  // One idempotency key per attempt: a double click or a retry after an error sends the same key, so it can never make two orders.
  const [attemptKey, setAttemptKey] = useState<string>();
  const place = useMutation(OrderService.method.createOrder, { transport: transports.order });

  const lines = [...cart].map(([itemId, quantity]) => ({ item: items.find((item) => item.id === itemId), itemId, quantity }));
  const total = lines.reduce((sum, line) => sum + Number(line.item?.price?.amountMinor ?? 0n) * line.quantity, 0);
  const currencyCode = items[0]?.price?.currencyCode ?? "EUR";

  const changeCart = (itemId: string, delta: number) => {
    change(itemId, delta);
    setAttemptKey(undefined);
    place.reset();
  };
  const order = () => {
    const key = attemptKey ?? crypto.randomUUID();
    setAttemptKey(key);
    place.mutate(
      { idempotencyKey: key, lines: lines.map(({ itemId, quantity }) => ({ itemId, quantity })) },
      {
        onSuccess: (response) => {
          clear();
          setAttemptKey(undefined);
          navigate(`/orders/${response.order!.id}`);
        },
        // A refusal is most often stock that ran out meanwhile: show the levels as they are now.
        onError: () => void stock.refetch(),
      },
    );
  };

  if (menu.isPending) return <Loading what="the menu" />;
  if (menu.isError) return <ErrorNote>{describeError(menu.error)}</ErrorNote>;
  return (
    <div className="menu-layout">
      <section aria-labelledby="menu-title">
        <h1 id="menu-title">Menu</h1>
        <ul className="dishes">
          {items.map((item) => {
            const available = left.get(item.id);
            const soldOut = !item.available || available === 0;
            const inCart = cart.get(item.id) ?? 0;
            return (
              <li key={item.id} className={soldOut ? "dish sold-out" : "dish"} data-testid={`dish-${item.id}`}>
                <div>
                  <h2>{item.name}</h2>
                  <p>{item.description}</p>
                </div>
                <div className="dish-side">
                  <span className="price">{formatMoney(item.price)}</span>
                  {soldOut ? (
                    <span className="badge out">Out of stock</span>
                  ) : (
                    <span className="badge">{available === undefined ? "" : `${available} left`}</span>
                  )}
                  <button
                    type="button"
                    onClick={() => changeCart(item.id, 1)}
                    disabled={soldOut || inCart >= Math.min(maxQuantity, available ?? maxQuantity)}
                    aria-label={`Add ${item.name}`}
                  >
                    Add
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
      <aside aria-labelledby="cart-title" className="cart">
        <h2 id="cart-title">Your order</h2>
        {lines.length === 0 ? (
          <p>Nothing yet: add dishes from the menu.</p>
        ) : (
          <ul className="cart-lines">
            {lines.map(({ itemId, item, quantity }) => (
              <li key={itemId}>
                <span>{item?.name ?? "a dish"}</span>
                <span className="quantity">
                  <button type="button" onClick={() => changeCart(itemId, -1)} aria-label={`One ${item?.name ?? "dish"} less`}>
                    −
                  </button>
                  <span aria-label={`${quantity} ${item?.name ?? "dish"}`}>{quantity}</span>
                  <button type="button" onClick={() => changeCart(itemId, 1)} aria-label={`One ${item?.name ?? "dish"} more`} disabled={quantity >= maxQuantity}>
                    +
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="total">
          Total <strong>{formatMoney({ $typeName: "oms.common.v1.Money", currencyCode, amountMinor: BigInt(total) })}</strong>
        </p>
        <button type="button" className="primary" onClick={order} disabled={lines.length === 0 || place.isPending}>
          {place.isPending ? "Placing order…" : "Place order"}
        </button>
        {place.isError && <ErrorNote>{describeError(place.error, names)}</ErrorNote>}
      </aside>
    </div>
  );
}
