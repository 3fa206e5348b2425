import { Connection, type AsyncMessage, type Channel, type Consumer, type Envelope, type Publisher, type SyncMessage } from "rabbitmq-client";
import type { Logger } from "../logging.js";
import { LimitError, UnavailableError } from "../errors/index.js";
import { lettersToRead, pageOf } from "./dead-letter-pages.js";
import {
  defaultRetryPolicy,
  firstDeadLetters,
  retryDelay,
  type DeadLetter,
  type DeadLetterPageQuery,
  type Delivery,
  type EventBus,
  type EventEnvelope,
  type QueueDepth,
  type RetryPolicy,
  type SubscribeOptions,
} from "./event-bus.js";
import { bufferOf, deadLetterHeaders, deadQueueName, fromMessage, retryQueueName, toProperties } from "./rabbitmq-messages.js";
import { isTransientFailure } from "./transient-failure.js";

export interface RabbitMqEventBusOptions {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /** Attempts and delays before dead-lettering; every instance of a service must use the same. */
  retry?: RetryPolicy;
  logger?: Logger;
  /** The topic exchange every event goes through (default "oms.events"). */
  exchange?: string;
  /** Longest pause between reconnection attempts (default 5 s). */
  reconnectMaxDelayMs?: number;
}

const defaultPrefetch = 16;
/** Publishes that fail because the connection dropped before the confirm are sent again this many times in all. */
const publishAttempts = 5;
/**
 * The most dead letters one listing or replay holds at once. A queue is read from its head only, so a page
 * this deep costs this many letters in transit and memory; AMQP's prefetch allows 65,535 unacknowledged.
 */
const deadLetterReadLimit = 10_000;
/** How long a read of dead letters waits for one more when fewer came than the queue counted (another reader holds them). */
const deadLetterQuietMs = 500;

/**
 * The EventBus on RabbitMQ (rabbitmq-client 5). One durable topic exchange
 * routes by event type to one durable queue per consuming service.
 * Messages are persistent and published with confirms. A consumer acks
 * after its handler resolves; a failed delivery is moved to a delay queue
 * `<queue>.retry.<ms>` whose TTL dead-letters it back to `<queue>` with the
 * next attempt number, and after the last attempt to `<queue>.dead`. The
 * connection, the consumers and the publishers recover by themselves when
 * the broker restarts; a delivery in flight then is delivered again, so
 * consumers deduplicate by event id.
 */
export class RabbitMqEventBus implements EventBus {
  private readonly connection: Connection;
  private readonly publisher: Publisher;
  private readonly exchange: string;
  private readonly retry: RetryPolicy;

  get retryPolicy(): RetryPolicy {
    return this.retry;
  }
  private readonly consumers: Consumer[] = [];
  /** Per consumer queue: publishes retries and dead letters, declaring their queues after each reconnect. */
  private readonly queuePublishers = new Map<string, Publisher>();
  private closed = false;

  constructor(private readonly options: RabbitMqEventBusOptions) {
    this.exchange = options.exchange ?? "oms.events";
    this.retry = options.retry ?? defaultRetryPolicy;
    this.connection = new Connection({ url: options.url, retryLow: 100, retryHigh: options.reconnectMaxDelayMs ?? 5_000, connectionName: "oms" });
    this.connection.on("error", (error) => options.logger?.warn({ err: error }, "rabbitmq connection error; reconnecting"));
    this.connection.on("connection", () => options.logger?.info("rabbitmq connected"));
    this.publisher = this.connection.createPublisher({
      confirm: true,
      maxAttempts: publishAttempts,
      exchanges: [this.exchangeDeclaration()],
    });
  }

  async publish(event: EventEnvelope): Promise<void> {
    this.assertOpen();
    await this.publisher.send({ exchange: this.exchange, routingKey: event.type, ...toProperties(event, 1) }, bufferOf(event.body));
  }

