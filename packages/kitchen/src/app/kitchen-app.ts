import type { Logger } from "@oms/platform/logging";
import type { TicketRepository } from "../domain/ticket-repository.js";
import { Kitchen } from "./kitchen.js";
import { OpenTicket } from "./open-ticket.js";
import type { Clock, Publish } from "./ports.js";
import { GetTicket, ListTickets } from "./ticket-queries.js";

export interface KitchenAppDeps {
  repository: TicketRepository;
  publish: Publish;
  cooks: number;
  cookTimeMs: number;
  kitchenId: string;
  clock?: Clock;
  logger?: Logger;
  pollIntervalMs?: number;
  leaseMarginMs?: number;
}

/** The kitchen's use cases and its cooks, wired to the same repository. */
export function createKitchenApp(deps: KitchenAppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const kitchen = new Kitchen({ ...deps, clock });
  return {
    kitchen,
    openTicket: new OpenTicket({ repository: deps.repository, clock, onQueued: () => kitchen.wake() }),
    listTickets: new ListTickets(deps.repository),
    getTicket: new GetTicket(deps.repository),
  };
}

export type KitchenApp = ReturnType<typeof createKitchenApp>;
