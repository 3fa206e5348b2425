import type { Journey } from "./drive-orders.js";
import type { EventLog } from "./event-log.js";
import type { PatientClient } from "./patient-client.js";

/**
 * The books after a chaos run, from what the services answer (as staff) and
 * what the broker carried, against what the customers were acknowledged.
 * Returns every difference found (none means the books balance), so one run
 * reports all it broke, not the first thing.
 */
export interface Books {
  problems: string[];
  /** Orders by final status, for the report. */
  byStatus: Record<string, number>;
}

export interface AccountingInput {
  client: PatientClient;
  staffToken: string;
  events: EventLog;
  journeys: readonly Journey[];
  /** Stock levels before the first order: available units per item (nothing reserved). */
  initialStock: ReadonlyMap<string, number>;
  /** The services whose dead letters are read. */
  services: readonly string[];
  /** Every customer of this run has a name starting with it. */
  customerPrefix: string;
  /** When the faults began (event times are reported from it, as the schedule's are). */
  epoch: number;
}

type Order = { id: string; customerId: string; status: string; lines: Array<{ itemId: string; quantity: number }> };

export async function account(input: AccountingInput): Promise<Books> {
  const problems: string[] = [];
  const orders = await listOrders(input);
  const byCustomer = groupBy(orders, (order) => order.customerId);
  for (const journey of input.journeys) checkJourney(journey, byCustomer.get(journey.customer) ?? [], problems);
  const tickets = await listTickets(input);
  const ticketsOf = groupBy(tickets, (ticket) => ticket.orderId);
  for (const order of orders) await checkOrder(input, order, ticketsOf.get(order.id) ?? [], problems);
  const known = new Set(orders.map((order) => order.id));
  for (const orderId of input.events.orders("order.created")) if (!known.has(orderId)) problems.push(`order.created was published for ${orderId}, which does not exist`);
  await checkStock(input, orders, problems);
  await checkDeadLetters(input, problems);
  return { problems, byStatus: Object.fromEntries([...groupBy(orders, (order) => order.status)].map(([status, list]) => [status.replace("ORDER_STATUS_", ""), list.length])) };
}

/** Every ticket the kitchen holds, all pages. */
async function listTickets(input: AccountingInput): Promise<Array<{ orderId: string; status: string }>> {
  const tickets: Array<{ orderId: string; status: string }> = [];
  let pageToken = "";
  do {
    const body = await staffCall(input, "kitchen", "oms.kitchen.v1.KitchenService/ListTickets", { pageSize: 100, pageToken });
    tickets.push(...((body.tickets ?? []) as Array<{ orderId: string; status: string }>));
    pageToken = body.nextPageToken ?? "";
  } while (pageToken);
  return tickets;
}

/** Every order of this run's customers, all pages. */
export async function listOrders(input: Pick<AccountingInput, "client" | "staffToken" | "customerPrefix">): Promise<Order[]> {
  const orders: Order[] = [];
  let pageToken = "";
  do {
    const body = await staffCall(input, "order", "oms.order.v1.OrderService/ListOrders", { pageSize: 100, pageToken });
    orders.push(...((body.orders ?? []) as Order[]).map((order) => ({ ...order, lines: order.lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity ?? 0 })) })));
    pageToken = body.nextPageToken ?? "";
  } while (pageToken);
  return orders.filter((order) => order.customerId.startsWith(input.customerPrefix));
}

/** Once per key: the acknowledged order exists, once, and what was acknowledged about it stuck. */
function checkJourney(journey: Journey, found: Order[], problems: string[]): void {
  const of = `key ${journey.key}`;
  if (found.length > 1) problems.push(`${of}: ${found.length} orders (${found.map((order) => order.id).join(", ")}), at most one allowed`);
  if (journey.orderId && found[0]?.id !== journey.orderId) problems.push(`${of}: acknowledged order ${journey.orderId} is missing (found: ${found.map((order) => order.id).join(", ") || "none"})`);
  const status = found[0]?.status;
  if (journey.cancelAcknowledged && status !== "ORDER_STATUS_CANCELLED") problems.push(`${of}: CancelOrder was acknowledged, yet the order is ${status}`);
  if (journey.completeAcknowledged && status !== "ORDER_STATUS_COMPLETED") problems.push(`${of}: CompleteOrder was acknowledged, yet the order is ${status}`);
  for (const anomaly of journey.anomalies) problems.push(`${of}: ${anomaly}`);
}

