import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { FastifyPluginAsync } from "fastify";
import type { Policies } from "../auth/index.js";
import type { ServiceRegistry } from "../discovery/index.js";
import type { EventBus } from "../events/index.js";
import type { Logger } from "../logging.js";

/**
 * What a service hands the platform server: its RPCs, any plain HTTP routes,
 * and how to tell whether it is ready. Built by each service's service.ts.
 */
export interface ServiceDefinition {
  /** The logical name: "menu", "stock", "order", "payment" or "kitchen". */
  name: string;
  /** The services `routes` registers: served by reflection and gRPC health. */
  services: readonly DescService[];
  /** Connect routes, a plain function of the router (connect-es style). */
  routes: (router: ConnectRouter) => void;
  /** Who may call each of the `services`' methods (servicePolicies): a method without a rule is refused. */
  policies: Policies;
  /** Plain HTTP routes (checkout pages, webhooks), registered as an encapsulated plugin; each declares `config.access`. */
  http?: FastifyPluginAsync;
  /** Resolves when every dependency is reachable, throws naming the one that is not (drives /readyz). */
  ready?: () => Promise<void>;
  /**
   * Check each request message against its contract's `buf.validate` rules
   * before `routes` sees it (default true). Off only where the contracts are
   * not OMS's own: the conformance server serves Connect's, whose answers the
   * conformance suite fixes.
   */
  validateRequests?: boolean;
}

/**
 * A service with its resources: the definition to serve plus the background
 * work (event consumers, timers, outbox relay) to run beside the server.
 */
export interface ServiceModule {
  definition: ServiceDefinition;
  /** Starts consumers and timers; called once the server listens. */
  start(): Promise<void>;
  /** Stops consumers and timers, waits for work in flight, closes storage. */
  stop(): Promise<void>;
}

/** What every service's factory (createMenuService, ...) is given, by its own process or the embedded mode. */
export interface ServiceDeps<Config> {
  config: Config;
  /** The event bus; it belongs to the caller, which closes it. Menu takes it too (it neither publishes nor consumes), so every service is wired alike. */
  bus: EventBus;
  registry: ServiceRegistry;
  logger: Logger;
}
