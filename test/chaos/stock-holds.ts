import { MongoClient } from "mongodb";

/**
 * Why units are still held, for the report when the accounting finds a hold
 * without a live order: stock's API shows only totals, so this reads its
 * database (diagnosis only: the accounting never depends on the storage
 * layout) and names each order holding units with its reservation's status.
 */
export async function describeHolds(mongodbUrl: string, itemIds: readonly string[], orderStatus: ReadonlyMap<string, string>): Promise<string[]> {
  const client = await MongoClient.connect(mongodbUrl, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 });
  try {
    const db = client.db("oms_stock");
    const levels = await db.collection<{ _id: string; holds?: Record<string, number> }>("stock_levels").find({ _id: { $in: [...itemIds] } }).toArray();
    const lines: string[] = [];
    for (const level of levels) {
      for (const [key, units] of Object.entries(level.holds ?? {})) {
        const orderId = decodeURIComponent(key);
        const reservation = await db.collection<{ _id: string; status: string; updatedAt: Date }>("stock_reservations").findOne({ _id: orderId });
        const found = reservation ? `${reservation.status} since ${reservation.updatedAt.toISOString()}` : "absent";
        lines.push(`${level._id} holds ${units} for order ${orderId} (${orderStatus.get(orderId) ?? "not stored"}): reservation ${found}`);
      }
    }
    return lines;
  } finally {
    await client.close();
  }
}
