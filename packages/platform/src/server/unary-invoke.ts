import { create, isMessage, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { HandlerContext, Interceptor, UnaryRequest, UnaryResponse } from "@connectrpc/connect";
import { chainInterceptors, type UnaryFn } from "../interceptor-chain.js";
import type { ResponseMetadata } from "./unary-call-context.js";
import type { UnaryImplSpec } from "./unary-methods.js";

/**
 * Runs a unary implementation through the interceptors, as connect-es's
 * invokeUnaryImplementation does (the same request and response objects, the
 * implementation given a context merged from the request), except that the
 * response headers stay unmade unless an interceptor or the implementation
 * asks for them: connect-es reads them into every response and copies them
 * back after every call.
 */
export async function invokeUnary(spec: UnaryImplSpec, context: HandlerContext, metadata: ResponseMetadata, input: Message, interceptors: readonly Interceptor[]): Promise<Message> {
  const implementation: UnaryFn = async (request) => {
    const output: unknown = await spec.impl(request.message, new ImplementationContext(context, request));
    return new ImplementationResponse(spec, metadata, normalized(spec.method.output, output));
  };
  const request: UnaryRequest = {
    stream: false,
    service: spec.method.parent,
    method: spec.method,
    requestMethod: context.requestMethod,
    url: context.url,
    signal: context.signal,
    header: context.requestHeader,
    contextValues: context.values,
    message: input,
  };
  const response = await chainInterceptors(implementation, interceptors)(request);
  // An interceptor answered with headers of its own: they are the call's, as connect-es copies them.
  if (!(response instanceof ImplementationResponse && response.metadata === metadata)) {
    copyHeaders(response.header, metadata.header);
    copyHeaders(response.trailer, metadata.trailer);
  }
  return response.message;
}

/**
 * The implementation's answer as the interceptors see it, its headers made
 * only when asked for. Classes here and below, not object literals: a
 * literal with getters is built through the V8 runtime on every call
 * (unary-call-context.ts).
 */
class ImplementationResponse implements UnaryResponse {
  readonly stream = false;
  readonly service: UnaryResponse["service"];
  readonly method: UnaryResponse["method"];

  constructor(spec: UnaryImplSpec, readonly metadata: ResponseMetadata, readonly message: Message) {
    this.service = spec.method.parent;
    this.method = spec.method;
  }

  get header(): Headers {
    return this.metadata.header;
  }

  get trailer(): Headers {
    return this.metadata.trailer;
  }
}

/** The context the implementation sees: the call's, with what the interceptors passed on in the request. */
class ImplementationContext implements HandlerContext {
  readonly method: HandlerContext["method"];
  readonly service: HandlerContext["service"];
  readonly requestMethod: string;
  readonly protocolName: string;
  readonly url: string;
  readonly timeoutMs: HandlerContext["timeoutMs"];
  readonly signal: AbortSignal;
  readonly requestHeader: Headers;
  readonly values: HandlerContext["values"];

  constructor(private readonly call: HandlerContext, request: UnaryRequest) {
    this.method = call.method;
    this.service = request.service;
    this.requestMethod = call.requestMethod;
    this.protocolName = call.protocolName;
    this.url = call.url;
    // The call's own function (detached use works).
    this.timeoutMs = call.timeoutMs;
    this.signal = request.signal;
    this.requestHeader = request.header;
    this.values = request.contextValues;
  }

  get responseHeader(): Headers {
    return this.call.responseHeader;
  }

  get responseTrailer(): Headers {
    return this.call.responseTrailer;
  }
}

/** An implementation may return a message or its init shape, as connect-es allows. */
function normalized(schema: DescMessage, output: unknown): Message {
  return isMessage(output, schema) ? output : create(schema, output as never);
}

/** Replaces `to`'s headers with `from`'s, as connect-es does when an interceptor answers with headers of its own. */
export function copyHeaders(from: Headers, to: Headers): void {
  if (from === to) return;
  for (const name of [...to.keys()]) to.delete(name);
  from.forEach((value, name) => to.set(name, value));
}
