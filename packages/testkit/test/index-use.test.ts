import { describe, expect, it } from "vitest";
import type { Document } from "mongodb";
import { unservedQueries, type RecordedCommand } from "../src/index-use.js";

const databaseName = "shop";
const createIndexes = (collection: string, ...indexes: Document[]): RecordedCommand => ({ commandName: "createIndexes", command: { createIndexes: collection, indexes }, databaseName });
const find = (collection: string, filter: Document, sort?: Document | Map<string, number>, limit?: number): RecordedCommand => ({ commandName: "find", command: { find: collection, filter, sort, limit }, databaseName });
// The driver sends index keys and sorts as Maps (their order matters); plain objects are read too.
const orders = createIndexes("orders", { name: "status_deadline", key: new Map([["status", 1], ["deadline", 1]]) }, { name: "customer_newest", key: { customerId: 1, _id: -1 } });

describe("unservedQueries", () => {
  it("rejects an aggregate that groups every document, naming the command and the collection", () => {
    const everyOrder = { commandName: "aggregate", command: { aggregate: "orders", pipeline: [{ $group: { _id: "$status", n: { $sum: 1 } } }] }, databaseName };
    expect(unservedQueries([orders, everyOrder])).toEqual(["aggregate on shop.orders: filter {} sort {}"]);
  });

  it("rejects a filter or a sort no declared index serves", () => {
    const queries = [
      find("orders", { deadline: { $lte: 5 } }), // not the index's first field
      find("orders", { total: 10 }), // no index at all
      find("orders", { customerId: "c" }, { deadline: 1 }), // a sort the customer index cannot give
      find("orders", { status: "PAID", customerId: "c" }), // two equalities, no index with both
      find("orders", {}, { createdAt: -1 }, 10),
      find("payments", { status: "PAID" }), // declared on another collection
      { ...find("orders", { status: "PAID" }), databaseName: "other" }, // and in another database
    ];
    expect(unservedQueries([orders, ...queries])).toHaveLength(queries.length);
  });

  it("accepts _id lookups, equality then sort then range on an index prefix, either sort direction, $in and $or branches", () => {
    const queries = [
      find("orders", { _id: "o1", version: 3 }),
      find("orders", { _id: { $in: ["o1", "o2"] } }),
      find("orders", { _id: { $lt: "o9" } }, { _id: -1 }, 10),
      find("orders", { status: { $in: ["PENDING", "PAID"] }, deadline: { $lte: 5 } }, { deadline: 1 }, 100),
      find("orders", { status: "PAID" }, new Map([["deadline", -1]])),
      find("orders", { customerId: "c", _id: { $lt: "o9" } }, { _id: -1 }, 10),
      find("orders", { customerId: "c" }, { _id: 1 }),
      find("orders", { status: "PAID", note: { $ne: "" } }),
      find("orders", {}, undefined, 1),
      { commandName: "aggregate", command: { aggregate: "orders", pipeline: [{ $match: { status: { $in: ["PAID"] } } }, { $group: { _id: "$status" } }] }, databaseName },
      { commandName: "findAndModify", command: { findAndModify: "orders", query: { _id: "o1", version: 2 }, update: {} }, databaseName },
      find("orders", { $or: [{ status: "PAID" }, { customerId: "c" }] }),
    ];
    expect(unservedQueries([orders, ...queries])).toEqual([]);
  });

  it("uses a sparse index only for queries that require its field", () => {
    const outbox = createIndexes("orders", { name: "pending", key: { "outbox.0.time": 1 }, sparse: true });
    expect(unservedQueries([outbox, find("orders", { "outbox.0.time": { $exists: true } }, { "outbox.0.time": 1 }, 10)])).toEqual([]);
    expect(unservedQueries([outbox, find("orders", {}, { "outbox.0.time": 1 }, 10)])).toHaveLength(1);
  });

  it("rejects counting every document, and an $or with one unserved branch; reading them all is a find's to ask", () => {
    const countAll = { commandName: "aggregate", command: { aggregate: "orders", pipeline: [{ $match: {} }, { $group: { _id: 1, n: { $sum: 1 } } }] }, databaseName };
    expect(unservedQueries([orders, countAll])).toHaveLength(1);
    expect(unservedQueries([orders, find("orders", {})])).toEqual([]);
    expect(unservedQueries([orders, find("orders", { $or: [{ status: "PAID" }, { total: 3 }] })])).toHaveLength(1);
  });
});
