import { AggregateOutboxStore, type OutboxSource } from "../events/aggregate-outbox.js";
import type { EventBus, EventEnvelope } from "../events/event-bus.js";
import { OutboxRelay } from "../events/outbox.js";
import type { MongoStorage } from "./connect-mongo.js";
import { openRepository, type RepositoryChoice } from "./open-repository.js";

export interface AggregateRepositoryChoice<R, E> extends RepositoryChoice<R> {
  /** Where the outbox is published. */
  bus: EventBus;
  /** One event as its protobuf body (the outbox store adds the id, time and headers it was stored with). */
  eventBody: (event: E) => EventEnvelope;
}

/** A service's aggregate repository with what runs beside it. */
export interface OpenedAggregateRepository<R> {
  repository: R;
  /** The MongoDB connection, when there is one. */
  storage?: MongoStorage;
  /** Publishes the repository's outbox: start() it with the service, flush() after each save. */
  relay: OutboxRelay;
  /** For readiness: throws when the database does not answer (memory always answers). */
  ping(): Promise<void>;
  /** Stops the relay after its last pass, then closes the connection. */
  close(): Promise<void>;
}

/**
 * The repository configuration asks for (see openRepository) and the outbox
 * relay that publishes its events: what order, payment and kitchen each
 * open the same way.
 */
export async function openAggregateRepository<R extends OutboxSource<E>, E extends { id: string; time: Date }>(
  choice: AggregateRepositoryChoice<R, E>,
): Promise<OpenedAggregateRepository<R>> {
  const { repository, storage } = await openRepository(choice);
  const relay = new OutboxRelay(new AggregateOutboxStore(repository, choice.eventBody), choice.bus, { logger: choice.logger });
  return {
    repository,
    storage,
    relay,
    ping: async () => storage?.ping(),
    async close() {
      await relay.stop();
      await storage?.close();
    },
  };
}
