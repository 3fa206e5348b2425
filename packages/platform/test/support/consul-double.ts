import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for a Consul agent's HTTP API, following the documented request
 * and response shapes of the endpoints OMS uses (no Consul build installs on
 * these machines): PUT /v1/agent/service/register (with an HTTP check it runs),
 * PUT /v1/agent/service/deregister/:id, and GET /v1/health/service/:name with
 * `passing` and blocking queries (`index`, `wait`, X-Consul-Index).
 */
export class ConsulDouble {
  readonly services = new Map<string, { ID: string; Service: string; Address: string; Port: number; Tags: string[]; status: string; check?: string }>();
  readonly requests: Array<{ method: string; path: string; query: URLSearchParams; body?: unknown }> = [];
  private index = 1;
  private waiters: Array<() => void> = [];
  private readonly server: Server = createServer((request, response) => void this.handle(request, response));
  private timer: NodeJS.Timeout | undefined;
  url = "";

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.timer = setInterval(() => void this.runChecks(), 100);
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const wake of this.waiters.splice(0)) wake();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Runs every registered HTTP check once, as the agent does on its interval. */
  async runChecks(): Promise<void> {
    for (const service of this.services.values()) {
      if (!service.check) continue;
      const status = await fetch(service.check, { signal: AbortSignal.timeout(1000) })
        .then((response) => (response.ok ? "passing" : "critical"))
        .catch(() => "critical");
      if (status !== service.status) {
        service.status = status;
        this.changed();
      }
    }
  }

  private changed(): void {
    this.index++;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    this.requests.push({ method: request.method ?? "", path: url.pathname, query: url.searchParams, body });

    if (request.method === "PUT" && url.pathname === "/v1/agent/service/register") {
      const check = body.Check?.HTTP as string | undefined;
      this.services.set(body.ID, { ID: body.ID, Service: body.Name, Address: body.Address, Port: body.Port, Tags: body.Tags ?? [], status: check ? "critical" : "passing", check });
      this.changed();
      void this.runChecks();
      return void response.end();
    }
    const deregister = /^\/v1\/agent\/service\/deregister\/(.+)$/.exec(url.pathname);
    if (request.method === "PUT" && deregister) {
      if (!this.services.delete(decodeURIComponent(deregister[1]!))) {
        response.statusCode = 404;
        return void response.end("Unknown service ID");
      }
      this.changed();
      return void response.end();
    }
    const health = /^\/v1\/health\/service\/(.+)$/.exec(url.pathname);
    if (request.method === "GET" && health) {
      const asked = Number(url.searchParams.get("index") ?? "0");
      if (asked > 0 && asked >= this.index) {
        const waitMs = parseDuration(url.searchParams.get("wait") ?? "300s");
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const passingOnly = url.searchParams.has("passing");
      const entries = [...this.services.values()]
        .filter((service) => service.Service === decodeURIComponent(health[1]!) && (!passingOnly || service.status === "passing"))
        .map((service) => ({
          Node: { ID: "node-1", Node: "double", Address: "127.0.0.1", Datacenter: "dc1" },
          Service: { ID: service.ID, Service: service.Service, Tags: service.Tags, Address: service.Address, Port: service.Port },
          Checks: [{ Node: "double", CheckID: `service:${service.ID}`, Status: service.status, ServiceID: service.ID }],
        }));
      response.setHeader("content-type", "application/json");
      response.setHeader("x-consul-index", String(this.index));
      return void response.end(JSON.stringify(entries));
    }
    response.statusCode = 404;
    response.end("not found");
  }
}

function parseDuration(value: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(value);
  if (!match) return 300_000;
  return Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[match[2] ?? "s"]!;
}
