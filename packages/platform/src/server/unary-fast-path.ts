import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { createMethodSerializationLookup, invokeUnaryImplementation, type UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import { isParseFailure } from "./connect-decode-errors.js";
import { nodeHeaders } from "./node-messages.js";
import { readBody } from "./read-body.js";
import { undecodableRequest } from "./request-validation.js";
import { unaryCallContext } from "./unary-call-context.js";
import type { UnaryImplSpec } from "./unary-methods.js";
import { asConnectError, connectUnaryWire, grpcUnaryWire, type UnaryCall, type WireAnswer } from "./unary-wire.js";

/** Serves the call from the body read so far (the rest still in the request): Connect's own handler. */
export type Fallback = (bodyRead?: Buffer[]) => Promise<void>;

/** Serves a unary call itself and resolves when answered; undefined when the call is Connect's handler's. */
export type UnaryFastPath = (request: FastifyRequest, reply: FastifyReply, fallback: Fallback) => Promise<void> | undefined;

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
  return (request, reply, fallback) => {
    const raw = request.raw;
    if (raw.method !== "POST") return undefined;
    const wire = raw.headers["content-type"]?.startsWith("application/grpc") ? grpcUnaryWire : connectUnaryWire;
    const call = wire.accept(raw.headers, raw.httpVersionMajor, options);
    const declared = Number(raw.headers["content-length"] ?? 0);
    if (!call || declared > options.readMaxBytes) return undefined;
    return serve(call, wire.protocolName, request, reply, fallback);
  };

  async function serve(call: UnaryCall, protocolName: string, request: FastifyRequest, reply: FastifyReply, fallback: Fallback): Promise<void> {
    const body = await readBody(request.raw, options.readMaxBytes);
    if (body.outcome === "gone") return;
    if (body.outcome === "too large") return fallback(body.chunks);
    const message = call.message(body.bytes);
    if (message === undefined) return fallback([body.bytes]);
    const { context, release } = unaryCallContext(spec, call, protocolName, request, reply, options.shutdownSignal);
    let outcome: Uint8Array | ConnectError;
    try {
      const output = await invokeUnaryImplementation(spec, context, decode(call.binary, message), options.interceptors);
      outcome = serialization.getO(call.binary).serialize(output);
    } catch (error) {
      outcome = asConnectError(await refusedIfUndecodable(error, context));
    } finally {
      release();
    }
    write(reply, await call.answer(outcome, context.responseHeader, context.responseTrailer));
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
  async function refusedIfUndecodable(error: unknown, context: HandlerContext): Promise<unknown> {
    if (!(error instanceof ConnectError) || !isParseFailure(error)) return error;
    const refusal = new ConnectError(error.rawMessage, Code.InvalidArgument);
    const refuse = () => Promise.reject(refusal);
    context.values.set(undecodableRequest, true);
    try {
      await invokeUnaryImplementation({ ...spec, impl: refuse }, context, create(spec.method.input), options.interceptors);
      return refusal;
    } catch (refused) {
      return refused;
    }
  }
}

/** One writeHead and one end: headers set on the reply by hooks first, then the call's. */
function write(reply: FastifyReply, answer: WireAnswer): void {
  const head: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) head[name] = Array.isArray(value) ? value : String(value);
  const raw = reply.raw;
  raw.writeHead(answer.status, { ...head, ...nodeHeaders(answer.header) });
  if (answer.trailer) raw.addTrailers(nodeHeaders(answer.trailer));
  raw.end(answer.body);
}
