import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant: the unit tests of the domain and
// the use cases, over the memory repository and fake peers. Left out: the
// Mongo suites (they repeat the same rules over another adapter) and the test
// that runs the whole service on an event bus (order-service): a mutant that
// stops an event from being applied makes it wait out a timeout instead of
// failing, and each timeout restarts a test runner. A mutant that stops an
// awaited event in the unit tests fails its test after 4 s, before Stryker's
// own timeout would restart the test runner.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/mongo-*.test.ts", "test/order-service.test.ts"],
    testTimeout: 4_000,
    hookTimeout: 10_000,
  },
});
