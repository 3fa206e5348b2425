export * from "./faults.js";
export * from "./read-faults-config.js";
export * from "./fault-service.js";
export * from "./rpc-faults.js";
export * from "./faulty-event-bus.js";
