import { describe, expect, it } from "vitest";
import { onStreamEnd, type StreamEnd } from "../src/stream-end.js";

/** What onStreamEnd stands for: every case below must come out the same from both. */
async function* generatorReference<T>(messages: AsyncIterable<T>, end: StreamEnd): AsyncIterableIterator<T> {
  try {
    yield* messages;
    end.done?.();
  } catch (error) {
    throw end.failed(error);
  }
}

type Wrap = <T>(messages: AsyncIterable<T>, end: StreamEnd) => AsyncIterableIterator<T>;

/** An iterable that records what was asked of it; `fail` makes the nth next() reject (or throw, if `sync`). */
function source(values: string[], options: { failAt?: number; sync?: boolean; noReturn?: boolean } = {}) {
  const log: string[] = [];
  let index = 0;
  const iterator: AsyncIterator<string> = {
    next: () => {
      log.push("next");
      if (index === options.failAt) {
        if (options.sync) throw new Error("sync boom");
        return Promise.reject(new Error("boom"));
      }
      return Promise.resolve(index < values.length ? { done: false, value: values[index++]! } : { done: true, value: undefined });
    },
    throw: (error: unknown) => {
      log.push("throw");
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
  };
  if (!options.noReturn) iterator.return = (value?: unknown) => (log.push("return"), Promise.resolve({ done: true, value: value as string }));
  return {
    log,
    iterable: {
      [Symbol.asyncIterator]: () => (log.push("open"), iterator),
    },
  };
}

function ends() {
  const seen: string[] = [];
  const end: StreamEnd = {
    done: () => seen.push("done"),
    failed: (error) => (seen.push(`failed: ${(error as Error).message}`), new Error(`mapped: ${(error as Error).message}`)),
  };
  return { seen, end };
}

const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error: (error as Error).message }));

/** Runs one scenario with `wrap`, each step once the one before has settled, returning everything observable. */
async function scenario(wrap: Wrap, steps: Step[], options?: Parameters<typeof source>[1]) {
  const { log, iterable } = source(["a", "b"], options);
  const { seen, end } = ends();
  const iterator = wrap(iterable, end);
  const results: unknown[] = [];
  for (const step of steps) results.push(await settle(step(iterator)));
  return { results, log, seen };
}

type Step = (iterator: AsyncIterableIterator<string>) => Promise<unknown>;
const next: Step = (it) => it.next();
const returnX: Step = (it) => it.return!("x");
const throwIn: Step = (it) => it.throw!(new Error("in"));

const cases: Record<string, [Step[], Parameters<typeof source>[1]?]> = {
  "read to the end, then read again": [[next, next, next, next]],
  "a next that rejects": [[next, next, next], { failAt: 1 }],
  "a next that throws": [[next, next, next], { failAt: 1, sync: true }],
  "return before the first next": [[returnX, next]],
  "return while reading": [[next, returnX, next]],
  "return while reading, from a source without return": [[next, returnX, next], { noReturn: true }],
  "throw before the first next": [[throwIn, next]],
  "throw while reading": [[next, throwIn, next]],
};

describe("onStreamEnd", () => {
  for (const [name, [steps, options]] of Object.entries(cases)) {
    it(`does what the async generator does: ${name}`, async () => {
      const expected = await scenario(generatorReference, steps, options);
      const actual = await scenario(onStreamEnd, steps, options);
      expect(actual).toEqual(expected);
    });
  }

  it("is its own iterator, as a generator is", () => {
    const iterator = onStreamEnd(source([]).iterable, ends().end);
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
  });

  it("tells `done` once when the messages run out and maps a failure once", async () => {
    const ran = await scenario(onStreamEnd, [next, next, next, next]);
    expect(ran.seen).toEqual(["done"]);
    const failed = await scenario(onStreamEnd, [next, next], { failAt: 0 });
    expect(failed.seen).toEqual(["failed: boom"]);
    expect(failed.results[0]).toEqual({ error: "mapped: boom" });
  });
});
