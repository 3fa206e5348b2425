const warned = new Set<string>();

/**
 * The one rule for test infrastructure that may be missing: usable, or a
 * reason it is not. Missing under CI is an error, never a quiet skip (an
 * install step is missing); elsewhere it is false, with the reason said once,
 * so callers can `describe.skipIf(!available)`.
 */
export function usableOrSkipped(what: string, reason: string | undefined): boolean {
  if (reason === undefined) return true;
  if (process.env.CI) throw new Error(reason);
  if (!warned.has(what)) console.warn(`skipping ${what}: ${reason}`);
  warned.add(what);
  return false;
}
