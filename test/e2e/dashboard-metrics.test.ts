import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { demoDishes, eventually, key, orderInStatus, rpc, startSystem } from "./support.js";

const root = join(import.meta.dirname, "../..");
const dashboard = JSON.parse(readFileSync(join(root, "deploy/grafana/dashboards/oms-overview.json"), "utf8"));
const prometheus = parse(readFileSync(join(root, "deploy/prometheus/prometheus.yml"), "utf8"));
const compose = parse(readFileSync(join(root, "compose.yaml"), "utf8"), { merge: true });
const services = ["menu", "stock", "order", "payment", "kitchen"] as const;

/** Every PromQL expression of the dashboard, panels in rows included. */
function expressions(): string[] {
  const panels = (list: any[]): any[] => list.flatMap((panel) => [panel, ...panels(panel.panels ?? [])]);
  return panels(dashboard.panels).flatMap((panel) => (panel.targets ?? []).map((target: { expr: string }) => target.expr));
}

const promqlWords = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "le", "inf", "nan"]);

/** The metric names a PromQL expression reads: what is left once label matchers, ranges, strings, grouping and calls are gone. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
  const names = [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)].filter(([, , call]) => !call).map(([, name]) => name!);
  return names.filter((name) => !promqlWords.has(name.toLowerCase()));
}

/** The label names an expression groups by or matches on. */
function labelNames(expr: string): string[] {
  const grouped = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap(([, list]) => list!.split(","));
  const matched = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap(([, list]) => list!.split(",").map((matcher) => matcher.split(/[!=~]/, 1)[0]!));
  return [...grouped, ...matched].map((name) => name.trim()).filter(Boolean);
}

/** Metric names in Prometheus text format, histograms' and counters' series names included. */
function exposed(text: string): Set<string> {
  return new Set(text.split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(/[{ ]/, 1)[0]!));
}

describe("the dashboard and Prometheus configuration in deploy/", () => {
  let system: RunningSystem;
  const metrics = new Set<string>();
  // Prometheus adds job and instance when it scrapes; le is every histogram bucket's.
  const labels = new Set<string>(["job", "instance", "le"]);

  beforeAll(async () => {
    system = await startSystem();
    // One order to READY, and one refused call, so every kind of series has been recorded once.
    const { body } = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
      customerId: "dashboard",
      idempotencyKey: key("dashboard"),
      lines: [{ itemId: demoDishes[6]!.id, quantity: 1 }],
    });
    const awaiting = await orderInStatus(system, body.order.id, "AWAITING_PAYMENT");
    await fetch(`${awaiting.paymentUrl}/pay`, { method: "POST" });
    await orderInStatus(system, body.order.id, "READY");
    expect((await rpc(system.services.order.url, "oms.order.v1.OrderService/GetOrder", { id: "01NOSUCHORDER0000000000000" })).status).toBe(404);
    await eventually(async () => {
      for (const service of services) {
        const text = await (await fetch(`${system.services[service].url}/metrics`)).text();
        for (const name of exposed(text)) metrics.add(name);
        for (const [, name] of text.matchAll(/[{,]([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(name!);
      }
      return metrics.has("oms_events_queue_depth") && metrics.has("oms_stock_available") ? true : undefined;
    });
  });
  afterAll(async () => {
    await system?.close();
  });

  it("reads the metric names out of PromQL", () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, job) (rate(rpc_server_duration_bucket{a="b"}[$__rate_interval])))')).toEqual(["rpc_server_duration_bucket"]);
    expect(metricNames("bottomk(10, max by (oms_item_id) (oms_stock_available)) / on (x) other_metric")).toEqual(["oms_stock_available", "other_metric"]);
  });

  it("queries only metrics the services really expose", () => {
    const queried = expressions().flatMap(metricNames);
    expect(queried.length).toBeGreaterThan(10);
    expect([...new Set(queried)].filter((name) => !metrics.has(name))).toEqual([]);
    expect([...new Set(expressions().flatMap(labelNames))].filter((name) => !labels.has(name))).toEqual([]);
    // What the issue asks the dashboard for, each at least once.
    for (const name of ["rpc_server_duration_count", "rpc_server_errors_total", "oms_orders", "messaging_client_sent_messages_total", "messaging_client_consumed_messages_total", "oms_events_retried_total", "oms_events_dead_lettered_total", "oms_events_queue_depth", "oms_stock_available"]) {
      expect(queried, name).toContain(name);
    }
  });

  it("has Prometheus scrape every service where compose runs it, and Grafana provisioned with both", () => {
    const targets = prometheus.scrape_configs.map((job: any) => [job.job_name, job.metrics_path ?? "/metrics", job.static_configs.flatMap((config: any) => config.targets)]);
    expect(targets).toEqual(services.map((service) => [service, "/metrics", [`${service}:${compose.services[service].environment[`${service.toUpperCase()}_PORT`]}`]]));
    expect(compose.services.prometheus.volumes).toContain("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    expect(compose.services.grafana.volumes).toEqual(["./deploy/grafana/provisioning:/etc/grafana/provisioning:ro", "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro"]);
    const datasource = parse(readFileSync(join(root, "deploy/grafana/provisioning/datasources/prometheus.yaml"), "utf8")).datasources[0];
    expect(datasource.url).toBe(`http://prometheus:${compose.services.prometheus.ports[0].split(":")[1]}`);
    const panels = JSON.stringify(dashboard.panels);
    expect(panels.match(/"uid": ?"([^"]+)"/g)?.every((uid) => uid.includes(datasource.uid))).toBe(true);
  });
});
