import type { RealStack } from "../../scripts/real-stack.js";
import { flagWindows, setFlags, type FlagWindow } from "./fault-flags.js";
import type { Random } from "./random.js";

/**
 * The faults of one chaos run, one at a time, in an order and with pauses the
 * seed decides: every service instance is ended (mostly kill -9, sometimes
 * SIGTERM) and started again after a while down; the broker is stopped
 * gracefully once and killed once; the database is restarted gracefully once
 * and killed once; and windows of the runtime fault flags (fault-flags.ts)
 * make payments decline, stock fail, publishes fail and the kitchen slow
 * down. One fault at a time because that is what the system
 * promises to ride out (a second replica covers for a dead one; the broker and
 * the database are single points the services wait for).
 */
export type Fault =
  | { kind: "instance"; id: string; signal: "SIGKILL" | "SIGTERM"; downMs: number }
  | { kind: "broker"; how: "halt" | "kill"; downMs: number }
  | { kind: "database"; signal: "SIGTERM" | "SIGKILL" }
  | { kind: "flags"; window: FlagWindow };

export interface Step {
  fault: Fault;
  /** The quiet time before this fault starts. */
  pauseMs: number;
}

export function planSchedule(random: Random, instanceIds: readonly string[]): Step[] {
  const faults: Fault[] = [
    ...instanceIds.map((id): Fault => ({ kind: "instance", id, signal: random.chance(0.75) ? "SIGKILL" : "SIGTERM", downMs: random.between(300, 1_500) })),
    { kind: "broker", how: "halt", downMs: random.between(500, 3_000) },
    { kind: "broker", how: "kill", downMs: random.between(500, 3_000) },
    { kind: "database", signal: "SIGTERM" },
    { kind: "database", signal: "SIGKILL" },
    ...flagWindows(random).map((window): Fault => ({ kind: "flags", window })),
  ];
  return random.shuffle(faults).map((fault) => ({ fault, pauseMs: random.between(200, 1_000) }));
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case "instance":
      return `${fault.signal === "SIGKILL" ? "kill -9" : "SIGTERM"} ${fault.id}, down ${fault.downMs} ms`;
    case "broker":
      return `broker ${fault.how === "kill" ? "kill -9" : "stopped"}, down ${fault.downMs} ms`;
    case "database":
      return `database restarted (${fault.signal})`;
    case "flags":
      return `${fault.window.name} for ${fault.window.windowMs} ms`;
  }
}

/** Runs the steps one after another; resolves with one line per fault: when it started (seconds since `epoch`) and how long it lasted. */
export async function runSchedule(stack: RealStack, staffToken: string, steps: readonly Step[], epoch = Date.now()): Promise<string[]> {
  const done: string[] = [];
  for (const { fault, pauseMs } of steps) {
    await sleep(pauseMs);
    const start = Date.now();
    await inject(stack, staffToken, fault);
    done.push(`+${((start - epoch) / 1000).toFixed(1)}s ${describeFault(fault)} (back after ${Date.now() - start} ms)`);
  }
  return done;
}

async function inject(stack: RealStack, staffToken: string, fault: Fault): Promise<void> {
  switch (fault.kind) {
    case "instance":
      await stack.stopInstance(fault.id, fault.signal);
      await sleep(fault.downMs);
      await stack.startInstance(fault.id);
      return;
    case "broker":
      await (fault.how === "kill" ? stack.broker.kill() : stack.broker.halt());
      await sleep(fault.downMs);
      await stack.broker.start();
      return;
    case "database":
      await stack.restartDatabase(fault.signal);
      return;
    case "flags":
      await setFlags(stack, staffToken, fault.window.services, fault.window.on);
      await sleep(fault.window.windowMs);
      await setFlags(stack, staffToken, fault.window.services, fault.window.off);
      return;
  }
}

/** The pauses of the schedule itself (how long something stays down), not waits for a result. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
