import { describe, expect, it } from "vitest";
import { checkoutTokenDigest, isCheckoutToken, newCheckoutToken, sameCheckoutToken } from "../src/app/checkout-token.js";

describe("checkout tokens", () => {
  it("are 22 base64url characters, and nothing else passes for one", () => {
    const token = newCheckoutToken();
    expect(isCheckoutToken(token)).toBe(true);
    expect(isCheckoutToken("Az09_-".padEnd(22, "x"))).toBe(true);
    for (const text of [token.slice(1), `${token}x`, `x${token}`, `${token.slice(1)}+`, `${token.slice(1)}/`, `${token.slice(1)}=`, ""]) {
      expect(isCheckoutToken(text)).toBe(false);
    }
  });

  it("never repeat, across refills of the pool they are cut from, and none is made of spent (zeroed) bytes", () => {
    const tokens = Array.from({ length: 1_000 }, () => newCheckoutToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.every(isCheckoutToken)).toBe(true);
    expect(tokens).not.toContain(Buffer.alloc(16).toString("base64url"));
  });

  it("compare equal only when every character is the same, whatever their lengths", () => {
    const token = newCheckoutToken();
    expect(sameCheckoutToken(token, token.slice())).toBe(true);
    expect(sameCheckoutToken(token, `${token.slice(0, 21)}${token.endsWith("A") ? "B" : "A"}`)).toBe(false);
    expect(sameCheckoutToken(token, token.slice(0, 21))).toBe(false);
    expect(sameCheckoutToken(token.slice(0, 21), token)).toBe(false);
  });

  it("digest to a key of their own that does not show the token", () => {
    const [a, b] = [newCheckoutToken(), newCheckoutToken()];
    expect(checkoutTokenDigest(a)).toBe(checkoutTokenDigest(a));
    expect(checkoutTokenDigest(a)).not.toBe(checkoutTokenDigest(b));
    expect(checkoutTokenDigest(a)).not.toContain(a);
  });
});
