import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { readBody, type BodyRead } from "./read-body.js";
import { asRecord, type UnaryExchange } from "./unary-exchange.js";

/**
 * A unary call on a bare HTTP/2 stream: Node's `stream` event API, without
 * the compatibility request and response (two stream objects and seven
 * listeners per call, 5-7 µs of a small call's CPU measured side by side).
 * The answer is the one the compatibility response would write: its headers
 * with a `date`, the body, then the trailers if any.
 */
export function h2StreamExchange(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, handOn: (bodyRead: Buffer[]) => void): UnaryExchange {
  let answered = false;
  // The call learns of a stream error from 'close' (whenClientGoes).
  ignoreErrors(stream);
  return {
    headers,
    authority: h2Authority(headers),
    path: h2Path(headers),
    readBody: (limit) => readStreamBody(stream, limit),
    whenClientGoes(gone) {
      stream.once("close", () => {
        if (!answered) gone();
      });
    },
    answer({ status, header, trailer, body }) {
      answered = true;
      if (stream.destroyed || stream.closed) return;
      const fields = { ...asRecord(header), ":status": status, date: httpDate() };
      if (trailer) {
        stream.respond(fields, { waitForTrailers: true });
        stream.once("wantTrailers", () => stream.sendTrailers(asRecord(trailer)));
      } else stream.respond(fields);
      stream.end(body);
    },
    handOn,
  };
}

/** The authority a bare stream's client addressed (malformed ones were refused before). */
export function h2Authority(headers: IncomingHttpHeaders): string {
  return headers[":authority"] ?? headers.host ?? "localhost";
}

export function h2Path(headers: IncomingHttpHeaders): string {
  return headers[":path"] ?? "/";
}

/** A bare stream's body, up to `limit` bytes: all of it was there if the stream ended. */
export function readStreamBody(stream: ServerHttp2Stream, limit: number): Promise<BodyRead> {
  return readBody(stream, limit, () => stream.readableEnded);
}

/** A stream error with no listener would be thrown: the caller learns of errors from the stream's 'close'. */
export function ignoreErrors(stream: ServerHttp2Stream): void {
  stream.on("error", ignore);
}

function ignore(): void {}

/** The `date` header, made once a second as Node's own servers make it. */
let dateSecond = 0;
let dateText = "";
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}
