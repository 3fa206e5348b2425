/**
 * The upstream gRPC contracts the server speaks besides the services' own:
 * reflection (v1 and v1alpha) and health, generated from proto/grpc/** into
 * @oms/contracts like every other contract.
 */
export * as reflectionV1 from "@oms/contracts/grpc/reflection/v1/reflection";
export * as reflectionV1alpha from "@oms/contracts/grpc/reflection/v1alpha/reflection";
export * as healthV1 from "@oms/contracts/grpc/health/v1/health";
