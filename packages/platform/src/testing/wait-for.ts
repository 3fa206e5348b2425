export interface WaitForOptions {
  /** Give up after this long (default 10 s: machines are noisy, so be generous). */
  timeoutMs?: number;
  /** Pause between checks (default 20 ms). */
  intervalMs?: number;
  /** Says what was awaited, in the timeout error. */
  message?: string;
}

/**
 * Polls `check` until it returns something other than `undefined`, `null`
 * or `false`, and resolves with that value. A check that throws (an
 * `expect` that does not hold yet) counts as "not yet"; on timeout the
 * last error is in the message. Use instead of sleeps and timed assertions.
 *
 * @example const letters = await waitFor(async () => (await bus.deadLetters("stock")).length > 0 || undefined);
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.message ?? "the condition";
      const why = lastError instanceof Error ? `: ${lastError.message}` : lastError === undefined ? "" : `: ${JSON.stringify(lastError)}`;
      throw new Error(`waitFor: ${what} did not hold within ${timeoutMs} ms${why}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
