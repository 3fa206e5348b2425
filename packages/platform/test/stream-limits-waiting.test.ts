import { Code, ConnectError, type StreamRequest, type StreamResponse } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { streamLimitsInterceptor } from "../src/server/stream-limits.js";

/** A handler's messages: `first`, then a next that settles only when `settle` is called (never, by default). */
function waitingHandler(first: string) {
  const log: string[] = [];
  let settle: ((result: IteratorResult<string>) => void) | undefined;
  let sent = false;
  const iterator: AsyncIterator<string> = {
    next: () => {
      if (!sent) {
        sent = true;
        return Promise.resolve({ done: false, value: first });
      }
      log.push("waiting");
      return new Promise((resolve) => (settle = resolve));
    },
    return: () => {
      log.push("return");
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { log, settle: (result: IteratorResult<string>) => settle?.(result), messages: { [Symbol.asyncIterator]: () => iterator } };
}

async function openStream(closing: AbortController, handler: ReturnType<typeof waitingHandler>) {
  const interceptor = streamLimitsInterceptor({ maxStreams: 10, maxStreamLifetimeMs: 60_000 }, closing.signal);
  const call = new AbortController();
  const next = async () => ({ stream: true, message: handler.messages }) as unknown as StreamResponse;
  const request = { method: { methodKind: "server_streaming" }, signal: call.signal } as unknown as StreamRequest;
  const response = (await interceptor(next)(request)) as StreamResponse;
  return response.message[Symbol.asyncIterator]();
}

describe("stream limits, a handler waiting for its next message", () => {
  it("when the server ends the stream: the waiting read fails with the reason at once and the handler is asked to return", async () => {
    const closing = new AbortController();
    const handler = waitingHandler("first");
    const messages = await openStream(closing, handler);
    expect(await messages.next()).toEqual({ done: false, value: "first" });
    const waiting = messages.next();
    await Promise.resolve();
    closing.abort(new ConnectError("server closing", Code.Unavailable));
    await expect(waiting).rejects.toMatchObject({ code: Code.Unavailable, rawMessage: "server closing" });
    expect(handler.log).toEqual(["waiting", "return"]);
    // The handler settling late changes nothing; a later read fails the same way.
    handler.settle({ done: false, value: "late" });
    await expect(messages.next()).rejects.toMatchObject({ code: Code.Unavailable });
  });

  it("a read after the end fails at once and asks the handler to return", async () => {
    const closing = new AbortController();
    const handler = waitingHandler("first");
    const messages = await openStream(closing, handler);
    closing.abort(new ConnectError("server closing", Code.Unavailable));
    await expect(messages.next()).rejects.toMatchObject({ code: Code.Unavailable });
    expect(handler.log).toEqual(["return"]);
  });

  it("passes a message that comes while the stream is open, and a handler's failure as it is", async () => {
    const closing = new AbortController();
    const handler = waitingHandler("first");
    const messages = await openStream(closing, handler);
    await messages.next();
    const waiting = messages.next();
    handler.settle({ done: false, value: "second" });
    expect(await waiting).toEqual({ done: false, value: "second" });

    const failing = await openStream(new AbortController(), {
      log: [],
      settle: () => {},
      messages: { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error("handler broke")) }) },
    });
    await expect(failing.next()).rejects.toThrow("handler broke");
  });
});
