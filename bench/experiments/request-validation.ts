import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { SetFaultsRequestSchema } from "@oms/contracts/admin/v1/faults";
import { ListTicketsRequestSchema, TicketStatus } from "@oms/contracts/kitchen/v1/kitchen";
import { GetItemsRequestSchema, UpsertItemRequestSchema } from "@oms/contracts/menu/v1/menu";
import { CreateOrderRequestSchema, GetOrderRequestSchema } from "@oms/contracts/order/v1/order";
import { ReserveItemsRequestSchema } from "@oms/contracts/stock/v1/stock";
import { ValidationError } from "@oms/platform/errors";
import { protovalidateViolation, validateRequest } from "@oms/platform/server";
import { getItemsRequest } from "../lib/menu-fixture.js";

/**
 * Micro-benchmark of the request rules on the real request messages:
 * validateRequest, as the server calls it for every unary request and
 * streamed message (the rules compiled to JavaScript), beside protovalidate
 * evaluating the same rules (what validateRequest did before session 5, and
 * still does for rules outside the compiled subset). Prints nanoseconds per
 * call, best of five rounds of ~0.3 s after a warm-up. Run:
 * `node --import tsx bench/experiments/request-validation.ts`
 * (add `--conditions=production` after `pnpm build` for the compiled packages).
 */
interface Case {
  name: string;
  schema: DescMessage;
  message: Message;
}

const lines = (count: number, quantity = 2) => Array.from({ length: count }, (_, index) => ({ itemId: `01KDVDNA008K7ESVVT02SXGT${index}B`, quantity }));

const cases: Case[] = [
  { name: "GetItems (2 ids, the rpc suite's call)", schema: GetItemsRequestSchema, message: getItemsRequest },
  { name: "CreateOrder (3 lines)", schema: CreateOrderRequestSchema, message: create(CreateOrderRequestSchema, { customerId: "alice", idempotencyKey: "01KDVDNA008K7ESVVT02SXGT1B", lines: lines(3) }) },
  { name: "ReserveItems (3 lines)", schema: ReserveItemsRequestSchema, message: create(ReserveItemsRequestSchema, { orderId: "01KDVDNA008K7ESVVT02SXGT1B", lines: lines(3) }) },
  { name: "GetOrder", schema: GetOrderRequestSchema, message: create(GetOrderRequestSchema, { id: "01KDVDNA008K7ESVVT02SXGT1B" }) },
  { name: "ListTickets", schema: ListTicketsRequestSchema, message: create(ListTicketsRequestSchema, { status: TicketStatus.QUEUED, pageSize: 20 }) },
  {
    name: "UpsertItem (nested item and price)",
    schema: UpsertItemRequestSchema,
    message: create(UpsertItemRequestSchema, { item: { id: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", description: "Tomato", price: { currencyCode: "EUR", amountMinor: 950n } } }),
  },
  { name: "SetFaults (durations, doubles)", schema: SetFaultsRequestSchema, message: create(SetFaultsRequestSchema, { faults: { paymentDeclineRate: 0.1, stockDelay: { seconds: 2n } } }) },
  { name: "CreateOrder refused (lines[2].quantity 0)", schema: CreateOrderRequestSchema, message: create(CreateOrderRequestSchema, { customerId: "alice", idempotencyKey: "key", lines: [...lines(2), { itemId: "x", quantity: 0 }] }) },
];

type Validate = (schema: DescMessage, message: Message) => unknown;

const compiled: Validate = (schema, message) => {
  try {
    validateRequest(schema, message);
  } catch {
    // A refusal (a ValidationError, with its stack) is one of the measured outcomes.
  }
};

/** The same work as validateRequest before session 5: protovalidate, then the refusal's error. */
const protovalidate: Validate = (schema, message) => {
  const violation = protovalidateViolation(schema, message);
  return violation && new ValidationError(violation.path, violation.message);
};

/** Nanoseconds per call: the best of `rounds` rounds of about `roundMillis` each. */
function measure(validateOnce: Validate, schema: DescMessage, message: Message, rounds = 5, roundMillis = 300): number {
  let best = Number.POSITIVE_INFINITY;
  let batch = 1000;
  for (let index = 0; index < 20_000; index++) validateOnce(schema, message);
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < BigInt(roundMillis) * 1_000_000n) {
      for (let index = 0; index < batch; index++) validateOnce(schema, message);
      calls += batch;
      elapsed = process.hrtime.bigint() - start;
    }
    best = Math.min(best, Number(elapsed) / calls);
    batch = Math.max(1000, Math.round(calls / 10));
  }
  return best;
}

process.stdout.write(`| request message | protovalidate ns/call | validateRequest ns/call |\n| --- | ---: | ---: |\n`);
for (const { name, schema, message } of cases) {
  const before = measure(protovalidate, schema, message);
  const after = measure(compiled, schema, message);
  process.stdout.write(`| ${name} | ${before.toFixed(0)} | ${after.toFixed(0)} |\n`);
}
