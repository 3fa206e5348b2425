import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** A message a bench child sends its parent over IPC. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * The workspace packages as production runs them: compiled, from dist/ (the
 * "production" export condition; `pnpm bench` builds them first). Their
 * sources through tsx cost more (esbuild adds a `__name` call to every
 * closure), which is not what a deployed service pays. BENCH_SOURCES=1 runs the sources.
 */
const packagesAs = process.env.BENCH_SOURCES === "1" ? [] : ["--conditions=production"];

/** A TypeScript file run in its own Node process (through tsx), talking to this one over IPC. */
export class BenchChild {
  private readonly messages: ChildMessage[] = [];
  private readonly waiters: Array<{ type: string; resolve: (message: ChildMessage) => void }> = [];
  private readonly exited: Promise<number | null>;

  private constructor(private readonly process: ChildProcess, readonly label: string) {
    process.on("message", (message: ChildMessage) => {
      const index = this.waiters.findIndex((waiter) => waiter.type === message.type);
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
      else this.messages.push(message);
    });
    this.exited = once(process, "exit").then(([code]) => code as number | null);
  }

  /** Starts `file` (relative to bench/) with `payload` in BENCH_PAYLOAD; `execArgv` adds Node flags such as --cpu-prof. */
  static start(file: string, payload: unknown, options: { label?: string; env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): BenchChild {
    const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
    const child = fork(path, [], {
      execArgv: ["--import", "tsx", ...packagesAs, ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env, BENCH_PAYLOAD: JSON.stringify(payload ?? null) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new BenchChild(child, options.label ?? file);
  }

  /** The next message of this type; rejects if the child exits first or `timeoutMs` passes. */
  async next<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    const queued = this.messages.findIndex((message) => message.type === type);
    if (queued >= 0) return this.messages.splice(queued, 1)[0] as T;
    let timer: NodeJS.Timeout | undefined;
    const waiting = new Promise<ChildMessage>((resolve) => this.waiters.push({ type, resolve }));
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.label}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      void this.exited.then((code) => reject(new Error(`${this.label} exited (code ${code}) before sending "${type}"`)));
    });
    try {
      return (await Promise.race([waiting, failed])) as T;
    } finally {
      clearTimeout(timer);
    }
  }

  send(message: ChildMessage): void {
    // A child that has just sent its last message may be closing its channel: the send then fails
    // asynchronously (EPIPE), which without a callback is an 'error' event that ends the whole bench.
    // Nothing is lost: whoever waits for an answer learns of the exit from next().
    if (this.process.connected) this.process.send(message, ignoreClosedChannel);
  }

  /** Asks the child to stop (so a --cpu-prof profile gets written), killing it after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.send({ type: "stop" });
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function ignoreClosedChannel(): void {}

/** In a child: the payload its parent passed. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the payload's type, as JSON.parse's callers do.
export function childPayload<T>(): T {
  return JSON.parse(process.env.BENCH_PAYLOAD ?? "null") as T;
}

/** In a child: tells the parent something (a no-op when run by hand without IPC). */
export function tellParent(message: ChildMessage): void {
  process.send?.(message);
}

/** In a child: resolves when the parent sends a message of this type. */
export function fromParent(type: string): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const listener = (message: ChildMessage) => {
      if (message.type !== type) return;
      process.off("message", listener);
      resolve(message);
    };
    process.on("message", listener);
  });
}

/** In a child: runs `close` and exits when the parent says stop or the process is signalled; answers "cpu" with its CPU time. */
export function stopWhenAsked(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("message", (message: ChildMessage) => {
    if (message.type === "stop") stop();
    // CPU time used so far, so the parent can charge a measured window's CPU to its requests.
    if (message.type === "cpu") tellParent({ type: "cpu", micros: (({ user, system }) => user + system)(process.cpuUsage()) });
  });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("disconnect", stop);
}
