import http from "node:http";
import http2 from "node:http2";
import type { Socket } from "node:net";
import { createH2cServer, type StreamFrontDoor } from "./h2c-server.js";
import { trackH2Sessions } from "./h2-sessions.js";
import { refuseMalformedHost } from "./malformed-host.js";

/** The first bytes of every HTTP/2 connection with prior knowledge ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"). */
const h2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
/** "PRI" is no HTTP/1 method, so three bytes are enough to decide. */
const bytesToDecide = 3;

/** Bounds on connections and slow clients; every one has a default (connectionLimitDefaults). */
export interface OnePortServerOptions {
  /** Open connections of both protocols together; a connection beyond it is closed as soon as it is accepted. */
  maxConnections?: number;
  /** How long a client may take to send a request's headers (HTTP/1.1), and to send its first bytes at all. */
  headersTimeoutMs?: number;
  /**
   * How long a client may take to send a whole HTTP/1.1 request, body included. The response is not
   * limited by it, so a long server stream over HTTP/1.1 (Connect, gRPC-Web) is not cut; HTTP/2 streams
   * are bounded by the stream limits instead.
   */
  requestTimeoutMs?: number;
  /** How long an HTTP/1.1 connection may stay open with no request in flight. */
  keepAliveTimeoutMs?: number;
  /** How long an h2c session may stay open with no stream in flight before it gets GOAWAY. */
  h2IdleTimeoutMs?: number;
  /** Streams one h2c connection may have open at once (the SETTINGS_MAX_CONCURRENT_STREAMS it announces). */
  maxConcurrentStreams?: number;
}

/** The defaults of OnePortServerOptions. */
export const connectionLimitDefaults: Required<OnePortServerOptions> = {
  maxConnections: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Longer than the idle timeout of common load balancers (60 s), so the server is never the side that closes
  // a connection the balancer is about to reuse (the reason Fastify's own default is 72 s).
  keepAliveTimeoutMs: 72_000,
  h2IdleTimeoutMs: 300_000,
  // What RFC 9113 recommends as the least a server should allow, and what most servers announce.
  maxConcurrentStreams: 100,
};

/**
 * Takes a request before the handler (true), or leaves it to the handler
 * (false); `handler` serves it later, when the front door hands it on.
 */
export type FrontDoor = (request: http.IncomingMessage, response: http.ServerResponse, handler: () => void) => boolean;

/**
 * The http.Server Fastify listens on, plus what its close needs: Fastify calls
 * `closeHttp2Sessions()` on close (when present), and `destroyConnections()`
 * ends whatever is still open once the drain deadline has passed.
 */
export type OnePortServer = http.Server & {
  /**
   * Starts closing every connection: GOAWAY on each h2c session, and each HTTP/1.1
   * connection closes once its answer in flight is out. In-flight calls finish, no new ones start.
   */
  closeHttp2Sessions(): void;
  /** Drops every connection now: h2c sessions, HTTP/1.1 sockets, sockets still being sniffed. */
  destroyConnections(): void;
};

/**
 * Serves HTTP/1.1 and h2c (HTTP/2 with prior knowledge, what gRPC clients
 * speak without TLS) on one port, both driving the same handler.
 *
 * Node's `http2.createServer({ allowHTTP1: true })` only falls back to
 * HTTP/1.1 through TLS ALPN, so the fallback is done here: each new socket is
 * read until its first bytes tell HTTP/2's preface from an HTTP/1 request
 * line, the bytes are pushed back, and the socket goes to the matching server.
 * The returned object is the real http.Server, so Fastify's
 * `closeIdleConnections()` keeps working, and its `maxConnections` counts the
 * sockets handed to HTTP/2 too (they were accepted by it). The handler
 * (Fastify's) is called with http2's compatibility request and response for
 * h2c streams. A request with a malformed Host is answered here, before it;
 * `front` may take any other before the handler does, and `streamFront` an
 * h2c stream before any request object is made for it (h2c-server.ts).
 */
export function createOnePortServer(handler: http.RequestListener, options: OnePortServerOptions = {}, front?: FrontDoor, streamFront?: StreamFrontDoor): OnePortServer {
  const limits = { ...connectionLimitDefaults, ...options };
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const guarded: http.RequestListener = (request, response) => {
    if (refuseMalformedHost(request, response)) return;
    if (!front?.(request, response, () => handler(request, response))) handler(request, response);
  };
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node checks the two timeouts above (30 s by default, which would let a slow client stay far longer).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    guarded,
  ) as OnePortServer;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  const h2Handler = guarded as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;
  const h2Server = createH2cServer(
    { maxConcurrentStreams: limits.maxConcurrentStreams },
    h2Handler,
    handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
    streamFront,
  );
  const sessions = trackH2Sessions(h2Server, limits.h2IdleTimeoutMs);
  // A broken h2 session is the client's problem; never the process's.
  h2Server.on("sessionError", () => {});

  const sniffing = new Set<Socket>();
  const http1Sockets = new Set<Socket>();
  const http1ConnectionListeners = server.listeners("connection") as ((socket: Socket) => void)[];
  server.removeAllListeners("connection");
  server.on("connection", (socket: Socket) => {
    const chunks: Buffer[] = [];
    let length = 0;
    sniffing.add(socket);
    // Guards for the sniffing phase: a client that resets or never speaks must not crash or pin the process.
    // http.Server allows half-open sockets, so one the client ends before speaking is closed here, not kept.
    const onError = () => socket.destroy();
    const timer = setTimeout(() => socket.destroy(), headersTimeout);
    timer.unref();
    const stopSniffing = () => {
      clearTimeout(timer);
      sniffing.delete(socket);
      socket.removeListener("data", onData);
      socket.removeListener("error", onError);
      socket.removeListener("end", onError);
      socket.removeListener("close", stopSniffing);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < bytesToDecide) return;
      socket.pause();
      stopSniffing();
      const head = Buffer.concat(chunks, length);
      socket.unshift(head);
      if (head.subarray(0, bytesToDecide).equals(h2Preface.subarray(0, bytesToDecide))) {
        sessions.accept(socket);
      } else {
        http1Sockets.add(socket);
        socket.once("close", () => http1Sockets.delete(socket));
        for (const listener of http1ConnectionListeners) listener.call(server, socket);
        // The HTTP/1 parser reads by 'data' events: without this it never sees the pushed-back bytes.
        socket.resume();
      }
    };
    socket.on("error", onError);
    socket.on("end", onError);
    socket.on("close", stopSniffing);
    socket.on("data", onData);
  });

  server.closeHttp2Sessions = () => {
    sessions.closeAll();
    // A socket that has not spoken yet has no request to finish.
    for (const socket of sniffing) socket.destroy();
    for (const socket of http1Sockets) closeAfterAnswer(socket);
  };
  server.destroyConnections = () => {
    sessions.destroyAll();
    for (const socket of sniffing) socket.destroy();
    for (const socket of http1Sockets) socket.destroy();
  };
  return server;
}

/**
 * Lets an HTTP/1.1 connection finish the answer it is writing, then closes
 * it. Node's server.close() and Fastify close only idle connections, so one
 * busy when close starts would stay open, kept alive by its client, until the
 * drain deadline. The answer in flight is Node's `_httpMessage` (what its own
 * closeIdleConnections reads): told `connection: close` if its head is not out
 * yet (Node then ends the socket after it), otherwise ended after it.
 */
function closeAfterAnswer(socket: Socket): void {
  const answer = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (!answer) return; // idle: closeIdleConnections ends it
  if (!answer.headersSent) answer.setHeader("connection", "close");
  else answer.once("finish", () => socket.destroySoon());
}
