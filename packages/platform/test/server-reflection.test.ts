import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { GrpcReflection } from "grpc-js-reflection-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthV1, reflectionV1, runService, type RunningService } from "@oms/platform/server";
import { testModule } from "./support/test-service.js";

const { HealthCheckResponse_ServingStatus: ServingStatus } = healthV1;

describe.each(["v1", "v1alpha"])("gRPC reflection %s", (version) => {
  let service: RunningService;
  let reflection: GrpcReflection;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0 });
    reflection = new GrpcReflection(`127.0.0.1:${service.port}`, grpc.credentials.createInsecure(), {}, version);
  });
  afterAll(async () => {
    (reflection as unknown as { client: grpc.Client }).client.close();
    await service.close();
  });

  it("lists the service's services, health and reflection", async () => {
    expect((await reflection.listServices()).sort()).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "oms.menu.v1.MenuService",
      "oms.order.v1.OrderService",
    ]);
  });

  it("resolves a service's methods, with their imports (money, google.protobuf.Timestamp)", async () => {
    const methods = await reflection.listMethods("oms.order.v1.OrderService");
    expect(methods.map((method) => method.name)).toContain("WatchOrder");
    const watch = methods.find((method) => method.name === "WatchOrder")!.definition;
    expect(watch.path).toBe("/oms.order.v1.OrderService/WatchOrder");
    expect(watch.responseStream).toBe(true);
    expect(watch.requestStream).toBe(false);
  });

  it("gives a client enough to call a method it only knows through reflection", async () => {
    const descriptor = await reflection.getDescriptorBySymbol("oms.menu.v1.MenuService.GetItems");
    const packageObject = descriptor.getPackageObject({ keepCase: true, longs: String, defaults: true }) as any;
    const Client = packageObject.oms.menu.v1.MenuService as typeof grpc.Client;
    const client = new Client(`127.0.0.1:${service.port}`, grpc.credentials.createInsecure()) as any;
    try {
      const response = await new Promise<any>((resolve, reject) =>
        client.GetItems({ item_ids: ["01ITEMTIRAMISU"] }, (error: Error | null, value: unknown) => (error ? reject(error) : resolve(value))),
      );
      expect(response.items[0]).toMatchObject({ name: "Tiramisu", price: { currency_code: "EUR", amount_minor: "550" } });
    } finally {
      client.close();
    }
  });

  it("finds files by name and nested symbols (enums, messages)", async () => {
    const byName = await reflection.getDescriptorByFileName("oms/menu/v1/menu.proto");
    expect(byName.getProtobufJsRoot().lookupType("oms.common.v1.Money").fields.amountMinor).toBeDefined();
    const byEnum = await reflection.getDescriptorBySymbol("oms.order.v1.OrderStatus");
    expect(byEnum.getProtobufJsRoot().lookupEnum("oms.order.v1.OrderStatus").values.ORDER_STATUS_PAID).toBe(3);
    const wkt = await reflection.getDescriptorBySymbol("google.protobuf.Timestamp");
    expect(wkt.getProtobufJsRoot().lookupType("google.protobuf.Timestamp").fields.seconds).toBeDefined();
  });

  it("answers an unknown symbol with NOT_FOUND", async () => {
    await expect(reflection.getDescriptorBySymbol("oms.menu.v1.Nope")).rejects.toThrow(/symbol oms\.menu\.v1\.Nope not found/);
    await expect(reflection.getDescriptorByFileName("nope.proto")).rejects.toThrow(/file nope\.proto not found/);
  });
});

describe("gRPC reflection answers in protocol terms", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(testModule(), { port: 0 });
  });
  afterAll(() => service.close());

  it("sends dependencies first and NOT_FOUND (5) error responses, on one stream", async () => {
    const client = createClient(reflectionV1.ServerReflection, createGrpcTransport({ baseUrl: service.url }));
    async function* requests() {
      yield create(reflectionV1.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingSymbol", value: "oms.order.v1.Order" } });
      yield create(reflectionV1.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingSymbol", value: "oms.Nope" } });
    }
    const responses = [];
    for await (const response of client.serverReflectionInfo(requests())) responses.push(response);
    expect(responses).toHaveLength(2);
    const [files, missing] = responses;
    expect(files!.messageResponse.case).toBe("fileDescriptorResponse");
    const names = (files!.messageResponse.value as reflectionV1.FileDescriptorResponse).fileDescriptorProto.map((bytes) =>
      new TextDecoder().decode(bytes.subarray(2, 2 + bytes[1]!)),
    );
    // order.proto imports its validation rules' file, which imports four of google/protobuf's.
    expect(names).toEqual([
      "google/protobuf/descriptor.proto",
      "google/protobuf/duration.proto",
      "google/protobuf/field_mask.proto",
      "google/protobuf/timestamp.proto",
      "buf/validate/validate.proto",
      "oms/common/v1/money.proto",
      "oms/order/v1/order.proto",
    ]);
    expect(missing!.messageResponse).toMatchObject({ case: "errorResponse", value: { errorCode: 5 } });
    expect(missing!.originalRequest?.messageRequest).toEqual({ case: "fileContainingSymbol", value: "oms.Nope" });
  });
});

describe("gRPC health", () => {
  let healthy = true;
  let service: RunningService;
  beforeAll(async () => {
    service = await runService(
      testModule({
        ready: async () => {
          if (!healthy) throw new Error("mongodb unreachable at 127.0.0.1:27017");
        },
      }),
      { port: 0 },
    );
  });
  afterAll(() => service.close());

  it("reports SERVING, then NOT_SERVING when ready() throws, for the server and each service", async () => {
    const client = createClient(healthV1.Health, createGrpcTransport({ baseUrl: service.url }));
    healthy = true;
    expect((await client.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    expect((await client.check({ service: "oms.menu.v1.MenuService" })).status).toBe(ServingStatus.SERVING);
    const readyz = await fetch(`${service.url}/readyz`);
    expect(readyz.status).toBe(200);
    healthy = false;
    expect((await client.check({ service: "" })).status).toBe(ServingStatus.NOT_SERVING);
    expect((await client.check({ service: "oms.order.v1.OrderService" })).status).toBe(ServingStatus.NOT_SERVING);
    const notReady = await fetch(`${service.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "unavailable" });
    // Alive is not ready: /healthz stays 200 while a dependency is down.
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    healthy = true;
  });

  it("answers an unknown service NOT_FOUND on Check and SERVICE_UNKNOWN on Watch", async () => {
    const client = createClient(healthV1.Health, createGrpcTransport({ baseUrl: service.url }));
    await expect(client.check({ service: "oms.nope.v1.Nope" })).rejects.toMatchObject({ code: 5 });
    const abort = new AbortController();
    const updates = client.watch({ service: "oms.nope.v1.Nope" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await updates.next()).value?.status).toBe(ServingStatus.SERVICE_UNKNOWN);
    abort.abort();
    await expect(updates.next()).rejects.toMatchObject({ code: 1 }); // CANCELED: the client left
  });

  it("serves Check to @grpc/grpc-js clients as the standard health client would call it", async () => {
    const { grpcJsClient, unaryCall } = await import("@oms/testkit/grpc-js-client");
    const client = grpcJsClient(healthV1.Health, `127.0.0.1:${service.port}`);
    try {
      const response = await unaryCall<{ status: number }>(client, "Check", create(healthV1.HealthCheckRequestSchema, { service: "" }));
      expect(response.status).toBe(ServingStatus.SERVING);
    } finally {
      client.close();
    }
  });
});
