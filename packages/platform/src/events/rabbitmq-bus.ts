import { Connection, type AsyncMessage, type Consumer, type Envelope, type Publisher, type SyncMessage } from "rabbitmq-client";
import type { Logger } from "../logging.js";
import { UnavailableError } from "../errors/index.js";
import { defaultRetryPolicy, retryDelay, type DeadLetter, type Delivery, type EventBus, type EventEnvelope, type QueueDepth, type RetryPolicy, type SubscribeOptions } from "./event-bus.js";
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

  async deadLetters(queue: string): Promise<DeadLetter[]> {
    return this.withDeadLetters(queue, async (channelMessages) => {
      return channelMessages.map(({ message }) => deadLetterOf(message, queue));
    });
  }

  async replayDeadLetters(queue: string, ids?: readonly string[]): Promise<number> {
    this.assertOpen();
    const wanted = ids ? new Set(ids) : undefined;
    return this.withDeadLetters(queue, async (messages, channel) => {
      let replayed = 0;
      for (const { message } of messages) {
        if (wanted && !wanted.has(message.messageId ?? "")) continue;
        const letter = deadLetterOf(message, queue);
        // Straight to the consumer queue through the default exchange: other services already had theirs.
        await channel.basicPublish({ exchange: "", routingKey: queue, ...toProperties(letter, 1) }, Buffer.from(letter.body));
        channel.basicAck({ deliveryTag: message.deliveryTag });
        replayed++;
      }
      return replayed;
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
   * Takes every message of `<queue>.dead` unacknowledged on a channel of its
   * own, lets `work` ack some, and puts the rest back in their places: reading
   * dead letters never loses them.
   */
  private async withDeadLetters<T>(
    queue: string,
    work: (messages: Array<{ message: SyncMessage }>, channel: Awaited<ReturnType<Connection["acquire"]>>) => Promise<T>,
  ): Promise<T> {
    const channel = await this.connection.acquire();
    try {
      await channel.confirmSelect();
      await channel.queueDeclare({ queue: deadQueueName(queue), durable: true });
      const messages: Array<{ message: SyncMessage }> = [];
      for (;;) {
        const message = await channel.basicGet({ queue: deadQueueName(queue), noAck: false });
        if (!message) break;
        messages.push({ message });
      }
      const result = await work(messages, channel);
      // Delivery tag 0 with `multiple`: every message still unacknowledged on this channel.
      if (messages.length > 0) channel.basicNack({ deliveryTag: 0, multiple: true, requeue: true });
      return result;
    } finally {
      await channel.close();
    }
  }
}

function deadLetterOf(message: SyncMessage, queue: string): DeadLetter {
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
