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
  const ours = new WeakSet<UnaryResponse>();
  const implementation: UnaryFn = async (request) => {
    const output: unknown = await spec.impl(request.message, implementationContext(context, request));
    const response = responseOf(spec, metadata, normalized(spec.method.output, output));
    ours.add(response);
    return response;
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
  if (!ours.has(response)) {
    copyHeaders(response.header, metadata.header);
    copyHeaders(response.trailer, metadata.trailer);
  }
  return response.message;
}

function responseOf(spec: UnaryImplSpec, metadata: ResponseMetadata, message: Message): UnaryResponse {
  return {
    stream: false,
    service: spec.method.parent,
    method: spec.method,
    message,
    get header() {
      return metadata.header;
    },
    get trailer() {
      return metadata.trailer;
    },
  };
}

/** The context the implementation sees: the call's, with what the interceptors passed on in the request. */
function implementationContext(context: HandlerContext, request: UnaryRequest): HandlerContext {
  return {
    method: context.method,
    service: request.service,
    requestMethod: context.requestMethod,
    protocolName: context.protocolName,
    url: context.url,
    timeoutMs: context.timeoutMs,
    signal: request.signal,
    requestHeader: request.header,
    values: request.contextValues,
    get responseHeader() {
      return context.responseHeader;
    },
    get responseTrailer() {
      return context.responseTrailer;
    },
  };
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
