import type { DescMethodUnary } from "@bufbuild/protobuf";
import { createMethodImplSpec, createServiceImplSpec, type ConnectRouter, type MethodImplSpec } from "@connectrpc/connect";

/** A unary method's implementation, as the router was given it. */
export type UnaryImplSpec = MethodImplSpec & { kind: "unary"; method: DescMethodUnary };

/**
 * A router that registers everything on `router` as usual and also keeps the
 * unary implementations, by request path, for the unary fast path. Methods
 * registered with options of their own stay Connect's alone: the fast path
 * serves with the router-wide options only.
 */
export function recordUnaryMethods(router: ConnectRouter): { router: ConnectRouter; unary: Map<string, UnaryImplSpec> } {
  const unary = new Map<string, UnaryImplSpec>();
  const keep = (spec: MethodImplSpec) => {
    if (spec.kind === "unary") unary.set(`/${spec.method.parent.typeName}/${spec.method.name}`, spec);
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
  return { router: recording, unary };
}
