import http2 from "node:http2";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWellFormedAuthority, runService, type RunningService } from "@oms/platform/server";
import { rawExchange } from "./support/raw-socket.js";
import { testModule } from "./support/test-service.js";

const listItems = "/oms.menu.v1.MenuService/ListItems";

/** An HTTP/1.1 POST of `{}` with the given header lines, written byte for byte. */
function post(headerLines: string[], contentType = "application/json", body = "{}"): string {
  return [`POST ${listItems} HTTP/1.1`, ...headerLines, `content-type: ${contentType}`, `content-length: ${body.length}`, "", body].join("\r\n");
}

/** Splits a raw HTTP/1.1 answer into its status, header block and body. */
function parse(raw: string): { status: number; head: string; body: string } {
  const [head = "", body = ""] = raw.split("\r\n\r\n");
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head: head.toLowerCase(), body };
}

describe("a malformed Host header", () => {
  let service: RunningService;
  const logLines: { level: number; msg: string }[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    service = await runService(testModule(), { port: 0, logger: pino({ level: "info" }, sink) });
  });
  afterAll(() => service.close());

  const malformed = ["a b", "[::1", "x:99999", "x:port", "%zz", "", "user@host", "a/b", "a?b", "\\\\evil"];

  it.each(malformed)("%j: 400 invalid_argument for Connect, and the connection is closed", async (host) => {
    const { received, closed } = await rawExchange(service.port, post([`Host: ${host}`]));
    const answer = parse(received);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "invalid_argument", message: "malformed Host header" });
    expect(closed).toBe(true);
  });

  it("two Host lines: 400", async () => {
    const { received } = await rawExchange(service.port, post(["Host: a.example", "Host: b.example"]));
    expect(parse(received).status).toBe(400);
    expect(parse(received).body).toContain("more than one Host header");
  });

  it("gRPC-Web gets INVALID_ARGUMENT in grpc-status, which its clients read, not an HTTP error they map to INTERNAL", async () => {
    const { received } = await rawExchange(service.port, post(["Host: a b"], "application/grpc-web+proto", "\0\0\0\0\0"));
    const answer = parse(received);
    expect(answer.status).toBe(200);
    expect(answer.head).toContain("grpc-status: 3");
    expect(answer.head).toContain("grpc-message: malformed%20host%20header".toLowerCase());
  });

  it("over h2c, a malformed :authority gets 400 or a stream reset, never an answer", async () => {
    const session = http2.connect(service.url);
    try {
      for (const authority of ["[::1", "x:99999", "%zz", "a b"]) {
        const outcome = await new Promise<{ status?: number; reset: number }>((resolve) => {
          const stream = session.request({ ":method": "POST", ":path": listItems, ":authority": authority, "content-type": "application/json" });
          let status: number | undefined;
          stream.on("response", (headers) => (status = Number(headers[":status"])));
          stream.on("error", () => {});
          stream.on("close", () => resolve({ status, reset: stream.rstCode ?? 0 }));
          stream.resume();
          stream.end("{}");
        });
        if (outcome.status === undefined) expect(outcome.reset, authority).toBe(http2.constants.NGHTTP2_PROTOCOL_ERROR);
        else expect(outcome.status, authority).toBe(400);
      }
    } finally {
      session.close();
    }
  });

  it("well-formed hosts are served as before", async () => {
    for (const host of ["localhost", "localhost:8081", "127.0.0.1:1", "[::1]:80", "menu.internal", "xn--bcher-kva.example"]) {
      const { received } = await rawExchange(service.port, post([`Host: ${host}`, "connection: close"]));
      expect(parse(received).status, host).toBe(200);
    }
  });

  it("logs no error and no stack for any of them", () => {
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
  });
});

describe("isWellFormedAuthority", () => {
  it("accepts names, IPv4 and bracketed IPv6 with an optional port; rejects everything else", () => {
    expect(["a", "a.b:1", "127.0.0.1", "[::1]", "[fe80::1]:65535", "a-b_c~d"].filter(isWellFormedAuthority)).toHaveLength(6);
    expect(["", ":80", "a:65536", "[::1", "::1", "a b", "a@b", "a/b", "a#b", "[zz]"].filter(isWellFormedAuthority)).toEqual([]);
  });
});
