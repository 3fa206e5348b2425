import type { OutboxSource } from "@oms/platform/events";
import type { OrderEvent } from "../domain/order-events.js";
import type { OrderRepository } from "../domain/order-repository.js";

/** What both order adapters are: the domain's repository, and the outbox the relay reads. */
export type StoredOrders = OrderRepository & OutboxSource<OrderEvent>;
