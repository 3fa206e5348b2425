import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import type { Logger } from "../logging.js";
import type { FastPaths } from "./connect-routes.js";
import { isWellFormedAuthority } from "./malformed-host.js";
import type { NodeRequest, NodeResponse } from "./node-messages.js";

/** The body the front door read of a call it then left to Fastify, for the route to go on from. */
const readBeforeFastify = new WeakMap<NodeRequest, Buffer[]>();

/** What the front door read of this request before leaving it to Fastify, if anything (once). */
export function takeBodyReadBefore(raw: NodeRequest): Buffer[] | undefined {
  const chunks = readBeforeFastify.get(raw);
  if (chunks) readBeforeFastify.delete(raw);
  return chunks;
}

/**
 * Serves plain unary RPCs (unary-fast-path.ts) and gRPC server streams
 * (server-stream-fast-path.ts) as the request arrives, before
 * Fastify builds its request and reply, routes, runs hooks and makes a child
 * logger: together a third of a small call's CPU (bench/PROFILE.md). It takes
 * only what Fastify's RPC routes would do nothing more for: a POST to an RPC
 * path with no Origin header (a browser's call needs CORS, a Fastify hook),
 * while the server is open (Fastify answers 503 once it closes). Everything
 * else, and a call the fast path hands back after reading part of its body,
 * goes to Fastify's routes, which serve the same RPCs. Plain unary calls and
 * gRPC server streams over h2c are taken as bare HTTP/2 streams (takeStream),
 * before Node makes its compatibility request and response for them.
 */
export class RpcFrontDoor {
  private paths: FastPaths = { node: new Map(), h2: new Map() };
  private open = false;

  constructor(private readonly logger: Logger) {}

  /** Starts taking calls to these paths. */
  serve(paths: FastPaths): void {
    this.paths = paths;
    this.open = true;
  }

  /** Leaves every request to Fastify from now on. */
  close(): void {
    this.open = false;
  }

  /** Takes the request and returns true, or returns false and leaves it untouched; `toFastify` hands it on later. */
  take(raw: NodeRequest, response: NodeResponse, toFastify: () => void): boolean {
    if (!this.open || raw.headers.origin !== undefined) return false;
    const fast = this.paths.node.get(raw.url ?? "");
    const serving = fast?.(raw, response, (bodyRead) => {
      readBeforeFastify.set(raw, bodyRead);
      toFastify();
    });
    if (!serving) return false;
    this.watch(serving, raw.url, response);
    return true;
  }

  /**
   * The same for an HTTP/2 stream, before any request object is made for it;
   * `handOn` makes them and gives the call to Fastify, with the body read so
   * far.
   */
  takeStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, handOn: (bodyRead: Buffer[]) => void): boolean {
    if (!this.open || headers.origin !== undefined) return false;
    // Without :authority (or with a bad one) the server's own checks of Host decide: Node's request objects do that.
    const authority = headers[":authority"];
    if (authority === undefined || !isWellFormedAuthority(authority)) return false;
    const serving = this.paths.h2.get(headers[":path"] ?? "")?.(stream, headers, handOn);
    if (!serving) return false;
    this.watch(serving, headers[":path"], stream);
    return true;
  }

  /** One closure, not two: an idle server stream keeps it until it ends. */
  private watch(serving: Promise<void>, procedure: string | undefined, carrier: { destroy(): void }): void {
    serving.catch((error: unknown) => {
      // Only the write can fail here (the call's own failures are answered): the client cannot be told.
      this.logger.error({ err: error, procedure }, "rpc answer failed");
      carrier.destroy();
    });
  }
}
