import { idPageTokens } from "@oms/platform/ids";
import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";

export interface ListOrdersInput {
  /** Only this customer's orders; every order when empty. */
  customerId: string;
  /** 1 to 100 (the contract's bound); 20 when zero. */
  pageSize: number;
  /** Empty for the first page, else a `nextPageToken` from before. */
  pageToken: string;
}

export interface ListOrdersResult {
  orders: Order[];
  /** Empty on the last page. */
  nextPageToken: string;
}

const defaultPageSize = 20;
/** Opaque to callers: they pass it back unchanged, so its form may change. */
const pageTokens = idPageTokens("orders-before:");

/** ListOrders: newest first, a page at a time, with opaque page tokens. */
export class ListOrders {
  constructor(private readonly repository: OrderRepository) {}

  async execute(input: ListOrdersInput): Promise<ListOrdersResult> {
    const limit = input.pageSize === 0 ? defaultPageSize : input.pageSize;
    const beforeId = input.pageToken === "" ? undefined : pageTokens.read(input.pageToken);
    const customerId = input.customerId === "" ? undefined : input.customerId;
    const page = await this.repository.list({ customerId, limit, beforeId });
    return { orders: page.orders, nextPageToken: page.nextBeforeId ? pageTokens.make(page.nextBeforeId) : "" };
  }
}
