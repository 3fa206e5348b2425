// What every package's mutation run shares (`pnpm mutate [package]`, docs/mutation.md): the vitest
// runner on the package's own vitest.stryker.config.mjs (tests that need no infrastructure), perTest
// coverage, and a committed incremental file so the next run re-tests only what changed. Each package
// names what it mutates and how many runners the machine can spare.
export function strykerConfig({ mutate, concurrency }) {
  return {
    testRunner: "vitest",
    plugins: ["@stryker-mutator/vitest-runner"],
    vitest: { configFile: "vitest.stryker.config.mjs", related: false },
    mutate,
    coverageAnalysis: "perTest",
    incremental: true,
    incrementalFile: "reports/stryker-incremental.json",
    concurrency,
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: ".stryker-tmp/reports/mutation.html" },
    jsonReporter: { fileName: ".stryker-tmp/reports/mutation.json" },
    tempDirName: ".stryker-tmp",
    ignorePatterns: ["dist", "reports", ".turbo"],
    thresholds: { high: 95, low: 90, break: null },
  };
}
