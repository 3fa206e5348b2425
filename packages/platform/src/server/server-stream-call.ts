import type { DescMethodServerStreaming } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type StreamResponse } from "@connectrpc/connect";
import type { Compression, Serialization, UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import * as grpc from "@connectrpc/connect/protocol-grpc";
import { CallValues } from "./call-values.js";
import { respecEncoded } from "./grpc-message-encoding.js";
import { nodeHeaders, requestHeaders } from "./node-messages.js";
import type { StreamExchange } from "./stream-exchange.js";
import { copyHeaders } from "./unary-invoke.js";
import { compressedEnvelope } from "./unary-wire.js";

/** How a call's messages are written: the method's serializer, Connect's options, the compression negotiated. */
export interface StreamWriting {
  serialize: Serialization<unknown>["serialize"];
  options: UniversalHandlerOptions;
  compression: Compression | null;
}

/** The handler context of each call, found again from the values the interceptors pass on. */
export const contextOf = new WeakMap<object, HandlerContext>();

const noTimeout = () => undefined;

/**
 * One server-streaming call of the fast path: its handler context, whose
 * signal aborts when the client goes away (for HTTP/2: the stream closed
 * before the answer was ended), at the deadline, when the server shuts down
 * and when the call ends; and the writing of its answer: the response
 * headers with the first message, each message in its envelope, the status
 * in the trailers.
 *
 * Written with promise callbacks that are fields of the call rather than an
 * async loop: a call waiting for its next message (an idle WatchOrder) holds
 * no frame, and so neither the last message nor the last envelope it wrote.
 */
export class StreamCall {
  readonly context: HandlerContext;
  gone = false;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private waitingForDrain: (() => void) | undefined;
  private headSent = false;
  private messages: AsyncIterator<unknown> | undefined;
  private trailer: Headers | undefined;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(
    private readonly exchange: StreamExchange,
    method: DescMethodServerStreaming,
    timeoutMs: number | undefined,
    private readonly writing: StreamWriting,
    private readonly calls: Set<AbortController> | undefined,
  ) {
    const controller = this.controller;
    exchange.whenClosed(this.closed);
    calls?.add(controller);
    // Whole milliseconds, as connect-es's context (a Date) gives them: gRPC timeouts in µs or ns are fractional.
    const deadline = timeoutMs === undefined ? undefined : new Date(Date.now() + timeoutMs).getTime();
    if (timeoutMs !== undefined) {
      const timedOut = () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded));
      if (timeoutMs <= 0) timedOut();
      else this.timer = setTimeout(timedOut, timeoutMs);
    }
    const responseHeader = new Headers({ "content-type": grpc.contentTypeProto });
    if (writing.compression) responseHeader.set("grpc-encoding", writing.compression.name);
    this.context = {
      method,
      service: method.parent,
      requestMethod: "POST",
      protocolName: "grpc",
      url: `http://${exchange.authority}${exchange.path}`,
      signal: controller.signal,
      timeoutMs: deadline === undefined ? noTimeout : () => deadline - Date.now(),
      requestHeader: requestHeaders(exchange),
      responseHeader,
      responseTrailer: new Headers({ "grpc-status": grpc.grpcStatusOk }),
      values: new CallValues(),
    };
    contextOf.set(this.context.values, this.context);
  }

  /** Writes the answer's messages as they come, then its status; resolves once the call has ended (rejects if writing the end failed). */
  answer(answer: StreamResponse): Promise<void> {
    this.messages = answer.message[Symbol.asyncIterator]();
    this.trailer = answer.trailer;
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.step();
    });
  }

  /** Ends the call with `error` (or OK) and writes the end of the answer, unless the client has gone. */
  close(error?: unknown): void {
    if (this.gone) void this.messages?.return?.()?.catch?.(() => {});
    const trailer = this.context.responseTrailer;
    if (error === undefined) this.end();
    else {
      const connectError = error instanceof ConnectError ? error : new ConnectError("internal error", Code.Internal, undefined, undefined, error);
      this.end(connectError);
      grpc.setTrailerStatus(trailer, connectError);
      const message = trailer.get("grpc-message");
      if (message !== null) trailer.set("grpc-message", respecEncoded(message));
    }
    if (this.gone) return;
    if (!this.headSent) this.sendHead();
    this.exchange.end(nodeHeaders(trailer));
  }

  private readonly step = (): void => {
    try {
      this.messages!.next().then(this.onNext).then(undefined, this.failed);
    } catch (error) {
      this.failed(error);
    }
  };

  private readonly onNext = (next: IteratorResult<unknown>): Promise<void> | undefined => {
    if (next.done) this.ended();
    // Once the client has gone, the implementation still sees its signal and finishes; nothing is written.
    else if (this.gone) this.step();
    else return this.write(next.value).then(this.step);
    return undefined;
  };

  private readonly failed = (error: unknown): void => this.finish(error);

  private ended(): void {
    try {
      copyHeaders(this.trailer!, this.context.responseTrailer);
    } catch (error) {
      this.finish(error);
      return;
    }
    this.finish();
  }

  private finish(error?: unknown): void {
    const settle = this.settle!;
    try {
      this.close(error);
    } catch (writeFailed) {
      settle.reject(writeFailed);
      return;
    }
    settle.resolve();
  }

  private async write(message: unknown): Promise<void> {
    const { serialize, compression, options } = this.writing;
    const bytes = await compressedEnvelope(serialize(message), compression, options);
    if (!this.headSent) this.sendHead();
    if (!this.exchange.write(bytes)) await this.drained();
  }

  private sendHead(): void {
    this.headSent = true;
    this.exchange.sendHead(nodeHeaders(this.context.responseHeader));
  }

  private readonly closed = (): void => {
    if (this.exchange.complete) return;
    this.gone = true;
    this.controller.abort(new ConnectError("the client went away", Code.Canceled));
    this.waitingForDrain?.();
  };

  /** Resolves when the response takes more, or the client has gone. */
  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waitingForDrain = resolve;
      this.exchange.whenDrained(resolve);
    }).then(() => {
      this.exchange.stopWaitingForDrain(this.waitingForDrain!);
      this.waitingForDrain = undefined;
    });
  }

  /** The call is over: its signal aborts (with the error it ended with), its timer and shutdown entry go. */
  private end(error?: ConnectError): void {
    clearTimeout(this.timer);
    this.calls?.delete(this.controller);
    this.controller.abort(error);
  }
}
