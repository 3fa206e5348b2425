import http from "node:http";
import http2 from "node:http2";
import type { Socket } from "node:net";

/** The first bytes of every HTTP/2 connection with prior knowledge ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"). */
const h2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
/** "PRI" is no HTTP/1 method, so three bytes are enough to decide. */
const bytesToDecide = 3;
/** How long a closing h2 session whose responses are all out may take to flush them before it is dropped. */
const flushGraceMs = 1_000;

/** Options of the one-port server. */
export interface OnePortServerOptions {
  /** How long a new connection may stay silent before it is dropped (default 10 s). */
  sniffTimeoutMs?: number;
}

/**
 * The http.Server Fastify listens on, plus what its close needs: Fastify calls
 * `closeHttp2Sessions()` on close (when present), and `destroyConnections()`
 * ends whatever is still open once the drain deadline has passed.
 */
export type OnePortServer = http.Server & {
  /** Sends GOAWAY on every open h2c session: in-flight streams finish, no new ones start. */
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
 * `closeIdleConnections()` keeps working. The handler (Fastify's) is called
 * with http2's compatibility request and response for h2c streams.
 */
export function createOnePortServer(handler: http.RequestListener, options: OnePortServerOptions = {}): OnePortServer {
  const sniffTimeoutMs = options.sniffTimeoutMs ?? 10_000;
  const server = http.createServer(handler) as OnePortServer;
  const h2Handler = handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;
  const h2Server = http2.createServer({}, (request, response) => {
    // A response finished before its request was read to the end (an oversized message refused) would leave
    // the stream half-open for good: the client waits for flow-control credit that never comes, and GOAWAY
    // waits for the stream. So the rest of the request is read and dropped. (RST_STREAM(NO_ERROR), which
    // RFC 9113 allows, makes connect-node clients report "Premature close" instead of the real error.)
    const stream = request.stream;
    stream.once("finish", () => {
      if (stream.readableEnded || stream.destroyed) return;
      stream.removeAllListeners("data");
      stream.on("data", () => {});
      stream.resume();
    });
    h2Handler(request, response);
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  const sniffing = new Set<Socket>();
  const http1Sockets = new Set<Socket>();

  // Streams still answering, per session. A client may stop sending a request the server has already
  // refused without ever ending it (connect-node does, after an oversized message), so its stream stays
  // half-open and GOAWAY alone would wait for it forever. A closing session whose responses are all out
  // gets a moment to flush them, then is destroyed.
  const answering = new Map<http2.ServerHttp2Session, number>();
  const destroyWhenAnswered = (session: http2.ServerHttp2Session) => {
    if (!session.closed || session.destroyed || (answering.get(session) ?? 0) > 0) return;
    setTimeout(() => session.destroyed || session.destroy(), flushGraceMs).unref();
  };
  h2Server.on("session", (session) => {
    sessions.add(session);
    answering.set(session, 0);
    session.on("stream", (stream) => {
      answering.set(session, (answering.get(session) ?? 0) + 1);
      let answered = false;
      const onAnswered = () => {
        if (answered) return;
        answered = true;
        answering.set(session, (answering.get(session) ?? 1) - 1);
        destroyWhenAnswered(session);
      };
      stream.once("finish", onAnswered);
      stream.once("close", onAnswered);
    });
    session.once("close", () => {
      sessions.delete(session);
      answering.delete(session);
    });
  });
  // A broken h2 session is the client's problem; never the process's.
  h2Server.on("sessionError", () => {});

  const http1ConnectionListeners = server.listeners("connection") as ((socket: Socket) => void)[];
  server.removeAllListeners("connection");
  server.on("connection", (socket: Socket) => {
    const chunks: Buffer[] = [];
    let length = 0;
    sniffing.add(socket);
    // Guards for the sniffing phase: a client that resets or never speaks must not crash or pin the process.
    const onError = () => socket.destroy();
    const timer = setTimeout(() => socket.destroy(), sniffTimeoutMs);
    timer.unref();
    const stopSniffing = () => {
      clearTimeout(timer);
      sniffing.delete(socket);
      socket.removeListener("data", onData);
      socket.removeListener("error", onError);
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
        h2Server.emit("connection", socket);
      } else {
        http1Sockets.add(socket);
        socket.once("close", () => http1Sockets.delete(socket));
        for (const listener of http1ConnectionListeners) listener.call(server, socket);
        // The HTTP/1 parser reads by 'data' events: without this it never sees the pushed-back bytes.
        socket.resume();
      }
    };
    socket.on("error", onError);
    socket.on("close", stopSniffing);
    socket.on("data", onData);
  });

  server.closeHttp2Sessions = () => {
    for (const session of sessions) {
      session.close();
      destroyWhenAnswered(session);
    }
    // A socket that has not spoken yet has no request to finish.
    for (const socket of sniffing) socket.destroy();
  };
  server.destroyConnections = () => {
    for (const session of sessions) session.destroy();
    for (const socket of sniffing) socket.destroy();
    for (const socket of http1Sockets) socket.destroy();
  };
  return server;
}
