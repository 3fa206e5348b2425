import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalClientFn, UniversalClientRequest, UniversalClientResponse } from "@connectrpc/connect/protocol";

/** Errors that mean the peer could not be reached or its connection broke: Unavailable, worth trying another instance. */
const connectionErrors = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_INVALID_SESSION"]);

/**
 * An HTTP/2 client for Connect's transports, one multiplexed h2c session per
 * origin, reopened when it closes. It sends a request and answers with the
 * response's bytes as they come: the work connect-node's client does with a
 * session manager (pings, idle timers, states) and several async-iterable
 * stages per call, which showed in the peer path of every order
 * (bench/PROFILE.md). A peer that goes away ends its session, so there is
 * nothing to ping: the next call opens a new one.
 */
export function h2Client(): UniversalClientFn & { close(): void } {
  const sessions = new Map<string, http2.ClientHttp2Session>();

  const sessionFor = (origin: string): http2.ClientHttp2Session => {
    const open = sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const session = http2.connect(origin);
    // An idle session must not keep the process alive; a call in flight keeps it open through its stream.
    session.unref();
    const forget = () => {
      if (sessions.get(origin) === session) sessions.delete(origin);
    };
    session.once("close", forget).once("goaway", forget).on("error", forget);
    sessions.set(origin, session);
    return session;
  };

  const client = (request: UniversalClientRequest): Promise<UniversalClientResponse> =>
    new Promise((resolve, reject) => {
      const signal = request.signal;
      if (signal?.aborted) {
        reject(ConnectError.from(signal.reason, Code.Canceled));
        return;
      }
      const pathStart = request.url.indexOf("/", request.url.indexOf("//") + 2);
      const headers: http2.OutgoingHttpHeaders = { ":method": request.method, ":path": request.url.slice(pathStart) };
      request.header.forEach((value, name) => (headers[name] = value));
      let stream: http2.ClientHttp2Stream;
      try {
        stream = sessionFor(request.url.slice(0, pathStart)).request(headers);
      } catch (error) {
        reject(unreachable(error));
        return;
      }
      const onAbort = () => stream.close(http2.constants.NGHTTP2_CANCEL);
      signal?.addEventListener("abort", onAbort, { once: true });
      const body = bufferedBody(stream);
      const trailer = new Headers();
      stream.once("trailers", (received: http2.IncomingHttpHeaders) => copyInto(trailer, received));
      stream.once("response", (received) => {
        const header = new Headers();
        copyInto(header, received);
        resolve({ status: Number(received[":status"]), header, body: body.iterable, trailer });
      });
      stream.once("close", () => {
        signal?.removeEventListener("abort", onAbort);
        // Ended without an answer and without an error (a reset with NO_ERROR): the peer did not answer.
        reject(new ConnectError("the peer closed the stream without answering", Code.Unavailable));
      });
      stream.once("error", (error) => {
        const failure = signal?.aborted ? ConnectError.from(signal.reason, Code.Canceled) : unreachable(error);
        body.fail(failure);
        reject(failure);
      });
      void send(stream, request.body).catch((error: unknown) => stream.destroy(error as Error));
    });
  return Object.assign(client, {
    close() {
      for (const session of sessions.values()) session.close();
      sessions.clear();
    },
  });
}

async function send(stream: http2.ClientHttp2Stream, body: AsyncIterable<Uint8Array> | undefined): Promise<void> {
  if (body) for await (const chunk of body) stream.write(chunk);
  stream.end();
}

/** The response body, gathered as it arrives and read once it has all arrived (a unary answer is one message). */
function bufferedBody(stream: http2.ClientHttp2Stream): { iterable: AsyncIterable<Uint8Array>; fail(error: Error): void } {
  const chunks: Buffer[] = [];
  let failed: Error | undefined;
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", resolve);
    stream.once("close", () => (failed ? reject(failed) : resolve()));
  });
  // Nobody may read a body that failed: its rejection must not go unhandled.
  ended.catch(() => undefined);
  return {
    iterable: {
      async *[Symbol.asyncIterator]() {
        await ended;
        if (chunks.length > 0) yield chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      },
    },
    fail: (error) => (failed = error),
  };
}

function copyInto(target: Headers, received: http2.IncomingHttpHeaders): void {
  for (const name in received) {
    const value = received[name];
    if (name.startsWith(":") || value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) target.append(name, each);
    else target.set(name, value);
  }
}

/**
 * A failure of the connection, as the transports report one: Unavailable with
 * the cause that says so kept (peer-transport.ts fails over on it). Node wraps
 * it: a stream pending on a session that could not connect is "canceled",
 * caused by ECONNREFUSED.
 */
function unreachable(error: unknown): ConnectError {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code && connectionErrors.has(code)) return new ConnectError(cause.message, Code.Unavailable, undefined, undefined, cause);
  }
  return new ConnectError(error instanceof Error ? error.message : String(error), Code.Internal, undefined, undefined, error);
}
