import type { Logger } from "../logging.js";
import type { ServiceInstance, ServiceRegistry } from "./registry.js";
import { HealthWatch } from "./consul-health-watch.js";

export interface ConsulRegistryOptions {
  /** The Consul agent's HTTP API, e.g. http://127.0.0.1:8500 (CONSUL_HTTP_ADDR). */
  url: string;
  logger?: Logger;
  /** How often Consul polls each instance's health check URL. */
  checkInterval?: string;
  /** Consul drops an instance whose check stayed critical this long (a crashed process never deregisters). */
  deregisterCriticalAfter?: string;
  /** Longest a blocking query waits for a change before Consul answers anyway. */
  watchWait?: string;
  /** ACL token (CONSUL_HTTP_TOKEN). */
  token?: string;
}

/**
 * The registry on Consul's HTTP API: agent service registration with an HTTP
 * health check, and client-side discovery of passing instances only, kept
 * current with blocking queries on /v1/health/service/:name and spread
 * round-robin.
 */
export class ConsulRegistry implements ServiceRegistry {
  private readonly watches = new Map<string, HealthWatch>();
  private readonly turns = new Map<string, number>();

  constructor(private readonly options: ConsulRegistryOptions) {}

  async register(instance: ServiceInstance): Promise<void> {
    const body = {
      ID: instance.id,
      Name: instance.name,
      Address: instance.address,
      Port: instance.port,
      Tags: instance.tags ?? [],
      ...(instance.healthCheckUrl && {
        Check: {
          HTTP: instance.healthCheckUrl,
          Interval: this.options.checkInterval ?? "5s",
          Timeout: "2s",
          DeregisterCriticalServiceAfter: this.options.deregisterCriticalAfter ?? "1m",
          // Registration comes after the instance serves and its work started: peers may call it at once,
          // not only after the first check (Consul's default status is critical).
          Status: "passing",
        },
      }),
    };
    await this.request("PUT", "/v1/agent/service/register", body);
    this.options.logger?.info({ id: instance.id }, "registered with consul");
  }

  async deregister(instanceId: string): Promise<void> {
    await this.request("PUT", `/v1/agent/service/deregister/${encodeURIComponent(instanceId)}`);
  }

  async lookup(name: string): Promise<string[]> {
    let watch = this.watches.get(name);
    if (!watch) {
      watch = new HealthWatch(name, {
        url: this.options.url,
        wait: this.options.watchWait ?? "30s",
        headers: this.headers(),
        logger: this.options.logger,
      });
      this.watches.set(name, watch);
    }
    const urls = await watch.current();
    if (urls.length < 2) return urls;
    const turn = this.turns.get(name) ?? 0;
    this.turns.set(name, turn + 1);
    const start = turn % urls.length;
    return [...urls.slice(start), ...urls.slice(0, start)];
  }

  async close(): Promise<void> {
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
  }

  private headers(): Record<string, string> {
    return this.options.token ? { "x-consul-token": this.options.token } : {};
  }

  private async request(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(new URL(path, this.options.url), {
      method,
      headers: { "content-type": "application/json", ...this.headers() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`consul ${method} ${path}: ${response.status} ${await response.text()}`);
  }
}
