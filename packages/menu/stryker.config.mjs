// Mutation testing of the menu service's rules (domain and use cases): `pnpm mutate menu`.
// Only the tests that need no infrastructure run (vitest.stryker.config.mjs); the
// incremental file is committed so the next run re-tests only what changed.
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.stryker.config.mjs", related: false },
  mutate: ["src/domain/**/*.ts", "src/app/**/*.ts"],
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
