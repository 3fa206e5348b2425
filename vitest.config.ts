import { defineConfig } from "vitest/config";

/**
 * The suites that run the whole system as processes (chaos, the real stack, turbo run dev,
 * Connect's conformance runner) each load both cores for minutes: they run
 * after everything else, one file at a time, so none of them, and no fast
 * test, is starved into a timeout.
 */
const system = ["test/chaos/**/*.test.ts", "test/dev/**/*.test.ts", "test/real/**/*.test.ts", "test/conformance/**/*.test.ts", "test/web/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real servers on loopback; two cores run two files at a time well.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "fast", include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"], exclude: system, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "system", include: system, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
