import { StaticRegistry } from "@oms/platform/discovery";
import { createLogger } from "@oms/platform/logging";
import { runService } from "@oms/platform/server";
import { testIdentities } from "@oms/platform/testing";
import { benchServiceKey } from "../lib/bench-auth.js";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { answerMemoryWhenAsked } from "./memory.js";
import { openWatchers, watchDefinition } from "./watch-definition.js";

/** The platform server (access control on, as in production) serving watch-definition.ts. */
const logger = createLogger("bench-watch");
const registry = new StaticRegistry();
const { authenticator } = await testIdentities(benchServiceKey);
const running = await runService({ definition: watchDefinition, start: async () => {}, stop: async () => {} }, { host: "127.0.0.1", port: 0, registry, logger, auth: authenticator });
answerMemoryWhenAsked(() => ({ open: openWatchers.count }));
tellParent({ type: "ready", url: running.url });
stopWhenAsked(() => running.close());
