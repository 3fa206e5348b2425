export * from "./versioned-aggregate.js";
export * from "./aggregate-repository.js";
