import type { ServerResponse } from "node:http";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { createMethodSerializationLookup, type UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import { isParseFailure } from "./connect-decode-errors.js";
import { nodeHeaders, type NodeRequest, type NodeResponse } from "./node-messages.js";
import { readBody } from "./read-body.js";
import { undecodableRequest } from "./request-validation.js";
import { unaryCallContext, type ResponseMetadata } from "./unary-call-context.js";
import { invokeUnary } from "./unary-invoke.js";
import type { UnaryImplSpec } from "./unary-methods.js";
import { asConnectError, connectUnaryWire, grpcUnaryWire, type NodeHeaderRecord, type UnaryCall, type WireAnswer } from "./unary-wire.js";

/** Serves the call from the body read so far (the rest still in the request): Connect's own handler. */
export type Fallback = (bodyRead: Buffer[]) => Promise<void> | void;

/** Headers to answer with besides the call's own (set by a hook before the call, such as CORS). */
export type HeadersSetBefore = Record<string, string | string[]>;

/** Serves a unary call itself and resolves when answered; undefined when the call is Connect's handler's. */
export type UnaryFastPath = (raw: NodeRequest, response: NodeResponse, fallback: Fallback, head?: HeadersSetBefore) => Promise<void> | undefined;

/**
 * The unary fast path (bench/PROFILE.md): Connect unary and gRPC unary served
 * directly, decode, interceptors, implementation, encode and one write, where
 * connect-es's universal handler goes through async iterables, several awaited
 * writes and an abort per call. Only what the headers show to be the plain
 * case is served here (unary-wire.ts); everything else, and a body over the
 * size limit, falls back to Connect's handler on the same route, so the
 * answers stay Connect's: the interceptors and the serialization are
 * connect-es's own functions, the handler context the same as its own
 * (unary-call-context.ts).
 */
export function unaryFastPath(spec: UnaryImplSpec, options: UniversalHandlerOptions): UnaryFastPath | undefined {
  // Options the fast path does not implement: leave such a server to Connect entirely.
  if (options.requestGate || options.requireConnectProtocolHeader) return undefined;
  const serialization = createMethodSerializationLookup(spec.method, options.binaryOptions, options.jsonOptions, options);
  const interceptors = options.interceptors ?? [];
  return (raw, response, fallback, head) => {
    if (raw.method !== "POST") return undefined;
    const wire = raw.headers["content-type"]?.startsWith("application/grpc") ? grpcUnaryWire : connectUnaryWire;
    const call = wire.accept(raw.headers, raw.httpVersionMajor, options);
    const declared = Number(raw.headers["content-length"] ?? 0);
    if (!call || declared > options.readMaxBytes) return undefined;
    return serve(call, wire.protocolName, raw, response, fallback, head);
  };

  async function serve(call: UnaryCall, protocolName: string, raw: NodeRequest, response: NodeResponse, fallback: Fallback, head?: HeadersSetBefore): Promise<void> {
    const body = await readBody(raw, options.readMaxBytes);
    if (body.outcome === "gone") return;
    if (body.outcome === "too large") return fallback(body.chunks);
    const message = call.message(body.bytes);
    if (message === undefined) return fallback([body.bytes]);
    const { context, metadata, release } = unaryCallContext(spec, call, protocolName, raw, response, options.shutdownSignal);
    let outcome: Uint8Array | ConnectError;
    try {
      const output = await invokeUnary(spec, context, metadata, decode(call.binary, message), interceptors);
      outcome = serialization.getO(call.binary).serialize(output);
    } catch (error) {
      outcome = asConnectError(await refusedIfUndecodable(error, context, metadata));
    } finally {
      release();
    }
    write(response, await call.answer(outcome, metadata), head);
  }

  function decode(binary: boolean, message: Uint8Array) {
    return serialization.getI(binary).parse(message);
  }

  /**
   * A request message that is not protobuf is the caller's fault: connect-es
   * says `internal`, the platform `invalid_argument` (connect-decode-errors.ts),
   * answered through the interceptors so that the call is traced and counted,
   * and a caller without access is refused for that instead.
   */
  async function refusedIfUndecodable(error: unknown, context: HandlerContext, metadata: ResponseMetadata): Promise<unknown> {
    if (!(error instanceof ConnectError) || !isParseFailure(error)) return error;
    const refusal = new ConnectError(error.rawMessage, Code.InvalidArgument);
    const refuse = () => Promise.reject(refusal);
    context.values.set(undecodableRequest, true);
    try {
      await invokeUnary({ ...spec, impl: refuse }, context, metadata, create(spec.method.input), interceptors);
      return refusal;
    } catch (refused) {
      return refused;
    }
  }
}

/** One writeHead and one end: headers set before the call first, then the call's. */
function write(response: NodeResponse, answer: WireAnswer, head: HeadersSetBefore | undefined): void {
  const header = asRecord(answer.header);
  // HTTP/2's compatibility response takes the same arguments; TypeScript cannot call a union of overloads.
  (response as ServerResponse).writeHead(answer.status, head ? { ...head, ...header } : header);
  if (answer.trailer) response.addTrailers(asRecord(answer.trailer));
  response.end(answer.body);
}

function asRecord(headers: Headers | NodeHeaderRecord): NodeHeaderRecord {
  return headers instanceof Headers ? nodeHeaders(headers) : headers;
}
