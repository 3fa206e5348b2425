import { create } from "@bufbuild/protobuf";
import { Code, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import { MenuService, UpsertItemRequestSchema } from "@oms/contracts/menu/v1/menu";
import { newId } from "@oms/platform/ids";
import { errorMappingInterceptor } from "@oms/platform/server";
import { connectFailure } from "@oms/testkit/connect-failure";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryItemRepository } from "../src/adapters/memory-item-repository.js";
import { createMenuApp } from "../src/app/menu-app.js";
import { menuRoutes } from "../src/rpc.js";

type Menu = Client<typeof MenuService>;

function menuClient(): Menu {
  const routes = menuRoutes(createMenuApp(new MemoryItemRepository()));
  return createClient(MenuService, createRouterTransport(routes, { router: { interceptors: [errorMappingInterceptor()] } }));
}

const failure = connectFailure;

const dish = (changes: Record<string, unknown> = {}) => ({
  id: "",
  name: "Margherita",
  description: "Tomato, mozzarella, basil",
  price: { currencyCode: "EUR", amountMinor: 950n },
  available: true,
  ...changes,
});

describe("MenuService over Connect", () => {
  let menu: Menu;
  beforeEach(() => {
    menu = menuClient();
  });

  it("upserts, lists and gets items", async () => {
    const { item } = await menu.upsertItem({ item: dish() });
    expect(item?.id).toHaveLength(26);
    expect(item?.price?.amountMinor).toBe(950n);
    await menu.upsertItem({ item: dish({ name: "Espresso", available: false }) });

    expect((await menu.listItems({})).items.map((i) => i.name)).toEqual(["Margherita"]);
    expect((await menu.listItems({ includeUnavailable: true })).items.map((i) => i.name)).toEqual(["Espresso", "Margherita"]);
    const { items } = await menu.getItems({ itemIds: [item!.id] });
    expect(items[0]).toMatchObject({ id: item!.id, name: "Margherita", price: { currencyCode: "EUR", amountMinor: 950n } });
  });

  it("replaces an item by id", async () => {
    const { item } = await menu.upsertItem({ item: dish() });
    await menu.upsertItem({ item: dish({ id: item!.id, price: { currencyCode: "EUR", amountMinor: 1000n } }) });
    const { items } = await menu.listItems({});
    expect(items).toHaveLength(1);
    expect(items[0]?.price?.amountMinor).toBe(1000n);
  });

  it.each([
    ["item", create(UpsertItemRequestSchema, {})],
    ["item.price", { item: dish({ price: undefined }) }],
    ["item.price.amount_minor", { item: dish({ price: { currencyCode: "EUR", amountMinor: -1n } }) }],
    ["item.price.amount_minor", { item: dish({ price: { currencyCode: "EUR", amountMinor: 2n ** 62n } }) }],
    ["item.price.currency_code", { item: dish({ price: { currencyCode: "euro", amountMinor: 100n } }) }],
    ["item.name", { item: dish({ name: "" }) }],
    ["item.description", { item: dish({ description: "x".repeat(501) }) }],
    ["item.id", { item: dish({ id: "pizza-1" }) }],
  ])("UpsertItem refuses a bad %s with INVALID_ARGUMENT", async (field, request) => {
    const error = await failure(menu.upsertItem(request));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage.startsWith(`${field}: `)).toBe(true);
  });

  it("GetItems refuses missing ids and too many ids with INVALID_ARGUMENT on item_ids", async () => {
    for (const itemIds of [[], Array.from({ length: 101 }, () => newId())]) {
      const error = await failure(menu.getItems({ itemIds }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toMatch(/^item_ids: /);
    }
  });

  it("GetItems answers NOT_FOUND naming the unknown ids", async () => {
    const { item } = await menu.upsertItem({ item: dish() });
    const unknown = newId();
    const error = await failure(menu.getItems({ itemIds: [item!.id, unknown, "nonsense"] }));
    expect(error.code).toBe(Code.NotFound);
    expect(error.rawMessage).toMatch(/^item_ids: /);
    expect(error.rawMessage).toContain(unknown);
    expect(error.rawMessage).toContain("nonsense");
  });
});
