import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { PaymentService, PaymentStatus } from "@oms/contracts/payment/v1/payment";
import { ConfigError } from "@oms/platform/config";
import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus, envelope, type EventEnvelope } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import { waitFor } from "@oms/platform/testing";
import { buildServer, errorMappingInterceptor, requestValidationInterceptor, type ServiceModule } from "@oms/platform/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPaymentService, readPaymentConfig } from "../src/service.js";

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000) =>
  waitFor(probe, { timeoutMs, intervalMs: 10, message: `timed out waiting for ${what}` });

const orderCreated = (orderId: string) =>
  envelope("order.created", {
    orderId,
    customerId: "alice",
    lines: [{ itemId: "i1", name: "Margherita", quantity: 2, unitPrice: { currencyCode: "EUR", amountMinor: 950n } }],
    total: { currencyCode: "EUR", amountMinor: 1900n },
  });

describe("the payment service", () => {
  let bus: MemoryEventBus;
  let module: ServiceModule;
  let seen: EventEnvelope[];

  async function startService(env: Record<string, string> = {}) {
    const config = readPaymentConfig({ PAYMENT_PORT: "0", PAYMENT_PUBLIC_URL: "http://pay.test/", ...env });
    module = await createPaymentService({ config, bus, registry: new StaticRegistry(), logger: createLogger("payment-test") });
    await module.start();
  }

  const client = () =>
    createClient(PaymentService, createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } }));

  beforeEach(async () => {
    bus = new MemoryEventBus({ retry: { maxAttempts: 3, delaysMs: [10] } });
    seen = [];
    await bus.subscribe({ queue: "observer", types: ["payment.link_created", "payment.succeeded", "payment.failed"], handler: async (event) => void seen.push(event) });
  });
  afterEach(async () => {
    await module?.stop();
    await bus.close();
  });

  it("consumes order.created once per order, publishes one link, and GetPayment shows it", async () => {
    await startService();
    const orderId = newId();
    const event = orderCreated(orderId);
    await bus.publish(event);
    await bus.publish({ ...event });
    await bus.publish(orderCreated(orderId));

    const link = await eventually(() => seen.find((item) => item.type === "payment.link_created"), "payment.link_created");
    const { payment } = await client().getPayment({ orderId });
    expect(payment).toMatchObject({ orderId, status: PaymentStatus.AWAITING_CUSTOMER, provider: "simulated" });
    expect(payment?.checkoutUrl).toMatch(/^http:\/\/pay\.test\/checkout\/[A-Za-z0-9_-]{22}$/);
    expect(payment?.checkoutUrl).not.toContain(payment?.id);
    expect(Number(payment?.amount?.amountMinor)).toBe(1900);
    expect(link.headers).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.filter((item) => item.type === "payment.link_created")).toHaveLength(1);
    expect(await bus.deadLetters("payment")).toEqual([]);
  });

  it("closes the checkout on order.cancelled", async () => {
    await startService();
    const orderId = newId();
    await bus.publish(orderCreated(orderId));
    await eventually(() => seen.find((item) => item.type === "payment.link_created"), "payment.link_created");

    await bus.publish(envelope("order.cancelled", { orderId, reason: "changed my mind" }));

    const payment = await eventually(async () => {
      const found = (await client().getPayment({ orderId })).payment;
      return found?.status === PaymentStatus.CANCELLED ? found : undefined;
    }, "CANCELLED");
    expect(payment.failureReason).toBe("changed my mind");
  });

  it("hears order.paid: the checkout page says the order goes to the kitchen only then", async () => {
    await startService();
    const orderId = newId();
    await bus.publish(orderCreated(orderId));
    await eventually(() => seen.find((item) => item.type === "payment.link_created"), "payment.link_created");
    const { payment } = await client().getPayment({ orderId });
    const page = new URL(payment!.checkoutUrl).pathname;
    const server = await buildServer(module.definition);
    try {
      expect((await server.inject({ method: "POST", url: `${page}/pay` })).statusCode).toBe(303);
      expect((await server.inject({ method: "GET", url: page })).body).not.toContain("kitchen");

      await bus.publish(envelope("order.paid", { orderId }));

      await eventually(async () => ((await server.inject({ method: "GET", url: page })).body.includes("goes to the kitchen now") ? true : undefined), "kitchen");
      expect(await bus.deadLetters("payment")).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("pays by itself after PAYMENT_AUTO_PAY_AFTER", async () => {
    await startService({ PAYMENT_AUTO_PAY_AFTER: "20ms" });
    const orderId = newId();
    await bus.publish(orderCreated(orderId));

    await eventually(() => seen.find((item) => item.type === "payment.succeeded"), "payment.succeeded");
    expect((await client().getPayment({ orderId })).payment?.status).toBe(PaymentStatus.SUCCEEDED);
  });

  it("GetPayment: INVALID_ARGUMENT naming order_id for an empty id, NOT_FOUND for an unknown order", async () => {
    await startService();
    const empty = await client().getPayment({ orderId: "" }).catch((error: unknown) => ConnectError.from(error));
    const unknown = await client().getPayment({ orderId: newId() }).catch((error: unknown) => ConnectError.from(error));

    expect([(empty as ConnectError).code, (empty as ConnectError).rawMessage]).toEqual([Code.InvalidArgument, "order_id: must not be empty"]);
    expect(unknown).toMatchObject({ code: Code.NotFound });
  });
});

describe("readPaymentConfig", () => {
  it("defaults to port 8084, the simulated provider, no auto-pay, and a public URL on localhost", () => {
    expect(readPaymentConfig({})).toEqual({ port: 8084, publicUrl: "http://localhost:8084", provider: "simulated", autoPayAfterMs: 0 });
    expect(readPaymentConfig({ PAYMENT_PORT: "9000", PAYMENT_AUTO_PAY_AFTER: "5s" })).toMatchObject({ publicUrl: "http://localhost:9000", autoPayAfterMs: 5000 });
  });

  it.each([
    ["PAYMENT_PORT", "70000"],
    ["PAYMENT_PUBLIC_URL", "not a url"],
    ["PAYMENT_PROVIDER", "paypal"],
    ["PAYMENT_AUTO_PAY_AFTER", "soon"],
  ])("refuses a bad %s, naming it", (name, value) => {
    expect(() => readPaymentConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readPaymentConfig({ [name]: value })).toThrow(name);
  });
});