  async subscribe(options: SubscribeOptions): Promise<void> {
    this.assertOpen();
    if (!options.queue) throw new Error("subscribe: queue must not be empty");
    const prefetch = options.prefetch ?? defaultPrefetch;
    if (!Number.isInteger(prefetch) || prefetch < 1) throw new Error(`subscribe: prefetch must be a positive integer, got ${prefetch}`);
    const queue = options.queue;
    const requeue = this.queuePublisher(queue);
    const consumer = this.connection.createConsumer(
      {
        queue,
        // The same options as every other declaration of this queue, or the broker refuses the consumer.
        queueOptions: { durable: true },
        qos: { prefetchCount: prefetch },
        concurrency: prefetch,
        requeue: true,
        exchanges: [this.exchangeDeclaration()],
        queueBindings: options.types.map((type) => ({ exchange: this.exchange, queue, routingKey: type })),
      },
      async (message: AsyncMessage) => {
        const delivery = fromMessage(message, queue);
        try {
          await options.handler(delivery);
        } catch (error) {
          // Throwing from here (the broker is unreachable) nacks with requeue: the delivery comes back, not lost.
          await this.parkFailed(requeue, delivery, error);
        }
      },
    );
    await new Promise<void>((resolve, reject) => {
      consumer.once("ready", resolve);
      consumer.once("error", reject);
    }).catch(async (error: unknown) => {
      await consumer.close();
      throw error;
    });
    consumer.on("error", (error) => this.options.logger?.warn({ err: error, queue }, "rabbitmq consumer error"));
    this.consumers.push(consumer);
  }

  async queueDepth(queue: string): Promise<QueueDepth> {
    const [ready, deadLettered] = await Promise.all([queue, deadQueueName(queue)].map((name) => this.messageCount(name)));
    return { ready: ready!, deadLettered: deadLettered! };
  }

  /** A passive declare: the queue's ready messages, 0 when it does not exist yet (the broker refuses with 404). */
  private async messageCount(queue: string): Promise<number> {
    try {
      return (await this.connection.queueDeclare({ queue, passive: true })).messageCount;
    } catch {
      return 0;
    }
  }

  async deadLetters(queue: string, page: DeadLetterPageQuery = firstDeadLetters): Promise<DeadLetter[]> {
    const count = lettersToRead(page);
    if (count > deadLetterReadLimit) {
      throw new LimitError(`dead letters are listed at most ${deadLetterReadLimit} deep on RabbitMQ (a queue is read from its head); replay the older ones first`);
    }
    const letters = await this.withDeadLetters(queue, count, async (messages) => messages.map((message) => deadLetterOf(message, queue)));
    return pageOf(letters, page);
  }

