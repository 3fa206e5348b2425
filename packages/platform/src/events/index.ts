export * from "./event-bus.js";
export * from "./catalog.js";
export * from "./typed-events.js";
export * from "./outbox.js";
export * from "./aggregate-outbox.js";
export { MemoryEventBus } from "./memory-bus.js";
export * from "./transient-failure.js";
