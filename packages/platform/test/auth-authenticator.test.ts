import { Code, ConnectError } from "@connectrpc/connect";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { JwtAuthenticator, ServiceTokens, serviceKeyFrom } from "../src/auth/index.js";

const issuer = "https://id.example.test";
const audience = "oms";
const serviceKey = serviceKeyFrom("a-secret-only-the-services-hold-0123456789");

describe("JwtAuthenticator", () => {
  let sign: (claims: Record<string, unknown>, options?: { issuer?: string; audience?: string; expires?: string; subject?: string }) => Promise<string>;
  let keys: JWTVerifyGetKey;
  let keyLookups = 0;
  let publicJwk: Record<string, unknown>;
  let authenticator: JwtAuthenticator;

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
    const local = createLocalJWKSet({ keys: [publicJwk] });
    keys = (header, token) => {
      keyLookups++;
      return local(header, token);
    };
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setSubject(options.subject ?? "alice")
        .setIssuedAt()
        .setExpirationTime(options.expires ?? "1h")
        .sign(pair.privateKey);
    authenticator = new JwtAuthenticator({ issuer: { issuer, audience, keys }, serviceKey });
  });

  const failure = async (authorization: string) => {
    const error = await authenticator.authenticate(authorization).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConnectError);
    return error as ConnectError;
  };

  it("is anonymous without a header", async () => {
    expect(await authenticator.authenticate(null)).toEqual({ role: "anonymous" });
    expect(await authenticator.authenticate("")).toEqual({ role: "anonymous" });
  });

  it("proves customers and staff from the issuer's tokens, by the roles claim", async () => {
    expect(await authenticator.authenticate(`Bearer ${await sign({})}`)).toEqual({ role: "customer", subject: "alice" });
    expect(await authenticator.authenticate(`Bearer ${await sign({ roles: ["staff"] }, { subject: "sam" })}`)).toEqual({ role: "staff", subject: "sam" });
    expect(await authenticator.authenticate(`Bearer ${await sign({ roles: "openid staff" }, { subject: "sue" })}`)).toEqual({ role: "staff", subject: "sue" });
  });

  it("makes a service only of tokens the services' key signed: no claim in an issuer's token can", async () => {
    expect(await authenticator.authenticate(`Bearer ${await sign({ __oms_service: true, service: true }, { subject: "order" })}`)).toEqual({
      role: "customer",
      subject: "order",
    });
  });

  it("proves services from the tokens they sign with the shared key", async () => {
    const token = await new ServiceTokens(serviceKey, "order").token();
    expect(await authenticator.authenticate(`Bearer ${token}`)).toEqual({ role: "service", subject: "order" });
  });

  it("refuses expired, foreign, misaddressed and malformed tokens with UNAUTHENTICATED, echoing none of them", async () => {
    const bad = [
      `Bearer ${await sign({}, { expires: "-1m" })}`,
      `Bearer ${await sign({}, { issuer: "https://evil.example.test" })}`,
      `Bearer ${await sign({}, { audience: "someone-else" })}`,
      `Bearer ${(await sign({})).slice(0, -4)}AAAA`,
      "Basic YWxpY2U6c2VjcmV0",
      "Bearer not-a-jwt",
      `Bearer ${"a".repeat(9000)}.b.c`,
    ];
    for (const authorization of bad) {
      const error = await failure(authorization);
      expect(error.code).toBe(Code.Unauthenticated);
      expect(error.message).not.toContain(authorization.slice(7, 40));
    }
  });

  it("refuses a service token a customer made: signed with another key, or with the issuer's public key (alg confusion), or unsigned", async () => {
    const otherKey = new TextEncoder().encode("a-key-that-a-customer-made-up-0123456789");
    const forged = await new ServiceTokens(otherKey, "order").token();
    const publicAsSecret = await new ServiceTokens(new TextEncoder().encode(JSON.stringify(publicJwk)), "order").token();
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ sub: "order", iss: "oms-services", aud: "oms-services", exp: 9_999_999_999 })).toString("base64url");
    for (const token of [forged, publicAsSecret, `${header}.${body}.`]) {
      expect((await failure(`Bearer ${token}`)).code).toBe(Code.Unauthenticated);
    }
  });

  it("verifies a token once and then answers from its cache until it expires", async () => {
    const token = await sign({ roles: ["staff"] }, { subject: "cached" });
    const before = keyLookups;
    for (let i = 0; i < 5; i++) await authenticator.authenticate(`Bearer ${token}`);
    expect(keyLookups - before).toBe(1);
  });
});
