import type { OutboxSource } from "@oms/platform/events";
import type { AggregateStorage } from "@oms/platform/storage";
import type { OrderEvent } from "../domain/order-events.js";
import type { OrderRepository } from "../domain/order-repository.js";
import { MemoryOrderRepository } from "./memory-order-repository.js";
import { MongoOrderRepository } from "./mongo-order-repository.js";
import { orderEventBody } from "./order-event-bodies.js";

/** What both order adapters are: the domain's repository, and the outbox the relay reads. */
export type StoredOrders = OrderRepository & OutboxSource<OrderEvent>;

/** How the order service stores orders (MongoDB or memory) and publishes their events. */
export const orderStorage: AggregateStorage<StoredOrders, OrderEvent> = {
  mongo: (db) => MongoOrderRepository.open(db),
  memory: () => new MemoryOrderRepository(),
  eventBody: orderEventBody,
};
