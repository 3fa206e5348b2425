import { Cooks, type CooksOptions } from "./cooks.js";
import { OpenTicket } from "./open-ticket.js";
import { GetTicket, ListTickets } from "./ticket-queries.js";
import { WatchTickets } from "./watch-tickets.js";

/** The cooks' options are all the app needs: the use cases share their repository, publish and clock. */
export type KitchenAppDeps = CooksOptions;

/** The kitchen's use cases and its cooks, wired to the same repository. */
export function createKitchenApp(deps: KitchenAppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const cooks = new Cooks({ ...deps, clock });
  return {
    cooks,
    openTicket: new OpenTicket({ repository: deps.repository, clock, onQueued: () => cooks.wake() }),
    listTickets: new ListTickets(deps.repository),
    getTicket: new GetTicket(deps.repository),
    watchTickets: new WatchTickets({ repository: deps.repository }),
  };
}

export type KitchenApp = ReturnType<typeof createKitchenApp>;
