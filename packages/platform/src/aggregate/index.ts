export * from "./versioned-aggregate.js";