/** One order's trail: a legal final state, one decision of each kind, the kitchen and the money agreeing with it. */
async function checkOrder(input: AccountingInput, order: Order, tickets: Array<{ status: string }>, problems: string[]): Promise<void> {
  const count = (type: Parameters<EventLog["count"]>[0]) => input.events.count(type, order.id);
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) problems.push(`order ${order.id} (${order.status}): ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  const expectEvents = (type: Parameters<EventLog["count"]>[0], expected: number) => {
    if (count(type) !== expected) expect(`${type} events (at ${input.events.times(type, order.id, input.epoch).join(", ") || "-"})`, count(type), expected);
  };
  const payment = await staffCall(input, "payment", "oms.payment.v1.PaymentService/GetPayment", { orderId: order.id }).then(
    (body) => String(body.payment?.status ?? "none").replace("PAYMENT_STATUS_", ""),
    (error: unknown) => `unreadable (${(error as Error).message})`,
  );
  expectEvents("order.created", 1);
  if (order.status === "ORDER_STATUS_COMPLETED") {
    expectEvents("order.paid", 1);
    expectEvents("order.cancelled", 0);
    expectEvents("payment.succeeded", 1);
    expect("payment", payment, "SUCCEEDED");
    expect("kitchen tickets", tickets.map((ticket) => ticket.status).join(), "TICKET_STATUS_READY");
    expectEvents("kitchen.ticket_ready", 1);
    expectEvents("order.completed", 1);
  } else if (order.status === "ORDER_STATUS_CANCELLED") {
    expectEvents("order.paid", 0);
    expectEvents("order.cancelled", 1);
    expect("kitchen tickets", tickets.length, 0);
    expectEvents("kitchen.ticket_ready", 0);
    // Money taken for a cancelled order goes back (paid after the cancel: refunded without payment.succeeded); a checkout of one is closed.
    const succeeded = count("payment.succeeded");
    if (succeeded > 1) expectEvents("payment.succeeded", 1);
    if (succeeded === 1) expect("payment of a cancelled order that was paid", payment, "REFUNDED");
    else if (!["CANCELLED", "FAILED", "REFUNDED"].includes(payment)) problems.push(`order ${order.id} (CANCELLED): payment is ${payment}, expected CANCELLED, FAILED or REFUNDED`);
  } else {
    problems.push(`order ${order.id} is stuck in ${order.status}`);
  }
}

/** Conservation: opening stock = available + reserved for live orders (none once settled) + units sold to completed orders. */
async function checkStock(input: AccountingInput, orders: Order[], problems: string[]): Promise<void> {
  const body = await staffCall(input, "stock", "oms.stock.v1.StockService/GetStock", { itemIds: [...input.initialStock.keys()] });
  const levels = new Map(((body.levels ?? []) as Array<{ itemId: string; available?: number; reserved?: number }>).map((level) => [level.itemId, level]));
  for (const [itemId, initial] of input.initialStock) {
    const sold = orders
      .filter((order) => order.status === "ORDER_STATUS_COMPLETED")
      .flatMap((order) => order.lines)
      .filter((line) => line.itemId === itemId)
      .reduce((sum, line) => sum + line.quantity, 0);
    const { available = 0, reserved = 0 } = levels.get(itemId) ?? {};
    if (reserved !== 0) problems.push(`stock of ${itemId}: ${reserved} units still held with no live order`);
    if (available + reserved + sold !== initial) problems.push(`stock of ${itemId}: ${initial} at opening, now ${available} available + ${reserved} reserved + ${sold} sold = ${available + reserved + sold}`);
  }
}

/** Nothing parked: a dead letter is an event some service gave up on. */
async function checkDeadLetters(input: AccountingInput, problems: string[]): Promise<void> {
  for (const service of input.services) {
    let pageToken = "";
    do {
      const body = await staffCall(input, service, "oms.admin.v1.DeadLetterService/ListDeadLetters", { pageSize: 100, pageToken });
      for (const letter of (body.deadLetters ?? []) as Array<{ type: string; queue: string; attempts: number; error: string }>) {
        problems.push(`dead letter in ${letter.queue}: ${letter.type} after ${letter.attempts} attempts: ${letter.error}`);
      }
      pageToken = body.nextPageToken ?? "";
    } while (pageToken);
  }
}

async function staffCall(input: Pick<AccountingInput, "client" | "staffToken">, service: string, path: string, body: unknown): Promise<Record<string, any>> {
  const answer = await input.client.call(service, path, body, { token: input.staffToken });
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.code}: ${answer.body.message ?? ""}`);
  return answer.body;
}

/** Map.groupBy, which the ES2023 library the project compiles against lacks. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
