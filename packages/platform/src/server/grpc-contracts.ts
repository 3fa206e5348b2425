/**
 * The upstream gRPC contracts the server speaks besides the services' own:
 * reflection (v1 and v1alpha) and health. Generated from proto/grpc/** into
 * @oms/contracts, whose package exports only cover oms/*, hence the path.
 */
export * as reflectionV1 from "../../../contracts/src/gen/grpc/reflection/v1/reflection_pb.js";
export * as reflectionV1alpha from "../../../contracts/src/gen/grpc/reflection/v1alpha/reflection_pb.js";
export * as healthV1 from "../../../contracts/src/gen/grpc/health/v1/health_pb.js";
