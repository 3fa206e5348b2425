import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { createMethodSerializationLookup, type UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import { isParseFailure } from "./connect-decode-errors.js";
import { h2StreamExchange } from "./h2-stream-exchange.js";
import type { NodeRequest, NodeResponse } from "./node-messages.js";
import { undecodableRequest } from "./request-validation.js";
import { unaryCallContext, type ResponseMetadata } from "./unary-call-context.js";
import { nodeExchange, type Fallback, type HeadersSetBefore, type UnaryExchange } from "./unary-exchange.js";
import { invokeUnary } from "./unary-invoke.js";
import type { UnaryImplSpec } from "./unary-methods.js";
import { asConnectError, connectUnaryWire, grpcUnaryWire, type UnaryCall } from "./unary-wire.js";

export type { Fallback, HeadersSetBefore } from "./unary-exchange.js";

/** Serves a unary call itself and resolves when answered; undefined when the call is Connect's handler's. */
export type UnaryFastPath = (raw: NodeRequest, response: NodeResponse, fallback: Fallback, head?: HeadersSetBefore) => Promise<void> | undefined;

/** The same, for a call on a bare HTTP/2 stream (unary or server-streaming); `handOn` gives it to Connect's handler after all, with the body read so far. */
export type H2FastPath = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, handOn: (bodyRead: Buffer[]) => void) => Promise<void> | undefined;

/** A method's fast path for Node's request objects and for bare HTTP/2 streams. */
export interface UnaryFastPaths {
  node: UnaryFastPath;
  h2: H2FastPath;
}

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
export function unaryFastPath(spec: UnaryImplSpec, options: UniversalHandlerOptions): UnaryFastPaths | undefined {
  // Options the fast path does not implement: leave such a server to Connect entirely.
  if (options.requestGate || options.requireConnectProtocolHeader) return undefined;
  const serialization = createMethodSerializationLookup(spec.method, options.binaryOptions, options.jsonOptions, options);
  const interceptors = options.interceptors ?? [];
  /** The call as the wire sees it from the headers, when the fast path takes it. */
  function accepted(headers: IncomingHttpHeaders, method: string | undefined, httpVersionMajor: number) {
    if (method !== "POST") return undefined;
    const wire = headers["content-type"]?.startsWith("application/grpc") ? grpcUnaryWire : connectUnaryWire;
    const call = wire.accept(headers, httpVersionMajor, options);
    const declared = Number(headers["content-length"] ?? 0);
    if (!call || declared > options.readMaxBytes) return undefined;
    return { call, protocolName: wire.protocolName };
  }

  return {
    node(raw, response, fallback, head) {
      const taken = accepted(raw.headers, raw.method, raw.httpVersionMajor);
      return taken && serve(taken.call, taken.protocolName, nodeExchange(raw, response, fallback, head));
    },
    h2(stream, headers, handOn) {
      const taken = accepted(headers, headers[":method"], 2);
      return taken && serve(taken.call, taken.protocolName, h2StreamExchange(stream, headers, handOn));
    },
  };

  async function serve(call: UnaryCall, protocolName: string, exchange: UnaryExchange): Promise<void> {
    const body = await exchange.readBody(options.readMaxBytes);
    if (body.outcome === "gone") return;
    if (body.outcome === "too large") return exchange.handOn(body.chunks);
    const message = call.message(body.bytes);
    if (message === undefined) return exchange.handOn([body.bytes]);
    const { context, metadata, release } = unaryCallContext(spec, call, protocolName, exchange, options.shutdownSignal);
    let outcome: Uint8Array | ConnectError;
    try {
      const output = await invokeUnary(spec, context, metadata, decode(call.binary, message), interceptors);
      outcome = serialization.getO(call.binary).serialize(output);
    } catch (error) {
      outcome = asConnectError(await refusedIfUndecodable(error, context, metadata));
    } finally {
      release();
    }
    exchange.answer(await call.answer(outcome, metadata));
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
