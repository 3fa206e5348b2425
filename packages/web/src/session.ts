/**
 * Who is using the page: a guest customer (a token from the development
 * issuer's /guest, made on first visit) or staff (a token pasted on the
 * sign-in page). Kept in localStorage, so every tab of the shop (the
 * kitchen display beside the orders board, an order opened in a new tab) is
 * the same person; signing out forgets it.
 */
export interface Session {
  role: "customer" | "staff";
  /** The token's subject, shown to the person. */
  subject: string;
  token: string;
}

const key = "oms.session";

export function readSession(): Session | undefined {
  const stored = localStorage.getItem(key);
  if (!stored) return undefined;
  try {
    return JSON.parse(stored) as Session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(key, JSON.stringify(session));
}

export function forgetSession(): void {
  localStorage.removeItem(key);
}

/** The claims a page may read from a JWT (the services verify it; the page only shows who and what role). */
export function sessionFromToken(token: string): Session {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("that is not a token (expected three parts separated by dots)");
  let claims: { sub?: unknown; roles?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as typeof claims;
  } catch {
    throw new Error("that is not a token (its middle part is not readable)");
  }
  if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) throw new Error("that token has expired");
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  return { role: roles.includes("staff") ? "staff" : "customer", subject: typeof claims.sub === "string" ? claims.sub : "?", token };
}

/**
 * A fresh guest customer from the development issuer. The one plain HTTP
 * call of the app: the issuer is not an RPC service.
 */
export async function guestSession(issuerUrl: string): Promise<Session> {
  const response = await fetch(`${issuerUrl}/guest`, { method: "POST" });
  if (!response.ok) throw new Error(`the identity provider answered ${response.status}`);
  const { customerId, token } = (await response.json()) as { customerId: string; token: string };
  return { role: "customer", subject: customerId, token };
}
