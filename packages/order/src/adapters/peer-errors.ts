import { Code, ConnectError } from "@connectrpc/connect";
import { UnavailableError } from "@oms/platform/errors";

// Codes that say the peer could not do the work, not that the request was wrong. Canceled among them: a peer
// process that exits mid-call tears down its HTTP/2 session and the stream ends with CANCEL; passed on as is, the
// caller would read "you cancelled" and not retry. (When it was this call's own caller that went away, nobody reads it.)
const unavailableCodes = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.Unknown, Code.Internal, Code.ResourceExhausted, Code.Aborted, Code.Canceled]);

/**
 * A peer call's failure as this service reports it: the peer being down or
 * failing becomes UnavailableError (the caller may retry); `refine` may turn
 * the peer's answers into domain errors; anything else is passed on.
 */
export function peerFailure(peer: string, error: unknown, refine?: (error: ConnectError) => Error | undefined): Error {
  const connectError = ConnectError.from(error);
  const refined = refine?.(connectError);
  if (refined) return refined;
  if (unavailableCodes.has(connectError.code)) return new UnavailableError(`${peer} is unavailable: ${connectError.rawMessage}`);
  return connectError;
}
