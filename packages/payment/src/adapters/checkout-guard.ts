/**
 * What a POST to a checkout's Pay or Cancel must look like.
 *
 * Cross-site posts are refused by origin (Fetch Metadata, then Origin), not
 * with a form token. The checkout token in the address is already the only
 * credential: there is no cookie or session a forged post could ride on, and
 * the page (with any form token in it) is served to whoever holds that
 * address, so a token derived from it would add no secret. What is left to
 * stop is another site's page making a customer's browser press Pay or
 * Cancel; every current browser marks such a request (`Sec-Fetch-Site`, or
 * at least `Origin`), and checking that needs no state shared between
 * replicas. A request with neither header does not come from a browser
 * (curl, a script): no third-party page can have sent it, and whoever sent it
 * holds the address, so it is let through, as the README's curl example
 * relies on.
 */

type Headers = Record<string, string | string[] | undefined>;

/**
 * True when a browser says the request comes from another origin.
 * `host` is the address the request was sent to; `trustedOrigin` the public
 * one (PAYMENT_PUBLIC_URL), which differs behind a proxy that rewrites Host.
 */
export function isCrossSite(headers: Headers, host: string, trustedOrigin?: string): boolean {
  const site = single(headers["sec-fetch-site"]);
  // "none": the user's own navigation (a bookmark, the address bar); "same-site" is a sibling origin: refused.
  if (site !== undefined) return site !== "same-origin" && site !== "none";
  const origin = single(headers.origin);
  if (origin === undefined) return false;
  if (trustedOrigin !== undefined && origin === trustedOrigin) return false;
  try {
    const from = new URL(origin);
    // Read the Host with the origin's scheme, so a default port written out ("host:80") still matches.
    return from.host !== new URL(`${from.protocol}//${host}`).host;
  } catch {
    // "null" (sandboxed frames, privacy-sensitive redirects) or garbage: no origin to trust.
    return true;
  }
}

/**
 * True for an HTML form's body (`application/x-www-form-urlencoded`) or no
 * body at all (`curl -X POST`). Anything else (JSON, text/plain,
 * multipart) is no form of ours: refusing it keeps the actions to what the
 * page itself sends.
 */
export function isFormOrEmpty(headers: Headers): boolean {
  const type = single(headers["content-type"]);
  if (type === undefined) return !hasBody(headers);
  return type.split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

function hasBody(headers: Headers): boolean {
  const length = single(headers["content-length"]);
  return headers["transfer-encoding"] !== undefined || (length !== undefined && length.trim() !== "0");
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
