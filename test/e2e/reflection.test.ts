import * as grpc from "@grpc/grpc-js";
import { GrpcReflection } from "grpc-js-reflection-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { startSystem } from "./support.js";

const expected = [
  "oms.menu.v1.MenuService",
  "oms.stock.v1.StockService",
  "oms.order.v1.OrderService",
  "oms.payment.v1.PaymentService",
  "oms.kitchen.v1.KitchenService",
];

describe("gRPC server reflection across the five services", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.close());

  const address = (url: string) => url.replace("http://", "");

  for (const version of ["v1", "v1alpha"]) {
    it(`lists the five OMS services (${version})`, async () => {
      const found = new Set<string>();
      for (const service of Object.values(system.services)) {
        const client = new GrpcReflection(address(service.url), grpc.credentials.createInsecure(), {}, version);
        for (const name of await client.listServices()) found.add(name);
      }
      for (const name of expected) expect(found).toContain(name);
      expect(found).toContain("grpc.health.v1.Health");
    });
  }

  it("resolves a method's descriptor with its dependencies, so no .proto files are needed", async () => {
    const client = new GrpcReflection(address(system.services.order.url), grpc.credentials.createInsecure());
    const descriptor = await client.getDescriptorBySymbol("oms.order.v1.OrderService.CreateOrder");
    const root = descriptor.getProtobufJsRoot();
    const service = root.lookupService("oms.order.v1.OrderService");
    expect(Object.keys(service.methods)).toContain("WatchOrder");
    const request = root.lookupType("oms.order.v1.CreateOrderRequest");
    expect(Object.keys(request.fields)).toEqual(["customerId", "lines", "idempotencyKey"]);
    // Money lives in another file: resolved through the dependency chain.
    expect(root.lookupType("oms.common.v1.Money").fields.amountMinor).toBeDefined();
  });
});
