import { describe, expect, it } from "vitest";
import { Recent } from "../src/telemetry/recent.js";

describe("Recent", () => {
  it("makes a value once per key and keeps it, undefined included", () => {
    const recent = new Recent<string | undefined>();
    let made = 0;
    const make = (key: string) => (made++, key === "none" ? undefined : key.toUpperCase());
    expect(recent.getOrMake("a", make)).toBe("A");
    expect(recent.getOrMake("a", make)).toBe("A");
    expect(recent.getOrMake("none", make)).toBeUndefined();
    expect(recent.getOrMake("none", make)).toBeUndefined();
    expect(made).toBe(2);
  });

  it("keeps no key longer than its limit, and starts over when full", () => {
    const recent = new Recent<number>(2, 3);
    recent.set("long", 1);
    expect(recent.get("long")).toBeUndefined();
    recent.set("a", 1);
    recent.set("b", 2);
    recent.set("c", 3);
    expect([recent.get("a"), recent.get("b"), recent.get("c")]).toEqual([undefined, undefined, 3]);
  });
});
