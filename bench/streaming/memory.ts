import { setImmediate as nextTurn } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { tellParent, type ChildMessage } from "../lib/child.js";

/** Live memory of this process after full collections, in bytes. */
export interface SettledMemory {
  /** The V8 heap in use. */
  heapUsed: number;
  /** Memory of C++ objects bound to JavaScript ones, Buffers and ArrayBuffers included. */
  external: number;
  rss: number;
}

// The flag is read when `gc` is looked up, so a target needs no --expose-gc on its command line.
v8.setFlagsFromString("--expose-gc");
const collect = vm.runInNewContext("gc") as () => void;

/**
 * Memory after collecting until the heap stops shrinking (weak references and
 * finalizers take a turn before each collection). Read at once after a
 * collection, never after a turn: a timer that fires in that turn (the order
 * service re-reads its 900 watched orders each second, ~2 MB of garbage)
 * would be counted as memory the streams hold.
 */
export async function settledMemory(): Promise<SettledMemory> {
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 1; ; round++) {
    await nextTurn();
    collect();
    const { heapUsed, external, rss } = process.memoryUsage();
    if (heapUsed >= previous - 1024 || round === 10) return { heapUsed, external, rss };
    previous = heapUsed;
  }
}

/**
 * In a target: answers the parent's `memory` message with its settled memory,
 * plus what `extra` reports (open streams, say); `snapshot` writes a heap snapshot to the path given.
 */
export function answerMemoryWhenAsked(extra: () => Record<string, number> = () => ({})): void {
  process.on("message", (message: ChildMessage) => {
    if (message.type === "memory") void settledMemory().then((memory) => tellParent({ type: "memory", ...memory, ...extra() }));
    if (message.type === "snapshot") tellParent({ type: "snapshot", path: v8.writeHeapSnapshot(message.path as string) });
  });
}
