import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { GetItemsRequestSchema, GetItemsResponseSchema, MenuService } from "@oms/contracts/menu/v1/menu";
import { OrderService, OrderStatus, WatchOrderRequestSchema } from "@oms/contracts/order/v1/order";
import * as http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runService, type RunningService } from "@oms/platform/server";
import { grpcJsClient, streamCall, unaryCall } from "@oms/testkit/grpc-js-client";
import { testModule } from "./support/test-service.js";

describe("platform server protocols on one port", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0 });
  });
  afterAll(() => service.close());

  it("listens on 127.0.0.1 and reports its URL", () => {
    expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
    expect(service.port).toBeGreaterThan(0);
    expect(service.name).toBe("testmenu");
  });

  it("serves Connect JSON over HTTP/1.1 (POST)", async () => {
    const response = await fetch(`${service.url}/oms.menu.v1.MenuService/GetItems`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ itemIds: ["01ITEMTIRAMISU"] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({
      items: [{ id: "01ITEMTIRAMISU", name: "Tiramisu", price: { currencyCode: "EUR", amountMinor: "550" }, available: true }],
    });
  });

  it("serves the Connect GET form for NO_SIDE_EFFECTS methods", async () => {
    const message = encodeURIComponent(JSON.stringify({ itemIds: ["01ITEMMARGHERITA"] }));
    const response = await fetch(`${service.url}/oms.menu.v1.MenuService/GetItems?connect=v1&encoding=json&message=${message}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { name: string }[] };
    expect(body.items.map((item) => item.name)).toEqual(["Margherita"]);
  });

  it("serves Connect binary over h2c", async () => {
    const client = createClient(MenuService, createConnectTransport({ baseUrl: service.url, httpVersion: "2", useBinaryFormat: true }));
    const response = await client.listItems({});
    expect(response.items.map((item) => item.name)).toEqual(["Margherita", "Tiramisu"]);
  });

  it("serves Connect server streaming over h2c", async () => {
    const client = createClient(OrderService, createConnectTransport({ baseUrl: service.url, httpVersion: "2" }));
    const statuses: OrderStatus[] = [];
    for await (const update of client.watchOrder({ id: "o1" })) statuses.push(update.order!.status);
    expect(statuses).toEqual([OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.COMPLETED]);
  });

  it("serves gRPC over h2c to @grpc/grpc-js, unary", async () => {
    const client = grpcJsClient(MenuService, `127.0.0.1:${service.port}`);
    try {
      const response = await unaryCall<{ items: { name: string; price?: { amountMinor: bigint } }[] }>(
        client,
        "GetItems",
        create(GetItemsRequestSchema, { itemIds: ["01ITEMMARGHERITA", "01ITEMTIRAMISU"] }),
      );
      expect(response.items.map((item) => [item.name, item.price?.amountMinor])).toEqual([
        ["Margherita", 850n],
        ["Tiramisu", 550n],
      ]);
    } finally {
      client.close();
    }
  });

  it("serves gRPC over h2c to @grpc/grpc-js, server streaming", async () => {
    const client = grpcJsClient(OrderService, `127.0.0.1:${service.port}`);
    try {
      const { messages, error } = await streamCall<{ order: { id: string; status: OrderStatus } }>(
        client,
        "WatchOrder",
        create(WatchOrderRequestSchema, { id: "o1" }),
      );
      expect(error).toBeUndefined();
      expect(messages.map((message) => message.order.status)).toEqual([OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.COMPLETED]);
    } finally {
      client.close();
    }
  });

  it("serves gRPC through connect-node's gRPC transport too", async () => {
    const client = createClient(MenuService, createGrpcTransport({ baseUrl: service.url }));
    const response = await client.getItems({ itemIds: ["01ITEMTIRAMISU"] });
    expect(response.items[0]?.name).toBe("Tiramisu");
  });

  it("serves gRPC-Web (binary) over HTTP/1.1", async () => {
    const client = createClient(MenuService, createGrpcWebTransport({ baseUrl: service.url, httpVersion: "1.1" }));
    const response = await client.getItems({ itemIds: ["01ITEMMARGHERITA"] });
    expect(response.items[0]?.name).toBe("Margherita");
  });

  it("serves raw gRPC-Web frames from a browser-like fetch", async () => {
    const message = toBinary(GetItemsRequestSchema, create(GetItemsRequestSchema, { itemIds: ["01ITEMTIRAMISU"] }));
    const frame = new Uint8Array(5 + message.length);
    new DataView(frame.buffer).setUint32(1, message.length);
    frame.set(message, 5);
    const response = await fetch(`${service.url}/oms.menu.v1.MenuService/GetItems`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: frame,
    });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes[0]).toBe(0); // a data frame first, then the trailer frame
    const length = new DataView(bytes.buffer).getUint32(1);
    const decoded = fromBinary(GetItemsResponseSchema, bytes.subarray(5, 5 + length));
    expect(decoded.items.map((item) => item.name)).toEqual(["Tiramisu"]);
    expect(bytes[5 + length]).toBe(0x80); // the trailer frame
    expect(new TextDecoder().decode(bytes.subarray(5 + length + 5))).toMatch(/grpc-status: ?0/);
  });

  it("answers /healthz and the service's plain routes over HTTP/1.1 and h2c", async () => {
    const healthz = await fetch(`${service.url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${service.url}/hello`)).json()).toEqual({ hello: "world" });
    const echoed = await fetch(`${service.url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
    expect(await echoed.json()).toEqual({ echoed: { a: 1 } });
    expect(await h2Get(service.url, "/hello")).toEqual({ status: 200, body: '{"hello":"world"}' });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await fetch(`${service.url}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toMatchObject({ statusCode: 404, error: "Not Found" });
  });
});

/** One GET over h2c with prior knowledge, as curl --http2-prior-knowledge does. */
async function h2Get(url: string, path: string): Promise<{ status: number; body: string }> {
  const session = http2.connect(url);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ":path": path });
      let status = 0;
      let body = "";
      stream.on("response", (headers) => (status = Number(headers[":status"])));
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (body += chunk));
      stream.on("end", () => resolve({ status, body }));
      stream.on("error", reject);
    });
  } finally {
    session.close();
  }
}
