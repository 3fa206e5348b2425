import { describe, expect, it } from "vitest";
import { PendingOutboxIds } from "../src/storage/pending-outbox-ids.js";

const at = (ms: number) => new Date(ms);

describe("PendingOutboxIds", () => {
  it("gives the first ids oldest first, ties in the order filed, at most `limit`", () => {
    const pending = new PendingOutboxIds();
    for (const [id, time] of [["a", 1], ["b", 2], ["c", 2], ["d", 5]] as const) pending.file(id, at(time));
    expect(pending.first(10)).toEqual(["a", "b", "c", "d"]);
    expect(pending.first(2)).toEqual(["a", "b"]);
    expect(pending.first(0)).toEqual([]);
  });

  it("puts an id filed late with an older time in its place", () => {
    const pending = new PendingOutboxIds();
    pending.file("late", at(3));
    pending.file("early", at(1));
    pending.file("later", at(4));
    expect(pending.first(10)).toEqual(["early", "late", "later"]);
    pending.file("earliest", at(0));
    expect(pending.first(1)).toEqual(["earliest"]);
  });

  it("moves an id re-filed at a new time, keeps one re-filed at the same time, and drops one with nothing left", () => {
    const pending = new PendingOutboxIds();
    for (const [id, time] of [["a", 1], ["b", 2], ["c", 3]] as const) pending.file(id, at(time));
    pending.file("a", at(1));
    expect(pending.first(10)).toEqual(["a", "b", "c"]);
    pending.file("a", at(4));
    expect(pending.first(10)).toEqual(["b", "c", "a"]);
    pending.file("c", at(0));
    pending.file("b", undefined);
    expect(pending.first(10)).toEqual(["c", "a"]);
    pending.file("no-such", undefined);
    expect(pending.first(10)).toEqual(["c", "a"]);
  });
});
