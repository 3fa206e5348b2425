import { Code, ConnectError, type StreamResponse, type UnaryRequest } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { errorMappingInterceptor } from "../src/server/index.js";

/**
 * The interceptor around a server stream whose response writer fails once
 * the client has gone: Connect throws the failed write into the messages
 * the handler produces, which is where the interceptor maps errors.
 */
async function failedWriteAfter(clientGone: boolean) {
  const internals: unknown[] = [];
  const leaving = new AbortController();
  async function* messages() {
    yield "first";
    yield "second";
  }
  const next = async () => ({ stream: true, message: messages() }) as unknown as StreamResponse;
  const call = errorMappingInterceptor((error) => internals.push(error))(next);
  const response = (await call({ signal: leaving.signal, url: "/oms.order.v1.OrderService/WatchOrder" } as unknown as UnaryRequest)) as unknown as {
    message: AsyncGenerator<string>;
  };
  expect((await response.message.next()).value).toBe("first");
  if (clientGone) leaving.abort();
  const error = await response.message.throw(new Error("write after end")).then(
    () => undefined,
    (caught: unknown) => ConnectError.from(caught),
  );
  return { code: error?.code, internals };
}

describe("a stream whose write fails", () => {
  it("because the client went away is no server error: CANCELED, and nothing logged as internal", async () => {
    expect(await failedWriteAfter(true)).toEqual({ code: Code.Canceled, internals: [] });
  });

  it("while the client is still there stays an internal error, logged", async () => {
    const { code, internals } = await failedWriteAfter(false);
    expect(code).toBe(Code.Internal);
    expect(internals).toHaveLength(1);
  });
});
