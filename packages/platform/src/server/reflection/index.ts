export * from "./descriptor-index.js";
export * from "./reflection-service.js";
