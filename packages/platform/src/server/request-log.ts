import type { FastifyInstance } from "fastify";

/**
 * One log line per answered request: method, path, status and time. It is
 * written at info through the route's own logger, so routes registered at
 * warn (probes, RPCs: their failures are logged where they happen) stay
 * quiet. The query string is left out: it can carry a Connect GET message.
 */
export function logRequests(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    const path = request.url.split("?")[0];
    request.log.info({ method: request.method, path, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
  });
}
