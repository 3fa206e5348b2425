import type { AddressInfo } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import type { FastifyInstance } from "fastify";
import type { ServiceRegistry } from "../discovery/index.js";
import { portTakenError } from "../config/index.js";
import { newId } from "../ids.js";
import { createLogger, type Logger } from "../logging.js";
import { buildServer, type BuildServerOptions } from "./build-server.js";
import type { OnePortServer } from "./one-port-server.js";
import type { ServiceModule } from "./service-definition.js";
import type { Telemetry } from "../telemetry/index.js";
import type { EventBus } from "../events/index.js";

/** Options of runService. */
export interface RunServiceOptions {
  /** The interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The port to listen on; 0 picks a free one. */
  port: number;
  /** Where the instance announces itself once it serves. */
  registry?: ServiceRegistry;
  logger?: Logger;
  /** The largest request body or RPC message in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The address peers reach this instance at (default: host, or 127.0.0.1 when host is a wildcard). */
  advertiseAddress?: string;
  /**
   * The address the registry health-checks this instance at (default: advertiseAddress). Differs when the
   * registry cannot reach the address peers use: Consul in a container checking services on the host
   * through host.docker.internal, while peers on the host still call 127.0.0.1.
   */
  checkAddress?: string;
  /** How long close() lets in-flight requests and streams finish before aborting them (default 10 s). */
  drainTimeoutMs?: number;
  /** Spans and metrics for every RPC, GET /metrics. */
  telemetry?: Telemetry;
  /** Serve oms.admin.v1.DeadLetterService for this service's queue on this bus. */
  deadLetters?: EventBus;
  /** Serve GET /metrics (default true). */
  metrics?: boolean;
  /** Serve gRPC reflection (default true). */
  reflection?: boolean;
  /** Bounds on connections, slow clients and streams (BuildServerOptions.limits). */
  limits?: BuildServerOptions["limits"];
  /** The process's fault switches (BuildServerOptions.faults). */
  faults?: BuildServerOptions["faults"];
  /** The variable `port` came from, named when the port is taken (e.g. ORDER_PORT). */
  portVariable?: string;
  /** Proves callers from their bearer tokens (BuildServerOptions.auth). */
  auth?: BuildServerOptions["auth"];
  /** Web origins browsers may call from (BuildServerOptions.allowedOrigins). */
  allowedOrigins?: BuildServerOptions["allowedOrigins"];
}

/** A service serving on its port, registered, with its background work started. */
export interface RunningService {
  /** The logical service name, e.g. "menu". */
  name: string;
  /** Where peers reach it: "http://host:port". */
  url: string;
  port: number;
  app: FastifyInstance;
  /** Deregisters, stops taking requests, drains those in flight, then stops the module. Idempotent. */
  close(): Promise<void>;
}

/**
 * Runs a service: builds its server, listens, starts its background work
 * (consumers, timers) and registers it (`name-<ulid>`, health checked through
 * /readyz). close() undoes it in the safe order: deregister first so peers
 * stop calling, then drain (open streams end at once with UNAVAILABLE so
 * their clients reconnect elsewhere; unary calls in flight finish, or are
 * aborted with UNAVAILABLE after `drainTimeoutMs`, and connections still open
 * a second later are dropped), then stop the module.
 */
export async function runService(module: ServiceModule, options: RunServiceOptions): Promise<RunningService> {
  const { name } = module.definition;
  const logger = options.logger ?? createLogger(name);
  const host = options.host ?? "127.0.0.1";
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const shutdown = new AbortController();
  const endStreams = new AbortController();
  const app = await buildServer(module.definition, {
    logger,
    bodyLimit: options.bodyLimit,
    shutdownSignal: shutdown.signal,
    closingSignal: endStreams.signal,
    telemetry: options.telemetry,
    deadLetters: options.deadLetters,
    metrics: options.metrics,
    reflection: options.reflection,
    limits: options.limits,
    auth: options.auth,
    faults: options.faults,
    allowedOrigins: options.allowedOrigins,
  });
  try {
    await app.listen({ host, port: options.port });
  } catch (error) {
    await app.close();
    throw portTakenError(error, options.portVariable ?? "the port", host, options.port) ?? error;
  }
  const port = (app.server.address() as AddressInfo).port;
  const address = options.advertiseAddress ?? (isWildcard(host) ? "127.0.0.1" : host);
  const url = httpUrl(address, port);
  const instanceId = `${name}-${newId()}`;
  let registered = false;

  const drain = async () => {
    endStreams.abort(new ConnectError("server shutting down: reconnect", Code.Unavailable));
    const abortTimer = setTimeout(() => shutdown.abort(new ConnectError("server shutting down", Code.Unavailable)), drainTimeoutMs);
    const dropTimer = setTimeout(() => (app.server as OnePortServer).destroyConnections(), drainTimeoutMs + 1_000);
    try {
      await app.close();
    } finally {
      clearTimeout(abortTimer);
      clearTimeout(dropTimer);
    }
  };

  try {
    await module.start();
  } catch (error) {
    await drain();
    throw error;
  }
  try {
    if (options.registry) {
      await options.registry.register({ id: instanceId, name, address, port, healthCheckUrl: `${httpUrl(options.checkAddress ?? address, port)}/readyz` });
      registered = true;
    }
  } catch (error) {
    await drain();
    await module.stop();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (registered) {
        // Peers must stop choosing this instance before it stops answering; a registry outage must not block shutdown.
        await options.registry!.deregister(instanceId).catch((error: unknown) => logger.warn({ err: error }, "deregister failed"));
      }
      await drain();
      await module.stop();
    })());
  return { name, url, port, app, close };
}

function httpUrl(address: string, port: number): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

/**
 * On SIGTERM or SIGINT, runs `close` once, then exits 0 (1 when close fails).
 * A second signal while closing exits at once with 1.
 */
export function stopOnSignals(close: () => Promise<void>, logger?: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger?.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger?.info({ signal }, "stopping");
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger?.error({ err: error }, "close failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "";
}

