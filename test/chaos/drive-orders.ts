import { waitFor } from "@oms/platform/testing";
import type { DevIssuer } from "@oms/platform/auth";
import type { PatientClient } from "./patient-client.js";
import type { Random } from "./random.js";

/** What a customer means to do once the order exists; the seed decides. */
export type Plan = "pay" | "pay-then-cancel" | "cancel" | "abandon";

/** One customer's order, as the customer experienced it: what the system acknowledged is what the accounting holds it to. */
export interface Journey {
  key: string;
  /** One customer per order, so ListOrders by customer finds every order this key made. */
  customer: string;
  lines: Array<{ itemId: string; quantity: number }>;
  plan: Plan;
  /** The order CreateOrder acknowledged; undefined when refused or never answered. */
  orderId?: string;
  create: "created" | "refused" | "gave-up";
  /** Pay answered with the checkout page (303): the provider took the money or declined it. */
  payAcknowledged: boolean;
  /** CancelOrder answered with the order CANCELLED. */
  cancelAcknowledged: boolean;
  /** CompleteOrder answered with the order COMPLETED. */
  completeAcknowledged: boolean;
  /** What the customer saw that a correct system never shows (a retry with the same key naming another order, a repeat refused). */
  anomalies: string[];
}

export interface DriveOptions {
  client: PatientClient;
  issuer: DevIssuer;
  random: Random;
  seed: number;
  staffToken: string;
  /** Items to order from: some scarce, so stock runs out under the load and refusals are part of the run. */
  items: readonly string[];
  orders: number;
  inFlight: number;
  /** Least time between two new orders, so the orders span the fault schedule. */
  spacingMs: number;
}

const order = "oms.order.v1.OrderService";

/** Drives `orders` journeys, `inFlight` at a time, and resolves with all of them once each has gone as far as it will. */
export async function driveOrders(options: DriveOptions): Promise<Journey[]> {
  const journeys: Journey[] = [];
  const running = new Set<Promise<void>>();
  for (let n = 0; n < options.orders; n++) {
    while (running.size >= options.inFlight) await Promise.race(running);
    const journey = newJourney(options, n);
    journeys.push(journey);
    // Decisions are drawn now, in order, so the seed alone decides them whatever the timing.
    const decisions = { cutShortMs: options.random.chance(0.1) ? options.random.between(5, 150) : undefined, retryKey: options.random.chance(0.2), repeat: options.random.chance(0.3) };
    const run = travel(options, journey, decisions).finally(() => running.delete(run));
    running.add(run);
    await new Promise((resolve) => setTimeout(resolve, options.spacingMs));
  }
  await Promise.all(running);
  return journeys;
}

function newJourney({ random, seed, items }: DriveOptions, n: number): Journey {
  const count = random.chance(0.3) ? 2 : 1;
  const chosen = random.shuffle(items).slice(0, count);
  const plan = random.pick<Plan>(["pay", "pay", "pay", "pay", "pay-then-cancel", "cancel", "abandon"]);
  return {
    key: `chaos-${seed}-${n}`,
    customer: `chaos-${seed}-customer-${n}`,
    lines: chosen.map((itemId) => ({ itemId, quantity: random.between(1, 2) })),
    plan,
    create: "gave-up",
    payAcknowledged: false,
    cancelAcknowledged: false,
    completeAcknowledged: false,
    anomalies: [],
  };
}

async function travel(options: DriveOptions, journey: Journey, decisions: { cutShortMs?: number; retryKey: boolean; repeat: boolean }): Promise<void> {
  const { client } = options;
  const token = await options.issuer.issue(journey.customer, "customer");
  const create = () => client.call("order", `${order}/CreateOrder`, { idempotencyKey: journey.key, lines: journey.lines }, { token, attemptTimeoutMs: decisions.cutShortMs, giveUpAfterMs: 40_000 });
  const first = await create();
  if (first.status === 200) [journey.create, journey.orderId] = ["created", first.body.order.id];
  else if (first.code === "failed_precondition") journey.create = "refused";
  else if (first.status !== 0) journey.anomalies.push(`CreateOrder answered ${first.code}: ${first.body.message}`);
  if (!journey.orderId) return;
  if (decisions.retryKey) {
    const again = await create();
    if (again.status === 200 && again.body.order.id !== journey.orderId) journey.anomalies.push(`the same key named order ${again.body.order.id} after ${journey.orderId}`);
  }
  if (journey.plan === "abandon") return; // the payment deadline cancels it
  if (journey.plan === "cancel") return cancel(options, journey, token, decisions.repeat);

  const paymentUrl = await waitFor(
    async () => {
      const { body } = await client.call("order", `${order}/GetOrder`, { id: journey.orderId }, { token });
      return body.order?.paymentUrl || body.order?.status === "ORDER_STATUS_CANCELLED" || undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, message: `a checkout for ${journey.orderId}` },
  ).catch(() => undefined);
  if (typeof paymentUrl !== "string") return;
  journey.payAcknowledged = (await client.post("payment", `${paymentUrl}/pay`)) === 303;
  if (journey.plan === "pay-then-cancel") return cancel(options, journey, token, false);

  const ready = await waitFor(
    async () => {
      const { body } = await client.call("order", `${order}/GetOrder`, { id: journey.orderId }, { token });
      return ["ORDER_STATUS_READY", "ORDER_STATUS_CANCELLED"].includes(body.order?.status) ? body.order.status : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250, message: `order ${journey.orderId} ready` },
  ).catch(() => undefined);
  if (ready === "ORDER_STATUS_READY") await complete(options, journey, decisions.repeat);
}

/** CancelOrder as the customer; a repeat after a success must succeed too (it is idempotent). */
async function cancel({ client }: DriveOptions, journey: Journey, token: string, repeat: boolean): Promise<void> {
  for (let attempt = 0; attempt < (repeat ? 2 : 1); attempt++) {
    const answer = await client.call("order", `${order}/CancelOrder`, { id: journey.orderId, reason: "changed my mind" }, { token });
    if (answer.status === 200 && answer.body.order?.status === "ORDER_STATUS_CANCELLED") journey.cancelAcknowledged = true;
    else if (journey.cancelAcknowledged) journey.anomalies.push(`a repeated CancelOrder answered ${answer.code ?? answer.body.order?.status}`);
    // failed_precondition is a fair answer when the payment won the race.
    else if (answer.status !== 0 && answer.code !== "failed_precondition") journey.anomalies.push(`CancelOrder answered ${answer.code}: ${answer.body.message}`);
  }
}

/** CompleteOrder as staff (the hand-over); a repeat after a success must succeed too. */
async function complete({ client, staffToken }: DriveOptions, journey: Journey, repeat: boolean): Promise<void> {
  for (let attempt = 0; attempt < (repeat ? 2 : 1); attempt++) {
    const answer = await client.call("order", `${order}/CompleteOrder`, { id: journey.orderId }, { token: staffToken });
    if (answer.status === 200 && answer.body.order?.status === "ORDER_STATUS_COMPLETED") journey.completeAcknowledged = true;
    else if (answer.status !== 0) journey.anomalies.push(`CompleteOrder of a READY order answered ${answer.code}: ${answer.body.message}`);
  }
}

/** The hand-over of READY orders whose customer gave up waiting (the settling phase calls it until none is left). */
export async function handOverReady(client: PatientClient, staffToken: string, orders: ReadonlyArray<{ id: string; status: string }>): Promise<void> {
  for (const ready of orders.filter((each) => each.status === "ORDER_STATUS_READY")) {
    await client.call("order", `${order}/CompleteOrder`, { id: ready.id }, { token: staffToken });
  }
}
