import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Role } from "./caller.js";

/**
 * Who may call one method: anyone (`"public"`, no token needed), or callers
 * holding one of the listed roles. There is no default: a method missing
 * from its service's table is refused.
 */
export type Access = "public" | readonly [Role, ...Role[]];

/** One access rule per method of `S`, keyed by the method's local name: the compiler names a missing one. */
export type PolicyTable<S extends DescService> = { readonly [K in keyof S["method"]]: Access };

/** Access by RPC path (`/package.Service/Method`), as the server sees requests. */
export type Policies = ReadonlyMap<string, Access>;

/** Anyone, with or without a token. */
export const anyone: Access = "public";

/** Only callers holding one of these roles. */
export function allow(...allowed: [Role, ...Role[]]): Access {
  return allowed;
}

/** The policies of one service, checked for completeness at compile time and again here. */
export function servicePolicies<S extends DescService>(service: S, table: PolicyTable<S>): Policies {
  const byName = table as Record<string, Access | undefined>;
  const entries = service.methods.map((method: DescMethod): [string, Access] => {
    const access = byName[method.localName];
    if (access === undefined) throw new Error(`${service.typeName}.${method.name} has no access policy`);
    return [rpcPath(method), access];
  });
  const extra = Object.keys(table).filter((name) => !service.methods.some((method) => method.localName === name));
  if (extra.length > 0) throw new Error(`${service.typeName} has no methods named ${extra.join(", ")}`);
  return new Map(entries);
}

/** Joins the policies of the services one server hosts. */
export function mergePolicies(...parts: Policies[]): Policies {
  return new Map(parts.flatMap((part) => [...part]));
}

/** `/package.Service/Method`: the path Connect, gRPC and gRPC-Web requests all use. */
export function rpcPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/** Whether a caller in `role` passes `access`. */
export function permits(access: Access, role: Role | "anonymous"): boolean {
  return access === "public" || (role !== "anonymous" && access.includes(role));
}

/** Every method of these services open to anyone: for test and conformance servers, never for OMS's own services. */
export function publicPolicies(...services: DescService[]): Policies {
  return new Map(services.flatMap((service) => service.methods.map((method): [string, Access] => [rpcPath(method), anyone])));
}
