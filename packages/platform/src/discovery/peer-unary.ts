import { create, isMessage, type DescMessage, type DescMethodUnary, type MessageInitShape } from "@bufbuild/protobuf";
import { appendHeaders, ConnectError, createContextValues, type Interceptor, type Transport, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import { createMethodSerializationLookup, createMethodUrl, type MethodSerializationLookup } from "@connectrpc/connect/protocol";
import { errorFromJsonBytes, requestHeader, trailerDemux, validateResponseWithCompression } from "@connectrpc/connect/protocol-connect";
import { chainInterceptors } from "../interceptor-chain.js";
import type { H2Client } from "./h2-client.js";

export interface PeerUnaryOptions {
  client: H2Client;
  baseUrl: string;
  interceptors: readonly Interceptor[];
  /** Per-call deadline when the caller sets none. */
  defaultTimeoutMs: number;
  /** The largest answer taken. */
  maxResponseBytes: number;
}

/** The signal of a call whose caller passed none: nothing ever aborts it. */
const neverAborted = new AbortController().signal;

/**
 * A unary call in the Connect protocol, binary, uncompressed, over the lean
 * HTTP/2 client: the request and answer connect-es's protocol-connect
 * transport makes and reads (its header, response and error functions are
 * used as they are), through the same interceptors, without its call
 * runner's two abort controllers, deadline signal and abort per call, or its
 * async-iterable stages for a body that is one message.
 */
export function peerUnary(options: PeerUnaryOptions): Transport["unary"] {
  return async <I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    header: Headers | Record<string, string> | [string, string][] | undefined,
    message: MessageInitShape<I>,
    contextValues?: UnaryRequest["contextValues"],
  ): Promise<UnaryResponse<I, O>> => {
    // As connect-es: no deadline given is the default one; zero or less is none.
    const timeout = timeoutMs === undefined ? options.defaultTimeoutMs : timeoutMs <= 0 ? undefined : timeoutMs;
    const deadline = timeout === undefined ? undefined : Date.now() + timeout;
    const send = async (request: UnaryRequest<I, O>): Promise<UnaryResponse<I, O>> => {
      const response = await options.client.unary({
        url: request.url,
        header: request.header,
        body: serializationOf(method).getI(true).serialize(request.message),
        signal: request.signal === neverAborted ? undefined : request.signal,
        timeoutMs: deadline === undefined ? undefined : Math.max(0, deadline - Date.now()),
        maxResponseBytes: options.maxResponseBytes,
      });
      const { isUnaryError, unaryError } = validateResponseWithCompression(method.methodKind, [], true, response.status, response.header);
      const [responseHeader, trailer] = trailerDemux(response.header);
      if (isUnaryError) throw errorFromJsonBytes(response.body, appendHeaders(responseHeader, trailer), unaryError);
      return { stream: false, service: method.parent, method, header: responseHeader, message: serializationOf(method).getO(true).parse(response.body), trailer };
    };
    const request: UnaryRequest<I, O> = {
      stream: false,
      service: method.parent,
      method,
      requestMethod: "POST",
      url: createMethodUrl(options.baseUrl, method),
      header: requestHeader("unary", true, timeout, header, true),
      contextValues: contextValues ?? createContextValues(),
      message: isMessage(message, method.input) ? message : create(method.input, message),
      signal: signal ?? neverAborted,
    };
    try {
      return await chainInterceptors(send, options.interceptors)(request);
    } catch (error) {
      throw ConnectError.from(error);
    }
  };
}

/** connect-es's serializers per method (its "parse binary" errors included), made once. */
const serializations = new WeakMap<DescMethodUnary, MethodSerializationLookup<DescMessage, DescMessage>>();

function serializationOf<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>): MethodSerializationLookup<I, O> {
  let lookup = serializations.get(method);
  if (!lookup) serializations.set(method, (lookup = createMethodSerializationLookup(method, undefined, undefined, { writeMaxBytes: 0xffffffff, readMaxBytes: 0xffffffff })));
  return lookup;
}

