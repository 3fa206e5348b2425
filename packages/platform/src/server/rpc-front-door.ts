import type { Logger } from "../logging.js";
import type { NodeRequest, NodeResponse } from "./node-messages.js";
import type { UnaryFastPath } from "./unary-fast-path.js";

/** The body the front door read of a call it then left to Fastify, for the route to go on from. */
const readBeforeFastify = new WeakMap<NodeRequest, Buffer[]>();

/** What the front door read of this request before leaving it to Fastify, if anything (once). */
export function takeBodyReadBefore(raw: NodeRequest): Buffer[] | undefined {
  const chunks = readBeforeFastify.get(raw);
  if (chunks) readBeforeFastify.delete(raw);
  return chunks;
}

/**
 * Serves plain unary RPCs (unary-fast-path.ts) as the request arrives, before
 * Fastify builds its request and reply, routes, runs hooks and makes a child
 * logger: together a third of a small call's CPU (bench/PROFILE.md). It takes
 * only what Fastify's RPC routes would do nothing more for: a POST to an RPC
 * path with no Origin header (a browser's call needs CORS, a Fastify hook),
 * while the server is open (Fastify answers 503 once it closes). Everything
 * else, and a call the fast path hands back after reading part of its body,
 * goes to Fastify's routes, which serve the same RPCs.
 */
export class RpcFrontDoor {
  private paths = new Map<string, UnaryFastPath>();
  private open = false;

  constructor(private readonly logger: Logger) {}

  /** Starts taking calls to these paths. */
  serve(paths: Map<string, UnaryFastPath>): void {
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
    const fast = this.paths.get(raw.url ?? "");
    const serving = fast?.(raw, response, (bodyRead) => {
      readBeforeFastify.set(raw, bodyRead);
      toFastify();
    });
    if (!serving) return false;
    serving.catch((error: unknown) => {
      // Only the write can fail here (the call's own failures are answered): the client cannot be told.
      this.logger.error({ err: error, procedure: raw.url }, "rpc answer failed");
      response.destroy();
    });
    return true;
  }
}
