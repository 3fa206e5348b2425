import { Code, ConnectError } from "@connectrpc/connect";
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { anonymous, type Caller, type Role } from "./caller.js";
import { serviceTokenAudience, serviceTokenIssuer } from "./service-tokens.js";
import { TokenCache } from "./token-cache.js";

/** Proves who is calling from the `authorization` header of a request. */
export interface Authenticator {
  /** The caller a bearer token proves; anonymous without a header; UNAUTHENTICATED for a bad one. */
  authenticate(authorization: string | null | undefined): Promise<Caller>;
}

/** The identity provider whose tokens customers and staff present (any OIDC issuer). */
export interface IssuerTrust {
  /** The `iss` its tokens carry. */
  issuer: string;
  /** The `aud` OMS's tokens must carry. */
  audience: string;
  /** Its signing keys: jose's remote JWK set (fetched and cached) for a real issuer. */
  keys: JWTVerifyGetKey;
  /** The claim listing the holder's roles (an array or a space-separated string); default `roles`. */
  rolesClaim?: string;
}

export interface JwtAuthenticatorOptions {
  issuer: IssuerTrust;
  /** The secret only OMS services hold, which signs their short-lived peer tokens (service-tokens.ts). */
  serviceKey: Uint8Array;
  /** How many verified tokens to remember, so a token is verified once, not on every call (default 10,000). */
  cacheSize?: number;
}

/** A token longer than this is refused before any parsing: real ones are a few hundred bytes. */
const maxTokenLength = 8_192;
/** Asymmetric only for the issuer: an `HS256` token signed with a public key must never pass. */
const issuerAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * Bearer JWTs verified with jose: tokens from the identity provider
 * (customers, staff; a `service` role from it is honoured too) and peer tokens
 * the services sign with their shared key (HS256, issuer `oms-services`).
 * Verified tokens are cached until they expire.
 */
export class JwtAuthenticator implements Authenticator {
  private readonly cache: TokenCache<Caller>;

  constructor(private readonly options: JwtAuthenticatorOptions) {
    this.cache = new TokenCache(options.cacheSize ?? 10_000);
  }

  async authenticate(authorization: string | null | undefined): Promise<Caller> {
    if (authorization === null || authorization === undefined || authorization === "") return anonymous;
    const token = bearerToken(authorization);
    const cached = this.cache.get(token);
    if (cached) return cached;
    const { caller, expiresAt } = await this.verify(token);
    this.cache.set(token, caller, expiresAt);
    return caller;
  }

  private async verify(token: string): Promise<{ caller: Caller; expiresAt: number }> {
    try {
      const { payload, peer } = await this.verifyEither(token);
      return { caller: callerFrom(payload, peer, this.options.issuer.rolesClaim ?? "roles"), expiresAt: payload.exp! * 1000 };
    } catch (error) {
      throw asAuthError(error);
    }
  }

  /** The verified claims, and whether the services' key signed them (a peer) rather than the issuer. */
  private async verifyEither(token: string): Promise<{ payload: JWTPayload; peer: boolean }> {
    const required = ["exp", "sub"];
    if (isServiceToken(token)) {
      const { payload } = await jwtVerify(token, this.options.serviceKey, {
        algorithms: ["HS256"],
        issuer: serviceTokenIssuer,
        audience: serviceTokenAudience,
        requiredClaims: required,
      });
      return { payload, peer: true };
    }
    const { issuer, audience, keys } = this.options.issuer;
    const { payload } = await jwtVerify(token, keys, { algorithms: issuerAlgorithms, issuer, audience, requiredClaims: required });
    return { payload, peer: false };
  }
}

function bearerToken(authorization: string): string {
  const match = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)$/i.exec(authorization.trim());
  if (!match || match[1]!.length > maxTokenLength) {
    throw new ConnectError("authorization: expected 'Bearer <JWT>'", Code.Unauthenticated);
  }
  return match[1]!;
}

/** Peer tokens are the only symmetric ones: their header's `alg` chooses the key to verify with. */
function isServiceToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).alg === "HS256";
  } catch {
    return false;
  }
}

function callerFrom(payload: JWTPayload, peer: boolean, rolesClaim: string): Caller {
  const subject = payload.sub ?? "";
  if (subject === "" || subject.length > 128) throw new ConnectError("bearer token: `sub` must be 1 to 128 characters", Code.Unauthenticated);
  if (peer) return { role: "service", subject };
  return { role: roleFrom(payload[rolesClaim]), subject };
}

/** The strongest role the token lists; a token listing none belongs to a customer. */
function roleFrom(claim: unknown): Role {
  const listed = Array.isArray(claim) ? claim : typeof claim === "string" ? claim.split(" ") : [];
  if (listed.includes("service")) return "service";
  if (listed.includes("staff")) return "staff";
  return "customer";
}

/** Expired or forged tokens are the caller's problem (UNAUTHENTICATED); an unreachable key set is ours (UNAVAILABLE). */
function asAuthError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof errors.JWTExpired) return new ConnectError("bearer token expired", Code.Unauthenticated);
  if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) {
    return new ConnectError("identity provider unreachable", Code.Unavailable);
  }
  return new ConnectError("bearer token is not valid", Code.Unauthenticated);
}
