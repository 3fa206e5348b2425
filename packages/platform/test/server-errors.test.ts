import { Writable } from "node:stream";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { GetItemsRequestSchema, MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService, OrderStatus, WatchOrderRequestSchema } from "@oms/contracts/order/v1/order";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runService, type RunningService } from "@oms/platform/server";
import { grpcJsClient, streamCall, unaryCall } from "@oms/testkit/grpc-js-client";
import { testModule } from "./support/test-service.js";

const bodyLimit = 64 * 1024;

describe("platform server errors", () => {
  let service: RunningService;
  const logLines: { msg: string; err?: { message: string }; procedure?: string }[] = [];
  const post = (path: string, body: string, contentType = "application/json") =>
    fetch(`${service.url}${path}`, { method: "POST", headers: { "content-type": contentType }, body });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    service = await runService(testModule(), { port: 0, bodyLimit, logger: pino({ level: "info" }, sink) });
  });
  afterAll(() => service.close());

  it("answers malformed JSON with invalid_argument", async () => {
    const response = await post("/oms.menu.v1.MenuService/GetItems", "{not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_argument" });
  });

  it("answers an unknown JSON field with invalid_argument naming it", async () => {
    const response = await post("/oms.menu.v1.MenuService/GetItems", '{"itemIdz":["x"]}');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_argument", message: expect.stringContaining('"itemIdz"') });
  });

  it("maps a ValidationError to invalid_argument with its field and reason", async () => {
    const response = await post("/oms.menu.v1.MenuService/GetItems", '{"itemIds":[""]}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: "invalid_argument", message: "item_ids[0]: must not be empty" });
  });

  it("maps a NotFoundError to not_found", async () => {
    const response = await post("/oms.menu.v1.MenuService/GetItems", '{"itemIds":["01ITEMTIRAMISU","01NOPE"]}');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: "not_found", message: 'item_ids[1]: item "01NOPE" not found' });
  });

  it("answers an unexpected Error with internal and no detail, and logs the cause", async () => {
    const response = await post("/oms.menu.v1.MenuService/GetItems", '{"itemIds":["boom"]}');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ code: "internal", message: "internal error" });
    expect(text).not.toMatch(/hunter2|at |\.ts/);
    const logged = logLines.find((line) => line.msg === "rpc failed unexpectedly");
    expect(logged?.err?.message).toContain("hunter2");
    expect(logged?.procedure).toContain("/oms.menu.v1.MenuService/GetItems");
  });

  it("maps the same errors for gRPC clients", async () => {
    const client = grpcJsClient(MenuService, `127.0.0.1:${service.port}`);
    try {
      await expect(unaryCall(client, "GetItems", create(GetItemsRequestSchema, { itemIds: [""] }))).rejects.toMatchObject({
        code: 3,
        details: "item_ids[0]: must not be empty",
      });
      await expect(unaryCall(client, "GetItems", create(GetItemsRequestSchema, { itemIds: ["boom"] }))).rejects.toMatchObject({
        code: 13,
        details: "internal error",
      });
    } finally {
      client.close();
    }
  });

  it("maps an error a server stream throws after its first message", async () => {
    const client = grpcJsClient(OrderService, `127.0.0.1:${service.port}`);
    try {
      const { messages, error } = await streamCall<{ order: { status: OrderStatus } }>(
        client,
        "WatchOrder",
        create(WatchOrderRequestSchema, { id: "fail-mid" }),
      );
      expect(messages.map((message) => message.order.status)).toEqual([OrderStatus.PENDING]);
      expect(error).toMatchObject({ code: 3, details: "id: went bad while streaming" });
    } finally {
      client.close();
    }
    const connect = createClient(OrderService, createConnectTransport({ baseUrl: service.url, httpVersion: "1.1" }));
    const statuses: OrderStatus[] = [];
    await expect(
      (async () => {
        for await (const update of connect.watchOrder({ id: "fail-mid" })) statuses.push(update.order!.status);
      })(),
    ).rejects.toMatchObject({ code: 3, rawMessage: "id: went bad while streaming" });
    expect(statuses).toEqual([OrderStatus.PENDING]);
  });

  it("refuses an oversized Connect body with resource_exhausted and keeps serving", async () => {
    const huge = JSON.stringify({ itemIds: ["x".repeat(bodyLimit + 1)] });
    const response = await post("/oms.menu.v1.MenuService/GetItems", huge);
    expect(response.status).toBe(429); // Connect's HTTP status for resource_exhausted
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe("resource_exhausted");
    expect(body.message).toMatch(/exceeds|max|limit/i);
    const next = await post("/oms.menu.v1.MenuService/GetItems", '{"itemIds":["01ITEMTIRAMISU"]}');
    expect(next.status).toBe(200);
  });

  it("refuses an oversized gRPC message with RESOURCE_EXHAUSTED and keeps serving on the same session", async () => {
    const client = createClient(MenuService, createGrpcTransport({ baseUrl: service.url }));
    await expect(client.getItems({ itemIds: ["x".repeat(bodyLimit + 1)] })).rejects.toMatchObject({ code: 8 });
    expect((await client.getItems({ itemIds: ["01ITEMMARGHERITA"] })).items[0]?.name).toBe("Margherita");
  });

  it("refuses an oversized body on plain HTTP routes with 413 and keeps serving", async () => {
    const response = await post("/echo", JSON.stringify({ text: "x".repeat(bodyLimit + 1) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "FST_ERR_CTP_BODY_TOO_LARGE" });
    expect((await post("/echo", '{"small":true}')).status).toBe(200);
  });
});
