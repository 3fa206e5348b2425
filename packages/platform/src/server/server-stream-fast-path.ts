import type { IncomingHttpHeaders } from "node:http2";
import { create, isMessage, type Message } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type Interceptor, type StreamRequest, type StreamResponse } from "@connectrpc/connect";
import { compressionNegotiate, createMethodSerializationLookup, type UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import * as grpc from "@connectrpc/connect/protocol-grpc";
import { H2ServerStreamExchange } from "./h2-server-stream-exchange.js";
import type { NodeRequest, NodeResponse } from "./node-messages.js";
import { contextOf, StreamCall, type StreamWriting } from "./server-stream-call.js";
import { mapNormalized, once, onlyMessage } from "./server-stream-messages.js";
import { NodeStreamExchange, type StreamExchange } from "./stream-exchange.js";
import { callsOf } from "./unary-call-context.js";
import type { Fallback, H2FastPath, HeadersSetBefore } from "./unary-fast-path.js";
import { copyHeaders } from "./unary-invoke.js";
import { single } from "./unary-wire.js";
import type { ServerStreamingImplSpec } from "./unary-methods.js";

type AnyFn = Parameters<Interceptor>[0];

/** Serves a server-streaming call itself and resolves when it has ended; undefined when the call is Connect's handler's. */
export type ServerStreamFastPath = (raw: NodeRequest, response: NodeResponse, fallback: Fallback, head?: HeadersSetBefore) => Promise<void> | undefined;

/** A method's fast path for Node's request objects and for bare HTTP/2 streams. */
export interface ServerStreamFastPaths {
  node: ServerStreamFastPath;
  h2: H2FastPath;
}

/**
 * gRPC server streaming over HTTP/2 served directly: what an idle stream
 * (WatchOrder) holds is its bare HTTP/2 stream (h2-server-stream-exchange.ts;
 * Node's request and response when Fastify routed the call), one handler
 * context and the implementation's iterator, where connect-es's universal handler keeps
 * a pipeline of async-iterable stages, linked abort controllers and a
 * deadline signal per stream (about 30 KiB an idle stream, bench/PROFILE.md).
 *
 * Only the plain case is taken: POST, gRPC in protobuf over HTTP/2, an
 * uncompressed request of one envelope that decodes, a valid timeout.
 * Anything else (gRPC-Web, Connect streaming, a compressed request, a body
 * over the limit) falls back to Connect's handler on the same route. The
 * answer is the one connect-es's gRPC handler gives: the same interceptors
 * (in the same order, with a StreamRequest of one message), the response
 * headers written with the first message (so the implementation may still
 * set them), each message in its own envelope (compressed as Connect would
 * when the client accepts it and it is at least compressMinBytes), the
 * status in the trailers, the context's signal aborted when the call ends
 * in any way (interceptors such as the stream limits count on it).
 */
export function serverStreamFastPath(spec: ServerStreamingImplSpec, options: UniversalHandlerOptions): ServerStreamFastPaths | undefined {
  if (options.requestGate || options.requireConnectProtocolHeader) return undefined;
  const serialization = createMethodSerializationLookup(spec.method, options.binaryOptions, options.jsonOptions, options);
  const parse = serialization.getI(true);
  const serialize = serialization.getO(true);
  const output = spec.method.output;
  // One for the method, not one per call: an idle stream keeps the function its messages are mapped with.
  const normalize = (message: unknown): Message => (isMessage(message, output) ? message : create(output, message as never));
  const chain = (options.interceptors ?? []).reduceRight<AnyFn>((next, interceptor) => interceptor(next), (request) => invoke(spec, request as StreamRequest, normalize));
  const calls = options.shutdownSignal && callsOf(options.shutdownSignal);

  /** The call's timeout when the fast path takes it (undefined: none), else false. */
  function accepted(headers: IncomingHttpHeaders, method: string | undefined, httpVersionMajor: number): { timeoutMs: number | undefined } | false {
    if (method !== "POST" || httpVersionMajor !== 2) return false;
    const type = grpc.parseContentType(headers["content-type"] ?? null);
    const encoding = headers["grpc-encoding"];
    if (!type?.binary || (encoding !== undefined && encoding !== "identity")) return false;
    const timeout = grpc.parseTimeout(single(headers["grpc-timeout"]) ?? null, options.maxTimeoutMs);
    if (timeout.error || Number(headers["content-length"] ?? 0) > options.readMaxBytes) return false;
    return { timeoutMs: timeout.timeoutMs };
  }

  return {
    node(raw, response, fallback, head) {
      const taken = accepted(raw.headers, raw.method, raw.httpVersionMajor);
      return taken ? serve(NodeStreamExchange.of(raw, response, fallback, head), taken.timeoutMs) : undefined;
    },
    h2(stream, headers, handOn) {
      const taken = accepted(headers, headers[":method"], 2);
      return taken ? serve(new H2ServerStreamExchange(stream, headers, handOn), taken.timeoutMs) : undefined;
    },
  };

  async function serve(exchange: StreamExchange, timeoutMs: number | undefined): Promise<void> {
    const body = await exchange.readBody(options.readMaxBytes);
    if (body.outcome === "gone") return;
    if (body.outcome === "too large") return exchange.handOn(body.chunks);
    const input = decode(body.bytes);
    if (input === undefined) return exchange.handOn([body.bytes]);
    exchange.served();
    const compression = compressionNegotiate(options.acceptCompression, null, single(exchange.headers["grpc-accept-encoding"]) ?? null, "grpc-accept-encoding").response;
    const call = new StreamCall(exchange, spec.method, timeoutMs, { serialize: serialize.serialize as StreamWriting["serialize"], options, compression }, calls);
    const { context } = call;
    let answer: StreamResponse;
    try {
      const request: StreamRequest = {
        stream: true,
        service: spec.method.parent,
        method: spec.method,
        requestMethod: "POST",
        url: context.url,
        signal: context.signal,
        header: context.requestHeader,
        contextValues: context.values,
        message: once(input),
      };
      answer = (await chain(request)) as StreamResponse;
      copyHeaders(answer.header, context.responseHeader);
    } catch (error) {
      call.close(error);
      return;
    }
    // Returned, not awaited: a call waiting for its next message keeps no frame of this function.
    return call.answer(answer);
  }

  function decode(body: Buffer) {
    if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return undefined;
    try {
      return parse.parse(body.subarray(5));
    } catch {
      // Connect's handler answers it, with the platform's invalid_argument mapping.
      return undefined;
    }
  }
}

/** The implementation at the end of the interceptors: one request message in, its messages out. */
async function invoke(spec: ServerStreamingImplSpec, request: StreamRequest, normalize: (message: unknown) => Message): Promise<StreamResponse> {
  const input = await onlyMessage(request.message);
  const context = contextOf.get(request.contextValues);
  if (!context) throw new ConnectError("an interceptor replaced the call's context values", Code.Internal);
  const merged: HandlerContext = { ...context, service: request.service, requestHeader: request.header, signal: request.signal, values: request.contextValues };
  return {
    stream: true,
    service: spec.method.parent,
    method: spec.method,
    header: context.responseHeader,
    trailer: context.responseTrailer,
    message: mapNormalized(spec.impl(input as never, merged) as AsyncIterable<unknown>, normalize),
  };
}
