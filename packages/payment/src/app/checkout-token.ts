import { createHash, randomFillSync, timingSafeEqual } from "node:crypto";

/**
 * A checkout's key: 128 random bits, base64url (22 characters). Whoever holds
 * it may see and pay the checkout, so it comes from the OS's CSPRNG, never
 * from an id (payment ids are ULIDs: same-millisecond ids differ by one).
 */
export function newCheckoutToken(): string {
  if (nextRandom + tokenBytes > randomPool.length) {
    randomFillSync(randomPool);
    nextRandom = 0;
  }
  const token = randomPool.toString("base64url", nextRandom, nextRandom + tokenBytes);
  // Each random byte goes into one token only.
  randomPool.fill(0, nextRandom, nextRandom + tokenBytes);
  nextRandom += tokenBytes;
  return token;
}

const tokenBytes = 16;
// Filled 256 tokens at a time: one randomBytes(16) per checkout cost ~2 us, a pooled token ~0.2.
const randomPool = Buffer.alloc(tokenBytes * 256);
let nextRandom = randomPool.length;

/** Whether `text` can be a checkout token at all: anything else is answered "not found" without a lookup. */
export function isCheckoutToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(text);
}

/** Compares two tokens in time that does not depend on where they differ. */
export function sameCheckoutToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A token's SHA-256, for keying in-memory indexes: a Map compares its keys
 * with early exit, and comparing digests leaks nothing usable about the token.
 */
export function checkoutTokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
