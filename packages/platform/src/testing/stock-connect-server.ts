import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { createLogger } from "../logging.js";
import { defaultBodyLimit, type BuildServerOptions } from "../server/build-server.js";
import { platformConnectOptions } from "../server/connect-options.js";
import { encodeGrpcMessagesPerSpec } from "../server/grpc-message-encoding.js";
import { createOnePortServer } from "../server/one-port-server.js";
import type { ServiceDefinition } from "../server/service-definition.js";

/**
 * The definition's RPCs, with the platform's own interceptors and options,
 * served by the stock @connectrpc/connect-fastify plugin instead of the
 * platform's routes and unary fast path: what the parity tests compare the
 * platform server's answers with, byte for byte, and the bench's "before".
 * Only the RPCs: no probes, metrics or plain pages.
 */
export async function buildStockConnectServer(definition: ServiceDefinition, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? createLogger(definition.name);
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const app = Fastify({ serverFactory: (handler) => createOnePortServer(handler, options.limits), loggerInstance: logger, bodyLimit }) as unknown as FastifyInstance;
  encodeGrpcMessagesPerSpec(app);
  await app.register(fastifyConnectPlugin, { ...platformConnectOptions(definition, { ...options, bodyLimit }, logger), logLevel: "warn" });
  return app;
}
