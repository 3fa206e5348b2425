import { useMutation, useQuery } from "@connectrpc/connect-query";
import { MenuService, type Item } from "@oms/contracts/menu/v1/menu";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { useState } from "react";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading } from "../components.js";
import { describeError } from "../errors.js";

/** Menu editing (UpsertItem) and restocking (AdjustStock), one row per dish. */
export function MenuEditPage() {
  const { transports } = useApp();
  const menu = useQuery(MenuService.method.listItems, { includeUnavailable: true }, { transport: transports.menu });
  const itemIds = (menu.data?.items ?? []).map((item) => item.id);
  const stock = useQuery(StockService.method.getStock, { itemIds }, { transport: transports.stock, enabled: itemIds.length > 0 });
  if (menu.isPending) return <Loading what="the menu" />;
  if (menu.isError) return <ErrorNote>{describeError(menu.error)}</ErrorNote>;
  const levels = new Map((stock.data?.levels ?? []).map((level) => [level.itemId, level.available]));
  return (
    <section aria-labelledby="menu-edit-title">
      <h1 id="menu-edit-title">Menu and stock</h1>
      <ul className="edit-list">
        {menu.data.items.map((item) => (
          <li key={item.id}>
            <DishForm item={item} onSaved={() => void menu.refetch()} />
            <Restock item={item} available={levels.get(item.id)} onDone={() => void stock.refetch()} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function DishForm({ item, onSaved }: { item: Item; onSaved: () => void }) {
  const { transports } = useApp();
  const [name, setName] = useState(item.name);
  const [price, setPrice] = useState((Number(item.price?.amountMinor ?? 0n) / 100).toFixed(2));
  const [available, setAvailable] = useState(item.available);
  const save = useMutation(MenuService.method.upsertItem, { transport: transports.menu, onSuccess: onSaved });
  const submit = (event: { preventDefault(): void }) => {
    event.preventDefault();
    const amountMinor = BigInt(Math.round(Number(price) * 100));
    save.mutate({ item: { id: item.id, name, description: item.description, available, price: { currencyCode: item.price?.currencyCode ?? "EUR", amountMinor } } });
  };
  const field = (what: string) => `${what}-${item.id}`;
  return (
    <form onSubmit={submit} className="dish-form" aria-label={`Edit ${item.name}`}>
      <label htmlFor={field("name")}>Name</label>
      <input id={field("name")} value={name} onChange={(event) => setName(event.target.value)} required />
      <label htmlFor={field("price")}>Price</label>
      <input id={field("price")} value={price} onChange={(event) => setPrice(event.target.value)} inputMode="decimal" pattern="[0-9]+(\.[0-9]{1,2})?" required />
      <label>
        <input type="checkbox" checked={available} onChange={(event) => setAvailable(event.target.checked)} /> On the menu
      </label>
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
      {save.isSuccess && <span role="status">Saved</span>}
      {save.isError && <ErrorNote>{describeError(save.error)}</ErrorNote>}
    </form>
  );
}

function Restock({ item, available, onDone }: { item: Item; available: number | undefined; onDone: () => void }) {
  const { transports } = useApp();
  const [delta, setDelta] = useState("10");
  const adjust = useMutation(StockService.method.adjustStock, { transport: transports.stock, onSuccess: onDone });
  const submit = (event: { preventDefault(): void }) => {
    event.preventDefault();
    adjust.mutate({ itemId: item.id, delta: Number(delta) });
  };
  return (
    <form onSubmit={submit} className="restock" aria-label={`Restock ${item.name}`}>
      <span data-testid={`left-${item.id}`}>{available === undefined ? "…" : `${available} in stock`}</span>
      <label htmlFor={`delta-${item.id}`}>Add units</label>
      <input id={`delta-${item.id}`} type="number" value={delta} onChange={(event) => setDelta(event.target.value)} required />
      <button type="submit" disabled={adjust.isPending}>
        Restock
      </button>
      {adjust.isError && <ErrorNote>{describeError(adjust.error)}</ErrorNote>}
    </form>
  );
}
