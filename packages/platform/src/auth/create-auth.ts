import type { Interceptor } from "@connectrpc/connect";
import { createRemoteJWKSet } from "jose";
import { JwtAuthenticator, type Authenticator } from "./authenticator.js";
import type { AuthConfig } from "./auth-config.js";
import { serviceIdentityInterceptor, serviceKeyFrom, ServiceTokens } from "./service-tokens.js";

/** What one process needs to check its callers and to call its peers as itself. */
export interface ProcessAuth {
  authenticator: Authenticator;
  /** The client interceptor that makes `service` the caller of its peer calls. */
  peerIdentity(service: string): Interceptor;
}

/** Trusts the configured issuer (its JWKS fetched and cached by jose) and the services' shared key. */
export function createAuth(config: Required<AuthConfig>): ProcessAuth {
  const serviceKey = serviceKeyFrom(config.serviceKey);
  const { url, audience, jwksUrl, rolesClaim } = config.issuer;
  const authenticator = new JwtAuthenticator({
    issuer: { issuer: url, audience, rolesClaim, keys: createRemoteJWKSet(new URL(jwksUrl)) },
    serviceKey,
  });
  return { authenticator, peerIdentity: (service) => serviceIdentityInterceptor(new ServiceTokens(serviceKey, service)) };
}
