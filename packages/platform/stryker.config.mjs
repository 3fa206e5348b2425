// Mutation testing of the in-memory event bus (the embedded mode's broker): `pnpm mutate platform`.
// The rest of the platform is held by its own suites against real servers,
// databases and brokers; this run needs none of them (vitest.stryker.config.mjs).
// The incremental file is committed so the next run re-tests only what changed.
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.stryker.config.mjs", related: false },
  mutate: ["src/events/memory-bus.ts"],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // Two cores are shared by everything else running on the machine.
  concurrency: 1,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: ".stryker-tmp/reports/mutation.html" },
  jsonReporter: { fileName: ".stryker-tmp/reports/mutation.json" },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["dist", "reports", ".turbo"],
  thresholds: { high: 95, low: 90, break: null },
};
