import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import Fastify from "fastify";
import { portTakenError } from "../config/index.js";
import { newId } from "../ids.js";
import type { Role } from "./caller.js";

/** How long the development issuer's tokens live: a working day. */
const tokenLifetime = "12h";

/**
 * A local identity provider for the embedded mode and development: an ES256
 * key pair made at start, its JWKS and OpenID configuration served over HTTP
 * as a real issuer's are (services verify through jose's remote key set,
 * the same path as production), tokens for staff and customers, and a guest
 * endpoint that gives a web page or kiosk a fresh customer identity.
 */
export class DevIssuer {
  constructor(
    /** The `iss` of its tokens, also where it serves. */
    readonly url: string,
    readonly audience: string,
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  /** A signed token for `subject`; staff tokens list the `staff` role. */
  issue(subject: string, role: Exclude<Role, "service">): Promise<string> {
    return new SignJWT({ roles: [role] })
      .setProtectedHeader({ alg: "ES256", kid: this.publicJwk.kid! })
      .setIssuer(this.url)
      .setAudience(this.audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(tokenLifetime)
      .sign(this.privateKey);
  }
}

export interface RunningDevIssuer {
  issuer: DevIssuer;
  close(): Promise<void>;
}

export interface DevIssuerOptions {
  host: string;
  /** 0 for a free port. */
  port: number;
  audience: string;
  /** Its `iss` and public address, when callers reach it by another name than host:port (a container's published port). */
  publicUrl?: string;
}

/** Starts the development issuer on host:port. */
export async function startDevIssuer(options: DevIssuerOptions): Promise<RunningDevIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: newId(), alg: "ES256", use: "sig" };
  const app = Fastify({ logger: false });
  // Known once listen() has chosen the port; the routes below only run after that.
  // eslint-disable-next-line prefer-const -- read by the routes, which are registered before it can be made.
  let issuer: DevIssuer | undefined;
  // Public keys and guest identities are meant for any page: no origin needs keeping out.
  app.addHook("onSend", async (_request, reply) => void reply.header("access-control-allow-origin", "*"));
  app.get("/.well-known/jwks.json", async () => ({ keys: [publicJwk] }));
  app.get("/.well-known/openid-configuration", async () => ({ issuer: issuer!.url, jwks_uri: issuer!.jwksUrl, id_token_signing_alg_values_supported: ["ES256"] }));
  app.post("/guest", async () => {
    const customerId = `guest-${newId()}`;
    return { customerId, token: await issuer!.issue(customerId, "customer") };
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    throw portTakenError(error, "AUTH_DEV_ISSUER_PORT", options.host, options.port) ?? error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  issuer = new DevIssuer(options.publicUrl ?? `http://${host}:${port}`, options.audience, privateKey, publicJwk);
  return { issuer, close: () => app.close() };
}
