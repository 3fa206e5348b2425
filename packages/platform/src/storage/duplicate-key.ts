import { MongoServerError } from "mongodb";

/**
 * Whether a write failed on a unique index (or a taken `_id`): MongoDB's code
 * 11000, also inside bulk write errors. FerretDB 1.24 reports a duplicate made
 * by an update (not an insert) as InternalError with SQLite's message, so that
 * counts too.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;
  if (error.code === 11000 || error.code === 11001) return true;
  return error.code === 1 && error.message.includes("UNIQUE constraint failed");
}
