import { describe, expect, it } from "vitest";
import { copiedSnapshotOf, snapshotOf, type AggregateRecord } from "../src/storage/aggregate-records.js";
import type { VersionedState } from "../src/aggregate/index.js";

interface DishState extends VersionedState {
  price: { currencyCode: string; amountMinor: bigint };
  lines: Array<{ name: string; note: string | undefined }>;
  due: Date;
  outbox: Array<{ id: string; type: string; time: Date; body: Uint8Array }>;
}

const record: AggregateRecord<DishState> = {
  id: "01DISH",
  version: 3,
  price: { currencyCode: "EUR", amountMinor: 1700n },
  lines: [{ name: "Margherita", note: undefined }],
  due: new Date("2026-12-02T12:00:00Z"),
  outbox: [{ id: "01EVENT", type: "dish.cooked", time: new Date("2026-12-02T11:00:00Z"), body: new Uint8Array([1, 2]), headers: { traceparent: "00-1-2-01" } }],
  traceHeaders: { traceparent: "00-3-4-01" },
};

describe("copiedSnapshotOf", () => {
  it("gives snapshotOf's state: no trace context, no event headers, every other field", () => {
    const copy = copiedSnapshotOf(record);
    expect(copy).toStrictEqual(snapshotOf(record));
    expect(copy).not.toHaveProperty("traceHeaders");
    expect(copy.outbox[0]).not.toHaveProperty("headers");
    expect("note" in copy.lines[0]!).toBe(true);
  });

  it("shares nothing with the record, however deep", () => {
    const copy = copiedSnapshotOf(record);
    copy.price.amountMinor = 1n;
    copy.lines[0]!.name = "Marinara";
    copy.due.setTime(0);
    copy.outbox[0]!.time.setTime(0);
    copy.outbox[0]!.body[0] = 9;
    copy.outbox.push({ ...copy.outbox[0]! });
    expect(record.price.amountMinor).toBe(1700n);
    expect(record.lines[0]!.name).toBe("Margherita");
    expect(record.due.getTime()).toBe(Date.parse("2026-12-02T12:00:00Z"));
    expect(record.outbox[0]!.time.getTime()).toBe(Date.parse("2026-12-02T11:00:00Z"));
    expect([...record.outbox[0]!.body]).toEqual([1, 2]);
    expect(record.outbox).toHaveLength(1);
  });
});
