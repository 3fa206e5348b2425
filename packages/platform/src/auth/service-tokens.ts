import type { Interceptor } from "@connectrpc/connect";
import { SignJWT } from "jose";

/** The `iss` and `aud` of the tokens OMS services sign for each other. */
export const serviceTokenIssuer = "oms-services";
export const serviceTokenAudience = "oms-services";

/** Shorter than this, a service key is refused: HS256 needs at least 256 bits. */
export const minServiceKeyLength = 32;

/**
 * The short-lived token one OMS service presents to its peers (order calling
 * menu and stock): HS256 with the key only services hold, so no customer can
 * make one. Signed once and reused until a minute before it expires.
 */
export class ServiceTokens {
  private current?: { token: string; refreshAt: number };

  constructor(
    private readonly key: Uint8Array,
    private readonly service: string,
    private readonly lifetimeSeconds = 300,
  ) {}

  async token(): Promise<string> {
    const now = Date.now();
    if (this.current && now < this.current.refreshAt) return this.current.token;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(serviceTokenIssuer)
      .setAudience(serviceTokenAudience)
      .setSubject(this.service)
      .setIssuedAt()
      .setExpirationTime(`${this.lifetimeSeconds}s`)
      .sign(this.key);
    this.current = { token, refreshAt: now + (this.lifetimeSeconds - 60) * 1000 };
    return token;
  }
}

/** A client interceptor that calls peers as this service. */
export function serviceIdentityInterceptor(tokens: ServiceTokens): Interceptor {
  return (next) => async (request) => {
    request.header.set("authorization", `Bearer ${await tokens.token()}`);
    return next(request);
  };
}

/** The service key as bytes, from its text form (AUTH_SERVICE_KEY). */
export function serviceKeyFrom(text: string): Uint8Array {
  if (text.length < minServiceKeyLength) throw new Error(`a service key needs at least ${minServiceKeyLength} characters`);
  return new TextEncoder().encode(text);
}
