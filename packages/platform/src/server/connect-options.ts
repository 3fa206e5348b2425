import { createRegistry } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { FaultService } from "@oms/contracts/admin/v1/faults";
import { authorizationInterceptor } from "../auth/index.js";
import { injectedRpcFaults, registerFaults } from "../faults/index.js";
import type { Logger } from "../logging.js";
import { serverTracingInterceptor } from "../telemetry/index.js";
import type { BuildServerOptions } from "./build-server.js";
import type { ConnectRoutesOptions } from "./connect-routes.js";
import { registerDeadLetters } from "./dead-letter-service.js";
import { errorMappingInterceptor } from "./error-mapping.js";
import { healthServices, registerHealth } from "./health.js";
import { platformPolicies } from "./platform-policies.js";
import { registerReflection } from "./reflection/index.js";
import { requestValidationInterceptor } from "./request-validation.js";
import { serverLimitDefaults } from "./server-limits.js";
import type { ServiceDefinition } from "./service-definition.js";
import { streamLimitsInterceptor } from "./stream-limits.js";

/**
 * What the platform serves over Connect, gRPC and gRPC-Web for one service,
 * and the interceptors every call goes through, in their order: the
 * definition's routes with health, dead letters, fault switches and
 * reflection beside them. buildServer serves them (connect-routes.ts); the
 * bench and the parity tests serve the same through the stock
 * @connectrpc/connect-fastify plugin to compare.
 */
export function platformConnectOptions(
  definition: ServiceDefinition,
  options: BuildServerOptions & { bodyLimit: number },
  logger: Logger,
): ConnectRoutesOptions & { connect: true; grpc: true; grpcWeb: true } {
  return {
    routes: (router: ConnectRouter) => {
      definition.routes(router);
      registerHealth(router, definition.services, { ready: definition.ready, watchIntervalMs: options.healthWatchIntervalMs });
      if (options.deadLetters) registerDeadLetters(router, options.deadLetters, definition.name);
      if (options.faults) registerFaults(router, options.faults);
      const admin = [...(options.deadLetters ? [DeadLetterService] : []), ...(options.faults ? [FaultService] : [])];
      if (options.reflection !== false) registerReflection(router, [...definition.services, ...admin, ...healthServices]);
    },
    interceptors: [
      // Outermost, so the span and the metrics see the mapped Connect code.
      ...(options.telemetry ? [serverTracingInterceptor(options.telemetry)] : []),
      errorMappingInterceptor((error, procedure) => logger.error({ err: error, procedure }, "rpc failed unexpectedly")),
      // Inside tracing and error mapping, so a refused call is traced and counted with its code; outside the
      // stream limits, so callers without access never hold a stream slot.
      authorizationInterceptor(platformPolicies(definition.policies), options.auth),
      // After authorization: only callers allowed the method learn what its contract refuses.
      ...(definition.validateRequests === false ? [] : [requestValidationInterceptor]),
      streamLimitsInterceptor({ ...serverLimitDefaults, ...options.limits }, options.closingSignal),
      ...(options.faults ? [injectedRpcFaults(options.faults, definition.name)] : []),
    ],
    // A misspelt field in a curl body is an error worth naming, not silently dropped (the proto3 JSON default).
    // JSON for a google.protobuf.Any names its type: the messages declared beside the served services resolve.
    jsonOptions: { ignoreUnknownFields: false, registry: createRegistry(...definition.services.map((service) => service.file)) },
    connect: true,
    grpc: true,
    grpcWeb: true,
    readMaxBytes: options.bodyLimit,
    shutdownSignal: options.shutdownSignal,
  };
}
