import type { Logger } from "../logging.js";

/** One entry of GET /v1/health/service/:name, the fields used here. */
interface HealthEntry {
  Node: { Address: string };
  Service: { ID: string; Address: string; Port: number };
}

export interface HealthWatchOptions {
  url: string;
  wait: string;
  headers: Record<string, string>;
  logger?: Logger;
}

/**
 * Keeps the passing instances of one service current: a first query, then a
 * loop of blocking queries (`index` = the last X-Consul-Index) that return as
 * soon as the set changes. Errors back off, growing to 10 s, and keep the last
 * known set, so a Consul hiccup does not empty the list of peers.
 */
export class HealthWatch {
  private urls: string[] = [];
  private index = "0";
  private readonly first: Promise<void>;
  private readonly abort = new AbortController();

  constructor(
    private readonly name: string,
    private readonly options: HealthWatchOptions,
  ) {
    this.first = this.poll(false);
    void this.first.then(() => this.loop(), () => this.loop());
  }

  /** The passing instances' base URLs; the first call waits for the first answer. */
  async current(): Promise<string[]> {
    await this.first.catch(() => undefined);
    return [...this.urls];
  }

  stop(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (!this.abort.signal.aborted) {
      try {
        const before = this.index;
        await this.poll(true);
        backoff = 100;
        // Consul's advice for blocking queries: rate-limit when an answer brought no change.
        if (this.index === before) await new Promise((resolve) => setTimeout(resolve, 250).unref());
      } catch (error) {
        // close() may have aborted while the query was awaited.
        if (this.abort.signal.aborted) return;
        this.options.logger?.warn({ err: error, service: this.name }, "consul watch failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, backoff).unref());
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private async poll(blocking: boolean): Promise<void> {
    const url = new URL(`/v1/health/service/${encodeURIComponent(this.name)}`, this.options.url);
    url.searchParams.set("passing", "true");
    if (blocking) {
      url.searchParams.set("index", this.index);
      url.searchParams.set("wait", this.options.wait);
    }
    const response = await fetch(url, { headers: this.options.headers, signal: this.abort.signal });
    if (!response.ok) throw new Error(`consul health ${this.name}: ${response.status}`);
    const entries = (await response.json()) as HealthEntry[];
    const index = response.headers.get("x-consul-index") ?? "0";
    // Consul's advice: an index that goes backwards means reset to 0.
    this.index = Number(index) < Number(this.index) ? "0" : index;
    this.urls = entries.map((entry) => `http://${entry.Service.Address || entry.Node.Address}:${entry.Service.Port}`);
  }
}
