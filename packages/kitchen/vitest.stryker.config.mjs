import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant: the unit tests of the domain and
// the use cases, over the memory repository. Left out: the Mongo suites (they
// repeat the same rules over another adapter) and the tests that run the whole
// service (kitchen, trace-context): their cooks work on real timers, so a
// mutant that stops the cooking makes them wait out a timeout instead of
// failing, which turns a run of minutes into hours. A mutant that stops an
// awaited event in the unit tests fails its test after 4 s, before Stryker's
// own timeout would restart the test runner.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/mongo-*.test.ts", "test/kitchen.test.ts", "test/trace-context.test.ts"],
    testTimeout: 4_000,
    hookTimeout: 10_000,
  },
});
