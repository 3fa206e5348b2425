import { create, type DescMessage, type DescService } from "@bufbuild/protobuf";
import { Code, createClient, createContextValues, createRouterTransport, type StreamRequest } from "@connectrpc/connect";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { FaultService, SetFaultsRequestSchema } from "@oms/contracts/admin/v1/faults";
import { KitchenService, ListTicketsRequestSchema } from "@oms/contracts/kitchen/v1/kitchen";
import { MenuService, UpsertItemRequestSchema } from "@oms/contracts/menu/v1/menu";
import { CreateOrderRequestSchema, OrderService, WatchOrderRequestSchema } from "@oms/contracts/order/v1/order";
import { PaymentService } from "@oms/contracts/payment/v1/payment";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { ValidationError } from "@oms/platform/errors";
import { compileRequestRules, errorMappingInterceptor, requestValidationInterceptor, runService, validateRequest } from "@oms/platform/server";
import { connectFailure } from "@oms/testkit/connect-failure";
import { grpcurl, grpcurlAvailable } from "@oms/testkit/grpcurl";
import { describe, expect, it } from "vitest";
import { testModule } from "./support/test-service.js";

interface OrderInit {
  customerId?: string;
  idempotencyKey?: string;
  lines?: Array<{ itemId: string; quantity: number }>;
}

const validOrder = (): OrderInit => ({
  customerId: "alice",
  idempotencyKey: "key-1",
  lines: [
    { itemId: "01ITEMMARGHERITA", quantity: 2 },
    { itemId: "01ITEMTIRAMISU", quantity: 1 },
  ],
});

/** The message of the ValidationError validateRequest throws, or undefined when the message passes. */
function refusal(schema: DescMessage, message: Parameters<typeof validateRequest>[1]): string | undefined {
  try {
    validateRequest(schema, message);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
}

describe("validateRequest", () => {
  it("lets a valid message through", () => {
    expect(refusal(CreateOrderRequestSchema, create(CreateOrderRequestSchema, validOrder()))).toBeUndefined();
  });

  it.each<[string, OrderInit, string]>([
    ["a string rule", { idempotencyKey: " " }, "idempotency_key: is required"],
    ["a string length rule", { idempotencyKey: "k".repeat(129) }, "idempotency_key: must be at most 128 characters"],
    ["a list rule", { lines: [] }, "lines: must have from 1 to 50 lines, has 0"],
    ["a rule inside a listed message, by index", { lines: [{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 0 }] }, "lines[1].quantity: must be from 1 to 100, is 0"],
  ])("refuses what breaks %s, naming the field by its proto path", (_kind, change, message) => {
    expect(refusal(CreateOrderRequestSchema, create(CreateOrderRequestSchema, { ...validOrder(), ...change }))).toBe(message);
  });

  it.each<[string, DescMessage, Record<string, unknown>, string]>([
    ["a rule on an enum", ListTicketsRequestSchema, { status: 7 }, "status: unknown ticket status 7"],
    ["a required message", UpsertItemRequestSchema, {}, "item: is required"],
    ["a rule inside a nested message", UpsertItemRequestSchema, { item: { name: "Soup", price: { currencyCode: "eur" } } }, "item.price.currency_code: must be three upper-case letters (ISO 4217), e.g. EUR"],
    ["a rule on a double", SetFaultsRequestSchema, { faults: { stockFailureRate: 1.5 } }, "faults.stock_failure_rate: must be from 0 to 1, is 1.5"],
    ["a rule on a double that is not a number", SetFaultsRequestSchema, { faults: { paymentDeclineRate: Number.NaN } }, "faults.payment_decline_rate: must be from 0 to 1, is NaN"],
    ["a rule on a duration", SetFaultsRequestSchema, { faults: { kitchenDelay: { seconds: 61n } } }, "faults.kitchen_delay: must be from 0 to 60s"],
  ])("refuses what breaks %s", (_kind, schema, init, message) => {
    expect(refusal(schema, create(schema, init))).toBe(message);
  });

  it("leaves unset optional fields alone", () => {
    expect(refusal(SetFaultsRequestSchema, create(SetFaultsRequestSchema, { faults: { stockDelay: { seconds: 60n } } }))).toBeUndefined();
  });

  it("names only the first bad field", () => {
    const twoBad = create(CreateOrderRequestSchema, { ...validOrder(), customerId: "c".repeat(129), idempotencyKey: "" });
    expect(refusal(CreateOrderRequestSchema, twoBad)).toBe("customer_id: must be at most 128 characters");
  });

  it("compiles the rules of every request message OMS serves", () => {
    const services: DescService[] = [MenuService, StockService, OrderService, PaymentService, KitchenService, DeadLetterService, FaultService];
    expect(() => compileRequestRules(services)).not.toThrow();
  });
});

describe("requestValidationInterceptor", () => {
  const calls: string[] = [];
  const transport = createRouterTransport(
    (router) =>
      router.service(OrderService, {
        createOrder: (request) => {
          calls.push(request.idempotencyKey);
          return {};
        },
        async *watchOrder(request) {
          calls.push(request.id);
          yield {};
        },
      }),
    { router: { interceptors: [errorMappingInterceptor(), requestValidationInterceptor] } },
  );
  const client = createClient(OrderService, transport);

  it("answers INVALID_ARGUMENT naming the field before the implementation runs, and passes a valid request", async () => {
    calls.length = 0;
    const error = await connectFailure(client.createOrder({ ...validOrder(), lines: [{ itemId: "a", quantity: 101 }] }));
    expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, "lines[0].quantity: must be from 1 to 100, is 101"]);
    expect(calls).toEqual([]);
    await client.createOrder(validOrder());
    expect(calls).toEqual(["key-1"]);
  });

  it("checks the request of a server stream", async () => {
    calls.length = 0;
    const consume = async () => {
      for await (const response of client.watchOrder({ id: "" })) expect(response).toBeDefined();
    };
    const error = await connectFailure(consume());
    expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, "id: is required"]);
    expect(calls).toEqual([]);
  });

  it("checks each message of a client stream as the implementation reads it", async () => {
    // OMS serves no client-streaming method: the interceptor is given such a stream directly.
    const read: string[] = [];
    const handler = requestValidationInterceptor(async (request) => {
      for await (const message of (request as StreamRequest<typeof WatchOrderRequestSchema>).message) read.push(message.id);
      throw new Error("not reached");
    });
    const messages = async function* () {
      yield create(WatchOrderRequestSchema, { id: "first" });
      yield create(WatchOrderRequestSchema, { id: "  " });
      yield create(WatchOrderRequestSchema, { id: "third" });
    };
    const request = { stream: true, method: OrderService.method.watchOrder, message: messages(), contextValues: createContextValues() } as unknown as StreamRequest;
    await expect(handler(request)).rejects.toThrow(new ValidationError("id", "is required"));
    expect(read).toEqual(["first"]);
  });
});

describe.runIf(grpcurlAvailable())("the rules in the served contract", () => {
  it("are shown by grpcurl describe, through reflection", async () => {
    const service = await runService(testModule(), { port: 0 });
    try {
      const stdout = await grpcurl("-plaintext", `127.0.0.1:${service.port}`, "describe", "oms.order.v1.LineRequest");
      expect(stdout).toContain("(.buf.validate.field)");
      expect(stdout).toContain(`expression: "this < 1 || this > 100 ? 'must be from 1 to 100, is ' + string(this) : ''"`);
    } finally {
      await service.close();
    }
  });
});
