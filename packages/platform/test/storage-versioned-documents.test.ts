import type { Collection } from "mongodb";
import { describe, expect, it } from "vitest";
import {
  insertUnique,
  pendingDomainEvents,
  pullPublishedEvents,
  toVersionedDocument,
  updateVersioned,
  type VersionedDocument,
} from "../src/storage/index.js";
import { ferretDbAvailable, useFerretDb } from "@oms/testkit/ferretdb";

interface Event {
  id: string;
  type: string;
  time: Date;
}
interface Snapshot {
  id: string;
  version: number;
  status: string;
  key: string;
  outbox: Event[];
}

const event = (id: string, time: number): Event => ({ id, type: "order.created", time: new Date(time) });
const snapshot = (id: string, outbox: Event[], status = "new"): Snapshot => ({ id, version: 1, status, key: `key-${id}`, outbox });

describe.skipIf(!ferretDbAvailable())("versioned documents with an outbox, on FerretDB", () => {
  const ferret = useFerretDb();
  const fresh = async (): Promise<Collection<VersionedDocument<Snapshot>>> => {
    const collection = (await ferret.freshDatabase("versioned")).collection<VersionedDocument<Snapshot>>("aggregates");
    await collection.createIndex({ key: 1 }, { unique: true }, undefined);
    return collection;
  };

  it("lists only documents with events, oldest first event first, at most `limit`", async () => {
    const documents = await fresh();
    await documents.insertMany([
      toVersionedDocument(snapshot("late", [event("e3", 3_000)])),
      toVersionedDocument(snapshot("none", [])),
      toVersionedDocument(snapshot("early", [event("e1", 1_000), event("e9", 9_000)])),
      toVersionedDocument(snapshot("middle", [event("e2", 2_000)])),
    ]);
    expect((await pendingDomainEvents(documents, 10)).map((pending) => pending.id)).toEqual(["early", "middle", "late"]);
    expect((await pendingDomainEvents(documents, 2)).map((pending) => pending.id)).toEqual(["early", "middle"]);
    expect((await pendingDomainEvents(documents, 10))[0]!.events).toEqual([event("e1", 1_000), event("e9", 9_000)]);
  });

  it("pulls the published events, keeps the others and ignores unknown ids", async () => {
    const documents = await fresh();
    await documents.insertOne(toVersionedDocument(snapshot("a", [event("e1", 1), event("e2", 2), event("e3", 3)])));
    await pullPublishedEvents(documents, "a", ["e1", "e3", "unknown"]);
    expect(await pendingDomainEvents(documents, 10)).toEqual([{ id: "a", events: [event("e2", 2)] }]);
    await pullPublishedEvents(documents, "a", ["e2"]);
    expect(await pendingDomainEvents(documents, 10)).toEqual([]);
    await expect(pullPublishedEvents(documents, "no-such", ["e1"])).resolves.toBeUndefined();
  });

  it("keeps an event a change pushed after the relay read the outbox", async () => {
    const documents = await fresh();
    await documents.insertOne(toVersionedDocument(snapshot("a", [event("e1", 1)])));
    const [read] = await pendingDomainEvents(documents, 10);
    await updateVersioned<Snapshot>(documents, { _id: "a" }, (before) => ({ ...before, status: "paid", version: 2, outbox: [...before.outbox, event("e2", 2)] }));
    await pullPublishedEvents(documents, read!.id, read!.events.map((pending) => pending.id));
    expect(await pendingDomainEvents(documents, 10)).toEqual([{ id: "a", events: [event("e2", 2)] }]);
  });

  it("applies concurrent changes each once through the version compare-and-set", async () => {
    const documents = await fresh();
    await documents.insertOne(toVersionedDocument(snapshot("a", [])));
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        updateVersioned<Snapshot>(documents, { _id: "a" }, (before) => ({
          ...before,
          version: before.version + 1,
          outbox: [...before.outbox, event(`e${index}`, index)],
        })),
      ),
    );
    const stored = await documents.findOne({ _id: "a" });
    expect(stored?.version).toBe(11);
    expect(stored?.outbox.map((pending) => pending.id).sort()).toEqual(Array.from({ length: 10 }, (_, index) => `e${index}`).sort());
  });

  it("hands back the winner when a unique index refuses an insert", async () => {
    const documents = await fresh();
    expect(await insertUnique(documents, snapshot("first", []), { key: "key-first" })).toBeUndefined();
    const clash = { ...snapshot("second", []), key: "key-first" };
    expect((await insertUnique(documents, clash, { key: "key-first" }))?.id).toBe("first");
  });
});
