import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { create, type DescMethodUnary, type JsonWriteOptions } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextKey,
  createContextValues,
  type Interceptor,
  type UnaryRequest,
} from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";

/** Set once a call has reached the interceptors, that is: once its request message was decoded. */
const reachedInterceptors = createContextKey(false, { description: "the call reached the interceptors" });

/** Goes first among the interceptors, to mark the calls that got that far. */
export const markReachedInterceptors: Interceptor = (next) => (request) => {
  request.contextValues.set(reachedInterceptors, true);
  return next(request);
};

/**
 * Serves a Connect unary call, answering `invalid_argument` where connect-es
 * answers HTTP 500 `internal` for bytes the client sent: a request message
 * that is not valid protobuf ("parse binary: ..."), or a GET `message` that is
 * not base64 ("internal error"). Connect's protocol layer raises nothing else
 * as `internal` before a call reaches the interceptors (the server's own
 * failures come later), so a 500 from a call that never got there is the
 * client's doing. The refusal then goes through the interceptors (the
 * innermost one throwing it) so that it is traced and counted like any
 * other error, and a caller the access policy refuses gets that answer instead.
 *
 * The service's interceptors must include `markReachedInterceptors` first.
 */
export async function serveConnectUnary(
  handler: UniversalHandler,
  request: UniversalServerRequest,
  interceptors: readonly Interceptor[],
  jsonOptions: Partial<JsonWriteOptions> | undefined,
): Promise<UniversalServerResponse> {
  const contextValues = request.contextValues ?? createContextValues();
  const response = await handler({ ...request, contextValues });
  if (response.status !== 500 || contextValues.get(reachedInterceptors)) return response;
  const refusal = new ConnectError(await decodeFailure(request, response), Code.InvalidArgument);
  const error = await throughInterceptors(handler, request, interceptors, refusal);
  return {
    status: codeToHttpStatus(error.code),
    header: new Headers({ "content-type": "application/json" }),
    body: oneChunk(errorToJsonBytes(error, jsonOptions ?? {})),
  };
}

/** Whether connect-es serves this request as a Connect unary call (POST, or GET for idempotent methods). */
export function isConnectUnary(handler: UniversalHandler, contentType: string | undefined, method: string): boolean {
  if (handler.method.methodKind !== "unary") return false;
  if (method === "GET") return true;
  return /^application\/(proto|json)(;|$)/i.test(contentType ?? "");
}

/** What went wrong, for the caller: connect-es's own message where it names the cause. */
async function decodeFailure(request: UniversalServerRequest, response: UniversalServerResponse): Promise<string> {
  const query = new URL(request.url).searchParams;
  if (request.method === "GET" && query.get("base64") === "1" && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(query.get("message") ?? "")) {
    return "the message query parameter is not base64";
  }
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body ?? []) chunks.push(chunk);
    const json = JSON.parse(decompress(Buffer.concat(chunks), new Headers(response.header).get("content-encoding")).toString()) as { message?: unknown };
    if (typeof json.message === "string" && json.message !== "internal error") return json.message;
  } catch {
    // An answer that cannot be read names no cause: the general one below serves.
  }
  return "the request message could not be decoded";
}

function decompress(body: Buffer, encoding: string | null): Buffer {
  if (encoding === "gzip") return gunzipSync(body);
  if (encoding === "br") return brotliDecompressSync(body);
  return body;
}

/** Runs the interceptors around an implementation that throws `refusal`; resolves with what comes out. */
async function throughInterceptors(
  handler: UniversalHandler,
  request: UniversalServerRequest,
  interceptors: readonly Interceptor[],
  refusal: ConnectError,
): Promise<ConnectError> {
  if (handler.method.methodKind !== "unary") return refusal;
  const method = handler.method as DescMethodUnary;
  const refuse = () => Promise.reject(refusal);
  const chain = interceptors.reduceRight((next, interceptor) => interceptor(next), refuse as Parameters<Interceptor>[0]);
  const call: UnaryRequest = {
    stream: false,
    service: handler.service,
    method,
    requestMethod: request.method,
    url: request.url,
    signal: request.signal,
    header: request.header,
    contextValues: createContextValues(),
    message: create(method.input),
  };
  try {
    await chain(call);
    return refusal;
  } catch (error) {
    return ConnectError.from(error);
  }
}

async function* oneChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
