import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest, ServerHttp2Stream } from "node:http2";

export type BodyRead =
  | { outcome: "whole"; bytes: Buffer }
  /** Over the limit: reading stopped, the chunks read so far are kept and the rest is still in the request. */
  | { outcome: "too large"; chunks: Buffer[] }
  /** The client went away before sending all of it. */
  | { outcome: "gone" };

/**
 * Reads a request body into one buffer, up to `limit` bytes, with plain
 * stream events (an async iterator costs a promise per chunk, and most unary
 * bodies are one chunk). `complete` says whether the body was all there when
 * the request closed: Node's request objects know (`complete`); a bare HTTP/2
 * stream says it by having ended.
 */
export function readBody(
  raw: IncomingMessage | Http2ServerRequest | ServerHttp2Stream,
  limit: number,
  complete: () => boolean = () => (raw as IncomingMessage).complete,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (read: BodyRead) => {
      raw.off("data", onData).off("end", onEnd).off("close", onClose).off("error", onClose);
      // An error event with no listener would be thrown; a shared one keeps none of this read (a stream served for long keeps its listeners).
      if (raw.listenerCount("error") === 0) raw.on("error", ignoreError);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      raw.pause();
      done({ outcome: "too large", chunks });
    };
    const onEnd = () => done({ outcome: "whole", bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onClose = () => {
      if (!complete()) done({ outcome: "gone" });
    };
    raw.on("data", onData).once("end", onEnd).once("close", onClose).once("error", onClose);
  });
}

function ignoreError(): void {}
