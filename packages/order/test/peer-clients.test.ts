import { once } from "node:events";
import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { InsufficientStockSchema, StockService } from "@oms/contracts/stock/v1/stock";
import { StaticRegistry, peerTransport } from "@oms/platform/discovery";
import { PreconditionError, UnavailableError } from "@oms/platform/errors";
import { moneyToProto } from "@oms/platform/proto-money";
import { describe, expect, it } from "vitest";
import { MenuCatalogClient } from "../src/adapters/menu-catalog-client.js";
import { StockReservationsClient } from "../src/adapters/stock-reservations-client.js";
import { dishes } from "./support/fakes.js";

const menuItems = [dishes.margherita, dishes.truffleFries].map((dish) => ({ ...dish, description: "", price: moneyToProto(dish.price) }));

/** A menu answering like the real one: GetItems refuses the whole request for one unknown id. */
const menuTransport = (failWith?: Code) =>
  createRouterTransport((router) =>
    router.service(MenuService, {
      getItems(request) {
        if (failWith !== undefined) throw new ConnectError("menu trouble", failWith);
        const unknown = request.itemIds.find((id) => !menuItems.some((item) => item.id === id));
        if (unknown) throw new ConnectError(`item_ids: menu item "${unknown}" not found`, Code.NotFound);
        return { items: request.itemIds.map((id) => menuItems.find((item) => item.id === id)!) };
      },
      listItems: () => ({ items: menuItems }),
      upsertItem: () => ({}),
    }),
  );

describe("MenuCatalogClient", () => {
  it("returns the items with names, prices and availability", async () => {
    const items = await new MenuCatalogClient(menuTransport()).findItems([dishes.margherita.id, dishes.truffleFries.id]);
    expect(items).toEqual([dishes.margherita, dishes.truffleFries]);
  });

  it("leaves unknown ids out instead of failing the whole lookup", async () => {
    const items = await new MenuCatalogClient(menuTransport()).findItems([dishes.margherita.id, "01KDVZZZZZZZZZZZZZZZZZZZZZ"]);
    expect(items).toEqual([dishes.margherita]);
  });

  it("reports a failing menu as unavailable", async () => {
    await expect(new MenuCatalogClient(menuTransport(Code.Unavailable)).findItems([dishes.margherita.id])).rejects.toBeInstanceOf(UnavailableError);
  });

  it("reports a menu nobody can reach as unavailable", async () => {
    const registry = new StaticRegistry({ menu: ["http://127.0.0.1:9"] });
    const client = new MenuCatalogClient(peerTransport(registry, "menu", { timeoutMs: 2_000 }));
    await expect(client.findItems([dishes.margherita.id])).rejects.toBeInstanceOf(UnavailableError);
    const none = new MenuCatalogClient(peerTransport(new StaticRegistry(), "menu"));
    await expect(none.findItems([dishes.margherita.id])).rejects.toBeInstanceOf(UnavailableError);
  });

  it("reports a menu that dies in the middle of a call as unavailable, not canceled", async () => {
    // A process that exits tears its HTTP/2 sessions down, and the caller's stream ends with CANCEL:
    // Connect calls that `canceled`, which to order's own caller would read as "you cancelled".
    const dying = createServer();
    dying.on("stream", (stream) => stream.session?.destroy());
    dying.listen(0, "127.0.0.1");
    await once(dying, "listening");
    try {
      const registry = new StaticRegistry({ menu: [`http://127.0.0.1:${(dying.address() as AddressInfo).port}`] });
      const client = new MenuCatalogClient(peerTransport(registry, "menu", { timeoutMs: 2_000 }));
      await expect(client.findItems([dishes.margherita.id])).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      dying.close();
    }
  });
});

describe("StockReservationsClient", () => {
  const calls: string[] = [];
  const stockTransport = createRouterTransport((router) =>
    router.service(StockService, {
      reserveItems(request) {
        calls.push(`reserve ${request.orderId}`);
        const short = request.lines.filter((line) => line.quantity > 5);
        if (short.length > 0) {
          const detail = create(InsufficientStockSchema, { shortages: short.map((line) => ({ itemId: line.itemId, requested: line.quantity, available: 5 })) });
          throw new ConnectError(`not enough stock for ${short.map((line) => line.itemId).join(", ")}`, Code.FailedPrecondition, undefined, [
            { desc: InsufficientStockSchema, value: detail },
          ]);
        }
        if (request.orderId === "down") throw new ConnectError("database down", Code.Unavailable);
        return { reservation: { orderId: request.orderId, lines: request.lines } };
      },
      releaseReservation(request) {
        calls.push(`release ${request.orderId}`);
        return {};
      },
      getStock: () => ({}),
      adjustStock: () => ({}),
    }),
  );
  const client = new StockReservationsClient(stockTransport);

  it("reserves and releases", async () => {
    await client.reserve("order-1", [{ itemId: dishes.margherita.id, quantity: 2 }]);
    await client.release("order-1");
    expect(calls).toEqual(["reserve order-1", "release order-1"]);
  });

  it("passes stock's message on as a precondition failure, with the shortages", async () => {
    const error = await client.reserve("order-2", [{ itemId: dishes.margherita.id, quantity: 9 }]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as PreconditionError).message).toBe(`not enough stock for ${dishes.margherita.id}`);
    expect((error as PreconditionError).detail).toMatchObject({ shortages: [{ itemId: dishes.margherita.id, requested: 9, available: 5 }] });
  });

  it("reports a failing stock service as unavailable", async () => {
    await expect(client.reserve("down", [{ itemId: dishes.margherita.id, quantity: 1 }])).rejects.toBeInstanceOf(UnavailableError);
  });
});
