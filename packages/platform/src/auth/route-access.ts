import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Authenticator } from "./authenticator.js";
import type { Role } from "./caller.js";
import { permits } from "./policy.js";

/**
 * Who may open a plain HTTP route: anyone (`public`), whoever holds the
 * unguessable key the route itself checks (`keyed`: a checkout token in the
 * path, a provider's signature), or bearer-token roles as for RPCs.
 */
export type RouteAccess = "public" | "keyed" | readonly [Role, ...Role[]];

declare module "fastify" {
  interface FastifyContextConfig {
    /** Required on every plain route of a service: see requireRouteAccess. */
    access?: RouteAccess;
  }
}

/**
 * Makes every route registered in `scope` (and its children) declare its
 * access in `config.access`: registering one without it fails at start-up, so
 * no page is open by accident. Role-restricted routes check the bearer token
 * before their handler runs.
 */
export function requireRouteAccess(scope: FastifyInstance, authenticator?: Authenticator): void {
  scope.addHook("onRoute", (route) => {
    const access = route.config?.access;
    if (access === undefined) throw new Error(`${String(route.method)} ${route.url} has no access policy (config.access)`);
    if (access === "public" || access === "keyed") return;
    const check = async (request: FastifyRequest, reply: FastifyReply) => {
      const caller = authenticator ? await authenticator.authenticate(request.headers.authorization).catch(() => undefined) : undefined;
      if (!caller || caller.role === "anonymous") return reply.code(401).send({ error: "a valid bearer token is required" });
      if (!permits(access, caller.role)) return reply.code(403).send({ error: `not open to ${caller.role} callers` });
    };
    route.preHandler = [check, ...(Array.isArray(route.preHandler) ? route.preHandler : route.preHandler ? [route.preHandler] : [])];
  });
}
