import { getOption, hasOption, isFieldSet, ScalarType, type DescField } from "@bufbuild/protobuf";
import { field as fieldRulesOption, FieldRulesSchema, type Rule } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { compileCel, type CelType } from "./cel-subset-compiler.js";
import { parseCelSubset } from "./cel-subset-parser.js";

/** A broken rule, as protovalidate's first violation gives it: the field's path, the rule's words, the rule's id. */
export interface RuleViolation {
  path: string;
  message: string;
  ruleId: string;
}

/** The compiled CEL rules of one field: the first one `value` breaks (its path is the field's name), or undefined. */
export type ValueCheck = (value: unknown) => RuleViolation | undefined;

/**
 * What a field's `(buf.validate.field)` option asks, when the fast path can
 * do it: `required`, and the CEL rules compiled to JavaScript. Undefined when
 * the option holds anything else (type rules, `ignore`, `cel_expression`,
 * unknown extensions) or a rule outside the CEL subset; false when the field
 * has no option at all.
 */
export function compileFieldRules(field: DescField, thisType: CelType | undefined): { required: boolean; check: ValueCheck | undefined } | false | undefined {
  if (!hasOption(field, fieldRulesOption)) return false;
  const rules = getOption(field, fieldRulesOption);
  const onlyCelAndRequired =
    rules.type.case === undefined && rules.celExpression.length === 0 && !isFieldSet(rules, FieldRulesSchema.field.ignore) && (rules.$unknown ?? []).length === 0;
  if (!onlyCelAndRequired) return undefined;
  if (rules.cel.length === 0) return { required: rules.required, check: undefined };
  if (thisType === undefined) return undefined;
  const checks: ValueCheck[] = [];
  for (const rule of rules.cel) {
    const check = compileRule(rule, field.name, thisType);
    if (check === undefined) return undefined;
    checks.push(check);
  }
  const [only] = checks;
  const check: ValueCheck =
    checks.length === 1 && only !== undefined
      ? only
      : (value) => {
          for (const each of checks) {
            const violation = each(value);
            if (violation !== undefined) return violation;
          }
          return undefined;
        };
  return { required: rules.required, check };
}

/** One CEL rule as protovalidate reports it: a non-empty string or false breaks it; the rule's `message`, when set, replaces the words. */
function compileRule(rule: Rule, path: string, thisType: CelType): ValueCheck | undefined {
  const tree = parseCelSubset(rule.expression);
  const compiled = tree && compileCel(tree, thisType);
  if (compiled === undefined) return undefined;
  const { evaluate } = compiled;
  const ruleId = rule.id;
  if (compiled.type === "string") {
    return (value) => {
      const result = evaluate(value) as string;
      return result.length === 0 ? undefined : { path, message: rule.message === "" ? result : rule.message, ruleId };
    };
  }
  if (compiled.type === "bool") {
    const message = rule.message === "" ? `"${rule.expression}" returned false` : rule.message;
    return (value) => ((evaluate(value) as boolean) ? undefined : { path, message, ruleId });
  }
  return undefined;
}

/** The CEL type of a scalar field's value, for the scalars the subset handles (64-bit ones as bigint, not as strings). */
export function scalarCelType(field: DescField & { fieldKind: "scalar" }): CelType | undefined {
  switch (field.scalar) {
    case ScalarType.STRING:
      return "string";
    case ScalarType.BOOL:
      return "bool";
    case ScalarType.DOUBLE:
      return "double";
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return "int";
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return field.longAsString ? undefined : "int";
    default:
      return undefined;
  }
}
