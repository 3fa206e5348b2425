import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { ItemSchema, MenuService, type Item as ItemMessage } from "@oms/contracts/menu/v1/menu";
import { allow, anyone, servicePolicies } from "@oms/platform/auth";
import type { MenuApp } from "./app/menu-app.js";
import type { UpsertItemCommand } from "./app/upsert-item.js";
import type { Item } from "./domain/item.js";

/**
 * Who may call what: the menu is public (a page shows it before anyone signs
 * in); order prices its lines through GetItems; staff change dishes, and so
 * does `pnpm seed` (a service token) when it puts the demo menu in.
 */
export const menuPolicies = servicePolicies(MenuService, {
  listItems: anyone,
  getItems: allow("customer", "staff", "service"),
  upsertItem: allow("staff", "service"),
});

/** Connect routes of oms.menu.v1.MenuService: proto <-> use cases only. */
export function menuRoutes(app: MenuApp): (router: ConnectRouter) => void {
  return (router) => {
    router.service(MenuService, {
      async listItems(request) {
        const items = await app.listItems.execute({ includeUnavailable: request.includeUnavailable });
        return { items: items.map(toMessage) };
      },
      async getItems(request) {
        const items = await app.getItems.execute(request.itemIds);
        return { items: items.map(toMessage) };
      },
      async upsertItem(request) {
        const item = await app.upsertItem.execute(toCommand(request.item));
        return { item: toMessage(item) };
      },
    });
  };
}

/** The contract requires `item` and its `price`: without either the request was refused before this route ran. */
function toCommand(item: ItemMessage | undefined): UpsertItemCommand {
  if (!item?.price) throw new Error("UpsertItem reached its route without the item and price its contract requires");
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    // int64 arrives as bigint; a value past 2^53 becomes an unsafe number that Item refuses.
    price: { currencyCode: item.price.currencyCode, amountMinor: Number(item.price.amountMinor) },
    available: item.available,
  };
}

function toMessage(item: Item): ItemMessage {
  return create(ItemSchema, {
    id: item.id,
    name: item.name,
    description: item.description,
    price: { currencyCode: item.price.currencyCode, amountMinor: BigInt(item.price.amountMinor) },
    available: item.available,
  });
}
