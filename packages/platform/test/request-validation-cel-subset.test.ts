import { create, type DescMessage } from "@bufbuild/protobuf";
import { Ignore } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { compileMessageCheck, protovalidateViolation } from "@oms/platform/server";
import { describe, expect, it } from "vitest";
import { probeSchema, type ProbeField } from "./support/probe-schema.js";
import { outcome } from "./support/check-outcome.js";
import { edgeValues, seededRandom } from "./support/validation-inputs.js";

/** Every edge value of the probe's field, each in a message of its own. */
function probes(schema: DescMessage, on: ProbeField) {
  const field = schema.fields.find((candidate) => candidate.name === on);
  if (field === undefined) throw new Error(`no field ${on}`);
  return edgeValues(field, seededRandom(5), 0).map((value) => create(schema, { [field.localName]: value }));
}

describe("CEL rules beyond the contracts' own, compiled, against protovalidate", () => {
  it.each<[ProbeField, string, string?]>([
    ["text", "this.trim() == '' ? 'blank' : ''"],
    ["text", "size(this) > 3"],
    ["text", "this.size() < 2 ? 'short, ' + string(this.size()) : ''"],
    ["text", "this in ['a', 'EUR'] ? '' : 'not a or EUR: ' + this"],
    ["text", "this != 'EUR' && !(this == '')"],
    ["text", "this.matches('^[a-c]+$') || this.matches('[0-9]{2,3}')"],
    ["text", "string(size(this)) + ' characters'"],
    ["text", 'size(this.trim()) <= 80 ? "" : "too long"'],
    ["text", "size(this) > 3", "at most 3, said the rule's message"],
    ["count", "this < 0 || this > 100 ? 'bad ' + string(this) : ''"],
    ["count", "this in [1, 2, 3,]"],
    ["count", "this == -5 ? 'minus five' : ''"],
    ["count", "!(this >= 10) && (true || false)"],
    ["big", "this < 0 ? 'negative' : ''"],
    ["big", "this > 9007199254740991 ? 'big ' + string(this) : ''"],
    ["big", "this in [0, 1, 950]"],
    ["rate", "this >= 0.0 && this <= 1.0 ? '' : 'is ' + string(this)"],
    ["rate", "this == 0.5"],
    ["rate", "this != this ? 'not a number' : ''"],
    ["rate", "this < -1.5 || this > 1.5"],
    ["flag", "this ? 'on' : ''"],
    ["flag", "this == true"],
    ["color", "this in [0, 1] ? '' : 'unknown ' + string(this)"],
    ["tags", "size(this) > 2 ? 'many: ' + string(size(this)) : ''"],
    ["delay", "this > duration('1s') ? 'long' : ''"],
    ["delay", "this >= duration('0s') && this <= duration('90m')"],
    ["delay", "this < duration('1500ms') || this == this"],
  ])("%s: %s", (on, expression, message = "") => {
    const schema = probeSchema(on, { cel: [{ id: "probe", expression, message }] });
    const compiled = compileMessageCheck(schema);
    if (expression.includes("this == this")) {
      expect(compiled, "duration equality is left to protovalidate").toBeUndefined();
      return;
    }
    expect(compiled).toBeDefined();
    for (const probe of probes(schema, on)) expect(outcome(() => compiled?.(probe))).toEqual(outcome(() => protovalidateViolation(schema, probe)));
  });

  it("reports the first of several rules on a field, in order", () => {
    const schema = probeSchema("text", {
      cel: [
        { id: "first", expression: "size(this) > 3 ? 'too long' : ''" },
        { id: "second", expression: "this == '' ? 'empty' : ''" },
      ],
    });
    for (const probe of probes(schema, "text")) expect(outcome(() => compileMessageCheck(schema)?.(probe))).toEqual(outcome(() => protovalidateViolation(schema, probe)));
  });
});

describe("rules the compiled subset leaves to protovalidate", () => {
  it.each<[ProbeField, string]>([
    ["text", "this.startsWith('a') ? '' : 'no'"],
    ["text", "this < 'b'"],
    ["text", "this.matches('a.b')"],
    ["text", String.raw`this.matches('^\\d$')`],
    ["text", String.raw`this == 'it\'s'`],
    ["text", "this == r'raw'"],
    ["text", "matches(this, '^a$')"],
    ["text", "size(this)"],
    ["text", "size(this,) > 1"],
    ["text", "this.trim() // a comment"],
    ["count", "size(this) + 1 > 3"],
    ["count", "this == 1.0"],
    ["count", "0 < this < 3"],
    ["count", "this > 0x10"],
    ["count", "this > 010"],
    ["count", "this.trim() == ''"],
    ["big", "this > 1u"],
    ["rate", "this > 1e3"],
    ["unsigned", "this > 0u"],
    ["delay", "this < duration('1.5s')"],
    ["delay", "this < now"],
    ["text", "has(this.x)"],
    ["text", "rules.min_len > 0"],
  ])("%s: %s", (on, expression) => {
    expect(compileMessageCheck(probeSchema(on, { cel: [{ id: "probe", expression }] }))).toBeUndefined();
  });

  it("standard rules, ignore, cel_expression and message rules", () => {
    expect(compileMessageCheck(probeSchema("text", { type: { case: "string", value: { minLen: 1n } } }))).toBeUndefined();
    expect(compileMessageCheck(probeSchema("text", { ignore: Ignore.ALWAYS, cel: [{ id: "probe", expression: "this == ''" }] }))).toBeUndefined();
    expect(compileMessageCheck(probeSchema("text", { celExpression: ["this == ''"] }))).toBeUndefined();
    expect(compileMessageCheck(probeSchema("text", {}, { cel: [{ id: "probe", expression: "this.text == ''" }] }))).toBeUndefined();
  });

  it("compiles a message with no rules to a check that passes everything", () => {
    const schema = probeSchema("text", {});
    expect(compileMessageCheck(schema)?.(create(schema))).toBeUndefined();
  });
});
