import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant: the suites that drive the
// domain and the use cases directly (memory storage, a recording provider,
// the checkout pages through inject). The service, trace, Mongo and
// stripe-mock suites repeat the same rules through whole processes and
// other adapters, seconds per mutant each, which the measure does not need.
// A mutant that stops an awaited event from ever happening fails its test
// after 4 s, before Stryker's own timeout would restart the test runner.
export default defineConfig({
  test: {
    include: [
      "test/payment.test.ts",
      "test/use-cases.test.ts",
      "test/use-case-edges.test.ts",
      "test/refund-payment.test.ts",
      "test/checkout-token.test.ts",
      "test/checkout-routes.test.ts",
      "test/memory-payment-repository.test.ts",
    ],
    testTimeout: 4_000,
    hookTimeout: 10_000,
  },
});
