import { startAll, type RunningSystem, type StartAllOptions } from "@oms/all-in-one";
import { demoDishes } from "@oms/all-in-one/demo-menu";
import { waitFor } from "@oms/platform/testing";

export { demoDishes };

/** Tokens from the started system's development issuer: staff's is what `rpc` sends unless told otherwise. */
export const tokens = { staff: "", alice: "" };

/** Starts the embedded system on free ports with fast cooks; extra env overrides the defaults. */
export async function startSystem(env: Record<string, string> = {}, options: Partial<StartAllOptions> = {}): Promise<RunningSystem> {
  const system = await startAll({
    ...options,
    randomPorts: true,
    env: { ...process.env, KITCHEN_COOK_TIME: "50ms", KITCHEN_COOKS: "2", ...env },
  });
  tokens.staff = await system.issuer!.issue("staff-e2e", "staff");
  tokens.alice = await system.issuer!.issue("alice", "customer");
  return system;
}

/** RequestInit for `rpc` calling with another token than staff's. */
export function as(token: string): RequestInit {
  return { headers: { "content-type": "application/json", ...bearer(token) } };
}

/** The authorization header of a bearer token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface RpcResult {
  status: number;
  body: Record<string, any>;
}

/** A Connect unary call with JSON over plain HTTP/1.1, as curl makes it; as staff unless `init.headers` say otherwise. */
export async function rpc(baseUrl: string, path: string, body: unknown, init: RequestInit = {}): Promise<RpcResult> {
  const response = await fetch(`${baseUrl}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer(tokens.staff) },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** Polls until `check` returns a value (the platform's one waitFor), failing after `timeoutMs` with what was awaited. */
export function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  return waitFor(check, { timeoutMs, intervalMs: 25, message: what });
}

/** Waits until the order reaches `status` over GetOrder, returning it. */
export function orderInStatus(system: RunningSystem, id: string, status: string): Promise<Record<string, any>> {
  return eventually(
    async () => {
      const { body } = await rpc(system.services.order.url, "oms.order.v1.OrderService/GetOrder", { id });
      return body.order?.status === `ORDER_STATUS_${status}` ? body.order : undefined;
    },
    15_000,
    `order ${id} to be ${status}`,
  );
}

/** Stock level of one item over StockService/GetStock. */
export async function stockOf(system: RunningSystem, itemId: string): Promise<{ available: number; reserved: number }> {
  const { body } = await rpc(system.services.stock.url, "oms.stock.v1.StockService/GetStock", { itemIds: [itemId] });
  const level = body.levels?.[0] ?? {};
  return { available: level.available ?? 0, reserved: level.reserved ?? 0 };
}

let keys = 0;
/** A unique idempotency key per call. */
export function key(prefix = "k"): string {
  return `${prefix}-${process.pid}-${Date.now()}-${keys++}`;
}
