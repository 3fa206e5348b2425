import type http2 from "node:http2";
import type { Socket } from "node:net";

/** How long a closing h2 session whose responses are all out may take to flush them before it is dropped. */
const flushGraceMs = 1_000;

/** The h2c sessions of one server, for closing them and for dropping the idle ones. */
export interface H2Sessions {
  /** Starts an h2c session on a socket whose first bytes were the HTTP/2 preface. */
  accept(socket: Socket): void;
  /** Sends GOAWAY on every session: in-flight streams finish, no new ones start. */
  closeAll(): void;
  /** Drops every session now. */
  destroyAll(): void;
}

/**
 * Tracks the sessions of `h2Server`, their sockets and the streams each is
 * still answering.
 *
 * A session with no stream open for `idleTimeoutMs` gets GOAWAY (clients
 * reconnect on their next call), so idle clients do not hold connections
 * (and their slots under the connection cap) for good. Only streamless time
 * counts: a quiet server stream is not idleness, and a session that never
 * completes its first stream's headers is.
 *
 * A client may stop sending a request the server has already refused without
 * ever ending it (connect-node does, after an oversized message), so its
 * stream stays half-open and GOAWAY alone would wait for it forever. A
 * closing session whose responses are all out gets a moment to flush them,
 * then is destroyed.
 *
 * Destroying a session that was closed first only ends its side of the
 * socket and waits for the client to end its own (and the socket comes from
 * an http.Server, which allows half-open sockets), so a client that never
 * does would hold it for good: the socket itself is destroyed too.
 */
export function trackH2Sessions(h2Server: http2.Http2Server, idleTimeoutMs: number): H2Sessions {
  /** The streams each session is still answering. */
  const answering = new Map<http2.ServerHttp2Session, Set<http2.ServerHttp2Stream>>();
  const sockets = new Map<http2.ServerHttp2Session, Socket>();
  const destroy = (session: http2.ServerHttp2Session) => {
    session.destroy();
    sockets.get(session)?.destroy();
  };
  const destroyWhenAnswered = (session: http2.ServerHttp2Session) => {
    if (!session.closed || session.destroyed || (answering.get(session)?.size ?? 0) > 0) return;
    setTimeout(() => destroy(session), flushGraceMs).unref();
  };

  // Node creates the session and emits "session" synchronously inside emit("connection"): this is its socket.
  let accepting: Socket | undefined;
  h2Server.on("session", (session) => {
    const streams = new Set<http2.ServerHttp2Stream>();
    answering.set(session, streams);
    if (accepting) sockets.set(session, accepting);
    let idleTimer: NodeJS.Timeout | undefined;
    const startIdling = () => {
      idleTimer = setTimeout(() => {
        session.close();
        destroyWhenAnswered(session);
      }, idleTimeoutMs);
      idleTimer.unref();
    };
    startIdling();
    // One listener for all the session's streams, not a closure (and two once-wrappers) per stream: an idle server stream keeps them.
    function answered(this: http2.ServerHttp2Stream) {
      if (!streams.delete(this)) return;
      if (streams.size === 0 && !session.closed) startIdling();
      destroyWhenAnswered(session);
    }
    session.on("stream", (stream) => {
      clearTimeout(idleTimer);
      streams.add(stream);
      // Each is emitted once at most; the first of the two counts.
      stream.on("finish", answered).on("close", answered);
    });
    session.once("close", () => {
      clearTimeout(idleTimer);
      answering.delete(session);
      sockets.delete(session);
    });
  });

  return {
    accept(socket) {
      // The socket comes from an http.Server, which allows half-open sockets; handed to HTTP/2 as such, a client
      // that drops its connection leaves one of its streams open for good (its handler never told, its slot held).
      socket.allowHalfOpen = false;
      accepting = socket;
      try {
        h2Server.emit("connection", socket);
      } finally {
        accepting = undefined;
      }
    },
    closeAll() {
      for (const session of answering.keys()) {
        session.close();
        destroyWhenAnswered(session);
      }
    },
    destroyAll() {
      for (const session of [...answering.keys()]) destroy(session);
    },
  };
}
