import { ConfigError, env, readConfig, type Env } from "../config/index.js";
import { minServiceKeyLength } from "./service-tokens.js";

/** How a service proves its callers, from the environment. */
export interface AuthConfig {
  /** AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL (all or none), AUTH_ROLES_CLAIM: the identity provider. */
  issuer?: { url: string; audience: string; jwksUrl: string; rolesClaim: string };
  /** AUTH_SERVICE_KEY: the secret services sign their peer tokens with. */
  serviceKey?: string;
}

/** Reads AUTH_*; a partial issuer or a short service key is a ConfigError naming the variable. */
export function readAuthConfig(source: Env): AuthConfig {
  const raw = readConfig(
    {
      issuer: env.url("AUTH_ISSUER", ["http", "https"]),
      audience: env.string("AUTH_AUDIENCE"),
      jwksUrl: env.url("AUTH_JWKS_URL", ["http", "https"]),
      rolesClaim: env.string("AUTH_ROLES_CLAIM", "roles"),
      serviceKey: env.string("AUTH_SERVICE_KEY"),
    },
    source,
  );
  if (raw.serviceKey !== undefined && raw.serviceKey.length < minServiceKeyLength) {
    // The key itself is never echoed: only its length is wrong.
    throw new ConfigError(`AUTH_SERVICE_KEY must be at least ${minServiceKeyLength} characters (a random secret, e.g. \`openssl rand -base64 32\`)`);
  }
  const set = [raw.issuer, raw.audience, raw.jwksUrl].filter((value) => value !== undefined).length;
  if (set > 0 && set < 3) throw new ConfigError("AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are set together or not at all");
  const issuer = set === 3 ? { url: raw.issuer!, audience: raw.audience!, jwksUrl: raw.jwksUrl!, rolesClaim: raw.rolesClaim } : undefined;
  return { issuer, serviceKey: raw.serviceKey };
}

/** A standalone service process needs both halves: who customers and staff are, and how peers prove themselves. */
export function requireAuthConfig(config: AuthConfig): Required<AuthConfig> {
  if (!config.issuer || !config.serviceKey) {
    throw new ConfigError(
      "authentication is not configured: set AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL (your OIDC issuer, or the development issuer `pnpm dev-issuer` prints) and AUTH_SERVICE_KEY (a secret of 32+ characters shared by the services)",
    );
  }
  return { issuer: config.issuer, serviceKey: config.serviceKey };
}
