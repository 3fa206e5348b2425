import { describe, expect, it } from "vitest";
import { isId, newId } from "../src/ids.js";

describe("newId", () => {
  it("makes valid ULIDs, each unique and sorting after the one before", () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(ids.every(isId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, index) => index === 0 || ids[index - 1]! < id)).toBe(true);
  });

  it("draws the random part from the whole alphabet (the pooled random source covers it)", () => {
    // The first random character is fresh only when the millisecond changes; across many ids, every one of 32 shows.
    const seen = new Set<string>();
    const until = Date.now() + 2_000;
    while (seen.size < 32 && Date.now() < until) seen.add(newId()[10]!);
    expect(seen.size).toBe(32);
  });
});
