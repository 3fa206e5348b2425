export { waitFor, type WaitForOptions } from "./wait-for.js";
export { createTestBus, testRetryPolicy } from "./test-bus.js";
export * from "./test-identities.js";
