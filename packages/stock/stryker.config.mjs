// Mutation testing of the stock service's rules (domain and use cases): `pnpm mutate stock`.
// Only the tests that need no infrastructure run (vitest.stryker.config.mjs); the
// incremental file is committed so the next run re-tests only what changed.
import { strykerConfig } from "../../stryker.base.mjs";

// Two cores are shared by everything else running on the machine.
export default strykerConfig({ mutate: ["src/domain/**/*.ts", "src/app/**/*.ts"], concurrency: 1 });
