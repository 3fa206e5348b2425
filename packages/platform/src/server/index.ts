export * from "./service-definition.js";
export * from "./error-mapping.js";
