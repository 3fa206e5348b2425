import { Code, ConnectError } from "@connectrpc/connect";
import { UnavailableError } from "../errors/index.js";
import { isDatabaseUnavailable } from "../storage/unavailable-errors.js";

/**
 * A handler failure that says "not now" rather than "never": the database or
 * a peer is unreachable, or the handler itself asked to be retried
 * (UnavailableError). Such an event is no poison message: it is retried at
 * the longest delay until its dependency is back, and never dead-lettered
 * for it (a database restart outlasting the retry schedule parked events
 * that needed nothing but time).
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof UnavailableError || isDatabaseUnavailable(error)) return true;
  return error instanceof ConnectError && (error.code === Code.Unavailable || error.code === Code.DeadlineExceeded);
}
