import { hasOption, isFieldSet, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { DurationSchema, FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { message as messageRulesOption, oneof as oneofRulesOption } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { CelType } from "./cel-subset-compiler.js";
import { compileFieldRules, scalarCelType, type RuleViolation, type ValueCheck } from "./field-rules.js";

/** The first rule a message breaks, protovalidate's way, or undefined when it keeps them all. */
export type MessageCheck = (message: Message) => RuleViolation | undefined;

/** A message type whose rules are all outside the fast path's reach, or recursive. */
class Unsupported extends Error {}

/**
 * Compiles a message's `buf.validate` rules, and those of the messages in
 * it, into plain JavaScript that answers exactly as protovalidate (fail fast)
 * does: fields in declaration order; per field `required`, then its CEL
 * rules in order, then the rules inside a set message or each listed one;
 * the same path and words. Undefined when any rule in the tree is outside
 * what it handles (message or oneof rules, standard type rules, CEL outside
 * the subset, maps or oneofs with rules, recursive types): protovalidate
 * then checks that message.
 */
export function compileMessageCheck(schema: DescMessage): MessageCheck | undefined {
  try {
    return messageCheck(schema, new Set()) ?? (() => undefined);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

type FieldCheck = (message: Record<string, unknown>) => RuleViolation | undefined;

/** The message's check, or undefined when nothing in it has rules. */
function messageCheck(schema: DescMessage, compiling: Set<DescMessage>): MessageCheck | undefined {
  if (compiling.has(schema) || hasOption(schema, messageRulesOption)) throw new Unsupported();
  compiling.add(schema);
  const checks = schema.fields.map((field) => fieldCheck(field, compiling)).filter((check) => check !== undefined);
  compiling.delete(schema);
  if (schema.oneofs.length > 0 && (checks.length > 0 || schema.oneofs.some((oneof) => hasOption(oneof, oneofRulesOption)))) throw new Unsupported();
  if (checks.length === 0) return undefined;
  return (message) => {
    for (const check of checks) {
      const violation = check(message);
      if (violation !== undefined) return violation;
    }
    return undefined;
  };
}

function fieldCheck(field: DescField, compiling: Set<DescMessage>): FieldCheck | undefined {
  const rules = compileFieldRules(field, celTypeOf(field));
  if (rules === undefined) throw new Unsupported();
  const { required, check } = rules === false ? { required: false, check: undefined } : rules;
  const inner = innerCheck(field, compiling);
  if (!required && check === undefined && inner === undefined) return undefined;
  const name = field.localName;
  const alwaysChecked = field.fieldKind === "list" || ((field.fieldKind === "scalar" || field.fieldKind === "enum") && field.presence === FeatureSet_FieldPresence.IMPLICIT);
  return (message) => {
    const set = alwaysChecked && !required ? true : isFieldSet(message as unknown as Message, field);
    if (!set) return required ? { path: field.name, message: "value is required", ruleId: "required" } : undefined;
    const value = message[name];
    return check?.(value) ?? inner?.(value);
  };
}

/** What `this` is in the field's CEL rules; undefined for the kinds the subset does not handle. */
function celTypeOf(field: DescField): CelType | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return scalarCelType(field);
    case "enum":
      return "int";
    case "list":
      return "list";
    case "message":
      return field.message.typeName === DurationSchema.typeName ? "duration" : undefined;
    case "map":
      return undefined;
  }
}

/** The rules inside a message field's value, or inside each message of a list, prefixed with the field's path. */
function innerCheck(field: DescField, compiling: Set<DescMessage>): ValueCheck | undefined {
  if (field.fieldKind === "message") {
    const check = messageCheck(field.message, compiling);
    if (check === undefined) return undefined;
    return (value) => nested(field.name, check(value as Message));
  }
  if (field.fieldKind === "list" && field.listKind === "message") {
    const check = messageCheck(field.message, compiling);
    if (check === undefined) return undefined;
    return (value) => {
      const items = value as readonly Message[];
      for (let index = 0; index < items.length; index++) {
        const violation = check(items[index] as Message);
        if (violation !== undefined) return nested(`${field.name}[${String(index)}]`, violation);
      }
      return undefined;
    };
  }
  if (field.fieldKind === "map" && field.mapKind === "message" && messageCheck(field.message, compiling) !== undefined) throw new Unsupported();
  return undefined;
}

function nested(prefix: string, violation: RuleViolation | undefined): RuleViolation | undefined {
  return violation && { ...violation, path: `${prefix}.${violation.path}` };
}
