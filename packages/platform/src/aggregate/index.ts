export * from "./versioned-aggregate.js";
export * from "./aggregate-repository.js";
export * from "./copy-state.js";
