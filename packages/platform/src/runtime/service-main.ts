import { createAuth, readAuthConfig, requireAuthConfig } from "../auth/index.js";
import { ConfigError, type Env } from "../config/index.js";
import { Faults, FaultyEventBus, readFaultsConfig } from "../faults/index.js";
import type { ServiceRegistry } from "../discovery/index.js";
import type { EventBus } from "../events/index.js";
import { createLogger, type Logger } from "../logging.js";
import type { Interceptor } from "@connectrpc/connect";
import { readServerConfig, runService, stopOnSignals, type ServiceModule } from "../server/index.js";
import { clientTracingInterceptor, createTelemetry, TracedEventBus, type Telemetry } from "../telemetry/index.js";
import { createEventBus, createRegistry, readInfrastructureConfig } from "./infrastructure.js";

export interface ServiceDependencies<C> {
  config: C;
  bus: EventBus;
  registry: ServiceRegistry;
  logger: Logger;
  telemetry: Telemetry;
  /** Trace the service's calls to its peers, and make this service their caller. */
  peerInterceptors: Interceptor[];
  /** The process's fault switches (FAULT_*, FaultService/SetFaults). */
  faults: Faults;
}

/**
 * The whole process entry of one service: read configuration (a bad value
 * stops start-up naming the variable), choose adapters from the environment,
 * serve, register, and on SIGTERM deregister, drain and close.
 */
export async function serviceMain<C extends { port: number }>(
  name: string,
  readServiceConfig: (env: Env) => C,
  create: (deps: ServiceDependencies<C>) => Promise<ServiceModule>,
  source: Env = process.env,
): Promise<void> {
  let logger, infrastructure, server, config, authConfig, faultSettings;
  try {
    logger = createLogger(name);
    infrastructure = readInfrastructureConfig(source);
    server = readServerConfig(source);
    config = readServiceConfig(source);
    authConfig = requireAuthConfig(readAuthConfig(source));
    faultSettings = readFaultsConfig(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  const telemetry = createTelemetry(name);
  const auth = createAuth(authConfig);
  const faults = new Faults(faultSettings);
  const bus = await createEventBus(infrastructure, logger);
  const registry = await createRegistry(infrastructure, logger);
  const module = await create({
    config,
    bus: new TracedEventBus(new FaultyEventBus(bus, faults), telemetry),
    registry,
    logger,
    telemetry,
    peerInterceptors: [clientTracingInterceptor(telemetry), auth.peerIdentity(name)],
    faults,
  });
  let running;
  try {
    running = await runService(module, {
      portVariable: `${name.toUpperCase()}_PORT`,
      ...server,
      telemetry,
      deadLetters: bus,
      host: infrastructure.host,
      port: config.port,
      registry,
      logger,
      advertiseAddress: infrastructure.advertiseAddress,
      checkAddress: infrastructure.checkAddress,
      auth: auth.authenticator,
      faults,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  logger.info({ url: running.url }, `${name} listening`);
  stopOnSignals(async () => {
    await running.close();
    await bus.close();
    await registry.close();
    await telemetry.shutdown();
  }, logger);
}
