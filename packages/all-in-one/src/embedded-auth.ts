import { randomBytes } from "node:crypto";
import { createAuth, readAuthConfig, startDevIssuer, type DevIssuer, type ProcessAuth } from "@oms/platform/auth";
import { env as field, readConfig, type Env } from "@oms/platform/config";

/** The audience of the development issuer's tokens. */
export const devAudience = "oms";

export interface EmbeddedAuth {
  auth: ProcessAuth;
  /** The development issuer, when no real one is configured: it signs the tokens printed at start. */
  issuer?: DevIssuer;
  close(): Promise<void>;
}

/**
 * Authentication for the five services in one process: the configured issuer
 * (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL) when there is one, else a
 * development issuer started on AUTH_DEV_ISSUER_PORT (8086). The services'
 * shared key is AUTH_SERVICE_KEY or, as they share this process, a fresh
 * random one.
 */
export async function startEmbeddedAuth(env: Env, host: string, randomPort: boolean): Promise<EmbeddedAuth> {
  const config = readAuthConfig(env);
  const { port } = readConfig({ port: field.port("AUTH_DEV_ISSUER_PORT", 8086) }, env);
  const serviceKey = config.serviceKey ?? randomBytes(32).toString("base64url");
  if (config.issuer) return { auth: createAuth({ issuer: config.issuer, serviceKey }), close: async () => {} };
  const dev = await startDevIssuer({ host, port: randomPort ? 0 : port, audience: devAudience });
  const issuer = { url: dev.issuer.url, audience: devAudience, jwksUrl: dev.issuer.jwksUrl, rolesClaim: "roles" };
  return { auth: createAuth({ issuer, serviceKey }), issuer: dev.issuer, close: () => dev.close() };
}
