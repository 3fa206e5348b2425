import Fastify, { LogController, type FastifyInstance } from "fastify";
import { registerConnectRoutes } from "./connect-routes.js";
import { platformConnectOptions } from "./connect-options.js";
import { compileRequestRules } from "./request-validation.js";
import type { ServerLimits } from "./server-limits.js";
import { createLogger, type Logger } from "../logging.js";
import { encodeGrpcMessagesPerSpec } from "./grpc-message-encoding.js";
import { createOnePortServer } from "./one-port-server.js";
import { RpcFrontDoor } from "./rpc-front-door.js";
import type { ServiceDefinition } from "./service-definition.js";
import type { EventBus } from "../events/index.js";
import { traceHttpRoutes, type Telemetry } from "../telemetry/index.js";
import { requireRouteAccess, type Authenticator } from "../auth/index.js";
import { logRequests } from "./request-log.js";
import { allowBrowserOrigins } from "./cors.js";
import type { Faults } from "../faults/index.js";

/** The largest request body (or streamed message) accepted unless told otherwise: 1 MiB. */
export const defaultBodyLimit = 1024 * 1024;

/** Options of buildServer. */
export interface BuildServerOptions {
  /** Where the server logs (default: a logger named after the service). */
  logger?: Logger;
  /** The largest request body, and the largest RPC message, in bytes (default 1 MiB). Larger ones are refused, the server keeps serving. */
  bodyLimit?: number;
  /** Aborting it aborts every RPC in flight (handlers see `context.signal`): the last resort of a drain. */
  shutdownSignal?: AbortSignal;
  /** Aborting it ends every open stream at once with its reason, while unary calls in flight still finish: how close() starts. */
  closingSignal?: AbortSignal;
  /** How often gRPC health Watch re-checks readiness (default 5 s). */
  healthWatchIntervalMs?: number;
  /** Spans and metrics for every RPC, and GET /metrics in Prometheus format. */
  telemetry?: Telemetry;
  /** Serve GET /metrics (default true; needs `telemetry`). Off, the metrics are still exported over OTLP when that is set. */
  metrics?: boolean;
  /** Serve gRPC reflection, which lists and describes every RPC to anyone who asks (default true). */
  reflection?: boolean;
  /** Bounds on connections, slow clients and streams (serverLimitDefaults for each one left out). */
  limits?: ServerLimits;
  /** The bus whose dead letters for this service's queue (named after it) DeadLetterService lists and replays. */
  deadLetters?: EventBus;
  /** The process's fault switches: serves oms.admin.v1.FaultService and applies this service's RPC faults. */
  faults?: Faults;
  /** Proves callers from their bearer tokens; without one every caller is anonymous and only public methods and pages answer. */
  auth?: Authenticator;
  /** Web origins whose pages may call this server from a browser (CORS, cors.ts); none when left out. */
  allowedOrigins?: readonly string[];
}

/**
 * The platform server of one service, not yet listening: on one port,
 * HTTP/1.1 and h2c, serving the definition's RPCs over Connect, gRPC and
 * gRPC-Web, plus gRPC reflection and health, `GET /healthz` (alive),
 * `GET /readyz` (dependencies reachable) and the definition's plain HTTP routes.
 * Domain errors become Connect codes (errorMappingInterceptor); unexpected
 * ones are logged and answered INTERNAL without detail.
 */
export async function buildServer(definition: ServiceDefinition, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? createLogger(definition.name);
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const frontDoor = new RpcFrontDoor(logger);
  const app = Fastify({
    serverFactory: (handler) =>
      createOnePortServer(
        handler,
        options.limits,
        (request, response, toFastify) => frontDoor.take(request, response, toFastify),
        (stream, headers, handOn) => frontDoor.takeStream(stream, headers, handOn),
      ),
    loggerInstance: logger,
    bodyLimit,
    // One line per request, written when it is answered (logRequests), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  logRequests(app);
  if (options.allowedOrigins?.length) allowBrowserOrigins(app, options.allowedOrigins);

  encodeGrpcMessagesPerSpec(app);
  // Encapsulated by Fastify: Connect replaces the content-type parsers for its routes only.
  const connectOptions = platformConnectOptions(definition, { ...options, bodyLimit }, logger);
  // Compiled now (35-110 ms, mostly CEL), so no caller's first call pays for it, and a broken rule stops the start.
  if (definition.validateRequests !== false) compileRequestRules(definition.services);
  // Two lines per RPC at info is too much for a service's steady state: failures are logged by the interceptor.
  await app.register(async (scope) => frontDoor.serve(registerConnectRoutes(scope, connectOptions)), { logLevel: "warn" });
  // From the first moment of close, new calls go to Fastify, which answers them 503 as it does every request then.
  app.addHook("preClose", (done) => {
    frontDoor.close();
    done();
  });

  // Probes poll: their requests are not worth a log line each.
  const probe = { logLevel: "warn", config: { access: "public" } } as const;
  app.get("/healthz", probe, async () => ({ status: "ok" }));
  app.get("/readyz", probe, async (_request, reply) => {
    try {
      await definition.ready?.();
      return { status: "ready" };
    } catch (error) {
      // What is unreachable names hosts and ports: worth the operator's log, not an anonymous caller's eyes.
      logger.warn({ err: error }, "not ready");
      return reply.code(503).send({ status: "unavailable" });
    }
  });

  const prometheus = options.telemetry?.prometheus;
  if (prometheus && options.metrics !== false) {
    app.get("/metrics", probe, (request, reply) => {
      reply.hijack();
      prometheus.getMetricsRequestHandler(request.raw, reply.raw);
    });
  }

  // The service's own pages must each declare who may open them (requireRouteAccess).
  const http = definition.http;
  if (http) {
    await app.register(async (scope) => {
      requireRouteAccess(scope, options.auth);
      if (options.telemetry) traceHttpRoutes(scope, options.telemetry);
      await scope.register(http);
    });
  }
  return app;
}
