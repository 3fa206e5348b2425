import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { create, isMessage } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type Interceptor, type StreamRequest, type StreamResponse } from "@connectrpc/connect";
import { compressionNegotiate, createMethodSerializationLookup, type UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import * as grpc from "@connectrpc/connect/protocol-grpc";
import { readBody } from "./read-body.js";
import { contextOf, StreamCall, type StreamWriting } from "./server-stream-call.js";
import { callsOf } from "./unary-call-context.js";
import { copyHeaders } from "./unary-invoke.js";
import { single } from "./unary-wire.js";
import type { ServerStreamingImplSpec } from "./unary-methods.js";

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;
type AnyFn = Parameters<Interceptor>[0];

/** A server-streaming method's implementation, as the router was given it. */

/** Serves the call from the body read so far (the rest still in the request): Connect's own handler. */
type Fallback = (bodyRead: Buffer[]) => Promise<void> | void;

/** Serves a server-streaming call itself and resolves when it has ended; undefined when the call is Connect's handler's. */
export type ServerStreamFastPath = (raw: NodeRequest, response: NodeResponse, fallback: Fallback, head?: Record<string, string | string[]>) => Promise<void> | undefined;

/**
 * gRPC server streaming over HTTP/2 served directly: what an idle stream
 * (WatchOrder) holds is its request, its response, one handler context and
 * the implementation's iterator, where connect-es's universal handler keeps
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
export function serverStreamFastPath(spec: ServerStreamingImplSpec, options: UniversalHandlerOptions): ServerStreamFastPath | undefined {
  if (options.requestGate || options.requireConnectProtocolHeader) return undefined;
  const serialization = createMethodSerializationLookup(spec.method, options.binaryOptions, options.jsonOptions, options);
  const parse = serialization.getI(true);
  const serialize = serialization.getO(true);
  const chain = (options.interceptors ?? []).reduceRight<AnyFn>((next, interceptor) => interceptor(next), (request) => invoke(spec, request as StreamRequest));
  const calls = options.shutdownSignal && callsOf(options.shutdownSignal);

  return (raw, response, fallback, head) => {
    if (raw.method !== "POST" || raw.httpVersionMajor !== 2) return undefined;
    const type = grpc.parseContentType(raw.headers["content-type"] ?? null);
    const encoding = raw.headers["grpc-encoding"];
    if (!type?.binary || (encoding !== undefined && encoding !== "identity")) return undefined;
    const timeout = grpc.parseTimeout(single(raw.headers["grpc-timeout"]) ?? null, options.maxTimeoutMs);
    if (timeout.error || Number(raw.headers["content-length"] ?? 0) > options.readMaxBytes) return undefined;
    return serve(raw as Http2ServerRequest, response as Http2ServerResponse, fallback, timeout.timeoutMs, head);
  };

  async function serve(raw: Http2ServerRequest, response: Http2ServerResponse, fallback: Fallback, timeoutMs: number | undefined, head?: Record<string, string | string[]>): Promise<void> {
    const body = await readBody(raw, options.readMaxBytes);
    if (body.outcome === "gone") return;
    if (body.outcome === "too large") return fallback(body.chunks);
    const input = decode(body.bytes);
    if (input === undefined) return fallback([body.bytes]);
    const compression = compressionNegotiate(options.acceptCompression, null, single(raw.headers["grpc-accept-encoding"]) ?? null, "grpc-accept-encoding").response;
    const call = new StreamCall(raw, response, spec.method, timeoutMs, { serialize: serialize.serialize as StreamWriting["serialize"], options, compression, head }, calls);
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
async function invoke(spec: ServerStreamingImplSpec, request: StreamRequest): Promise<StreamResponse> {
  const input = await onlyMessage(request.message);
  const context = contextOf.get(request.contextValues);
  if (!context) throw new ConnectError("an interceptor replaced the call's context values", Code.Internal);
  const merged: HandlerContext = { ...context, service: request.service, requestHeader: request.header, signal: request.signal, values: request.contextValues };
  const output = spec.method.output;
  return {
    stream: true,
    service: spec.method.parent,
    method: spec.method,
    header: context.responseHeader,
    trailer: context.responseTrailer,
    message: mapNormalized(spec.impl(input as never, merged) as AsyncIterable<unknown>, (message) => (isMessage(message, output) ? message : create(output, message as never))),
  };
}

/** The messages of `source`, each passed through `map`; its return() reaches the source at once. */
function mapNormalized<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncIterable<U> {
  return new MappedMessages(source, map);
}

/** mapNormalized's iterable: read once, its own iterator (no closures of its own per stream, an idle one keeps it). */
class MappedMessages<T, U> implements AsyncIterableIterator<U> {
  private iterator: AsyncIterator<T> | undefined;

  constructor(
    private readonly source: AsyncIterable<T>,
    private readonly map: (value: T) => U,
  ) {}

  [Symbol.asyncIterator](): this {
    this.iterator ??= this.source[Symbol.asyncIterator]();
    return this;
  }

  // Not async: a pending async function holds a frame of its own while an idle stream waits.
  next(): Promise<IteratorResult<U>> {
    const iterator = (this.iterator ??= this.source[Symbol.asyncIterator]());
    return iterator.next().then((next): IteratorResult<U> => (next.done ? { done: true, value: undefined } : { done: false, value: this.map(next.value) }));
  }

  async return(): Promise<IteratorResult<U>> {
    await this.iterator?.return?.();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<U>> {
    if (this.iterator?.throw) await this.iterator.throw(error);
    throw error;
  }
}

/** The one request message as the interceptors see it: read once, as the generator it replaces (which kept its frame once done). */
function once<T>(message: T): AsyncIterable<T> {
  return new OneMessage(message);
}

class OneMessage<T> implements AsyncIterableIterator<T> {
  private sent = false;

  constructor(private readonly message: T) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.sent) return Promise.resolve({ done: true, value: undefined });
    this.sent = true;
    return Promise.resolve({ done: false, value: this.message });
  }

  return(): Promise<IteratorResult<T>> {
    this.sent = true;
    return Promise.resolve({ done: true, value: undefined });
  }
}

/** The one request message of a server-streaming call (interceptors may have replaced the iterable). */
async function onlyMessage<T>(messages: AsyncIterable<T>): Promise<T> {
  const iterator = messages[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new ConnectError("protocol error: missing input message for server-streaming method", Code.Unimplemented);
  const second = await iterator.next();
  if (!second.done) throw new ConnectError("protocol error: received extra input message for server-streaming method", Code.Unimplemented);
  return first.value;
}

