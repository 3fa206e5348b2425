import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { NodeRequestHeaders } from "./node-request-headers.js";

/**
 * Between Node's request and response objects (HTTP/1.1, or HTTP/2's
 * compatibility API) and the Fetch-style pieces Connect works with: shared by
 * the unary fast path and the routes that hand calls to Connect's handlers.
 */

/** A request as Node's HTTP/1.1 server or HTTP/2's compatibility API gives it. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;
/** A response as Node's HTTP/1.1 server or HTTP/2's compatibility API gives it. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/** The authority the client addressed: HTTP/2's `:authority`, else `Host` (malformed-host.ts refused bad ones). */
export function authorityOf(raw: NodeRequest): string {
  return (raw.headers[":authority"] as string | undefined) ?? raw.headers.host ?? "localhost";
}

/** The request's headers as a Fetch API Headers (HTTP/2 pseudo-headers left out). */
export function requestHeaders(raw: { readonly headers: IncomingHttpHeaders }): Headers {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- it is a Headers: a subclass of the global one, retyped only so its methods can be overridden.
  return new NodeRequestHeaders(raw.headers);
}

/**
 * Aborts `controller` when the client goes away before its answer is
 * complete: not on every close, which would abort (and build an AbortError
 * for) every call that ended well. Complete means ended by the server and
 * flushed: HTTP/2's compatibility response also reports `writableFinished`
 * for a stream the client reset (RST_STREAM: a cancelled server stream, a
 * gRPC client's cancel), but not `writableEnded`.
 */
export function abortWhenClientGoes(response: NodeResponse, controller: AbortController): void {
  whenClientGoes(response, () => controller.abort(new ConnectError("the client went away", Code.Canceled)));
}

/** Calls `gone` when the client goes away before the answer is complete (abortWhenClientGoes says what complete is). */
export function whenClientGoes(response: NodeResponse, gone: () => void): void {
  response.once("close", () => {
    if (!response.writableEnded || !response.writableFinished) gone();
  });
}

/** Headers as Node's writeHead and addTrailers take them, each Set-Cookie kept apart. */
export function nodeHeaders(headers: Headers): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  headers.forEach((value, name) => (result[name] = value));
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) result["set-cookie"] = cookies;
  return result;
}
