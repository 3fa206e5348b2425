import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant of the memory bus: its own suite,
// which runs the event-bus contract over it. A mutant that stops a delivery
// from ever happening fails its test after 4 s, before Stryker's own timeout.
export default defineConfig({
  test: {
    include: ["test/memory-bus.test.ts"],
    testTimeout: 4_000,
    hookTimeout: 10_000,
  },
});
