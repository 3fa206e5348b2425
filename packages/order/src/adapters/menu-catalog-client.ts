import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { MenuService, type Item } from "@oms/contracts/menu/v1/menu";
import { moneyFromProto } from "@oms/platform/proto-money";
import type { MenuCatalog, MenuItem } from "../app/ports.js";
import { peerFailure } from "./peer-errors.js";

/** MenuCatalog over the menu service's Connect API (transport: `peerTransport(registry, "menu")`). */
export class MenuCatalogClient implements MenuCatalog {
  private readonly client: Client<typeof MenuService>;

  constructor(transport: Transport) {
    this.client = createClient(MenuService, transport);
  }

  async findItems(ids: readonly string[]): Promise<MenuItem[]> {
    try {
      const response = await this.client.getItems({ itemIds: [...new Set(ids)] });
      return response.items.map(toMenuItem);
    } catch (error) {
      if (!isNotFound(error)) throw peerFailure("menu", error);
    }
    // GetItems refuses the whole list for one unknown id: list everything to tell which ids exist.
    try {
      const wanted = new Set(ids);
      const response = await this.client.listItems({ includeUnavailable: true });
      return response.items.filter((item) => wanted.has(item.id)).map(toMenuItem);
    } catch (error) {
      throw peerFailure("menu", error);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return ConnectError.from(error).code === Code.NotFound;
}

function toMenuItem(item: Item): MenuItem {
  return { id: item.id, name: item.name, price: moneyFromProto(item.price), available: item.available };
}
