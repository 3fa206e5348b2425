import { create } from "@bufbuild/protobuf";
import { Code, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import { MenuService, UpsertItemRequestSchema } from "@oms/contracts/menu/v1/menu";
import { newId } from "@oms/platform/ids";
import { errorMappingInterceptor, requestValidationInterceptor } from "@oms/platform/server";
import { connectFailure } from "@oms/testkit/connect-failure";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryItemRepository } from "../src/adapters/memory-item-repository.js";
import { createMenuApp } from "../src/app/menu-app.js";
import { menuRoutes } from "../src/rpc.js";

type Menu = Client<typeof MenuService>;

function menuClient(): Menu {
  const routes = menuRoutes(createMenuApp(new MemoryItemRepository()));
  return createClient(MenuService, createRouterTransport(routes, { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } }));
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
    ["item: is required", create(UpsertItemRequestSchema, {})],
    ["item.price: is required", { item: dish({ price: undefined }) }],
    ["item.price.amount_minor: must be a whole number of minor units, 0 or more", { item: dish({ price: { currencyCode: "EUR", amountMinor: -1n } }) }],
    ["item.price.amount_minor: must be a whole number of minor units, 0 or more", { item: dish({ price: { currencyCode: "EUR", amountMinor: 2n ** 62n } }) }],
    ["item.price.currency_code: must be three upper-case letters (ISO 4217), e.g. EUR", { item: dish({ price: { currencyCode: "euro", amountMinor: 100n } }) }],
    ["item.name: must be 1 to 80 characters", { item: dish({ name: "" }) }],
    ["item.name: must be 1 to 80 characters", { item: dish({ name: "   " }) }],
    ["item.name: must be 1 to 80 characters", { item: dish({ name: "n".repeat(81) }) }],
    ["item.description: must be at most 500 characters", { item: dish({ description: "x".repeat(501) }) }],
    ["item.id: must be a ULID (26 characters, Crockford base 32)", { item: dish({ id: "pizza-1" }) }],
  ])("UpsertItem refuses with INVALID_ARGUMENT %j", async (message, request) => {
    const error = await failure(menu.upsertItem(request));
    expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, message]);
  });

  it("UpsertItem at the limits: an 80-character name, a 500-character description, a free item", async () => {
    const { item } = await menu.upsertItem({ item: dish({ name: ` ${"n".repeat(80)} `, description: "d".repeat(500), price: { currencyCode: "EUR", amountMinor: 0n } }) });
    expect(item).toMatchObject({ name: "n".repeat(80), description: "d".repeat(500), price: { amountMinor: 0n } });
  });

  it("GetItems takes 1 to 100 ids, refusing others with INVALID_ARGUMENT on item_ids", async () => {
    const none = await failure(menu.getItems({ itemIds: [] }));
    expect([none.code, none.rawMessage]).toEqual([Code.InvalidArgument, "item_ids: must name at least one item"]);
    const tooMany = await failure(menu.getItems({ itemIds: Array.from({ length: 101 }, () => newId()) }));
    expect([tooMany.code, tooMany.rawMessage]).toEqual([Code.InvalidArgument, "item_ids: must name at most 100 items (got 101)"]);
    const { item } = await menu.upsertItem({ item: dish() });
    expect((await menu.getItems({ itemIds: Array.from({ length: 100 }, () => item!.id) })).items).toHaveLength(100);
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
