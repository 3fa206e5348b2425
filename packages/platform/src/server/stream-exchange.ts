import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { authorityOf, type NodeRequest, type NodeResponse } from "./node-messages.js";
import { readBody, type BodyRead } from "./read-body.js";
import type { Fallback, HeadersSetBefore } from "./unary-exchange.js";
import type { NodeHeaderRecord } from "./unary-wire.js";

/**
 * One server-streaming call's request and answer as the fast path needs
 * them, whatever carries the call: Node's request and response objects
 * (HTTP/2's compatibility API, for calls Fastify routed) or a bare HTTP/2
 * stream (h2-server-stream-exchange.ts). The streaming counterpart of
 * UnaryExchange: the answer goes out in pieces, with backpressure.
 */
export interface StreamExchange {
  /** The request headers as Node gives them (HTTP/2 pseudo-headers included). */
  readonly headers: IncomingHttpHeaders;
  /** The authority the client addressed (malformed ones were refused before). */
  readonly authority: string;
  readonly path: string;
  /** Reads the body, up to `limit` bytes. */
  readBody(limit: number): Promise<BodyRead>;
  /** Leaves the call to Connect's handler, which goes on from the body read so far. */
  handOn(bodyRead: Buffer[]): Promise<void> | void;
  /** The call stays on the fast path for good: what only handing it on needed can go (an idle stream would keep it). */
  served(): void;
  /** Calls `closed` when the stream closes, whichever side closed it: the client went away if the answer was not complete then. */
  whenClosed(closed: () => void): void;
  /** Whether the answer is complete: ended by the server (and flushed, for Node's response). */
  readonly complete: boolean;
  /** Sends the status (200) and the response headers; nothing once the stream is gone. */
  sendHead(header: NodeHeaderRecord): void;
  /** Writes part of the body; false when the client should be let to drain first (then whenDrained). */
  write(bytes: Uint8Array): boolean;
  /** Calls `drained` once when the stream takes more (stopWaitingForDrain takes it back). */
  whenDrained(drained: () => void): void;
  stopWaitingForDrain(drained: () => void): void;
  /** Sends the trailers and ends the answer; nothing once the stream is gone. */
  end(trailer: NodeHeaderRecord): void;
}

/**
 * A call on Node's request and response objects. A class, not an object of
 * closures: an idle stream keeps its exchange, and its methods cost nothing
 * per stream on the prototype.
 */
export class NodeStreamExchange implements StreamExchange {
  constructor(
    private readonly raw: NodeRequest,
    // HTTP/2's compatibility response takes the same arguments as this one; TypeScript cannot call a union of overloads.
    private readonly response: ServerResponse,
    readonly handOn: Fallback,
    private readonly head: HeadersSetBefore | undefined,
  ) {}

  static of(raw: NodeRequest, response: NodeResponse, fallback: Fallback, head: HeadersSetBefore | undefined): NodeStreamExchange {
    return new NodeStreamExchange(raw, response as ServerResponse, fallback, head);
  }

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  get authority(): string {
    return authorityOf(this.raw);
  }

  get path(): string {
    return this.raw.url ?? "/";
  }

  readBody(limit: number): Promise<BodyRead> {
    return readBody(this.raw, limit);
  }

  served(): void {}

  whenClosed(closed: () => void): void {
    this.response.on("close", closed);
  }

  /** Ended and flushed: HTTP/2's compatibility response reports `writableFinished` for a stream the client reset, but not `writableEnded` (node-messages.ts). */
  get complete(): boolean {
    return this.response.writableEnded && this.response.writableFinished;
  }

  sendHead(header: NodeHeaderRecord): void {
    this.response.writeHead(200, this.head ? { ...this.head, ...header } : header);
  }

  write(bytes: Uint8Array): boolean {
    return this.response.write(bytes);
  }

  whenDrained(drained: () => void): void {
    this.response.once("drain", drained);
  }

  stopWaitingForDrain(drained: () => void): void {
    this.response.off("drain", drained);
  }

  end(trailer: NodeHeaderRecord): void {
    this.response.addTrailers(trailer);
    this.response.end();
  }
}
