import { decodeTime } from "ulidx";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isId, monotonicUlids, newId } from "../src/ids.js";

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

describe("monotonicUlids", () => {
  const at = (...times: number[]) => {
    const spy = vi.spyOn(Date, "now");
    for (const time of times) spy.mockReturnValueOnce(time);
    return spy;
  };
  afterEach(() => vi.restoreAllMocks());

  it("spells the time it was made in the first ten digits, as the spec's decoder reads them", () => {
    const before = Date.now();
    const id = newId();
    expect(decodeTime(id)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(id)).toBeLessThanOrEqual(Date.now());
    at(0, 2 ** 48 - 1);
    const ids = monotonicUlids(() => 0);
    expect(ids()).toBe("0".repeat(26));
    expect(ids()).toBe(`7ZZZZZZZZZ${"0".repeat(16)}`);
  });

  it("counts up within one millisecond, carrying from digit to digit, also while the clock stands behind", () => {
    // Random digits 0 ... 0 30 31: the low five bits of each byte.
    const bytes = [...Array(14).fill(0), 30 + 64, 31 + 128];
    at(1_000, 1_000, 1_000, 999);
    const ids = monotonicUlids(() => bytes.shift()!);
    const made = [ids(), ids(), ids(), ids()];
    expect(made.map((id) => id.slice(10))).toEqual(["0".repeat(14) + "YZ", "0".repeat(14) + "Z0", "0".repeat(14) + "Z1", "0".repeat(14) + "Z2"]);
    expect(made.map(decodeTime)).toEqual([1_000, 1_000, 1_000, 1_000]);
    expect([...made].sort()).toEqual(made);
  });

  it("fails rather than go back once the random part is spent within one millisecond", () => {
    at(5, 5);
    const ids = monotonicUlids(() => 31);
    expect(ids().slice(10)).toBe("Z".repeat(16));
    expect(() => ids()).toThrow("overflowed");
  });
});
