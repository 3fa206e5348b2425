import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant: everything that needs no
// database, broker or Stripe (the Mongo suites repeat the same rules over
// another adapter). A mutant that stops an awaited event from ever happening
// fails its test after 4 s, before Stryker's own timeout (5 s plus 1.5 times
// the tests' normal run time) would restart the test runner.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/mongo-*.test.ts"],
    testTimeout: 4_000,
    hookTimeout: 10_000,
  },
});
