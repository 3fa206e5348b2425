/**
 * Yields to the event loop, as a database round trip would: memory adapters
 * call it before each operation so concurrent callers really interleave in
 * tests and the embedded mode, instead of running one after the other.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
