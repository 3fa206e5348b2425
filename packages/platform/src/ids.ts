import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulidx";
import { ValidationError } from "./errors/index.js";

/**
 * Random numbers for ULIDs from a pool filled 4 KiB at a time: ulidx's own
 * source asks the OS for one byte per character (16 calls per id, ~4 % of an
 * order's CPU in the bench profile). Each byte / 256 is uniform in [0, 1),
 * which is all its base-32 characters need.
 */
function pooledRandom(): () => number {
  const pool = Buffer.alloc(4_096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

/** A ULID: sortable by creation time, unique across processes. Monotonic within one process. */
export const newId: () => string = monotonicFactory(pooledRandom());

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
