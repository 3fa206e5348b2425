import { setTimeout as delay } from "node:timers/promises";
import { create, type MessageShape } from "@bufbuild/protobuf";
import { anyPack, type Any } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { anyone, servicePolicies } from "@oms/platform/auth";
import {
  BidiStreamRequestSchema,
  ClientStreamRequestSchema,
  ConformancePayload_ConnectGetInfoSchema,
  ConformancePayload_RequestInfoSchema,
  ConformancePayloadSchema,
  ConformanceService,
  HeaderSchema,
  IdempotentUnaryRequestSchema,
  ServerStreamRequestSchema,
  UnaryRequestSchema,
  type ConformancePayload,
  type ConformancePayload_RequestInfo,
  type Error as ErrorDefinition,
  type Header,
  type StreamResponseDefinition,
  type UnaryResponseDefinition,
} from "./gen/connectrpc/conformance/v1/service_pb.js";

/**
 * The test service is a protocol probe, not an OMS door: every method is
 * public so that the suite exercises the protocols, not the access model.
 * (Unimplemented gets a rule too, or the platform would refuse it before it
 * could answer `unimplemented`.)
 */
export const conformancePolicies = servicePolicies(ConformanceService, {
  unary: anyone,
  serverStream: anyone,
  clientStream: anyone,
  bidiStream: anyone,
  unimplemented: anyone,
  idempotentUnary: anyone,
});

/**
 * Connect's ConformanceService as its contract (service.proto) describes it:
 * each call echoes what the server saw (headers, timeout, requests, GET query)
 * and answers with the headers, data, delays, trailers and error the request
 * asks for. `unimplemented` is left out on purpose: the router answers it.
 */
export function conformanceRoutes(router: ConnectRouter): void {
  router.service(ConformanceService, {
    unary: (request, context) => answerOnce(request.responseDefinition, [anyPack(UnaryRequestSchema, request)], context),
    idempotentUnary: (request, context) =>
      answerOnce(request.responseDefinition, [anyPack(IdempotentUnaryRequestSchema, request)], context),
    async clientStream(requests, context) {
      let definition: UnaryResponseDefinition | undefined;
      const received: Any[] = [];
      for await (const request of requests) {
        // Only the first message's definition counts.
        if (received.length === 0) definition = request.responseDefinition;
        received.push(anyPack(ClientStreamRequestSchema, request));
      }
      return answerOnce(definition, received, context);
    },
    async *serverStream(request, context) {
      const definition = request.responseDefinition;
      setMetadata(definition, context);
      yield* streamAnswers(definition, requestInfo(context, [anyPack(ServerStreamRequestSchema, request)]));
    },
    bidiStream,
  });
}

/** Unary and client-stream answers: one payload carrying the request info and the data, or the error. */
async function answerOnce(definition: UnaryResponseDefinition | undefined, requests: Any[], context: HandlerContext) {
  setMetadata(definition, context);
  const info = requestInfo(context, requests);
  if (definition?.response.case === "error") throw toConnectError(definition.response.value, info);
  if (definition?.responseDelayMs) await delay(definition.responseDelayMs);
  const data = definition?.response.case === "responseData" ? definition.response.value : undefined;
  return { payload: payload(info, data) };
}

/**
 * Half duplex: read every request, then answer. Full duplex: one answer per
 * request read, each echoing the requests since the previous answer; answers
 * the requests outnumber are sent once the client is done.
 */
async function* bidiStream(requests: AsyncIterable<MessageShape<typeof BidiStreamRequestSchema>>, context: HandlerContext) {
  let definition: StreamResponseDefinition | undefined;
  let fullDuplex = false;
  let sent = 0;
  let received: Any[] = [];
  let first = true;
  for await (const request of requests) {
    if (first) {
      first = false;
      definition = request.responseDefinition;
      fullDuplex = request.fullDuplex;
      setMetadata(definition, context);
    }
    received.push(anyPack(BidiStreamRequestSchema, request));
    if (!fullDuplex) continue;
    const data = definition?.responseData[sent];
    if (data === undefined) break;
    if (definition?.responseDelayMs) await delay(definition.responseDelayMs);
    yield { payload: payload(requestInfo(context, received), data) };
    sent++;
    received = [];
  }
  yield* streamAnswers(definition, requestInfo(context, received), sent);
}

/**
 * The streamed answers from `from` on, the first one carrying the request
 * info, then the definition's error: with the request info among its details
 * when no answer went before it (a trailers-only error).
 */
async function* streamAnswers(definition: StreamResponseDefinition | undefined, info: ConformancePayload_RequestInfo, from = 0) {
  const answers = definition?.responseData ?? [];
  for (let index = from; index < answers.length; index++) {
    if (definition?.responseDelayMs) await delay(definition.responseDelayMs);
    yield { payload: payload(index === 0 ? info : undefined, answers[index]) };
  }
  if (definition?.error) throw toConnectError(definition.error, answers.length === 0 ? info : undefined);
}

function setMetadata(definition: { responseHeaders: Header[]; responseTrailers: Header[] } | undefined, context: HandlerContext): void {
  append(context.responseHeader, definition?.responseHeaders ?? []);
  append(context.responseTrailer, definition?.responseTrailers ?? []);
}

function append(headers: Headers, entries: Header[]): void {
  for (const { name, value } of entries) for (const each of value) headers.append(name, each);
}

/** What the server observed about the call: the suite compares it with what its client sent. */
function requestInfo(context: HandlerContext, requests: Any[]): ConformancePayload_RequestInfo {
  const timeoutMs = context.timeoutMs();
  return create(ConformancePayload_RequestInfoSchema, {
    requestHeaders: protoHeaders(context.requestHeader),
    requests,
    timeoutMs: timeoutMs === undefined ? undefined : BigInt(timeoutMs),
    connectGetInfo: context.requestMethod === "GET" ? connectGetInfo(context.url) : undefined,
  });
}

function connectGetInfo(url: string) {
  const params = new URL(url).searchParams;
  const names = [...new Set(params.keys())];
  return create(ConformancePayload_ConnectGetInfoSchema, {
    queryParams: names.map((name) => create(HeaderSchema, { name, value: params.getAll(name) })),
  });
}

function protoHeaders(headers: Headers): Header[] {
  const result: Header[] = [];
  headers.forEach((value, name) => result.push(create(HeaderSchema, { name, value: [value] })));
  return result;
}

function payload(info: ConformancePayload_RequestInfo | undefined, data: Uint8Array | undefined): ConformancePayload {
  return create(ConformancePayloadSchema, { requestInfo: info, data });
}

/** The requested error, its details passed through as they came (already packed), plus the request info if given. */
function toConnectError(definition: ErrorDefinition, info: ConformancePayload_RequestInfo | undefined): ConnectError {
  const error = new ConnectError(definition.message ?? "", codeOf(definition.code));
  for (const { typeUrl, value } of definition.details) error.details.push({ type: typeUrl.slice(typeUrl.lastIndexOf("/") + 1), value });
  if (info) error.details.push({ desc: ConformancePayload_RequestInfoSchema, value: info });
  return error;
}

/** The conformance protocol numbers codes as Connect does: the same number names the same code. */
function codeOf(code: number): Code {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- two enums generated from one numbering (Connect's codes).
  return code;
}
