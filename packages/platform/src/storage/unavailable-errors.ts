import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";

/** Server codes that mean "this server cannot take it now" (shutting down, stepping down, not primary), not "you asked wrong". */
const unavailableCodes = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/**
 * True when `error` (or one of its causes) says the database could not be
 * reached or could not answer in time: server selection failed, the
 * connection broke or its pool was cleared, the client is closed or
 * reopening, or the server is shutting down. Such a failure is the
 * database's, never the caller's: the server answers UNAVAILABLE so clients
 * retry, instead of INTERNAL. Here, beside the driver, so that domain and
 * application code never meet driver types.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (
      current instanceof MongoServerSelectionError ||
      // Also a cleared pool's error (PoolClearedError, not exported), which is a network error.
      current instanceof MongoNetworkError ||
      current instanceof MongoNotConnectedError ||
      current instanceof MongoTopologyClosedError ||
      current instanceof MongoOperationTimeoutError
    ) {
      return true;
    }
    if (current instanceof MongoServerError && typeof current.code === "number" && unavailableCodes.has(current.code)) return true;
  }
  return false;
}
