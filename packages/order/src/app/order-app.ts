import type { Logger } from "@oms/platform/logging";
import type { OrderRepository } from "../domain/order-repository.js";
import { CancelOrder } from "./cancel-order.js";
import { CompleteOrder } from "./complete-order.js";
import { CreateOrder } from "./create-order.js";
import { ExpireUnpaidOrders } from "./expire-unpaid-orders.js";
import { GetOrder } from "./get-order.js";
import { ListOrders } from "./list-orders.js";
import { OrderChangeFeed } from "./order-change-feed.js";
import type { Clock, MenuCatalog, OrderScope, StockReservations } from "./ports.js";
import { RecordPaymentFailed } from "./record-payment-failed.js";
import { RecordPaymentLink } from "./record-payment-link.js";
import { RecordPaymentSucceeded } from "./record-payment-succeeded.js";
import { RefreshWatchedOrders } from "./refresh-watched-orders.js";
import { RecordTicketReady } from "./record-ticket-ready.js";
import { RecordTicketStarted } from "./record-ticket-started.js";
import { WatchOrder } from "./watch-order.js";

export interface OrderAppDeps {
  repository: OrderRepository;
  menu: MenuCatalog;
  stock: StockReservations;
  /** Publishes the outbox (the relay's flush); called after every stored change. */
  publish?: () => Promise<void>;
  paymentDeadlineMs: number;
  clock?: Clock;
  /** How often WatchOrder re-reads, for changes made by another instance. */
  watchPollIntervalMs?: number;
  logger?: Logger;
  /** How CreateOrder and the deadline sweep mark their work on one order (OrderScope); the RPCs and consumers are marked by the platform. */
  scope?: OrderScope;
}

/** Every use case of the order service, wired to one set of ports. */
export type OrderApp = ReturnType<typeof createOrderApp>;

/** Builds the use cases over the given ports. */
export function createOrderApp(deps: OrderAppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const feed = new OrderChangeFeed(deps.publish);
  const { repository } = deps;
  const changing = { repository, changes: feed, clock };
  return {
    feed,
    createOrder: new CreateOrder({ ...changing, menu: deps.menu, stock: deps.stock, paymentDeadlineMs: deps.paymentDeadlineMs, logger: deps.logger, scope: deps.scope }),
    getOrder: new GetOrder(repository),
    listOrders: new ListOrders(repository),
    cancelOrder: new CancelOrder(changing),
    completeOrder: new CompleteOrder(changing),
    watchOrder: new WatchOrder({ repository, feed }),
    refreshWatchedOrders: new RefreshWatchedOrders({ repository, feed }),
    expireUnpaidOrders: new ExpireUnpaidOrders({ ...changing, scope: deps.scope }),
    recordPaymentLink: new RecordPaymentLink(changing),
    recordPaymentSucceeded: new RecordPaymentSucceeded(changing),
    recordPaymentFailed: new RecordPaymentFailed(changing),
    recordTicketStarted: new RecordTicketStarted(changing),
    recordTicketReady: new RecordTicketReady(changing),
  };
}
