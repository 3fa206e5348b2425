import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode } from "@oms/platform/events";
import { RabbitMqEventBus } from "@oms/platform/events/rabbitmq";
import { services, startRealStack, type RealStack } from "../../scripts/real-stack.js";
import { demoDishes } from "@oms/all-in-one/demo-menu";
import { ferretDbAvailable } from "@oms/testkit/ferretdb";
import { rabbitMqAvailable } from "@oms/testkit/rabbitmq";
import { eventually, rpc, tokens } from "../e2e/support.js";

const run = promisify(execFile);
const grpcurl = [process.env.GRPCURL, join(homedir(), "go/bin/grpcurl"), "/usr/local/bin/grpcurl"].find((path) => path && existsSync(path)) ?? "grpcurl";

/**
 * The flow on the real infrastructure (FerretDB + RabbitMQ + static registry,
 * five service processes), with the order service and the broker restarted
 * while orders flow: every paid order reaches READY exactly once, nothing is
 * oversold, nothing is lost.
 */
describe.skipIf(!rabbitMqAvailable() || !ferretDbAvailable())("the real stack, restarted mid-flow", () => {
  let stack: RealStack;
  let observer: RabbitMqEventBus;
  const readyEvents = new Map<string, Set<string>>();
  const started = Date.now();

  beforeAll(async () => {
    // LOG_LEVEL error: the broker restart makes every consumer warn about acks on a closed channel (redelivered, then deduplicated).
    stack = await startRealStack({ PAYMENT_AUTO_PAY_AFTER: "50ms", KITCHEN_COOK_TIME: "100ms", KITCHEN_COOKS: "3", LOG_LEVEL: "error" });
    console.log(`real stack up in ${Date.now() - started} ms`);
    // The counter places these orders for their customers: staff names the customer.
    tokens.staff = await stack.issuer.issue("counter", "staff");
    observer = new RabbitMqEventBus({ url: stack.amqpUrl });
    await observer.subscribe({
      queue: "test-observer",
      types: ["kitchen.ticket_ready"],
      handler: async (delivery) => {
        const { orderId } = decode("kitchen.ticket_ready", delivery);
        readyEvents.set(orderId, (readyEvents.get(orderId) ?? new Set()).add(delivery.id));
      },
    });
  }, 120_000);
  afterAll(async () => {
    await observer?.close();
    await stack?.stop();
  }, 60_000);

  /** CreateOrder as a client should call it: `unavailable` (a peer or the broker restarting) is retried with the same key. */
  const order = async (customerId: string, itemId: string) => {
    const request = { customerId, idempotencyKey: `${customerId}-${itemId}`, lines: [{ itemId, quantity: 1 }] };
    for (let attempt = 1; ; attempt++) {
      const result = await rpc(stack.urls.order, "oms.order.v1.OrderService/CreateOrder", request);
      if (result.body.code !== "unavailable" || attempt === 6) return result;
      await sleep(250 * attempt);
    }
  };

  it("speaks gRPC with reflection to grpcurl", async () => {
    const address = stack.urls.order.replace("http://", "");
    const { stdout: listed } = await run(grpcurl, ["-plaintext", address, "list"]);
    expect(listed).toContain("oms.order.v1.OrderService");
    const request = JSON.stringify({ idempotency_key: "grpcurl-1", lines: [{ item_id: demoDishes[9]!.id, quantity: 1 }] });
    const customer = `authorization: Bearer ${await stack.issuer.issue("grpcurl", "customer")}`;
    const { stdout } = await run(grpcurl, ["-plaintext", "-H", customer, "-d", request, address, "oms.order.v1.OrderService/CreateOrder"]);
    expect(JSON.parse(stdout).order.status).toMatch(/ORDER_STATUS_(PENDING|AWAITING_PAYMENT)/);
  });

  it("carries every paid order to READY exactly once through a service restart and a broker restart", async () => {
    const plenty = demoDishes[9]!; // Espresso, 200 units
    const scarce = demoDishes[11]!; // Truffle Fries, 5 units
    const created: string[] = [];
    let refused = 0;
    const place = async (batch: number, from: number) => {
      const results = await Promise.all(
        Array.from({ length: batch }, (_, index) => order(`customer-${from + index}`, (from + index) % 3 === 0 ? scarce.id : plenty.id)),
      );
      for (const result of results) {
        if (result.status === 200) created.push(result.body.order.id);
        else {
          expect(result.body.code).toBe("failed_precondition");
          refused++;
        }
      }
    };

    await place(15, 0);
    const orderRestart = Date.now();
    await stack.restartService("order");
    const orderRestartMs = Date.now() - orderRestart;
    await place(15, 15);
    const brokerRestart = Date.now();
    await stack.restartBroker();
    const brokerRestartMs = Date.now() - brokerRestart;
    await place(15, 30);

    const flowStart = Date.now();
    await eventually(
      async () => {
        const { body } = await rpc(stack.urls.order, "oms.order.v1.OrderService/ListOrders", { pageSize: 100 });
        const mine = (body.orders ?? []).filter((each: { id: string }) => created.includes(each.id));
        return mine.length === created.length && mine.every((each: { status: string }) => each.status === "ORDER_STATUS_READY") ? true : undefined;
      },
      90_000,
      "every created order READY",
    );
    const allReadyMs = Date.now() - flowStart;

    // Exactly once: one ticket per order, one ticket_ready decision (one event id) per order.
    const ticketOrders: string[] = [];
    let pageToken = "";
    do {
      const { body: kitchen } = await rpc(stack.urls.kitchen, "oms.kitchen.v1.KitchenService/ListTickets", { pageSize: 100, pageToken });
      ticketOrders.push(...(kitchen.tickets ?? []).map((ticket: { orderId: string }) => ticket.orderId).filter((id: string) => created.includes(id)));
      pageToken = kitchen.nextPageToken ?? "";
    } while (pageToken);
    expect(new Set(ticketOrders).size).toBe(created.length);
    expect(ticketOrders).toHaveLength(created.length);
    await eventually(async () => (created.every((id) => readyEvents.get(id)?.size === 1) ? true : undefined), 30_000, "ticket_ready seen for every order");
    for (const id of created) expect(readyEvents.get(id)?.size, id).toBe(1);

    // Nothing oversold: the scarce item sold exactly its units, the rest were refused at create.
    const { body: stock } = await rpc(stack.urls.stock, "oms.stock.v1.StockService/GetStock", { itemIds: [scarce.id, plenty.id] });
    // Protobuf JSON leaves zero values out.
    const level = (id: string) => ({ available: 0, reserved: 0, ...stock.levels.find((each: { itemId: string }) => each.itemId === id) });
    expect(level(scarce.id)).toMatchObject({ available: 0, reserved: 0 });
    expect(refused).toBe(15 - scarce.stock);
    // One more espresso went to grpcurl above.
    expect(level(plenty.id).available).toBe(plenty.stock - (created.length - scarce.stock) - 1);

    // Nothing lost: no service parked anything.
    for (const name of services) {
      const { body } = await rpc(stack.urls[name], "oms.admin.v1.DeadLetterService/ListDeadLetters", {});
      expect(body.deadLetters ?? [], name).toEqual([]);
    }
    console.log(
      `real stack: ${created.length} orders READY (${refused} refused for stock), order service restart ${orderRestartMs} ms, ` +
        `broker restart ${brokerRestartMs} ms, all READY ${allReadyMs} ms after the last order`,
    );
  }, 180_000);
});