  /** Replays what is among the first 10,000 dead letters (deadLetterReadLimit); a deeper queue takes another call. */
  async replayDeadLetters(queue: string, ids?: readonly string[]): Promise<number> {
    this.assertOpen();
    const wanted = ids ? new Set(ids) : undefined;
    return this.withDeadLetters(queue, deadLetterReadLimit, async (messages, channel) => {
      const replaying = messages.filter((message) => !wanted || wanted.has(message.messageId ?? ""));
      // Straight to the consumer queue through the default exchange (other services already had theirs), all
      // published before any confirm is awaited; each letter leaves the dead-letter queue once its copy is confirmed.
      await Promise.all(
        replaying.map(async (message) => {
          const letter = deadLetterOf(message, queue);
          await channel.basicPublish({ exchange: "", routingKey: queue, ...toProperties(letter, 1) }, Buffer.from(letter.body));
          channel.basicAck({ deliveryTag: message.deliveryTag });
        }),
      );
      return replaying.length;
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.connection.onConnect(2_000, true).catch((error: unknown) => {
      throw new UnavailableError(`RabbitMQ is not reachable: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Stops consuming, waits for handlers in flight (their acks go out), then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.consumers.map((consumer) => consumer.close()));
    await Promise.all([this.publisher, ...this.queuePublishers.values()].map((publisher) => publisher.close()));
    await this.connection.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the event bus is closed");
  }

  private exchangeDeclaration() {
    return { exchange: this.exchange, type: "topic", durable: true };
  }

  /** The delay queues of `queue` (one per distinct delay, so a short delay never waits behind a long one) and its dead-letter queue. */
  private queuePublisher(queue: string): Publisher {
    let publisher = this.queuePublishers.get(queue);
    if (publisher) return publisher;
    const delays = new Set(Array.from({ length: Math.max(0, this.retry.maxAttempts - 1) }, (_, index) => retryDelay(this.retry, index + 1)));
    publisher = this.connection.createPublisher({
      confirm: true,
      maxAttempts: publishAttempts,
      queues: [
        { queue: deadQueueName(queue), durable: true },
        ...[...delays].map((delay) => ({
          queue: retryQueueName(queue, delay),
          durable: true,
          arguments: { "x-message-ttl": delay, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue },
        })),
      ],
    });
    this.queuePublishers.set(queue, publisher);
    return publisher;
  }

  /** Moves a failed delivery to its delay queue, or after the last attempt (unless the failure is transient) to the dead-letter queue. */
  private async parkFailed(publisher: Publisher, delivery: Delivery, error: unknown): Promise<void> {
    const body = Buffer.from(delivery.body);
    if (delivery.attempt >= this.retry.maxAttempts && !isTransientFailure(error)) {
      const properties = toProperties(delivery, delivery.attempt);
      const envelope: Envelope = { exchange: "", routingKey: deadQueueName(delivery.queue), ...properties };
      envelope.headers = { ...properties.headers, ...deadLetterHeaders(delivery.attempt, error) };
      await publisher.send(envelope, body);
      this.options.logger?.warn({ err: error, queue: delivery.queue, eventId: delivery.id }, "event dead-lettered after the last attempt");
      return;
    }
    const delay = retryDelay(this.retry, delivery.attempt);
    await publisher.send({ exchange: "", routingKey: retryQueueName(delivery.queue, delay), ...toProperties(delivery, delivery.attempt + 1) }, body);
  }

  /**
   * Holds the first `count` messages of `<queue>.dead` (fewer when it has
   * fewer) unacknowledged on a channel of its own, lets `work` ack some, and
   * puts the rest back in their places (a classic queue requeues a message
   * where it was) by closing the channel: reading dead letters never loses them. AMQP has no random
   * access to a queue, only its head; a consumer whose prefetch is `count`
   * gets them all in one flight from the broker instead of one basic.get
   * round trip each.
   */
  private async withDeadLetters<T>(queue: string, count: number, work: (messages: AsyncMessage[], channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.connection.acquire();
    try {
      await channel.confirmSelect();
      const dead = deadQueueName(queue);
      const { messageCount } = await channel.queueDeclare({ queue: dead, durable: true });
      const messages = await firstMessages(channel, dead, Math.min(count, messageCount));
      return await work(messages, channel);
    } finally {
      // Closing the channel puts every message it still holds back where it was. No nack before it: the
      // connection leaves Nagle on (rabbitmq-client's default), so a frame the broker does not answer, followed
      // by the close, waited out its delayed ACK (~40 ms a listing).
      await channel.close();
    }
  }
}

/**
 * The first `count` messages of `queue`, unacknowledged: a consumer with that
 * prefetch takes them, and is cancelled once it has them, or once none came
 * for a while (another reader holds the rest).
 */
async function firstMessages(channel: Channel, queue: string, count: number): Promise<AsyncMessage[]> {
  if (count === 0) return [];
  await channel.basicQos({ prefetchCount: count });
  const messages: AsyncMessage[] = [];
  let quiet: NodeJS.Timeout | undefined;
  let enough: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (enough = resolve));
  const waitQuietly = () => {
    clearTimeout(quiet);
    quiet = setTimeout(enough, deadLetterQuietMs);
  };
  const { consumerTag } = await channel.basicConsume({ queue, noAck: false }, (message) => {
    // The prefetch bounds what comes; one arriving after the wait ended stays unacknowledged and goes back with the rest.
    if (messages.length >= count) return;
    messages.push(message);
    if (messages.length >= count) enough();
    else waitQuietly();
  });
  if (messages.length < count) waitQuietly();
  await arrived;
  clearTimeout(quiet);
  await channel.basicCancel(consumerTag);
  return messages.slice();
}

function deadLetterOf(message: AsyncMessage | SyncMessage, queue: string): DeadLetter {
  const headers = message.headers ?? {};
  const { attempt: _attempt, queue: _queue, ...event } = fromMessage(message, queue);
  return {
    ...event,
    queue,
    attempts: Number(headers["x-oms-attempts"] ?? 0),
    error: String(headers["x-oms-error"] ?? ""),
    deadTime: new Date(Number(headers["x-oms-dead-time"] ?? 0)),
  };
}
