import { randomFillSync } from "node:crypto";
import { ValidationError } from "./errors/index.js";

/** Crockford's base 32, as ULIDs spell it, by digit value. */
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const digitCodes = Array.from(crockford, (digit) => digit.charCodeAt(0));

/** Random bytes from a pool filled 4 KiB at a time: one call to the OS per 4,096 bytes, not per byte. */
function pooledBytes(): () => number {
  const pool = Buffer.alloc(4_096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]!;
  };
}

/** A 48-bit millisecond time as ULID's 10 leading digits. */
function encodeTime(ms: number): string {
  let text = "";
  for (let left = ms, index = 0; index < 10; index++, left = Math.floor(left / 32)) text = crockford[left % 32]! + text;
  return text;
}

/**
 * Monotonic ULIDs (the spec's monotonic mode): a new millisecond gets 80 fresh
 * random bits, each further id in the same millisecond (or while the clock
 * stands behind the last one) the previous random part plus one, so ids
 * made here always sort in the order they were made. The time digits are
 * encoded once per millisecond and each id is one string of 26 codes: ulidx,
 * used before, built every id a character at a time and asked its random
 * source once per character (bench/PROFILE.md).
 */
export function monotonicUlids(randomByte: () => number = pooledBytes()): () => string {
  let lastTime = -1;
  let timeDigits = "";
  const random = new Uint8Array(16);
  return () => {
    const now = Date.now();
    if (now > lastTime) {
      lastTime = now;
      timeDigits = encodeTime(now);
      // 256 is 8 x 32: the low five bits of a uniform byte are a uniform digit.
      for (let index = 0; index < 16; index++) random[index] = randomByte() & 31;
    } else increment(random);
    const r = random;
    const c = digitCodes;
    return timeDigits + String.fromCharCode(c[r[0]!]!, c[r[1]!]!, c[r[2]!]!, c[r[3]!]!, c[r[4]!]!, c[r[5]!]!, c[r[6]!]!, c[r[7]!]!, c[r[8]!]!, c[r[9]!]!, c[r[10]!]!, c[r[11]!]!, c[r[12]!]!, c[r[13]!]!, c[r[14]!]!, c[r[15]!]!);
  };
}

/** Adds one to a base-32 number held one digit per byte, most significant first. */
function increment(digits: Uint8Array): void {
  for (let index = digits.length - 1; index >= 0; index--) {
    if (digits[index]! < 31) {
      digits[index]! += 1;
      return;
    }
    digits[index] = 0;
  }
  // 2^80 ids in one millisecond: the spec says to fail rather than go back.
  throw new Error("ULID random part overflowed within one millisecond");
}

/** A ULID: sortable by creation time, unique across processes. Monotonic within one process. */
export const newId: () => string = monotonicUlids();

/** ULIDs are 26 Crockford base-32 characters. */
export function isId(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}

/**
 * Page tokens that carry the id a page goes on from: base64url of a prefix
 * naming the listing and the id. Opaque to callers, who pass them back as
 * they got them; `read` refuses any token `make` did not issue for this
 * listing with a ValidationError on `page_token`.
 */
export function idPageTokens(prefix: string): { make: (id: string) => string; read: (token: string) => string } {
  return {
    make: (id) => Buffer.from(`${prefix}${id}`).toString("base64url"),
    read(token) {
      const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString() : "";
      const id = text.startsWith(prefix) ? text.slice(prefix.length) : "";
      if (!isId(id)) throw new ValidationError("page_token", "is not a page token this service issued");
      return id;
    },
  };
}
