import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Authenticator } from "./authenticator.js";
import { anonymous, callerKey } from "./caller.js";
import { permits, rpcPath, type Policies } from "./policy.js";

/**
 * The one door every RPC passes: looks up the method's access rule (none:
 * refused), proves the caller from the bearer token, and hands the caller to
 * the handler (`callerOf(context)`). No token where one is needed is
 * UNAUTHENTICATED; the wrong role is PERMISSION_DENIED. Without an
 * authenticator every caller is anonymous, so only public methods answer.
 */
export function authorizationInterceptor(policies: Policies, authenticator?: Authenticator): Interceptor {
  return (next) => async (request) => {
    const path = rpcPath(request.method);
    const access = policies.get(path);
    if (access === undefined) throw new ConnectError(`${path} has no access policy`, Code.PermissionDenied);
    const authorization = request.header.get("authorization");
    const caller = authenticator ? await authenticator.authenticate(authorization) : anonymous;
    if (!permits(access, caller.role)) {
      if (caller.role === "anonymous") throw new ConnectError("this method needs a bearer token", Code.Unauthenticated);
      throw new ConnectError(`${request.method.name} is not open to ${caller.role} callers`, Code.PermissionDenied);
    }
    request.contextValues.set(callerKey, caller);
    return next(request);
  };
}
