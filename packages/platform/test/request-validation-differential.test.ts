import { getOption, hasOption, type DescMessage, type DescService, type Message } from "@bufbuild/protobuf";
import { field as fieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { FaultService } from "@oms/contracts/admin/v1/faults";
import { KitchenService } from "@oms/contracts/kitchen/v1/kitchen";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService } from "@oms/contracts/order/v1/order";
import { PaymentService } from "@oms/contracts/payment/v1/payment";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { compileMessageCheck, protovalidateViolation } from "@oms/platform/server";
import { describe, expect, it } from "vitest";
import { outcome } from "./support/check-outcome.js";
import { oneFieldVariants, randomMessage, seededRandom } from "./support/validation-inputs.js";

const services: DescService[] = [MenuService, StockService, OrderService, PaymentService, KitchenService, DeadLetterService, FaultService];
const requestTypes = [...new Set(services.flatMap((service) => service.methods.map((method) => method.input)))];

/** Random messages, then every field's edge values one at a time from a message protovalidate accepts (when one turns up). */
function inputs(schema: DescMessage, seed: number): Message[] {
  const random = seededRandom(seed);
  const messages = Array.from({ length: 400 }, () => randomMessage(schema, random));
  let valid: Message | undefined;
  for (let attempt = 0; attempt < 5000 && valid === undefined; attempt++) {
    const candidate = randomMessage(schema, random);
    if (protovalidateViolation(schema, candidate) === undefined) valid = candidate;
  }
  return valid === undefined ? messages : [...messages, valid, ...oneFieldVariants(schema, valid, random)];
}

describe("the compiled request rules, against protovalidate", () => {
  it.each(requestTypes.map((schema) => [schema.typeName, schema] as const))("%s: the same first violation (path, words, rule) for every generated message", (_name, schema) => {
    const compiled = compileMessageCheck(schema);
    expect(compiled, "compiled, not left to protovalidate").toBeDefined();
    if (compiled === undefined) return;
    const messages = inputs(schema, 16);
    const outcomes = { passes: 0, violations: new Set<string>() };
    for (const message of messages) {
      const expected = outcome(() => protovalidateViolation(schema, message));
      expect(outcome(() => compiled(message)), JSON.stringify(message, (_key, value: unknown) => (typeof value === "bigint" ? `${value}n` : value))).toEqual(expected);
      if ("passes" in expected) outcomes.passes++;
      if ("path" in expected) outcomes.violations.add(`${expected.path}: ${expected.message}`);
    }
    expect(outcomes.passes, "some messages keep every rule").toBeGreaterThan(0);
    expect(outcomes.violations.size, "the rules are met").toBeGreaterThanOrEqual(rulesOf(schema).size > 0 ? 1 : 0);
  });

  it("break every rule of every request message (the inputs reach them all)", () => {
    for (const schema of requestTypes) {
      const broken = new Set<string>();
      for (const message of inputs(schema, 16)) {
        const violation = protovalidateViolation(schema, message);
        if (violation !== undefined) broken.add(`${violation.path.replace(/\[\d+\]/g, "[]")} ${violation.ruleId}`);
      }
      expect([...broken].sort(), schema.typeName).toEqual([...rulesOf(schema)].sort());
    }
  });
});

/** Every rule in a request message and the messages in it, as `path rule-id` (`lines[].quantity quantity`). */
function rulesOf(schema: DescMessage, prefix = ""): Set<string> {
  const rules = new Set<string>();
  for (const field of schema.fields) {
    const path = `${prefix}${field.name}`;
    if (hasOption(field, fieldRules)) {
      const { cel, required } = getOption(field, fieldRules);
      for (const rule of cel) rules.add(`${path} ${rule.id}`);
      if (required) rules.add(`${path} required`);
    }
    if (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")) {
      for (const rule of rulesOf(field.message, `${path}${field.fieldKind === "list" ? "[]" : ""}.`)) rules.add(rule);
    }
  }
  return rules;
}
