// Mutation testing of the in-memory event bus (the embedded mode's broker): `pnpm mutate platform`.
// The rest of the platform is held by its own suites against real servers,
// databases and brokers; this run needs none of them (vitest.stryker.config.mjs).
// The incremental file is committed so the next run re-tests only what changed.
import { strykerConfig } from "../../stryker.base.mjs";

// Two cores are shared by everything else running on the machine.
export default strykerConfig({ mutate: ["src/events/memory-bus.ts"], concurrency: 1 });
