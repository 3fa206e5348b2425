import autocannon from "autocannon";

/** A running autocannon: the result when awaited, and a `response` event per reply (float milliseconds). */
export type AutocannonRun = autocannon.Instance & PromiseLike<autocannon.Result>;

/**
 * Starts autocannon without a callback. It returns an instance that is both an
 * EventEmitter and a promise; @types/autocannon types only the promise.
 */
export function startAutocannon(options: autocannon.Options): AutocannonRun {
  return autocannon(options) as unknown as AutocannonRun;
}
