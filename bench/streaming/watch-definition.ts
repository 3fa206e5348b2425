import { once } from "node:events";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { OrderService, type WatchOrderRequest, type WatchOrderResponse } from "@oms/contracts/order/v1/order";
import { allow, servicePolicies } from "@oms/platform/auth";
import type { ServiceDefinition } from "@oms/platform/server";
import { burstPrefix, messagesPerCall, orderVersion } from "./watch-fixture.js";

/** Idle watchers open now, reported with the target's memory. */
export const openWatchers = { count: 0 };

async function* watchOrder(request: WatchOrderRequest, context: HandlerContext): AsyncGenerator<WatchOrderResponse> {
  if (request.id.startsWith(burstPrefix)) {
    for (let version = 0; version < messagesPerCall; version++) yield orderVersion(request.id, version);
    return;
  }
  openWatchers.count++;
  try {
    yield orderVersion(request.id, 0);
    // Nothing more until the client leaves (the signal aborts then).
    if (!context.signal.aborted) await once(context.signal, "abort");
  } finally {
    openWatchers.count--;
  }
}

const everyone = allow("service", "customer", "staff");

/**
 * OrderService/WatchOrder as watch-fixture.ts describes, the same answers as
 * grpc-js-watch-target.ts, for the platform targets: only the server path differs.
 */
export const watchDefinition: ServiceDefinition = {
  name: "order",
  services: [OrderService],
  routes: (router: ConnectRouter) => router.service(OrderService, { watchOrder }),
  policies: servicePolicies(OrderService, { createOrder: everyone, getOrder: everyone, listOrders: everyone, cancelOrder: everyone, completeOrder: everyone, watchOrder: everyone }),
};
