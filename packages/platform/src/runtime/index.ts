export * from "./infrastructure.js";
export * from "./service-main.js";
