import type { Env } from "@oms/platform/config";
import { StaticRegistry, type ServiceRegistry } from "@oms/platform/discovery";
import { MemoryEventBus, type EventBus } from "@oms/platform/events";
import { createLogger, type Logger } from "@oms/platform/logging";
import { createEventBus, createRegistry, readInfrastructureConfig } from "@oms/platform/runtime";
import { readServerConfig, runService, type RunningService, type ServiceModule } from "@oms/platform/server";
import { clientTracingInterceptor, createTelemetry, TracedEventBus, type Telemetry } from "@oms/platform/telemetry";
import { createKitchenService, readKitchenConfig } from "@oms/kitchen";
import { createMenuService, readMenuConfig } from "@oms/menu";
import { createOrderService, readOrderConfig } from "@oms/order";
import { createPaymentService, readPaymentConfig } from "@oms/payment";
import { createStockService, readStockConfig } from "@oms/stock";
import { demoCurrency, demoDishes } from "./demo-menu.js";
import { freePort } from "@oms/platform/free-port";
import type { DevIssuer } from "@oms/platform/auth";
import { Faults, FaultyEventBus, readFaultsConfig } from "@oms/platform/faults";
import { startEmbeddedAuth } from "./embedded-auth.js";
import { readDemoDataSetting } from "./demo-data-setting.js";

export const serviceNames = ["menu", "stock", "kitchen", "payment", "order"] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface StartAllOptions {
  /** Environment to read each service's configuration from (process.env by default). */
  env?: Env;
  host?: string;
  /** Pick free ports instead of the configured ones (tests, benchmarks). */
  randomPorts?: boolean;
  /** Seed the demo menu and stock (default: DEMO_DATA, true unless set to false). */
  seed?: boolean;
  bus?: EventBus;
  registry?: ServiceRegistry;
  logger?: Logger;
}

export interface RunningSystem {
  services: Record<ServiceName, RunningService>;
  bus: EventBus;
  registry: ServiceRegistry;
  /** The development issuer, unless a real one is configured (AUTH_ISSUER...): it signs staff and customer tokens. */
  issuer?: DevIssuer;
  /** Stops every service (callers first, so nothing calls a stopped peer), then the bus. */
  close(): Promise<void>;
}

/**
 * Starts the five services in this process, each on its own port, sharing an
 * in-memory bus and a static registry (RabbitMQ and Consul when AMQP_URL and
 * CONSUL_HTTP_ADDR are set). They still reach each other over the network
 * with the generated clients, exactly as separate processes do.
 */
export async function startAll(options: StartAllOptions = {}): Promise<RunningSystem> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? createLogger("oms");
  const baseEnv = options.env ?? process.env;
  const env: Env = { ...baseEnv };
  if (options.randomPorts) {
    for (const name of serviceNames) env[`${name.toUpperCase()}_PORT`] = String(await freePort(host));
  }
  env.PAYMENT_PUBLIC_URL ??= `http://${host === "0.0.0.0" ? "localhost" : host}:${env.PAYMENT_PORT ?? 8084}`;
  // Configuration is read in full before anything connects or listens, so a bad value stops start-up at once.
  for (const read of [readMenuConfig, readStockConfig, readKitchenConfig, readPaymentConfig, readOrderConfig]) read(env);
  // The same switches and limits for the five servers (METRICS_ENABLED, REFLECTION_ENABLED, SERVER_*).
  const server = readServerConfig(env);
  // One process, one set of fault switches: SetFaults on any of the five changes them for all.
  const faults = new Faults(readFaultsConfig(env));
  // RabbitMQ and Consul when configured, as the separate processes would use them; in memory otherwise.
  const infrastructure = readInfrastructureConfig(env);
  const bus = options.bus ?? (infrastructure.amqpUrl ? await createEventBus(infrastructure, logger) : new MemoryEventBus());
  const registry = options.registry ?? (infrastructure.consulUrl ? await createRegistry(infrastructure, logger) : new StaticRegistry());
  const seed = options.seed ?? readDemoDataSetting(env);
  const embedded = await startEmbeddedAuth(env, host, options.randomPorts ?? false);
  // Each service its own telemetry (spans and metrics carry its service.name) and its own traced view of the shared bus.
  const telemetry = Object.fromEntries(serviceNames.map((name) => [name, createTelemetry(name)])) as Record<ServiceName, Telemetry>;
  const deps = (name: ServiceName) => ({
    bus: new TracedEventBus(new FaultyEventBus(bus, faults), telemetry[name]),
    registry,
    logger: logger.child({ service: name }),
    peerInterceptors: [clientTracingInterceptor(telemetry[name]), embedded.auth.peerIdentity(name)],
    telemetry: telemetry[name],
    faults,
  });

  const modules: Record<ServiceName, () => Promise<{ module: ServiceModule; port: number }>> = {
    menu: async () => {
      const config = readMenuConfig(env);
      const menuSeed = demoDishes.map((dish) => ({ ...dish, currencyCode: demoCurrency, available: true }));
      return { module: await createMenuService({ ...deps("menu"), config, seed: seed ? menuSeed : undefined }), port: config.port };
    },
    stock: async () => {
      const config = readStockConfig(env);
      const stockSeed = demoDishes.map((dish) => ({ itemId: dish.id, available: dish.stock }));
      return { module: await createStockService({ ...deps("stock"), config, seed: seed ? stockSeed : undefined }), port: config.port };
    },
    kitchen: async () => {
      const config = readKitchenConfig(env);
      return { module: await createKitchenService({ ...deps("kitchen"), config }), port: config.port };
    },
    payment: async () => {
      const config = readPaymentConfig(env);
      return { module: await createPaymentService({ ...deps("payment"), config }), port: config.port };
    },
    order: async () => {
      const config = readOrderConfig(env);
      return { module: await createOrderService({ ...deps("order"), config }), port: config.port };
    },
  };

  const services = {} as Record<ServiceName, RunningService>;
  const started: RunningService[] = [];
  try {
    for (const name of serviceNames) {
      const { module, port } = await modules[name]();
      const running = await runService(module, {
        portVariable: `${name.toUpperCase()}_PORT`,
        ...server,
        host,
        port,
        registry,
        logger: logger.child({ service: name }),
        telemetry: telemetry[name],
        deadLetters: bus,
        auth: embedded.auth.authenticator,
        faults,
        advertiseAddress: infrastructure.advertiseAddress,
        checkAddress: infrastructure.checkAddress,
      });
      services[name] = running;
      started.push(running);
    }
  } catch (error) {
    await Promise.allSettled(started.reverse().map((service) => service.close()));
    if (!options.bus) await bus.close();
    await embedded.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Reverse start order: order (the caller of menu and stock) stops first.
      for (const service of [...started].reverse()) await service.close();
      if (!options.bus) await bus.close();
      if (!options.registry) await registry.close();
      await embedded.close();
      await Promise.all(Object.values(telemetry).map((each) => each.shutdown()));
    })());
  return { services, bus, registry, issuer: embedded.issuer, close };
}
