import { createContextKey, type HandlerContext } from "@connectrpc/connect";

/** The roles a token can grant. A caller holds exactly one. */
export const roles = ["customer", "staff", "service"] as const;
export type Role = (typeof roles)[number];

/**
 * Who is calling, as proven by their bearer token: a customer (their own
 * orders), staff (the shop), or another OMS service (peer calls). `subject`
 * is the token's `sub`: the customer's id, the staff member's id, or the
 * calling service's name. Anonymous callers carry no token.
 */
export type Caller = { role: Role; subject: string } | { role: "anonymous" };

export const anonymous: Caller = { role: "anonymous" };

/** Where the authorization interceptor leaves the caller for the RPC handler. */
export const callerKey = createContextKey<Caller>(anonymous, { description: "the authenticated caller" });

/** The caller of the RPC being handled. */
export function callerOf(context: HandlerContext): Caller {
  return context.values.get(callerKey);
}
