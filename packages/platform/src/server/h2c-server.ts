import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";

/**
 * Takes an HTTP/2 stream before Node makes a request and a response object
 * for it (true), or leaves it (false). `handOn` gives a stream it took to the
 * handler after all, with the body read so far.
 */
export type StreamFrontDoor = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, handOn: (bodyRead: Buffer[]) => void) => boolean;

type CompatHandler = (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void;

/**
 * The h2c side of the one-port server. Node's http2 server makes its
 * compatibility request and response for every stream once a 'request'
 * listener is added, so none is: each stream is offered to `front` first,
 * and only the streams it leaves get the pair, made here as Node makes it
 * (CONNECT and Expect answered as Node answers them when no listener asks
 * for them), and go to `handler`. A stream `front` hands back goes to
 * `handedOn` (the handler behind the front door) with what was read of its
 * body put back in front of the rest.
 */
export function createH2cServer(settings: http2.Settings, handler: CompatHandler, handedOn: CompatHandler, front?: StreamFrontDoor): http2.Http2Server {
  const server = http2.createServer({ settings });
  server.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
    const handOn = (bodyRead: Buffer[]) => serveCompat(stream, headers, rawHeaders, handedOn, bodyRead);
    if (!front?.(stream, headers, handOn)) serveCompat(stream, headers, rawHeaders, handler);
  });
  return server;
}

function serveCompat(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[], handler: CompatHandler, bodyRead?: Buffer[]): void {
  const request = new http2.Http2ServerRequest(stream, headers, {}, rawHeaders);
  const response = new http2.Http2ServerResponse(stream);
  if (bodyRead) putBack(request, stream, bodyRead);
  if (headers[":method"] === "CONNECT") {
    refuse(response, 405);
    return;
  }
  if (headers.expect !== undefined) {
    if (headers.expect !== "100-continue") {
      refuse(response, 417);
      return;
    }
    response.writeContinue();
  }
  drainAfterAnswer(stream);
  handler(request, response);
}

/** What was read of the body goes first; the rest follows from the stream, or the request ends if there is none. */
function putBack(request: http2.Http2ServerRequest, stream: ServerHttp2Stream, bodyRead: Buffer[]): void {
  for (const chunk of bodyRead) request.push(chunk);
  if (stream.readableEnded) request.push(null);
}

function refuse(response: http2.Http2ServerResponse, status: number): void {
  response.statusCode = status;
  response.end();
}

/**
 * A response finished before its request was read to the end (an oversized
 * message refused) would leave the stream half-open for good: the client
 * waits for flow-control credit that never comes, and GOAWAY waits for the
 * stream. So the rest of the request is read and dropped. (RST_STREAM(NO_ERROR),
 * which RFC 9113 allows, makes connect-node clients report "Premature close"
 * instead of the real error.)
 */
function drainAfterAnswer(stream: ServerHttp2Stream): void {
  stream.once("finish", () => {
    if (stream.readableEnded || stream.destroyed) return;
    stream.removeAllListeners("data");
    stream.on("data", () => {});
    stream.resume();
  });
}
