import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { H2ServerStreamExchange } from "../src/server/h2-server-stream-exchange.js";

/**
 * The bare-stream exchange a server-streaming call is answered through
 * (h2-server-stream-exchange.ts): what the compatibility response did for it
 * must still happen on the bare stream. Each test serves one stream with a
 * scenario of its own, driven by a plain node:http2 client.
 */
describe("a server stream answered on the bare HTTP/2 stream", () => {
  type Scenario = (exchange: H2ServerStreamExchange) => void;
  let scenario: Scenario = () => {};
  let server: http2.Http2Server | undefined;
  let session: http2.ClientHttp2Session | undefined;
  afterEach(async () => {
    session?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = session = undefined;
  });

  /** Serves the next stream with `serve`, once its request body has ended; returns the client's stream. */
  async function open(serve: Scenario): Promise<http2.ClientHttp2Stream> {
    scenario = serve;
    if (!server) {
      server = http2.createServer();
      server.on("stream", (stream, headers) => {
        const exchange = new H2ServerStreamExchange(stream, headers, () => {});
        const served = scenario;
        void exchange.readBody(1024).then(() => served(exchange));
      });
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
    return session!.request({ ":method": "POST", ":path": "/watch", ":authority": "orders.test", "content-type": "application/grpc" }).end(Buffer.alloc(5));
  }

  it("sends the head (status 200, its headers, a date) with the first message, then the trailers at the end", async () => {
    const client = await open((exchange) => {
      expect([exchange.authority, exchange.path]).toEqual(["orders.test", "/watch"]);
      exchange.sendHead({ "content-type": "application/grpc+proto", "x-call": "watch" });
      exchange.write(Buffer.from("first"));
      exchange.end({ "grpc-status": "0", "grpc-message": "done" });
    });
    const answer = await new Promise<{ headers: http2.IncomingHttpHeaders; body: string; trailers: http2.IncomingHttpHeaders }>((resolve, reject) => {
      let headers: http2.IncomingHttpHeaders = {};
      let body = "";
      client.on("response", (received) => (headers = received));
      client.on("data", (chunk: Buffer) => (body += chunk.toString()));
      client.on("trailers", (trailers) => resolve({ headers, body, trailers }));
      client.on("error", reject);
    });
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.headers["x-call"]).toBe("watch");
    expect(new Date(String(answer.headers.date)).getTime()).not.toBeNaN();
    expect(answer.body).toBe("first");
    expect({ status: answer.trailers["grpc-status"], message: answer.trailers["grpc-message"] }).toEqual({ status: "0", message: "done" });
  });

  it("counts the answer incomplete when the client resets the stream, and complete once ended (a reset stream's own flags say ended and finished)", async () => {
    const gone: string[] = [];
    const client = await open((exchange) => {
      exchange.whenClosed(() => gone.push(exchange.complete ? "complete" : "reset"));
      exchange.sendHead({});
      exchange.write(Buffer.from("first"));
    });
    client.once("data", () => client.close(http2.constants.NGHTTP2_CANCEL));
    await expect.poll(() => gone).toEqual(["reset"]);

    const ended = await open((exchange) => {
      exchange.whenClosed(() => gone.push(exchange.complete ? "complete" : "reset"));
      exchange.sendHead({});
      exchange.end({ "grpc-status": "0" });
    });
    ended.resume();
    await closed(ended);
    await expect.poll(() => gone).toEqual(["reset", "complete"]);
  });

  it("says when to stop writing to a client that does not read, and when it reads again", async () => {
    const events: string[] = [];
    const client = await open((exchange) => {
      exchange.sendHead({});
      // HTTP/2's default window is 64 KiB: a client that reads nothing fills it, and then Node's buffer.
      const chunk = Buffer.alloc(16 * 1024);
      while (exchange.write(chunk));
      events.push("full");
      exchange.whenDrained(() => {
        events.push("drained");
        exchange.end({ "grpc-status": "0" });
      });
    });
    client.pause();
    await expect.poll(() => events).toEqual(["full"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["full"]);
    client.resume();
    await expect.poll(() => events).toEqual(["full", "drained"]);
    await closed(client);
  });

  it("writes nothing to a stream already gone, and waits for nothing from it", async () => {
    const writes: boolean[] = [];
    const client = await open((exchange) => {
      exchange.sendHead({});
      exchange.whenClosed(() => {
        writes.push(exchange.write(Buffer.from("late")));
        exchange.end({ "grpc-status": "0" });
      });
    });
    client.once("response", () => client.close(http2.constants.NGHTTP2_CANCEL));
    await expect.poll(() => writes).toEqual([false]);
  });
});

function closed(stream: http2.ClientHttp2Stream): Promise<unknown> {
  return new Promise((resolve) => (stream.closed ? resolve(undefined) : stream.once("close", resolve)));
}
