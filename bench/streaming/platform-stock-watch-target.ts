import { createLogger } from "@oms/platform/logging";
import { buildStockConnectServer, testIdentities } from "@oms/platform/testing";
import { benchServiceKey } from "../lib/bench-auth.js";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { answerMemoryWhenAsked } from "./memory.js";
import { openWatchers, watchDefinition } from "./watch-definition.js";

/**
 * The "before" of the platform's server-streaming path: watch-definition.ts
 * with the same interceptors and access control, served by the stock
 * @connectrpc/connect-fastify plugin, that is by Connect's universal handler.
 */
const logger = createLogger("bench-watch-stock");
const { authenticator } = await testIdentities(benchServiceKey);
const app = await buildStockConnectServer(watchDefinition, { logger, auth: authenticator });
const url = await app.listen({ host: "127.0.0.1", port: 0 });
answerMemoryWhenAsked(() => ({ open: openWatchers.count }));
tellParent({ type: "ready", url });
stopWhenAsked(() => app.close());
