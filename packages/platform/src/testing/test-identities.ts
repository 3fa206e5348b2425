import { randomBytes } from "node:crypto";
import { createRouterTransport, type Interceptor, type Transport } from "@connectrpc/connect";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { authorizationInterceptor, JwtAuthenticator, ServiceTokens, type Authenticator, type Role } from "../auth/index.js";
import { errorMappingInterceptor } from "../server/error-mapping.js";
import type { ServiceDefinition } from "../server/service-definition.js";

/** Real tokens for tests without an issuer process: a key pair made here, verified by the real authenticator. */
export interface TestIdentities {
  authenticator: Authenticator;
  /** A signed bearer token for `subject` in `role` (services' tokens are signed with the services' key). */
  token(role: Role, subject: string): Promise<string>;
}

const issuer = "https://issuer.test";
const audience = "oms";

/** Identities for a test; `serviceKey` fixes the services' key (another process must sign with it), random otherwise. */
export async function testIdentities(serviceKey: Uint8Array = randomBytes(32)): Promise<TestIdentities> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "test", alg: "ES256" }] });
  return {
    authenticator: new JwtAuthenticator({ issuer: { issuer, audience, keys }, serviceKey }),
    token: (role, subject) =>
      role === "service"
        ? new ServiceTokens(serviceKey, subject).token()
        : new SignJWT({ roles: [role] })
            .setProtectedHeader({ alg: "ES256", kid: "test" })
            .setIssuer(issuer)
            .setAudience(audience)
            .setSubject(subject)
            .setExpirationTime("1h")
            .sign(privateKey),
  };
}

/** A client interceptor presenting `token` on every call. */
export function withToken(token: string): Interceptor {
  return (next) => (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
}

/**
 * An in-process transport to a service definition's routes with the server's
 * own doors (error mapping, access policies), calling with `token`: fast
 * tests that still go through authorization.
 */
export function definitionTransport(definition: Pick<ServiceDefinition, "routes" | "policies">, authenticator: Authenticator, token?: string): Transport {
  const interceptors = [errorMappingInterceptor(), authorizationInterceptor(definition.policies, authenticator)];
  return createRouterTransport(definition.routes, { router: { interceptors }, transport: { interceptors: token ? [withToken(token)] : [] } });
}
