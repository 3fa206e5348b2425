import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { validateUniversalHandlerOptions } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { markReachedInterceptors, serveUnary, streamInputErrorsAreInvalidArgument } from "./connect-decode-errors.js";
import { abortWhenClientGoes, authorityOf, nodeHeaders, requestHeaders } from "./node-messages.js";
import { takeBodyReadBefore } from "./rpc-front-door.js";
import { serverStreamFastPath } from "./server-stream-fast-path.js";
import { unaryFastPath, type H2FastPath, type HeadersSetBefore, type UnaryFastPath } from "./unary-fast-path.js";
import { recordMethods } from "./unary-methods.js";

export interface ConnectRoutesOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
}

/**
 * Serves Connect routes from Fastify (Connect, gRPC and gRPC-Web, as
 * @connectrpc/connect-fastify does) and returns the fast paths by request
 * path, for the server's front door (rpc-front-door.ts): for Node's request
 * objects, and for bare HTTP/2 streams. Plain unary
 * calls, Connect and gRPC, take the unary fast path (unary-fast-path.ts), and
 * plain gRPC server streams the server-streaming one (server-stream-fast-path.ts),
 * here too when the front door left them to Fastify; the rest go to Connect's
 * universal handler of the same route, with two costs of the stock adapter
 * taken out (bench/PROFILE.md):
 * - the request's abort signal fires only when the client goes away before
 *   the answer is complete, not on every response close (an AbortError and a
 *   DOMException per call);
 * - a unary answer over HTTP/1.1 is written in one `end(body)` instead of
 *   writeHead, an awaited write and end.
 * Streaming calls are answered through connect-node as they are produced.
 * The protocol work (codes, headers, trailers, timeouts, compression, GET)
 * stays Connect's own: the universal handlers are unchanged. Where the
 * platform answers differently from the stock adapter, on purpose:
 * - a request message that cannot be decoded (not protobuf, not base64, a
 *   bad envelope) is `invalid_argument`, not `internal` (connect-decode-errors.ts);
 * - the rest of an HTTP/1.1 request body Connect stopped reading (refused
 *   over the size limit, say) is drained, so the connection serves the next
 *   request (drainUnreadBody).
 */
export function registerConnectRoutes(instance: FastifyInstance, options: ConnectRoutesOptions): FastPaths {
  const interceptors = [markReachedInterceptors, ...(options.interceptors ?? []), streamInputErrorsAreInvalidArgument];
  const routerOptions = { acceptCompression: [compressionGzip, compressionBrotli], ...options, interceptors };
  const { router, unary, serverStreaming } = recordMethods(createConnectRouter(routerOptions));
  options.routes(router);
  const handlerOptions = validateUniversalHandlerOptions(routerOptions);
  // Connect reads the bodies itself: no Fastify parsing for any content type inside this plugin.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
  const fastPaths: FastPaths = { node: new Map(), h2: new Map() };
  for (const handler of router.handlers) {
    const answer: Answer =
      handler.method.methodKind === "unary" ? (universal) => serveUnary(handler, universal, interceptors, options.jsonOptions) : handler;
    const spec = unary.get(handler.requestPath);
    const streamSpec = serverStreaming.get(handler.requestPath);
    const unaryPaths = spec && unaryFastPath(spec, handlerOptions);
    const paths = unaryPaths ?? (streamSpec && serverStreamFastPath(streamSpec, handlerOptions));
    const fast = paths?.node;
    if (paths) {
      fastPaths.node.set(handler.requestPath, paths.node);
      fastPaths.h2.set(handler.requestPath, paths.h2);
    }
    instance.all(handler.requestPath, (request, reply) => {
      const fallback = (bodyRead?: Buffer[]) => serve(handler, answer, request, reply, bodyRead);
      const readBefore = takeBodyReadBefore(request.raw);
      if (readBefore) return fallback(readBefore);
      return fast?.(request.raw, reply.raw, fallback, headersSetOn(reply)) ?? fallback();
    });
  }
  return fastPaths;
}

/** The fast paths by request path: for Node's request objects, and for bare HTTP/2 streams. */
export interface FastPaths {
  node: Map<string, UnaryFastPath>;
  h2: Map<string, H2FastPath>;
}

/** Headers hooks set on the reply (CORS), which Fastify would send only with reply.send. */
function headersSetOn(reply: FastifyReply): HeadersSetBefore {
  const head: HeadersSetBefore = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) head[name] = Array.isArray(value) ? value : String(value);
  return head;
}

type Answer = (universal: UniversalServerRequest) => Promise<UniversalServerResponse>;

async function serve(handler: UniversalHandler, answer: Answer, request: FastifyRequest, reply: FastifyReply, bodyRead?: Buffer[]): Promise<void> {
  try {
    // On 'finish', not after the write: connect-node's streaming write never resolves on HTTP/1.1 (it awaits an 'end' event).
    if (request.raw.httpVersionMajor === 1) reply.raw.once("finish", () => drainUnreadBody(request.raw));
    const response = await answer(universalRequest(request, reply, bodyRead));
    // Fastify keeps headers set on the reply until reply.send, which is not used here.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    // HTTP/1.1 only: on HTTP/2 the whole-body write measured slower than Node's stream writes (bench, gRPC row).
    if (handler.method.methodKind === "unary" && request.raw.httpVersionMajor === 1) await writeWhole(response, reply);
    else await universalResponseToNodeResponse(response, reply.raw);
  } catch (error) {
    if (ConnectError.from(error).code === Code.Aborted) return;
    request.log.error({ err: error, procedure: handler.requestPath }, "rpc handler failed");
  }
}

/** The request as Connect's handlers take it; `bodyRead`, the part of the body the fast path read already. */
function universalRequest(request: FastifyRequest, reply: FastifyReply, bodyRead?: Buffer[]): UniversalServerRequest {
  const raw = request.raw;
  const controller = new AbortController();
  abortWhenClientGoes(reply.raw, controller);
  // Kept readable when Connect stops reading early, so that drainUnreadBody can read the rest.
  const rest = raw.httpVersionMajor === 1 ? (raw.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) : raw;
  return {
    httpVersion: raw.httpVersion,
    method: raw.method ?? "",
    url: new URL(raw.url ?? "", `http://${authorityOf(raw)}`).toString(),
    header: requestHeaders(raw),
    body: bodyRead ? prepend(bodyRead, rest) : rest,
    signal: controller.signal,
  };
}

async function* prepend(chunks: Buffer[], rest: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* chunks;
  yield* rest;
}

/**
 * Node drains a request body nobody started to read, but not one read in
 * part: the connection then stays in the middle of that body, parses no next
 * request, and a client that reuses it waits until the keep-alive timer
 * resets it. So the rest is read and dropped here, as Node would have done;
 * the server's request timeout bounds how long that may take. (Closing the
 * connection instead breaks clients still sending: they see a broken pipe, not the
 * answer.)
 */
function drainUnreadBody(raw: FastifyRequest["raw"]): void {
  if (!raw.complete && !raw.destroyed) raw.resume();
}

/** One writeHead and one end with the whole body (a unary answer is one message). */
async function writeWhole(response: UniversalServerResponse, reply: FastifyReply): Promise<void> {
  const chunks: Uint8Array[] = [];
  if (response.body) for await (const chunk of response.body) chunks.push(chunk);
  const raw = reply.raw;
  raw.writeHead(response.status, response.header && nodeHeaders(new Headers(response.header)));
  if (response.trailer) raw.addTrailers(nodeHeaders(new Headers(response.trailer)));
  raw.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

