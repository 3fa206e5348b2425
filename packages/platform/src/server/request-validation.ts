import { create, type DescMessage, type DescService, type Message } from "@bufbuild/protobuf";
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { ValidationError } from "../errors/index.js";
import type { RuleViolation } from "./validation/field-rules.js";
import { compileMessageCheck } from "./validation/message-checks.js";
import { protovalidateViolation } from "./validation/protovalidate-check.js";

export type { RuleViolation } from "./validation/field-rules.js";
export { compileMessageCheck } from "./validation/message-checks.js";
export { protovalidateViolation } from "./validation/protovalidate-check.js";

/** How a request message type is checked: its rules compiled to JavaScript, or protovalidate for what they cannot do. */
type RequestCheck = (schema: DescMessage, message: Message) => RuleViolation | undefined;

const checks = new Map<DescMessage, RequestCheck>();

/**
 * The check for a message type, made the first time it is asked for. The
 * rules go through protovalidate once first: one that does not compile
 * leaves the type to protovalidate, which reports it on every call as before.
 * The compiled check hands a message of another type to protovalidate too,
 * which refuses it.
 */
function requestCheck(schema: DescMessage): RequestCheck {
  let check = checks.get(schema);
  if (check !== undefined) return check;
  const compiled = protovalidateCompiles(schema) ? compileMessageCheck(schema) : undefined;
  check = compiled === undefined ? protovalidateViolation : (type, message) => (message.$typeName === type.typeName ? compiled(message) : protovalidateViolation(type, message));
  checks.set(schema, check);
  return check;
}

function protovalidateCompiles(schema: DescMessage): boolean {
  try {
    protovalidateViolation(schema, create(schema));
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles the rules of every request message `services` take, once, when
 * a server is built: the first call of a method is then as quick as the
 * rest (the first compilation also sets CEL up, some 100 ms), and a rule that
 * does not compile stops the server from starting, naming its message.
 */
export function compileRequestRules(services: readonly DescService[]): void {
  for (const method of services.flatMap((service) => service.methods)) {
    try {
      protovalidateViolation(method.input, create(method.input));
    } catch (error) {
      throw new Error(`the rules of ${method.input.typeName} do not compile: ${(error as Error).message}`, { cause: error });
    }
    requestCheck(method.input);
  }
}

/**
 * Refuses a request message that breaks its contract's rules, with a
 * ValidationError naming the field by its proto path (`lines[1].quantity`)
 * and the rule's own words (`must be from 1 to 100, is 0`). The rules run as
 * compiled JavaScript where they can (validation/), else through
 * protovalidate; both give the same first violation. A rule that does not
 * compile or fails to evaluate is the contract's bug, not the caller's: its
 * error is thrown as it is and answered INTERNAL.
 */
export function validateRequest(schema: DescMessage, message: Message): void {
  const violation = requestCheck(schema)(schema, message);
  if (violation !== undefined) throw new ValidationError(violation.path, reason(violation));
}

/**
 * The rules in OMS's contracts are CEL expressions that return the reason in
 * the services' own words; the one standard rule they use, `required` on a
 * message field, gets those words here instead of protovalidate's "value is
 * required".
 */
function reason(violation: RuleViolation): string {
  return violation.ruleId === "required" ? "is required" : violation.message;
}

/**
 * Set on a call whose request message could not be decoded, which runs the
 * interceptors (for access, traces and metrics) with an empty message in its
 * place: there is nothing of the caller's to check, and the answer must say
 * why it could not be decoded.
 */
export const undecodableRequest = createContextKey(false, { description: "the request message could not be decoded" });

/**
 * Checks every request message against its contract before the
 * implementation sees it: the unary request, and each message of a client or
 * bidi stream as the implementation reads it (the stream then fails with
 * that message's error).
 */
export const requestValidationInterceptor: Interceptor = (next) => async (request) => {
  const schema = request.method.input;
  if (request.contextValues.get(undecodableRequest)) return next(request);
  if (!request.stream) {
    validateRequest(schema, request.message);
    return next(request);
  }
  return next({ ...request, message: validatedEach(schema, request.message) });
};

async function* validatedEach<T extends Message>(schema: DescMessage, messages: AsyncIterable<T>): AsyncIterable<T> {
  for await (const message of messages) {
    validateRequest(schema, message);
    yield message;
  }
}
