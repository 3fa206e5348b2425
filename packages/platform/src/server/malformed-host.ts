import type http from "node:http";

/**
 * An authority as HTTP sends it (RFC 3986 §3.2 without userinfo): a
 * registered name, IPv4 address or bracketed IPv6 address, then an optional
 * port. An "http" URI may not have an empty host (RFC 9110 §4.2.1), so none
 * of the requests this server answers may carry one.
 */
const authorityPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::[0-9]{0,5})?$/;

/**
 * The last few authorities found well formed: nearly every request names one
 * of a handful, and parsing a URL for each was 2 % of a small call.
 */
const wellFormed = new Set<string>();
const rememberedAuthorities = 64;

/** Whether `value` is an authority the server can build a request URL from. */
export function isWellFormedAuthority(value: string): boolean {
  if (wellFormed.has(value)) return true;
  if (!authorityPattern.test(value)) return false;
  try {
    // The pattern lets through what URL still rejects: a port above 65535, a bad %-escape, an invalid IPv6 literal.
    new URL(`http://${value}/`);
  } catch {
    return false;
  }
  if (wellFormed.size >= rememberedAuthorities) wellFormed.clear();
  wellFormed.add(value);
  return true;
}

/** What is wrong with the request's authority (`Host`, or HTTP/2's `:authority`), or undefined when nothing is. */
function authorityProblem(request: http.IncomingMessage): string | undefined {
  const h2Authority = request.headers[":authority"];
  if (typeof h2Authority === "string") return isWellFormedAuthority(h2Authority) ? undefined : "malformed :authority";
  // RFC 9112 §3.2: more than one Host line is as bad as an invalid one.
  if (hostLines(request.rawHeaders) > 1) return "more than one Host header";
  const host = request.headers.host;
  // HTTP/1.1 without Host never gets here (Node answers 400 itself); HTTP/2 may leave the authority out.
  if (host === undefined) return undefined;
  return isWellFormedAuthority(host) ? undefined : "malformed Host header";
}

/**
 * How many Host lines the request has. Counted in the raw headers: Node keeps
 * only the first in `headers`, and `headersDistinct` builds arrays for every
 * header of every request to answer this.
 */
function hostLines(rawHeaders: readonly string[]): number {
  let lines = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && name.toLowerCase() === "host") lines++;
  }
  return lines;
}

/**
 * Answers a request whose authority is malformed with an error its client can
 * read, and returns true; returns false for every other request.
 *
 * Routes build the request URL from the authority, so a malformed one must be
 * stopped before any route sees it (RFC 9112 §3.2: 400). gRPC and gRPC-Web
 * clients read the outcome from `grpc-status` and turn any HTTP status other
 * than 200 into UNKNOWN or INTERNAL, so they get 200 with INVALID_ARGUMENT
 * (3) in a headers-only answer; everyone else gets 400 with a Connect error
 * body, which Connect clients read as invalid_argument. Takes HTTP/2's
 * compatibility request and response too (the same calls are used).
 */
export function refuseMalformedHost(request: http.IncomingMessage, response: http.ServerResponse): boolean {
  const problem = authorityProblem(request);
  if (problem === undefined) return false;
  const contentType = (request.headers["content-type"] ?? "").toLowerCase();
  const grpcKind = /^application\/(grpc-web|grpc)(?:[+;]|$)/.exec(contentType)?.[1];
  // The body was not read: an HTTP/1.1 connection could not be reused for the next request.
  if (request.httpVersionMajor === 1) response.setHeader("connection", "close");
  if (grpcKind) {
    response.writeHead(200, { "content-type": `application/${grpcKind}`, "grpc-status": "3", "grpc-message": encodeURIComponent(problem) });
    response.end();
  } else {
    const body = JSON.stringify({ code: "invalid_argument", message: problem });
    response.writeHead(400, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  }
  return true;
}
