import { Cooks, type CooksOptions } from "./cooks.js";
import { OpenTicket } from "./open-ticket.js";
import { ListTickets } from "./list-tickets.js";
import { GetTicket } from "./get-ticket.js";
import { AnnouncedTicketRepository, TicketChanges } from "./ticket-changes.js";
import { WatchTickets } from "./watch-tickets.js";

/** The cooks' options are all the app needs: the use cases share their repository, publish and clock. */
export type KitchenAppDeps = CooksOptions;

/**
 * The kitchen's use cases and its cooks, wired to the same repository. Its
 * writes are announced, so the displays this instance serves wake on them.
 */
export function createKitchenApp(deps: KitchenAppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const changes = new TicketChanges();
  const repository = new AnnouncedTicketRepository(deps.repository, changes);
  const cooks = new Cooks({ ...deps, repository, clock });
  return {
    cooks,
    openTicket: new OpenTicket({ repository, clock, onQueued: () => cooks.wake() }),
    listTickets: new ListTickets(repository),
    getTicket: new GetTicket(repository),
    watchTickets: new WatchTickets({ repository, changes }),
  };
}

export type KitchenApp = ReturnType<typeof createKitchenApp>;
