import type { DescMessage, Message } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import type { RuleViolation } from "./field-rules.js";

/**
 * One validator for the process. It compiles a message's `buf.validate`
 * rules (their CEL included) the first time it sees the message's schema and
 * keeps the plan per schema, so every later call only evaluates. Fail fast:
 * the caller is told about the first bad field, as a hand-written check would.
 */
const validator = createValidator({ failFast: true });

/**
 * The first rule `message` breaks, as protovalidate evaluates it: every rule
 * CEL can state, at CEL's cost. A rule that does not compile or fails to
 * evaluate is thrown as protovalidate reports it.
 */
export function protovalidateViolation(schema: DescMessage, message: Message): RuleViolation | undefined {
  const result = validator.validate(schema, message);
  if (result.kind === "valid") return undefined;
  if (result.kind === "error") throw result.error;
  const [first] = result.violations;
  return first && { path: pathToString(first.field), message: first.message, ruleId: first.ruleId };
}
