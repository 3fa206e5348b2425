import { newId } from "@oms/platform/ids";
import { waitFor } from "@oms/platform/testing";
import { describe, expect, it } from "vitest";
import { MemoryTicketRepository } from "../src/adapters/memory-ticket-repository.js";
import { createKitchenApp } from "../src/app/kitchen-app.js";

describe("createKitchenApp", () => {
  it("wires the use cases and the cooks to one repository: a ticket opened wakes an idle cook at once", async () => {
    const repository = new MemoryTicketRepository();
    // Polls an hour apart: only the wake from OpenTicket can start the cooking.
    const app = createKitchenApp({ repository, publish: async () => {}, cooks: 1, cookTimeMs: 0, kitchenId: "k1", pollIntervalMs: 3_600_000 });
    const before = Date.now();
    await app.cooks.start();
    try {
      const opened = await app.openTicket.execute({ orderId: newId(), lines: [{ name: "Soup", quantity: 1 }] });
      await waitFor(async () => ((await app.getTicket.execute(opened.orderId)).status === "READY" ? true : undefined), { timeoutMs: 2_000, message: "READY" });
      expect((await app.listTickets.execute({ status: "READY", pageSize: 0, pageToken: "" })).tickets.map((ticket) => ticket.id)).toEqual([opened.id]);
      // No clock given: the wall clock's.
      expect(opened.createTime.getTime()).toBeGreaterThanOrEqual(before);
      expect(opened.createTime.getTime()).toBeLessThanOrEqual(Date.now());
      const watching = new AbortController();
      const display = app.watchTickets.execute(1, watching.signal);
      expect((await display.next()).value.map((ticket: { id: string }) => ticket.id)).toEqual([opened.id]);
      watching.abort();
      await display.return(undefined);
    } finally {
      await app.cooks.stop();
    }
  });
});
