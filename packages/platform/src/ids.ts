import { monotonicFactory } from "ulidx";

/** A ULID: sortable by creation time, unique across processes. Monotonic within one process. */
export const newId: () => string = monotonicFactory();

/** ULIDs are 26 Crockford base-32 characters. */
export function isId(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
