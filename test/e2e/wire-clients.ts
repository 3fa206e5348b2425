import http2 from "node:http2";
import net from "node:net";

/**
 * What the server answered, reduced to what a client acts on: the HTTP status
 * (0 when there was none: a reset, a dropped connection or no answer in
 * time) and the RPC code in Connect's words ("invalid_argument"; "ok" for
 * success; undefined when the answer carries none, as plain HTTP errors do).
 */
export interface Outcome {
  status: number;
  code: string | undefined;
  detail: string;
}

/** gRPC status numbers by Connect code name. */
const grpcCodes = [
  "ok", "canceled", "unknown", "invalid_argument", "deadline_exceeded", "not_found", "already_exists", "permission_denied",
  "resource_exhausted", "failed_precondition", "aborted", "out_of_range", "unimplemented", "internal", "unavailable", "data_loss",
  "unauthenticated",
] as const;

const connectCodes = new Set<string>(grpcCodes);

/** How long one request may take before it counts as unanswered. */
const answerTimeoutMs = 5_000;

/** A 5-byte envelope header (flags, big-endian length) and the payload: how gRPC, gRPC-Web and Connect streams frame messages. */
export function envelope(payload: Uint8Array | string, flags = 0, declaredLength?: number): Buffer {
  const bytes = Buffer.from(payload);
  const header = Buffer.alloc(5);
  header.writeUInt8(flags, 0);
  header.writeUInt32BE(declaredLength ?? bytes.length, 1);
  return Buffer.concat([header, bytes]);
}

function grpcOutcome(status: number, fields: Record<string, string | string[] | undefined>, detail: string): Outcome {
  const grpcStatus = fields["grpc-status"];
  const code = grpcStatus === undefined ? undefined : (grpcCodes[Number(grpcStatus)] ?? `grpc-status ${String(grpcStatus)}`);
  return { status, code, detail: `${detail} ${decodeURIComponent(String(fields["grpc-message"] ?? ""))}`.trim() };
}

/** Reads the code of a Connect answer: a unary error body, or the end-of-stream message of a stream. */
function connectOutcome(status: number, contentType: string, body: Buffer): Outcome {
  const text = body.toString("utf8");
  if (contentType.startsWith("application/connect+")) {
    // The last envelope with flag 0x02 ends the stream; its JSON holds the error, if any.
    let offset = 0;
    let end: { error?: { code?: string; message?: string } } = {};
    while (offset + 5 <= body.length) {
      const flags = body[offset]!;
      const length = body.readUInt32BE(offset + 1);
      if (flags & 0x02) end = JSON.parse(body.subarray(offset + 5, offset + 5 + length).toString("utf8") || "{}");
      offset += 5 + length;
    }
    return { status, code: end.error?.code ?? "ok", detail: end.error?.message ?? "" };
  }
  if (contentType.startsWith("application/json") && status !== 200) {
    try {
      const parsed = JSON.parse(text) as { code?: string; message?: string };
      // Fastify's own errors carry a `code` too (FST_ERR_...), which is no RPC code.
      const code = parsed.code !== undefined && connectCodes.has(parsed.code) ? parsed.code : undefined;
      return { status, code, detail: `${parsed.code ?? ""} ${parsed.message ?? text.slice(0, 200)}`.trim() };
    } catch {
      return { status, code: undefined, detail: text.slice(0, 200) };
    }
  }
  return { status, code: status === 200 ? "ok" : undefined, detail: text.slice(0, 200) };
}

/** A request over HTTP/1.1 with fetch; the answer read as Connect or gRPC-Web, as its content type says. */
export async function overHttp1(url: string, init: RequestInit): Promise<Outcome> {
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(answerTimeoutMs) });
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return { status: 0, code: undefined, detail: `no answer: ${String((error as Error).cause ?? error)}` };
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.startsWith("application/grpc-web")) return connectOutcome(response.status, contentType, body);
  // gRPC-Web: the status is in the headers (trailers-only) or in the trailer frame (flag 0x80) that ends the body.
  const fields: Record<string, string> = Object.fromEntries(response.headers.entries());
  let offset = 0;
  while (offset + 5 <= body.length) {
    const flags = body[offset]!;
    const length = body.readUInt32BE(offset + 1);
    if (flags & 0x80) {
      for (const line of body.subarray(offset + 5, offset + 5 + length).toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    offset += 5 + length;
  }
  return grpcOutcome(response.status, fields, "");
}

/** A gRPC call over h2c on a fresh connection, with the body given byte for byte. */
export function overGrpc(baseUrl: string, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const session = http2.connect(baseUrl);
    session.on("error", () => {});
    let status = 0;
    const fields: Record<string, string | string[] | undefined> = {};
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      session.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ status: 0, code: undefined, detail: "no answer in time" }), answerTimeoutMs);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
    stream.on("response", (head) => {
      status = Number(head[":status"]);
      Object.assign(fields, head);
    });
    stream.on("trailers", (trailers) => Object.assign(fields, trailers));
    stream.on("error", () => {});
    stream.on("close", () => {
      if (status === 0) finish({ status: 0, code: undefined, detail: `stream reset with code ${stream.rstCode}` });
      else finish(grpcOutcome(status, fields, ""));
    });
    stream.resume();
    stream.end(body);
  });
}

/** Writes `request` on a fresh TCP connection as is and reads the HTTP/1.1 answer: for what no client library would send. */
export function overRawSocket(port: number, request: string | Buffer): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let received = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      // An interim answer (100 Continue) is not the answer.
      const text = received.toString("latin1").replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, "");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const contentType = /\r\ncontent-type: *([^\r\n]*)/i.exec(head)?.[1] ?? "";
      const grpcStatus = /\r\ngrpc-status: *(\d+)/i.exec(head)?.[1];
      if (grpcStatus !== undefined) resolve(grpcOutcome(status, { "grpc-status": grpcStatus }, head));
      else resolve(status === 0 ? { status, code: undefined, detail: "closed without an answer" } : connectOutcome(status, contentType, Buffer.from(rest.join("\r\n\r\n"), "latin1")));
    };
    const timer = setTimeout(finish, answerTimeoutMs);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      // One answer is enough: stop once a complete-looking response with a length has arrived.
      const text = received.toString("latin1").replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, "");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
      const headEnd = text.indexOf("\r\n\r\n");
      if (headEnd >= 0 && length !== undefined && received.length >= headEnd + 4 + Number(length)) finish();
    });
    socket.on("close", finish);
    socket.on("error", () => {});
  });
}
