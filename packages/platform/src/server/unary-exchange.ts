import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { authorityOf, nodeHeaders, whenClientGoes, type NodeRequest, type NodeResponse } from "./node-messages.js";
import { readBody, type BodyRead } from "./read-body.js";
import type { NodeHeaderRecord, WireAnswer } from "./unary-wire.js";

/**
 * One unary call's request and answer as the fast path needs them, whatever
 * carries the call: Node's request and response objects (HTTP/1.1, HTTP/2's
 * compatibility API) or a bare HTTP/2 stream (h2-stream-exchange.ts).
 */
export interface UnaryExchange {
  /** The request headers as Node gives them (HTTP/2 pseudo-headers included). */
  readonly headers: IncomingHttpHeaders;
  /** The authority the client addressed (malformed ones were refused before). */
  readonly authority: string;
  readonly path: string;
  /** Reads the body, up to `limit` bytes. */
  readBody(limit: number): Promise<BodyRead>;
  /** Calls `gone` if the client goes away before the answer is complete. */
  whenClientGoes(gone: () => void): void;
  /** Writes the whole answer at once. */
  answer(answer: WireAnswer): void;
  /** Leaves the call to Connect's handler, which goes on from the body read so far; resolves when it answered, where that can be known. */
  handOn(bodyRead: Buffer[]): Promise<void> | void;
}

/** Headers to answer with besides the call's own (set by a hook before the call, such as CORS). */
export type HeadersSetBefore = Record<string, string | string[]>;

/** Serves the call from the body read so far (the rest still in the request): Connect's own handler. */
export type Fallback = (bodyRead: Buffer[]) => Promise<void> | void;

/** A call on Node's request and response objects. */
export function nodeExchange(raw: NodeRequest, response: NodeResponse, fallback: Fallback, head: HeadersSetBefore | undefined): UnaryExchange {
  return {
    headers: raw.headers,
    authority: authorityOf(raw),
    path: raw.url ?? "/",
    readBody: (limit) => readBody(raw, limit),
    whenClientGoes: (gone) => whenClientGoes(response, gone),
    answer(answer) {
      const header = asRecord(answer.header);
      // HTTP/2's compatibility response takes the same arguments; TypeScript cannot call a union of overloads.
      (response as ServerResponse).writeHead(answer.status, head ? { ...head, ...header } : header);
      if (answer.trailer) response.addTrailers(asRecord(answer.trailer));
      response.end(answer.body);
    },
    handOn: fallback,
  };
}

/** Headers as Node writes them, from either form a wire answer has. */
export function asRecord(headers: Headers | NodeHeaderRecord): NodeHeaderRecord {
  return headers instanceof Headers ? nodeHeaders(headers) : headers;
}
