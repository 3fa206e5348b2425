import type { IncomingHttpHeaders } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { compressionNegotiate, mergeNonProtocolHeaders, type Compression, type UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import * as connect from "@connectrpc/connect/protocol-connect";
import * as grpc from "@connectrpc/connect/protocol-grpc";
import { respecEncoded } from "./grpc-message-encoding.js";

/**
 * The two unary wire formats the fast path speaks, each exactly as
 * connect-es's own handlers write it (protocol-connect and protocol-grpc
 * handler factories), so a call answers the same bytes on either path.
 * `accept` looks at the headers only: anything it does not take (a
 * compressed request, a bad timeout, gRPC-Web, gRPC over HTTP/1.1, JSON over
 * gRPC) goes to Connect's handler, which knows every case and its error.
 */
export interface UnaryWire {
  readonly protocolName: string;
  accept: (headers: IncomingHttpHeaders, httpVersionMajor: number, options: UniversalHandlerOptions) => UnaryCall | undefined;
}

export interface UnaryCall {
  binary: boolean;
  timeoutMs: number | undefined;
  responseHeader: Record<string, string>;
  responseTrailer: Record<string, string> | undefined;
  /** The request message's bytes in the body, or undefined when the body is not one plain message. */
  message: (body: Buffer) => Uint8Array | undefined;
  /** The answer for the serialized output message, or for the error the call ended with (headers made only if asked for). */
  answer: (outcome: Uint8Array | ConnectError, metadata: CallMetadata) => Promise<WireAnswer>;
}

/** The call's response headers and trailers, and whether anything made (and so may have changed) them. */
export interface CallMetadata {
  readonly header: Headers;
  readonly trailer: Headers;
  readonly headerIfMade: Headers | undefined;
  readonly trailerIfMade: Headers | undefined;
}

/** Headers as Node writes them. */
export type NodeHeaderRecord = Record<string, string | string[]>;

export interface WireAnswer {
  status: number;
  header: Headers | NodeHeaderRecord;
  body: Uint8Array;
  trailer?: Headers | NodeHeaderRecord;
}

const plain = (value: string | undefined) => value === undefined || value === "identity";
/** A header Node gave as a list, as one value. */
export const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

/** Connect unary over POST: application/json or application/proto, any HTTP version. */
export const connectUnaryWire: UnaryWire = {
  protocolName: "connect",
  accept(headers, _httpVersionMajor, options) {
    const type = connect.parseContentType(headers["content-type"] ?? null);
    if (!type || type.stream || !plain(headers["content-encoding"])) return undefined;
    const timeout = connect.parseTimeout(single(headers["connect-timeout-ms"]) ?? null, options.maxTimeoutMs);
    if (timeout.error) return undefined;
    const compression = compressionNegotiate(options.acceptCompression, null, single(headers["accept-encoding"]) ?? null, "accept-encoding");
    const responseHeader = { "content-type": type.binary ? connect.contentTypeUnaryProto : connect.contentTypeUnaryJson };
    return {
      binary: type.binary,
      timeoutMs: timeout.timeoutMs,
      responseHeader,
      responseTrailer: undefined,
      message: (body) => body,
      async answer(outcome, metadata) {
        // The plain success: headers nobody asked for, nothing to compress. Written from the record as is.
        if (!(outcome instanceof ConnectError) && !metadata.headerIfMade && !metadata.trailerIfMade && !compressible(outcome, compression.response, options)) {
          return { status: 200, header: { ...responseHeader, "content-length": String(outcome.byteLength) }, body: outcome };
        }
        const header = metadata.header;
        let status = 200;
        let body: Uint8Array;
        if (outcome instanceof ConnectError) {
          status = connect.codeToHttpStatus(outcome.code);
          header.set("content-type", connect.contentTypeUnaryJson);
          if (!outcome.isWireError) mergeNonProtocolHeaders(header, outcome.metadata);
          body = connect.errorToJsonBytes(outcome, options.jsonOptions ?? {});
        } else body = outcome;
        body = await compress(body, compression.response, options, header, "content-encoding");
        const muxed = connect.trailerMux(header, metadata.trailer);
        muxed.set("content-length", String(body.byteLength));
        return { status, header: muxed, body };
      },
    };
  },
};

/** gRPC unary over HTTP/2 in protobuf: one uncompressed envelope in, one out, the status in trailers. */
export const grpcUnaryWire: UnaryWire = {
  protocolName: "grpc",
  accept(headers, httpVersionMajor, options) {
    const type = grpc.parseContentType(headers["content-type"] ?? null);
    if (httpVersionMajor !== 2 || !type?.binary || !plain(single(headers["grpc-encoding"]))) return undefined;
    const timeout = grpc.parseTimeout(single(headers["grpc-timeout"]) ?? null, options.maxTimeoutMs);
    if (timeout.error) return undefined;
    const compression = compressionNegotiate(options.acceptCompression, null, single(headers["grpc-accept-encoding"]) ?? null, "grpc-accept-encoding");
    const responseHeader: Record<string, string> = { "content-type": grpc.contentTypeProto };
    if (compression.response) responseHeader["grpc-encoding"] = compression.response.name;
    const responseTrailer = { "grpc-status": grpc.grpcStatusOk };
    return {
      binary: true,
      timeoutMs: timeout.timeoutMs,
      responseHeader,
      responseTrailer,
      message: unwrapEnvelope,
      async answer(outcome, metadata) {
        if (outcome instanceof ConnectError) return { status: 200, header: metadata.header, body: new Uint8Array(0), trailer: withStatus(metadata.trailer, outcome) };
        const body = await compressedEnvelope(outcome, compression.response, options);
        return { status: 200, header: metadata.headerIfMade ?? responseHeader, body, trailer: metadata.trailerIfMade ?? responseTrailer };
      },
    };
  },
};

/** The error's status in the trailers, its message encoded as the gRPC spec says (grpc-message-encoding.ts). */
function withStatus(trailer: Headers, error: ConnectError): Headers {
  const status = grpc.setTrailerStatus(trailer, error);
  const message = status.get("grpc-message");
  if (message !== null) status.set("grpc-message", respecEncoded(message));
  return status;
}

/** The message of a body that is exactly one uncompressed envelope; anything else is Connect's to judge. */
function unwrapEnvelope(body: Buffer): Uint8Array | undefined {
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return undefined;
  return body.subarray(5);
}

/** One gRPC envelope of the message, compressed (flag 1) when Connect would compress it (compressible). */
export async function compressedEnvelope(message: Uint8Array, compression: Compression | null, options: UniversalHandlerOptions): Promise<Uint8Array> {
  const compressed = await compress(message, compression, options);
  return envelope(compressed === message ? 0 : 1, compressed);
}

function envelope(flags: number, message: Uint8Array): Uint8Array {
  const bytes = Buffer.allocUnsafe(5 + message.byteLength);
  bytes[0] = flags;
  bytes.writeUInt32BE(message.byteLength, 1);
  bytes.set(message, 5);
  return bytes;
}

/** Whether Connect would compress this body: the client accepts compression and the body is at least compressMinBytes. */
function compressible(body: Uint8Array, compression: Compression | null, options: UniversalHandlerOptions): compression is Compression {
  return compression !== null && body.byteLength >= options.compressMinBytes;
}

/** Compresses as Connect does (compressible). */
async function compress(body: Uint8Array, compression: Compression | null, options: UniversalHandlerOptions, header?: Headers, headerName?: string): Promise<Uint8Array> {
  if (!compressible(body, compression, options)) return body;
  if (header && headerName) header.set(headerName, compression.name);
  return compression.compress(body);
}

/** What Connect answers for a failure that is not a ConnectError. */
export function asConnectError(error: unknown): ConnectError {
  return error instanceof ConnectError ? error : new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}
