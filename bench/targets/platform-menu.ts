import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { runService } from "@oms/platform/server";
import { createMenuService, readMenuConfig } from "@oms/menu";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { fixtureDishes } from "../lib/menu-fixture.js";
import { testIdentities } from "@oms/platform/testing";
import { benchServiceKey } from "../lib/bench-auth.js";

/**
 * The system under test for RPC overhead: the real menu service (use case and
 * memory repository) on the OMS platform server, one port for Connect JSON over
 * HTTP/1.1 and gRPC over h2c, seeded with the fixture dishes.
 */
const logger = createLogger("bench-menu");
// Menu neither publishes nor consumes: the bus is only there because every service takes one.
const bus = new MemoryEventBus();
const registry = new StaticRegistry();
const module = await createMenuService({ config: readMenuConfig({ MENU_PORT: "0" }), bus, registry, logger, seed: fixtureDishes });
// Access control on, as in production: GetItems is open to services, and the load calls as one.
const { authenticator } = await testIdentities(benchServiceKey);
const running = await runService(module, { host: "127.0.0.1", port: 0, registry, logger, auth: authenticator });
tellParent({ type: "ready", url: running.url });
stopWhenAsked(async () => {
  await running.close();
  await bus.close();
});
