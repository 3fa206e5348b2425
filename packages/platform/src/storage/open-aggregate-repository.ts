import type { Db } from "mongodb";
import { AggregateOutboxStore, type OutboxSource } from "../events/aggregate-outbox.js";
import type { EventBus, EventEnvelope } from "../events/event-bus.js";
import { OutboxRelay } from "../events/outbox.js";
import type { Logger } from "../logging.js";
import type { MongoStorage } from "./connect-mongo.js";
import { openRepository } from "./open-repository.js";

/** How a service stores its aggregates: its two adapters, and its events as protobuf bodies. */
export interface AggregateStorage<R, E> {
  /** Opens the MongoDB adapter on the database (indexes first). */
  mongo: (db: Db) => Promise<R>;
  /** The in-memory adapter (the embedded mode). */
  memory: () => R;
  /** One event as its protobuf body (the outbox store adds the id, time and headers it was stored with). */
  eventBody: (event: E) => EventEnvelope;
}

/** What a service's own dependencies (its ServiceDeps) say about storage. */
export interface AggregateStorageSettings<R> {
  /** One handed in by the caller (tests) wins. */
  repository?: R;
  /** MONGODB_URL: MongoDB when set, else memory. */
  config: { mongodbUrl?: string };
  /** Where the outbox is published. */
  bus: EventBus;
  logger?: Logger;
}

/** A service's aggregate repository with what runs beside it. */
export interface OpenedAggregateRepository<R> {
  repository: R;
  /** The MongoDB connection, when there is one. */
  storage?: MongoStorage;
  /** Publishes the repository's outbox: start() it with the service, flush() after each save. */
  relay: OutboxRelay;
  /** Readiness: throws when the bus or the database does not answer. */
  ready(): Promise<void>;
  /** Stops the relay after its last pass, then closes the connection. */
  close(): Promise<void>;
}

/**
 * The repository configuration asks for (see openRepository) and the outbox
 * relay that publishes its events: what order, payment and kitchen each
 * open the same way.
 */
export async function openAggregateRepository<R extends OutboxSource<E>, E extends { id: string; time: Date }>(
  kind: AggregateStorage<R, E>,
  settings: AggregateStorageSettings<R>,
): Promise<OpenedAggregateRepository<R>> {
  const { repository, storage } = await openRepository({ ...kind, given: settings.repository, mongodbUrl: settings.config.mongodbUrl, logger: settings.logger });
  const relay = new OutboxRelay(new AggregateOutboxStore(repository, kind.eventBody), settings.bus, { logger: settings.logger });
  return {
    repository,
    storage,
    relay,
    async ready() {
      await settings.bus.ping();
      await storage?.ping();
    },
    async close() {
      await relay.stop();
      await storage?.close();
    },
  };
}
