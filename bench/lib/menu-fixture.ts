import { create, toJsonString } from "@bufbuild/protobuf";
import { GetItemsRequestSchema, GetItemsResponseSchema, type GetItemsResponse } from "@oms/contracts/menu/v1/menu";

/**
 * The small unary call every RPC-overhead target answers: GetItems for two dishes.
 * The bare targets send exactly the bytes the menu service would, so only the
 * server path differs between rows.
 */
export const fixtureDishes = [
  { id: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", description: "Tomato, mozzarella, basil", priceMinor: 950, currencyCode: "EUR", available: true },
  { id: "01KDVDNAZ87F0ZJYN2JEJ9GFY7", name: "Diavola", description: "Tomato, mozzarella, spicy salami", priceMinor: 1150, currencyCode: "EUR", available: true },
] as const;

export const getItemsPath = "/oms.menu.v1.MenuService/GetItems";

export const getItemsRequest = create(GetItemsRequestSchema, { itemIds: fixtureDishes.map((dish) => dish.id) });

export const getItemsRequestJson = toJsonString(GetItemsRequestSchema, getItemsRequest);

export const getItemsResponse: GetItemsResponse = create(GetItemsResponseSchema, {
  items: fixtureDishes.map((dish) => ({
    id: dish.id,
    name: dish.name,
    description: dish.description,
    price: { currencyCode: dish.currencyCode, amountMinor: BigInt(dish.priceMinor) },
    available: dish.available,
  })),
});

export const getItemsResponseJson = toJsonString(GetItemsResponseSchema, getItemsResponse);

