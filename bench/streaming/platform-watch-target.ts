import { once } from "node:events";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { OrderService, type WatchOrderRequest, type WatchOrderResponse } from "@oms/contracts/order/v1/order";
import { allow, servicePolicies } from "@oms/platform/auth";
import { StaticRegistry } from "@oms/platform/discovery";
import { createLogger } from "@oms/platform/logging";
import { runService, type ServiceModule } from "@oms/platform/server";
import { testIdentities } from "@oms/platform/testing";
import { benchServiceKey } from "../lib/bench-auth.js";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { answerMemoryWhenAsked } from "./memory.js";
import { burstPrefix, messagesPerCall, orderVersion } from "./watch-fixture.js";

/**
 * The platform server (access control on, as in production) serving
 * OrderService/WatchOrder as watch-fixture.ts describes, the same answers as
 * grpc-js-watch-target.ts: only the server path differs.
 */
let open = 0;

async function* watchOrder(request: WatchOrderRequest, context: HandlerContext): AsyncGenerator<WatchOrderResponse> {
  if (request.id.startsWith(burstPrefix)) {
    for (let version = 0; version < messagesPerCall; version++) yield orderVersion(request.id, version);
    return;
  }
  open++;
  try {
    yield orderVersion(request.id, 0);
    // Nothing more until the client leaves (Connect aborts the signal then).
    if (!context.signal.aborted) await once(context.signal, "abort");
  } finally {
    open--;
  }
}

const everyone = allow("service", "customer", "staff");
const module: ServiceModule = {
  definition: {
    name: "order",
    services: [OrderService],
    routes: (router: ConnectRouter) => router.service(OrderService, { watchOrder }),
    policies: servicePolicies(OrderService, { createOrder: everyone, getOrder: everyone, listOrders: everyone, cancelOrder: everyone, completeOrder: everyone, watchOrder: everyone }),
  },
  start: async () => {},
  stop: async () => {},
};
const logger = createLogger("bench-watch");
const registry = new StaticRegistry();
const { authenticator } = await testIdentities(benchServiceKey);
const running = await runService(module, { host: "127.0.0.1", port: 0, registry, logger, auth: authenticator });
answerMemoryWhenAsked(() => ({ open }));
tellParent({ type: "ready", url: running.url });
stopWhenAsked(() => running.close());
