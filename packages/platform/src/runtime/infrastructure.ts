import { env, readConfig, type Env } from "../config/index.js";
import { StaticRegistry, type ServiceRegistry } from "../discovery/index.js";
import { MemoryEventBus, type EventBus } from "../events/index.js";
import type { Logger } from "../logging.js";

const peers = ["menu", "stock", "order", "payment", "kitchen"] as const;
const defaultPorts: Record<(typeof peers)[number], number> = { menu: 8081, stock: 8082, order: 8083, payment: 8084, kitchen: 8085 };

/** What a standalone service process reads to choose its infrastructure adapters. */
export function readInfrastructureConfig(source: Env) {
  return readConfig(
    {
      host: env.string("HOST", "127.0.0.1"),
      amqpUrl: env.url("AMQP_URL", ["amqp", "amqps"]),
      consulUrl: env.url("CONSUL_HTTP_ADDR", ["http", "https"]),
      /** The address peers and Consul reach this instance at (defaults to HOST, or 127.0.0.1 when HOST is 0.0.0.0). */
      advertiseAddress: env.string("SERVICE_ADDRESS"),
      /** The address Consul health-checks this instance at, when it cannot use the one peers use (Consul in a container, services on the host). */
      checkAddress: env.string("SERVICE_CHECK_ADDRESS"),
      ...Object.fromEntries(peers.map((name) => [`${name}Url`, env.url(`${name.toUpperCase()}_URL`, ["http", "https"])])),
    },
    source,
  ) as {
    host: string;
    amqpUrl?: string;
    consulUrl?: string;
    advertiseAddress?: string;
    checkAddress?: string;
  } & Partial<Record<`${(typeof peers)[number]}Url`, string>>;
}

export type InfrastructureConfig = ReturnType<typeof readInfrastructureConfig>;

/** RabbitMQ when AMQP_URL is set, else an in-process bus (events then stay inside this process). */
export async function createEventBus(config: InfrastructureConfig, logger: Logger): Promise<EventBus> {
  if (config.amqpUrl) {
    const { RabbitMqEventBus } = await import("../events/rabbitmq-bus.js");
    return new RabbitMqEventBus({ url: config.amqpUrl, logger });
  }
  logger.warn("AMQP_URL is not set: events stay inside this process (fine for the all-in-one, not for separate processes)");
  return new MemoryEventBus();
}

/** Consul when CONSUL_HTTP_ADDR is set, else fixed peer addresses from MENU_URL, STOCK_URL, ... (default ports on this host). */
export async function createRegistry(config: InfrastructureConfig, logger: Logger): Promise<ServiceRegistry> {
  if (config.consulUrl) {
    const { ConsulRegistry } = await import("../discovery/consul-registry.js");
    return new ConsulRegistry({ url: config.consulUrl, logger });
  }
  const addresses = Object.fromEntries(peers.map((name) => [name, [config[`${name}Url`] ?? `http://127.0.0.1:${defaultPorts[name]}`]]));
  return new StaticRegistry(addresses);
}
