import { describe, expect, it } from "vitest";
import { copyState } from "@oms/platform/aggregate";

describe("copyState", () => {
  const state = {
    id: "01ORDER",
    version: 2,
    total: { currencyCode: "EUR", amountMinor: 1700n },
    lines: [{ name: "Margherita", quantity: 2, note: undefined }],
    createTime: new Date("2026-12-01T07:00:00Z"),
    body: new Uint8Array([1, 2, 3]),
    tags: new Map([["a", 1]]),
    outbox: [] as string[],
  };

  it("gives what structuredClone gives for an aggregate's plain data", () => {
    const copy = copyState(state);
    expect(copy).toStrictEqual(structuredClone(state));
    expect("note" in copy.lines[0]!).toBe(true);
  });

  it("shares nothing with the original, however deep", () => {
    const copy = copyState(state);
    copy.total.amountMinor = 1n;
    copy.lines[0]!.quantity = 9;
    copy.createTime.setTime(0);
    copy.body[0] = 9;
    copy.tags.set("a", 2);
    copy.outbox.push("x");
    expect(state.total.amountMinor).toBe(1700n);
    expect(state.lines[0]!.quantity).toBe(2);
    expect(state.createTime.getTime()).toBe(Date.parse("2026-12-01T07:00:00Z"));
    expect([...state.body]).toEqual([1, 2, 3]);
    expect(state.tags.get("a")).toBe(1);
    expect(state.outbox).toEqual([]);
  });
});
