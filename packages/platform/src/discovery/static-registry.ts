import type { ServiceInstance, ServiceRegistry } from "./registry.js";

/**
 * Fixed addresses, e.g. `{ menu: ["http://127.0.0.1:8081"] }`. Instances that
 * register are added, so a service started on a free port (port 0) is still
 * found. Lookups rotate through the addresses for a round-robin spread.
 */
export class StaticRegistry implements ServiceRegistry {
  private readonly addresses = new Map<string, string[]>();
  private readonly registered = new Map<string, { name: string; url: string }>();
  private turn = 0;

  constructor(addresses: Record<string, readonly string[]> = {}) {
    for (const [name, urls] of Object.entries(addresses)) this.addresses.set(name, [...urls]);
  }

  async register(instance: ServiceInstance): Promise<void> {
    const url = `http://${instance.address}:${instance.port}`;
    this.registered.set(instance.id, { name: instance.name, url });
    const urls = this.addresses.get(instance.name) ?? [];
    if (!urls.includes(url)) this.addresses.set(instance.name, [...urls, url]);
  }

  async deregister(instanceId: string): Promise<void> {
    const entry = this.registered.get(instanceId);
    if (!entry) return;
    this.registered.delete(instanceId);
    const urls = (this.addresses.get(entry.name) ?? []).filter((url) => url !== entry.url);
    this.addresses.set(entry.name, urls);
  }

  async lookup(name: string): Promise<string[]> {
    const urls = this.addresses.get(name) ?? [];
    if (urls.length < 2) return [...urls];
    const start = this.turn++ % urls.length;
    return [...urls.slice(start), ...urls.slice(0, start)];
  }

  async close(): Promise<void> {}
}
