import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isConnectUnary, markReachedInterceptors, serveConnectUnary } from "./connect-decode-errors.js";

export interface ConnectRoutesOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
}

/**
 * Serves Connect routes from Fastify (Connect, gRPC and gRPC-Web, as
 * @connectrpc/connect-fastify does), with two costs of the stock adapter
 * taken out of every call (bench/PROFILE.md):
 * - the request's abort signal fires only when the client goes away before
 *   the answer is complete, not on every response close (an AbortError and a
 *   DOMException per call);
 * - a unary answer over HTTP/1.1 is written in one `end(body)` instead of
 *   writeHead, an awaited write and end.
 * Streaming calls are answered through connect-node as they are produced.
 * The protocol work (codes, headers, trailers, timeouts, compression, GET)
 * stays Connect's own: the universal handlers are unchanged. Where the
 * platform answers differently from the stock adapter, on purpose:
 * - a Connect unary request whose message cannot be decoded (not protobuf,
 *   not base64) is `invalid_argument`, not `internal` (connect-decode-errors.ts);
 * - an HTTP/1.1 answer sent while the request body was read only in part
 *   closes the connection (closeIfBodyUnread).
 */
export function registerConnectRoutes(instance: FastifyInstance, options: ConnectRoutesOptions): void {
  const interceptors = [markReachedInterceptors, ...(options.interceptors ?? [])];
  const router = createConnectRouter({ acceptCompression: [compressionGzip, compressionBrotli], ...options, interceptors });
  options.routes(router);
  // Connect reads the bodies itself: no Fastify parsing for any content type inside this plugin.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
  for (const handler of router.handlers) {
    const answer = (universal: UniversalServerRequest, request: FastifyRequest) =>
      isConnectUnary(handler, request.headers["content-type"], universal.method)
        ? serveConnectUnary(handler, universal, interceptors, options.jsonOptions)
        : handler(universal);
    instance.all(handler.requestPath, (request, reply) => serve(handler, answer, request, reply));
  }
}

type Answer = (universal: UniversalServerRequest, request: FastifyRequest) => Promise<UniversalServerResponse>;

async function serve(handler: UniversalHandler, answer: Answer, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    const response = await answer(universalRequest(request, reply), request);
    // Fastify keeps headers set on the reply until reply.send, which is not used here.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    // HTTP/1.1 only: on HTTP/2 the whole-body write measured slower than Node's stream writes (bench, gRPC row).
    if (handler.method.methodKind === "unary" && request.raw.httpVersionMajor === 1) await writeWhole(response, request, reply);
    else await universalResponseToNodeResponse(closeIfBodyUnread(response, request, reply), reply.raw);
  } catch (error) {
    if (ConnectError.from(error).code === Code.Aborted) return;
    request.log.error({ err: error, procedure: handler.requestPath }, "rpc handler failed");
  }
}

/** The request as Connect's handlers take it. */
function universalRequest(request: FastifyRequest, reply: FastifyReply): UniversalServerRequest {
  const raw = request.raw;
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort(new ConnectError("the client went away", Code.Canceled));
  });
  const authority = (raw.headers[":authority"] as string | undefined) ?? raw.headers.host ?? "localhost";
  const header = new Headers();
  for (const [name, value] of Object.entries(raw.headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    for (const each of Array.isArray(value) ? value : [value]) header.append(name, each);
  }
  return {
    httpVersion: raw.httpVersion,
    method: raw.method ?? "",
    url: new URL(raw.url ?? "", `http://${authority}`).toString(),
    header,
    body: raw as AsyncIterable<Uint8Array>,
    signal: controller.signal,
  };
}

/**
 * An HTTP/1.1 request refused after Connect began reading its body but
 * before the end (a chunked body over the size limit, say) leaves the
 * connection in the middle of that body: Node drains only bodies nobody
 * started to read, so it parses no next request there, and a client that
 * reuses the connection waits until the keep-alive timer resets it. Such an
 * answer therefore says `connection: close` (RFC 9112, section 9.6). It is
 * decided when the head is written: connect-node writes it once the first
 * chunk of the answer exists, and the body is wrapped to look just before.
 */
function closeIfBodyUnread(response: UniversalServerResponse, request: FastifyRequest, reply: FastifyReply): UniversalServerResponse {
  const raw = request.raw;
  if (raw.httpVersionMajor !== 1) return response;
  const decide = () => {
    const stuck = !raw.complete && (raw.destroyed || raw.readableDidRead);
    if (stuck && !reply.raw.headersSent) reply.raw.setHeader("connection", "close");
  };
  const body = response.body;
  if (!body) {
    decide();
    return response;
  }
  async function* decidingFirst() {
    let decided = false;
    for await (const chunk of body!) {
      if (!decided) decide();
      decided = true;
      yield chunk;
    }
    if (!decided) decide();
  }
  return { ...response, body: decidingFirst() };
}

/** One writeHead and one end with the whole body (a unary answer is one message). */
async function writeWhole(response: UniversalServerResponse, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of closeIfBodyUnread(response, request, reply).body ?? []) chunks.push(chunk);
  const raw = reply.raw;
  raw.writeHead(response.status, nodeHeaders(response.header));
  if (response.trailer) raw.addTrailers(nodeHeaders(response.trailer) ?? {});
  raw.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

function nodeHeaders(init: ConstructorParameters<typeof Headers>[0] | undefined): Record<string, string | string[]> | undefined {
  if (init === undefined) return undefined;
  const headers = new Headers(init);
  const result: Record<string, string | string[]> = {};
  headers.forEach((value, name) => (result[name] = value));
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) result["set-cookie"] = cookies;
  return result;
}
