import { ConnectError } from "@connectrpc/connect";

/** The ConnectError a call failed with; a call that succeeds is itself the failure. */
export async function connectFailure(call: Promise<unknown>): Promise<ConnectError> {
  return call.then(
    () => {
      throw new Error("expected the call to fail, and it succeeded");
    },
    (error: unknown) => ConnectError.from(error),
  );
}
