import { env, readConfig, type Env } from "../config/index.js";
import type { RunServiceOptions } from "./run-service.js";
import { serverLimitDefaults } from "./server-limits.js";
import { readAllowedOrigins } from "./cors.js";

const defaults = serverLimitDefaults;
const inMs = (ms: number) => `${ms}ms`;

/**
 * What every service reads about its server from the environment: whether
 * /metrics and gRPC reflection are served (both on by default, as the embedded
 * default wants; a deployment facing the internet may turn them off), the
 * bounds on connections, slow clients and streams, and the web origins
 * browsers may call it from.
 */
export function readServerConfig(source: Env = process.env): Pick<RunServiceOptions, "metrics" | "reflection" | "limits" | "allowedOrigins"> {
  const config = readConfig(
    {
      metrics: env.boolean("METRICS_ENABLED", true),
      reflection: env.boolean("REFLECTION_ENABLED", true),
      maxConnections: env.integer("SERVER_MAX_CONNECTIONS", defaults.maxConnections, 1),
      maxConcurrentStreams: env.integer("SERVER_MAX_STREAMS_PER_CONNECTION", defaults.maxConcurrentStreams, 1, 2 ** 31 - 1),
      maxStreams: env.integer("SERVER_MAX_STREAMS", defaults.maxStreams, 1),
      maxStreamLifetimeMs: env.duration("SERVER_MAX_STREAM_LIFETIME", inMs(defaults.maxStreamLifetimeMs)),
      headersTimeoutMs: env.duration("SERVER_HEADERS_TIMEOUT", inMs(defaults.headersTimeoutMs)),
      requestTimeoutMs: env.duration("SERVER_REQUEST_TIMEOUT", inMs(defaults.requestTimeoutMs)),
      keepAliveTimeoutMs: env.duration("SERVER_KEEP_ALIVE_TIMEOUT", inMs(defaults.keepAliveTimeoutMs)),
      h2IdleTimeoutMs: env.duration("SERVER_H2_IDLE_TIMEOUT", inMs(defaults.h2IdleTimeoutMs)),
      allowedOrigins: readAllowedOrigins,
    },
    source,
  );
  const { metrics, reflection, allowedOrigins, ...limits } = config;
  return { metrics, reflection, limits, allowedOrigins };
}
