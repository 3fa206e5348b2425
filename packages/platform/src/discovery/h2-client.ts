import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";

/** Errors that mean the peer could not be reached or its connection broke: Unavailable, worth trying another instance. */
const connectionErrors = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_INVALID_SESSION"]);

/** One unary exchange: the whole request body out, the whole response body back. */
export interface H2Request {
  url: string;
  header: Headers;
  body: Uint8Array;
  /** The caller giving up: the stream is cancelled and the call ends CANCELED with the signal's reason. */
  signal: AbortSignal | undefined;
  /** When to give up waiting: the stream is cancelled and the call ends DEADLINE_EXCEEDED. */
  timeoutMs: number | undefined;
  /** The largest response body taken; a larger one ends the call RESOURCE_EXHAUSTED. */
  maxResponseBytes: number;
}

export interface H2Response {
  status: number;
  header: Headers;
  body: Buffer;
}

export interface H2Client {
  unary(request: H2Request): Promise<H2Response>;
  close(): void;
}

/**
 * An HTTP/2 client for unary peer calls, one multiplexed h2c session per
 * origin, reopened when it closes. A call is one stream: headers and body
 * out, the answer gathered and handed back whole, with one timer for its
 * deadline and nothing else per call: the work connect-node's client does
 * with a session manager (pings, idle timers, states) and async-iterable
 * stages, and connect-es's call runner with two abort controllers and an
 * abort per call (bench/PROFILE.md). A peer that goes away ends its session,
 * so there is nothing to ping: the next call opens a new one.
 */
export function h2Client(): H2Client {
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

  return {
    unary: (request) => exchange(request, sessionFor),
    close() {
      for (const session of sessions.values()) session.close();
      sessions.clear();
    },
  };
}

function exchange(request: H2Request, sessionFor: (origin: string) => http2.ClientHttp2Session): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const signal = request.signal;
    if (signal?.aborted) {
      reject(ConnectError.from(signal.reason, Code.Canceled));
      return;
    }
    const pathStart = request.url.indexOf("/", request.url.indexOf("//") + 2);
    const headers: http2.OutgoingHttpHeaders = { ":method": "POST", ":path": request.url.slice(pathStart) };
    request.header.forEach((value, name) => (headers[name] = value));
    let stream: http2.ClientHttp2Stream;
    try {
      stream = sessionFor(request.url.slice(0, pathStart)).request(headers);
    } catch (error) {
      reject(unreachable(error));
      return;
    }
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const giveUp = (error: () => ConnectError) => {
      if (!settle()) return;
      stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(error());
    };
    const onAbort = () => giveUp(() => ConnectError.from(signal?.reason, Code.Canceled));
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = request.timeoutMs === undefined ? undefined : setTimeout(() => giveUp(() => new ConnectError("the operation timed out", Code.DeadlineExceeded)), request.timeoutMs);

    let status = 0;
    let header: Headers | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.once("response", (received) => {
      status = Number(received[":status"]);
      header = headersOf(received);
    });
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > request.maxResponseBytes) giveUp(() => new ConnectError(`message size ${size} is larger than configured readMaxBytes ${request.maxResponseBytes}`, Code.ResourceExhausted));
      else chunks.push(chunk);
    });
    stream.once("end", () => {
      if (!header || !settle()) return;
      resolve({ status, header, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    });
    // Ended without an answer and without an error (a reset with NO_ERROR): the peer did not answer.
    stream.once("close", () => settle() && reject(new ConnectError("the peer closed the stream without answering", Code.Unavailable)));
    stream.once("error", (error) => settle() && reject(unreachable(error)));
    stream.end(request.body);
  });
}

function headersOf(received: http2.IncomingHttpHeaders): Headers {
  const header = new Headers();
  for (const name in received) {
    const value = received[name];
    if (name.startsWith(":") || value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) header.append(name, each);
    else header.set(name, value);
  }
  return header;
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
