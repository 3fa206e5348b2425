import type { Db, IndexDescription } from "mongodb";

/**
 * The indexes each collection needs, by collection name. Name every index:
 * a changed definition under the same name then fails loudly at start
 * (IndexKeySpecsConflict) instead of living beside the old one.
 */
export type IndexPlan = Record<string, ReadonlyArray<IndexDescription & { name: string }>>;

/**
 * Creates the planned indexes (and so the collections) at service start.
 * Idempotent: an index that already exists as planned is left alone.
 * On FerretDB 1.24 `partialFilterExpression` and `expireAfterSeconds` are not
 * implemented: use `sparse: true` for optional unique fields.
 */
export async function ensureIndexes(db: Db, plan: IndexPlan): Promise<void> {
  for (const [collection, indexes] of Object.entries(plan)) {
    // One command per index: FerretDB 1.24 crashes (and drops the connection) when one
    // createIndexes command lists several indexes that all exist already, i.e. on every restart.
    for (const index of indexes) await db.collection(collection).createIndexes([index]);
  }
}
