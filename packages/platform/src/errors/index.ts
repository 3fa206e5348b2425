/**
 * Errors that domain and application code raise. They import no framework:
 * the server maps each kind to its Connect code (see server/error-mapping.ts),
 * so a use case says what went wrong and never how it travels.
 */

/** The caller sent something invalid; `field` is the path of the bad field, e.g. `lines[2].quantity`. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** An id the caller named does not exist. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly field?: string,
  ) {
    super(`${field ? `${field}: ` : ""}${entity} ${JSON.stringify(id)} not found`);
  }
}

/** The request is valid but the system's state refuses it (illegal state move, not enough stock). */
export class PreconditionError extends Error {
  override readonly name = "PreconditionError";
  constructor(
    message: string,
    /** Optional structured detail for typed clients (a protobuf message, see server/error-mapping.ts). */
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** The same idempotency key or unique name was used for a different request. */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** A peer or dependency could not be reached; the caller may retry. */
export class UnavailableError extends Error {
  override readonly name = "UnavailableError";
}

/** A bound was reached (too many watchers, streams, items): the caller may retry later or ask for less. */
export class LimitError extends Error {
  override readonly name = "LimitError";
}
