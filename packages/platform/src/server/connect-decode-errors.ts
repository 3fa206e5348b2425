import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { create, type DescMethodUnary, type JsonWriteOptions } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, createContextValues, type Interceptor, type UnaryRequest } from "@connectrpc/connect";
import { encodeEnvelope, type UniversalHandler, type UniversalServerRequest, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerParse, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import { undecodableRequest } from "./request-validation.js";

/*
 * connect-es answers `internal` when a request message cannot be decoded: a
 * message that is not protobuf ("parse binary: ..."), or a Connect GET
 * `message` that is not base64. Those are the caller's fault, so they are
 * turned into `invalid_argument` here, in the three protocols:
 * - streaming calls decode their requests inside the interceptors, where
 *   `streamInputErrorsAreInvalidArgument` maps them (and the telemetry
 *   outside it records the mapped code);
 * - unary calls decode before the interceptors: such an answer from a call
 *   that never reached them (`markReachedInterceptors`) is replaced, after
 *   passing through the interceptors so that it is traced and counted, and so
 *   that a caller the access policy refuses gets that answer instead.
 * An envelope flagged compressed without an encoding stays `internal`: the
 * gRPC and Connect specifications say so, and Connect's conformance suite
 * checks it.
 */

/** A message connect-es could not decode from protobuf (its wording, pinned by the tests). */
export const isParseFailure = (error: ConnectError) => error.code === Code.Internal && error.rawMessage.startsWith("parse binary:");

/** Set once a call has reached the interceptors, that is: once its request message was decoded. */
const reachedInterceptors = createContextKey(false, { description: "the call reached the interceptors" });

/** Goes first among the interceptors, to mark the calls that got that far. */
export const markReachedInterceptors: Interceptor = (next) => (request) => {
  request.contextValues.set(reachedInterceptors, true);
  return next(request);
};

/** Goes last among the interceptors: a streamed request message that cannot be decoded is `invalid_argument`. */
export const streamInputErrorsAreInvalidArgument: Interceptor = (next) => (request) =>
  request.stream ? next({ ...request, message: mapInputErrors(request.message) }) : next(request);

async function* mapInputErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    const connectError = ConnectError.from(error);
    if (!isParseFailure(connectError)) throw error;
    throw new ConnectError(connectError.rawMessage, Code.InvalidArgument, connectError.metadata, undefined, error);
  }
}

type Protocol = "connect" | "grpc" | "grpc-web";

/** Serves a unary call; a request message it cannot decode is answered `invalid_argument`. */
export async function serveUnary(
  handler: UniversalHandler,
  request: UniversalServerRequest,
  interceptors: readonly Interceptor[],
  jsonOptions: Partial<JsonWriteOptions> | undefined,
): Promise<UniversalServerResponse> {
  const contextValues = createContextValues();
  const response = await handler({ ...request, contextValues });
  // gRPC runs the implementation while its answer is read: only then is it known how far the call got.
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body ?? []) chunks.push(chunk);
  const answered = { ...response, body: iterate(chunks) };
  if (contextValues.get(reachedInterceptors)) return answered;
  const protocol = protocolOf(request);
  const failure = decodeFailure(request, internalError(protocol, response, Buffer.concat(chunks)));
  if (!failure) return answered;
  const refusal = new ConnectError(failure, Code.InvalidArgument);
  const error = await throughInterceptors(handler, request, interceptors, refusal);
  return refusalResponse(protocol, error, response, jsonOptions);
}

function protocolOf(request: UniversalServerRequest): Protocol {
  const contentType = request.header.get("content-type") ?? "";
  if (contentType.startsWith("application/grpc-web")) return "grpc-web";
  if (contentType.startsWith("application/grpc")) return "grpc";
  return "connect";
}

/** The `internal` error connect-es answered, if it did. */
function internalError(protocol: Protocol, response: UniversalServerResponse, body: Buffer): ConnectError | undefined {
  let error: ConnectError | undefined;
  if (protocol === "connect" && response.status === 500) error = new ConnectError(connectErrorMessage(response, body), Code.Internal);
  if (protocol === "grpc") error = findTrailerError(new Headers(response.trailer)) ?? findTrailerError(new Headers(response.header));
  if (protocol === "grpc-web" && body.length >= 5 && (body[0]! & trailerFlag) === trailerFlag) error = findTrailerError(trailerParse(body.subarray(5)));
  return error?.code === Code.Internal ? error : undefined;
}

function connectErrorMessage(response: UniversalServerResponse, body: Buffer): string {
  try {
    const encoding = new Headers(response.header).get("content-encoding");
    const json = encoding === "gzip" ? gunzipSync(body) : encoding === "br" ? brotliDecompressSync(body) : body;
    const parsed = JSON.parse(json.toString()) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : "";
  } catch {
    return "";
  }
}

/** Why the request message could not be decoded, when that is what the `internal` error says. */
function decodeFailure(request: UniversalServerRequest, error: ConnectError | undefined): string | undefined {
  if (!error) return undefined;
  if (isParseFailure(error)) return error.rawMessage;
  const query = new URL(request.url).searchParams;
  const notBase64 = query.get("base64") === "1" && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(query.get("message") ?? "");
  return request.method === "GET" && notBase64 ? "the message query parameter is not base64" : undefined;
}

/** Runs the interceptors around an implementation that throws `refusal`; resolves with what comes out. */
async function throughInterceptors(
  handler: UniversalHandler,
  request: UniversalServerRequest,
  interceptors: readonly Interceptor[],
  refusal: ConnectError,
): Promise<ConnectError> {
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
    contextValues: createContextValues().set(undecodableRequest, true),
    message: create(method.input),
  };
  try {
    await chain(call);
    return refusal;
  } catch (error) {
    return ConnectError.from(error);
  }
}

/** The error answer each protocol gives, as connect-es writes it. */
function refusalResponse(
  protocol: Protocol,
  error: ConnectError,
  original: UniversalServerResponse,
  jsonOptions: Partial<JsonWriteOptions> | undefined,
): UniversalServerResponse {
  if (protocol === "connect") {
    const header = new Headers({ "content-type": "application/json" });
    return { status: codeToHttpStatus(error.code), header, body: iterate([errorToJsonBytes(error, jsonOptions ?? {})]) };
  }
  const header = new Headers({ "content-type": new Headers(original.header).get("content-type") ?? `application/${protocol}+proto` });
  const status = setTrailerStatus(new Headers(), error);
  if (protocol === "grpc") return { status: 200, header, body: iterate([]), trailer: status };
  return { status: 200, header, body: iterate([encodeEnvelope(trailerFlag, trailerSerialize(status))]) };
}

async function* iterate(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* chunks;
}
