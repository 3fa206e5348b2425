/** Publish and consume limits shared by the raw loop and the bus, so both do the same work. */
export interface EventsPlan {
  target: "raw" | "bus" | "service" | "other";
  /** For "other": a file exporting RabbitMqEventBus, another build of the bus (a checkout of an earlier commit, say). */
  busModule?: string;
  url: string;
  inFlight: number;
  prefetch: number;
  bodyBytes: number;
  /** The broker's Erlang VM, to charge its CPU to the measured messages (absent with an outside broker). */
  brokerPid?: number;
}

/** One messaging client under test: the raw loop or the bus, on its own exchange and queue. */
export interface EventsClient {
  /** Publishes message `n`; resolves on the broker's confirm. */
  publish(n: number): Promise<void>;
  /** Starts consuming with manual ack; each delivery is acked once the promise `onMessage` returns resolves. */
  consume(onMessage: () => Promise<void>): Promise<void>;
  /** Stops consuming, removes the client's exchange and queues and closes its connections. */
  close(): Promise<void>;
}

/** What one slice of a phase (publish or consume) measured: messages, seconds, and the CPU of this process and of the broker meanwhile. */
export interface PhaseFigures {
  messages: number;
  seconds: number;
  cpuMicros: number;
  brokerCpuMicros?: number;
}

/** What the parent asks a client's process to do next. */
export type EventsCommand = { type: "publish"; seconds: number } | { type: "subscribe" } | { type: "consume"; seconds: number } | { type: "stop" };
