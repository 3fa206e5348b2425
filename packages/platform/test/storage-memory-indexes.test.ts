import { describe, expect, it } from "vitest";
import { MemoryIndexes } from "../src/storage/memory-indexes.js";

interface Ticket {
  status: string;
  cook?: string;
}

describe("the in-memory store's indexes", () => {
  const make = () => new MemoryIndexes<Ticket>({ status: (ticket) => ticket.status, cook: (ticket) => ticket.cook });

  it("files a record under its key, moves it when the key changes and leaves it out when there is none", () => {
    const indexes = make();
    indexes.file("a", { status: "QUEUED" }, true);
    indexes.file("b", { status: "QUEUED" }, true);
    indexes.file("a", { status: "COOKING", cook: "cook-1" }, false);
    expect([...indexes.under("status", "QUEUED")]).toEqual(["b"]);
    expect([...indexes.under("status", "COOKING")]).toEqual(["a"]);
    expect([...indexes.under("cook", "cook-1")]).toEqual(["a"]);
    indexes.file("a", { status: "READY" }, false);
    expect([...indexes.under("cook", "cook-1")]).toEqual([]);
    expect(indexes.counts("status")).toEqual({ QUEUED: 1, READY: 1 });
    expect(() => indexes.under("colour", "red")).toThrow("no index colour");
  });

  it("keeps every id in id order however they arrive, and reads them newest first from any point", () => {
    const indexes = make();
    for (const id of ["b", "d", "a", "c", "e"]) indexes.file(id, { status: "QUEUED" }, true);
    expect([...indexes.newestFirst()]).toEqual(["e", "d", "c", "b", "a"]);
    expect([...indexes.newestFirst("c")]).toEqual(["b", "a"]);
    expect([...indexes.newestFirst("cc")]).toEqual(["c", "b", "a"]);
    expect([...indexes.newestFirst("a")]).toEqual([]);
    // A changed record is not filed twice.
    indexes.file("c", { status: "READY" }, false);
    expect([...indexes.newestFirst()]).toHaveLength(5);
  });

  it("keeps each key's ids in id order however they arrive, and reads them oldest first from any point", () => {
    const indexes = make();
    for (const id of ["b", "d", "a", "c", "e"]) indexes.file(id, { status: "QUEUED" }, true);
    indexes.file("c", { status: "READY" }, false);
    indexes.file("c", { status: "QUEUED" }, false);
    expect([...indexes.under("status", "QUEUED")]).toEqual(["a", "b", "c", "d", "e"]);
    expect([...indexes.under("status", "QUEUED", "b")]).toEqual(["c", "d", "e"]);
    expect([...indexes.under("status", "QUEUED", "bb")]).toEqual(["c", "d", "e"]);
    expect([...indexes.under("status", "QUEUED", "e")]).toEqual([]);
    expect([...indexes.under("status", "READY", "a")]).toEqual([]);
    expect([...indexes.oldestFirst()]).toEqual(["a", "b", "c", "d", "e"]);
    expect([...indexes.oldestFirst("c")]).toEqual(["d", "e"]);
    expect([...indexes.oldestFirst("0")]).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("reads each key's ids newest first from any point", () => {
    const indexes = make();
    for (const id of ["b", "d", "a", "c", "e"]) indexes.file(id, { status: "QUEUED" }, true);
    indexes.file("d", { status: "READY" }, false);
    expect([...indexes.underNewestFirst("status", "QUEUED")]).toEqual(["e", "c", "b", "a"]);
    expect([...indexes.underNewestFirst("status", "QUEUED", "c")]).toEqual(["b", "a"]);
    expect([...indexes.underNewestFirst("status", "QUEUED", "cc")]).toEqual(["c", "b", "a"]);
    expect([...indexes.underNewestFirst("status", "QUEUED", "a")]).toEqual([]);
    expect([...indexes.underNewestFirst("status", "COOKING")]).toEqual([]);
    expect(() => indexes.underNewestFirst("colour", "red")).toThrow("no index colour");
  });
});
