import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";

/**
 * Re-encodes the `grpc-message` of gRPC responses the way the gRPC spec says:
 * percent-encode only bytes outside printable ASCII, and '%'.
 *
 * Why: connect-es encodes it with encodeURIComponent (":" becomes "%3A") and
 * @grpc/grpc-js decodes it with decodeURI, which leaves "%3A" as is, so a
 * grpc-js client saw "item_ids%3A must not be empty". Spec encoding decodes
 * right in both (and in grpc-go, grpcurl).
 */
export function encodeGrpcMessagesPerSpec(app: FastifyInstance): void {
  app.addHook("onRequest", (request, reply, done) => {
    const contentType = request.headers["content-type"] ?? "";
    if (contentType.startsWith("application/grpc") && !contentType.startsWith("application/grpc-web")) patch(reply.raw);
    done();
  });
}

/** Percent-encoding per the gRPC over HTTP/2 spec (Status-Message). */
export function grpcSpecEncode(message: string): string {
  let out = "";
  for (const byte of Buffer.from(message, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** connect-es's encoding of a `grpc-message` turned into the spec's; unchanged when it is not percent-encoded. */
export function respecEncoded(value: string): string {
  try {
    return grpcSpecEncode(decodeURIComponent(value));
  } catch {
    // Not percent-encoded by connect-es: leave it.
    return value;
  }
}

function reencode(headers: unknown): void {
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return;
  const record = headers as Record<string, unknown>;
  const value = record["grpc-message"];
  if (typeof value === "string") record["grpc-message"] = respecEncoded(value);
}

function patch(response: ServerResponse): void {
  const writeHead = response.writeHead.bind(response);
  const addTrailers = response.addTrailers.bind(response);
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    for (const arg of args) reencode(arg);
    return (writeHead as (...a: unknown[]) => ServerResponse)(...args);
  };
  response.addTrailers = function (this: ServerResponse, headers) {
    reencode(headers);
    addTrailers(headers);
  };
}
