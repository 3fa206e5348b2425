import { cors as connectCors } from "@connectrpc/connect";
import type { FastifyInstance } from "fastify";
import { ConfigError, type Env } from "../config/index.js";

/**
 * The web app's origins on a developer's machine, by both names a browser may
 * use for it: the embedded default's (WEB_PORT 8080) and Vite's dev server (5173).
 */
export const defaultAllowedOrigins = ["http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:5173", "http://127.0.0.1:5173"];

/** Headers a page may send: Connect's and gRPC-Web's, and the bearer token. */
const allowedHeaders = [...connectCors.allowedHeaders, "authorization"].join(", ");
/** Headers a page may read: gRPC-Web's status and Connect's encodings. */
const exposedHeaders = connectCors.exposedHeaders.join(", ");
/** How long a browser may reuse a preflight answer: two hours, Chromium's ceiling. */
const preflightMaxAgeSeconds = 7200;

/**
 * Lets pages from `allowedOrigins` call the service from a browser (CORS, as
 * the Connect and gRPC-Web protocols need it): a preflight (OPTIONS with
 * Access-Control-Request-Method) from an allowed origin is answered 204 with
 * the methods and headers Connect uses, one from another origin 403; every
 * answer to an allowed origin names it and exposes gRPC-Web's status headers.
 * `*` allows any origin: tokens travel in the Authorization header, never in
 * cookies, so no credentials are shared with the page by the browser itself.
 */
export function allowBrowserOrigins(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const any = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const preflight = request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined;
    reply.header("vary", "Origin");
    if (!any && !allowed.has(origin)) {
      if (preflight) return reply.code(403).send();
      return;
    }
    reply.header("access-control-allow-origin", any ? "*" : origin);
    if (!preflight) {
      reply.header("access-control-expose-headers", exposedHeaders);
      return;
    }
    reply.header("access-control-allow-methods", connectCors.allowedMethods.join(", "));
    reply.header("access-control-allow-headers", allowedHeaders);
    reply.header("access-control-max-age", String(preflightMaxAgeSeconds));
    return reply.code(204).send();
  });
}

/** CORS_ALLOWED_ORIGINS: comma-separated origins (`scheme://host[:port]`) or `*`; the embedded web origin by default. */
export function readAllowedOrigins(source: Env): string[] {
  const value = source.CORS_ALLOWED_ORIGINS?.trim();
  if (value === undefined || value === "") return defaultAllowedOrigins;
  return value.split(",").map((entry) => checkOrigin(entry.trim()));
}

function checkOrigin(entry: string): string {
  if (entry === "*") return entry;
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (!url || !["http:", "https:"].includes(url.protocol) || url.origin !== entry) {
    throw new ConfigError(`CORS_ALLOWED_ORIGINS: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], no path or trailing slash) or *`);
  }
  return entry;
}
