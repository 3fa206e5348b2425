import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { h2Authority, h2Path, httpDate, ignoreErrors, readStreamBody } from "./h2-stream-exchange.js";
import type { BodyRead } from "./read-body.js";
import type { StreamExchange } from "./stream-exchange.js";
import type { NodeHeaderRecord } from "./unary-wire.js";

/**
 * A server-streaming call on a bare HTTP/2 stream (Node's `stream` event
 * API): no compatibility request and response, which an idle stream would
 * keep for as long as it stays open (two stream objects with their states
 * and listeners). The answer is the one the compatibility response writes:
 * the headers with a `date`, the body as written, then the trailers.
 */
export class H2ServerStreamExchange implements StreamExchange {
  /**
   * Ended by the server, as the compatibility response counts it: a stream
   * reset or destroyed reports itself ended and finished on 'close', so its
   * own flags cannot tell.
   */
  complete = false;

  constructor(
    private readonly stream: ServerHttp2Stream,
    readonly headers: IncomingHttpHeaders,
    /** Until served: it keeps what Node's request object would need (the raw headers among them). */
    private handingOn: ((bodyRead: Buffer[]) => void) | undefined,
  ) {
    // The call learns of a stream error from 'close' (whenClosed).
    ignoreErrors(stream);
  }

  get authority(): string {
    return h2Authority(this.headers);
  }

  get path(): string {
    return h2Path(this.headers);
  }

  readBody(limit: number): Promise<BodyRead> {
    return readStreamBody(this.stream, limit);
  }

  handOn(bodyRead: Buffer[]): void {
    const handOn = this.handingOn;
    this.handingOn = undefined;
    handOn?.(bodyRead);
  }

  served(): void {
    this.handingOn = undefined;
  }

  whenClosed(closed: () => void): void {
    this.stream.on("close", closed);
  }

  sendHead(header: NodeHeaderRecord): void {
    if (this.isGone()) return;
    this.stream.respond({ ...header, ":status": 200, date: httpDate() }, { waitForTrailers: true });
  }

  write(bytes: Uint8Array): boolean {
    // A stream gone takes nothing; its 'close' (whenClosed) is what the call waits for then.
    if (this.isGone()) return false;
    return this.stream.write(bytes);
  }

  whenDrained(drained: () => void): void {
    this.stream.once("drain", drained);
  }

  stopWaitingForDrain(drained: () => void): void {
    this.stream.off("drain", drained);
  }

  end(trailer: NodeHeaderRecord): void {
    const stream = this.stream;
    this.complete = true;
    if (this.isGone()) return;
    stream.once("wantTrailers", () => stream.sendTrailers(trailer));
    stream.end();
  }

  private isGone(): boolean {
    return this.stream.destroyed || this.stream.closed;
  }
}
