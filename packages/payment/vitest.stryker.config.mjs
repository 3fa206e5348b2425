import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant: everything that needs no
// database or Stripe. The Mongo suites repeat the same rules over another
// adapter, and the stripe-mock suites check the Stripe adapter, whose use
// cases the simulated provider's suites drive the same way (each stripe-mock
// file also spends seconds starting it, for every mutant it covers). A mutant
// that stops an awaited event from ever happening fails its test after 4 s,
// before Stryker's own timeout (5 s plus 1.5 times the tests' normal run
// time) would restart the test runner.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/mongo-*.test.ts", "test/stripe-{flow,provider,service,webhook}.test.ts", "test/payment-providers.test.ts"],
    testTimeout: 4_000,
    hookTimeout: 10_000,
  },
});
