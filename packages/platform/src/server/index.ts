export * from "./service-definition.js";
export * from "./error-mapping.js";
export * from "./one-port-server.js";
export * from "./build-server.js";
export * from "./run-service.js";
export * from "./health.js";
export * from "./reflection/index.js";
export * from "./grpc-contracts.js";
