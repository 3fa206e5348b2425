import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { isDatabaseUnavailable } from "../storage/unavailable-errors.js";
import { onStreamEnd, type StreamEnd } from "../stream-end.js";
import { ConflictError, LimitError, NotFoundError, PreconditionError, UnavailableError, ValidationError } from "../errors/index.js";

/**
 * Turns the framework-free errors of domain and application code into Connect
 * errors with the code docs/architecture.md assigns. Anything unexpected becomes INTERNAL
 * with a generic message: the caller never sees a stack trace. A database
 * that cannot be reached is UNAVAILABLE (retry), not INTERNAL.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof ValidationError) return new ConnectError(error.message, Code.InvalidArgument);
  if (error instanceof NotFoundError) return new ConnectError(error.message, Code.NotFound);
  if (error instanceof PreconditionError) return new ConnectError(error.message, Code.FailedPrecondition);
  if (error instanceof ConflictError) return new ConnectError(error.message, Code.AlreadyExists);
  if (error instanceof UnavailableError) return new ConnectError(error.message, Code.Unavailable);
  // The driver's own errors reach here from repositories; their messages name hosts, so say only what happened.
  if (isDatabaseUnavailable(error)) return new ConnectError("the database is unavailable; retry", Code.Unavailable, undefined, undefined, error);
  if (error instanceof LimitError) return new ConnectError(error.message, Code.ResourceExhausted);
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}

/**
 * Server-side interceptor applying toConnectError to every failing call; `onInternal` sees the real cause.
 * Covers errors a streaming handler throws while it streams, not only before its first message.
 */
export function errorMappingInterceptor(onInternal?: (error: unknown, procedure: string) => void): Interceptor {
  const map = (error: unknown, procedure: string) => {
    const mapped = toConnectError(error);
    if (mapped.code === Code.Internal && onInternal) onInternal(error, procedure);
    return mapped;
  };
  return (next) => async (request) => {
    try {
      const response = await next(request);
      if (!response.stream) return response;
      return { ...response, message: onStreamEnd(response.message, new StreamFailures(request.signal, request.url, map)) };
    } catch (error) {
      throw map(error, request.url);
    }
  };
}

/**
 * How a stream's failure is mapped: only what that needs of the request, in
 * one object rather than a closure and its scope (an idle stream keeps it).
 */
class StreamFailures implements StreamEnd {
  constructor(
    private readonly signal: AbortSignal,
    private readonly url: string,
    private readonly map: (error: unknown, procedure: string) => ConnectError,
  ) {}

  failed(error: unknown): ConnectError {
    return this.signal.aborted ? clientGone(error) : this.map(error, this.url);
  }
}

/**
 * A stream whose client went away fails its next write: that is the client's
 * doing, not a server error. It ends CANCELED (counted apart in the RPC
 * metrics) and is not logged as an internal failure; a ConnectError the
 * handler raised on purpose (the shutdown's UNAVAILABLE) keeps its code.
 */
function clientGone(error: unknown): ConnectError {
  if (error instanceof ConnectError && error.code !== Code.Internal && error.code !== Code.Unknown) return error;
  return new ConnectError("the client went away", Code.Canceled, undefined, undefined, error);
}
