import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { buildStockConnectServer, testIdentities } from "@oms/platform/testing";
import { createMenuService, readMenuConfig } from "@oms/menu";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { fixtureDishes } from "../lib/menu-fixture.js";
import { benchServiceKey } from "../lib/bench-auth.js";

/**
 * The "before" of the platform's routes and unary fast path: the same menu
 * service, interceptors and access control, served by the stock
 * @connectrpc/connect-fastify plugin (buildStockConnectServer).
 */
const logger = createLogger("bench-menu-stock");
const bus = new MemoryEventBus();
const module = await createMenuService({ config: readMenuConfig({ MENU_PORT: "0" }), bus, registry: new StaticRegistry(), logger, seed: fixtureDishes });
const { authenticator } = await testIdentities(benchServiceKey);
await module.start();
const app = await buildStockConnectServer(module.definition, { logger, auth: authenticator });
const url = await app.listen({ host: "127.0.0.1", port: 0 });
tellParent({ type: "ready", url });
stopWhenAsked(async () => {
  await app.close();
  await module.stop();
  await bus.close();
});
