import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { ItemSchema, MenuService, type Item } from "@oms/contracts/menu/v1/menu";
import { OrderSchema, OrderService, OrderStatus } from "@oms/contracts/order/v1/order";
import type { FastifyPluginAsync } from "fastify";
import { NotFoundError, ValidationError } from "@oms/platform/errors";
import { publicPolicies } from "@oms/platform/auth";
import type { ServiceDefinition, ServiceModule } from "@oms/platform/server";

/** A latch a test opens when it wants a waiting handler to go on. */
export class Gate {
  private opened = false;
  private waiters: (() => void)[] = [];
  /** How many handlers are waiting: tests poll it to know a call is in flight. */
  get waiting(): number {
    return this.waiters.length;
  }
  wait(): Promise<void> {
    if (this.opened) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  open(): void {
    this.opened = true;
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Knobs of the test service. */
export interface TestServiceControls {
  /** What /readyz and gRPC health report: throw to be "not ready". */
  ready?: () => Promise<void>;
  /** GetItems for the id "slow" waits on this gate. */
  slow?: Gate;
  /** Records module.start()/stop() calls, in order. */
  lifecycle?: string[];
}

export const testItems: readonly Item[] = [
  create(ItemSchema, { id: "01ITEMMARGHERITA", name: "Margherita", price: { currencyCode: "EUR", amountMinor: 850n }, available: true }),
  create(ItemSchema, { id: "01ITEMTIRAMISU", name: "Tiramisu", price: { currencyCode: "EUR", amountMinor: 550n }, available: true }),
];

/**
 * MenuService and OrderService.WatchOrder implemented inline over fixed data,
 * with ids that provoke each behaviour the server must handle:
 * GetItems (1 to 100 ids, its contract says): "" -> ValidationError, unknown -> NotFoundError, "boom" -> a plain
 * Error, "slow" -> waits for the `slow` gate. WatchOrder: "o1" -> three
 * statuses then end, "forever" -> one status then waits until aborted,
 * "fail-mid" -> one status then a ValidationError.
 */
export function testRoutes(controls: TestServiceControls = {}) {
  return (router: ConnectRouter) => {
    router.service(MenuService, {
      listItems: () => ({ items: [...testItems] }),
      async getItems(request) {
        const items: Item[] = [];
        for (const [index, id] of request.itemIds.entries()) {
          if (id === "boom") throw new Error("database password is hunter2 (must never reach a client)");
          if (id === "slow") {
            await (controls.slow ?? new Gate()).wait();
            continue;
          }
          if (id === "") throw new ValidationError(`item_ids[${index}]`, "must not be empty");
          const item = testItems.find((candidate) => candidate.id === id);
          if (!item) throw new NotFoundError("item", id, `item_ids[${index}]`);
          items.push(item);
        }
        return { items };
      },
      upsertItem: (request) => ({ item: request.item }),
    });
    router.service(OrderService, {
      async *watchOrder(request, context) {
        const order = (status: OrderStatus) => ({
          order: create(OrderSchema, { id: request.id, status, updateTime: timestampFromDate(new Date(0)) }),
        });
        yield order(OrderStatus.PENDING);
        if (request.id === "fail-mid") throw new ValidationError("id", "went bad while streaming");
        if (request.id === "forever") {
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
          context.signal.throwIfAborted();
          return;
        }
        yield order(OrderStatus.PAID);
        yield order(OrderStatus.COMPLETED);
      },
    });
  };
}

/** A plain HTTP route, as a service's checkout page or webhook would add. */
export const testHttp: FastifyPluginAsync = async (app) => {
  const open = { config: { access: "public" } } as const;
  app.get("/hello", open, async () => ({ hello: "world" }));
  app.post("/echo", open, async (request) => ({ echoed: request.body }));
};

/** The test service as a definition: menu and order contracts, a plain route, readiness from `controls.ready`. */
export function testDefinition(controls: TestServiceControls = {}): ServiceDefinition {
  return {
    name: "testmenu",
    services: [MenuService, OrderService],
    routes: testRoutes(controls),
    policies: publicPolicies(MenuService, OrderService),
    http: testHttp,
    ready: controls.ready,
  };
}

/** The test service as a module whose start/stop are recorded in `controls.lifecycle`. */
export function testModule(controls: TestServiceControls = {}): ServiceModule {
  return {
    definition: testDefinition(controls),
    start: async () => void controls.lifecycle?.push("start"),
    stop: async () => void controls.lifecycle?.push("stop"),
  };
}
