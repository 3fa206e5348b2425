export { waitFor, type WaitForOptions } from "./wait-for.js";
export { createTestBus, testRetryPolicy } from "./test-bus.js";
export * from "./test-identities.js";
export { buildStockConnectServer } from "./stock-connect-server.js";
