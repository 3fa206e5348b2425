import type { DescMethodServerStreaming, DescMethodUnary } from "@bufbuild/protobuf";
import { createMethodImplSpec, createServiceImplSpec, type ConnectRouter, type MethodImplSpec } from "@connectrpc/connect";

/** A unary method's implementation, as the router was given it. */
export type UnaryImplSpec = MethodImplSpec & { kind: "unary"; method: DescMethodUnary };

/** A server-streaming method's implementation, as the router was given it. */
export type ServerStreamingImplSpec = MethodImplSpec & { kind: "server_streaming"; method: DescMethodServerStreaming };

/** What recordMethods keeps, by request path. */
export interface RecordedMethods {
  router: ConnectRouter;
  unary: Map<string, UnaryImplSpec>;
  serverStreaming: Map<string, ServerStreamingImplSpec>;
}

/**
 * A router that registers everything on `router` as usual and also keeps the
 * unary and server-streaming implementations, by request path, for the fast
 * paths. Methods registered with options of their own stay Connect's alone:
 * the fast paths serve with the router-wide options only.
 */
export function recordMethods(router: ConnectRouter): RecordedMethods {
  const unary = new Map<string, UnaryImplSpec>();
  const serverStreaming = new Map<string, ServerStreamingImplSpec>();
  const keep = (spec: MethodImplSpec) => {
    const path = `/${spec.method.parent.typeName}/${spec.method.name}`;
    if (spec.kind === "unary") unary.set(path, spec);
    if (spec.kind === "server_streaming") serverStreaming.set(path, spec);
  };
  const recording: ConnectRouter = {
    get handlers() {
      return router.handlers;
    },
    service(service, implementation, options) {
      router.service(service, implementation, options);
      if (!options) for (const spec of Object.values(createServiceImplSpec(service, implementation).methods)) keep(spec);
      return recording;
    },
    rpc(method, impl, options) {
      router.rpc(method, impl, options);
      if (!options) keep(createMethodImplSpec(method, impl));
      return recording;
    },
  };
  return { router: recording, unary, serverStreaming };
}
