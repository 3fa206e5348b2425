import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Telemetry } from "./telemetry.js";

/**
 * Browsers and webhooks are not peers: their trace context may continue a
 * trace, but their baggage (an order id of their choosing) is not taken.
 */
const traceContextOnly = new W3CTraceContextPropagator();
const headerGetter = {
  get: (headers: FastifyRequest["headers"], key: string) => {
    const value = headers[key];
    return Array.isArray(value) ? value[0] : value;
  },
  keys: (headers: FastifyRequest["headers"]) => Object.keys(headers),
};

/**
 * A SERVER span for each plain HTTP route of the scope (checkout pages and
 * actions, webhooks: what is not an RPC), named by method and route
 * template (never the path: a checkout token is a key), from the request's
 * arrival to its response. The route's handler runs inside it, so what the
 * handler stores and publishes continues its trace; the aggregate store tags
 * it with the order it loads. Register before the routes (an onRoute hook).
 */
export function traceHttpRoutes(scope: FastifyInstance, telemetry: Telemetry): void {
  const contexts = new WeakMap<FastifyRequest, Context>();

  scope.addHook("onRoute", (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request, reply) {
      const active = contexts.get(request);
      return active ? context.with(active, () => handler.call(this, request, reply)) : handler.call(this, request, reply);
    };
  });

  scope.addHook("onRequest", async (request) => {
    const parent = traceContextOnly.extract(ROOT_CONTEXT, request.headers, headerGetter);
    const route = request.routeOptions.url ?? "(no route)";
    const span = telemetry.tracer.startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "http.route": route, "url.scheme": request.protocol } },
      parent,
    );
    contexts.set(request, trace.setSpan(parent, span));
  });

  const finish = async (request: FastifyRequest, status?: number) => {
    const span = trace.getSpan(contexts.get(request) ?? ROOT_CONTEXT);
    if (!span) return;
    contexts.delete(request);
    if (status === undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: "client went away" });
    else {
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  scope.addHook("onResponse", (request, reply) => finish(request, reply.statusCode));
  scope.addHook("onRequestAbort", (request) => finish(request));
}
