import { create, type DescMessage, type DescService, type Message } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator, type Violation } from "@bufbuild/protovalidate";
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { ValidationError } from "../errors/index.js";

/**
 * One validator for the process. It compiles a message's `buf.validate`
 * rules (their CEL included) the first time it sees the message's schema and
 * keeps the plan per schema, so every later call only evaluates. Fail fast:
 * the caller is told about the first bad field, as a hand-written check would.
 */
const validator = createValidator({ failFast: true });

/**
 * Compiles the rules of every request message `services` take, once, when
 * a server is built: the first call of a method is then as quick as the
 * rest (the first compilation also sets CEL up, some 100 ms), and a rule that
 * does not compile stops the server from starting, naming its message.
 */
export function compileRequestRules(services: readonly DescService[]): void {
  for (const method of services.flatMap((service) => service.methods)) {
    const result = validator.validate(method.input, create(method.input));
    if (result.kind === "error") throw new Error(`the rules of ${method.input.typeName} do not compile: ${result.error.message}`, { cause: result.error });
  }
}

/**
 * Refuses a request message that breaks its contract's rules, with a
 * ValidationError naming the field by its proto path (`lines[1].quantity`)
 * and the rule's own words (`must be from 1 to 100, is 0`). A rule that
 * does not compile or fails to evaluate is the contract's bug, not the
 * caller's: its error is thrown as it is and answered INTERNAL.
 */
export function validateRequest(schema: DescMessage, message: Message): void {
  const result = validator.validate(schema, message);
  if (result.kind === "valid") return;
  if (result.kind === "error") throw result.error;
  const [first] = result.violations;
  if (first === undefined) return;
  throw new ValidationError(pathToString(first.field), reason(first));
}

/**
 * The rules in OMS's contracts are CEL expressions that return the reason in
 * the services' own words; the one standard rule they use, `required` on a
 * message field, gets those words here instead of protovalidate's "value is
 * required".
 */
function reason(violation: Violation): string {
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
