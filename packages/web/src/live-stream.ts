import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useRef, useState } from "react";

export type StreamState = "connecting" | "live" | "reconnecting" | "ended" | "failed";

/** Codes after which opening the stream again cannot help: the caller has to change something. */
const final = new Set([Code.NotFound, Code.PermissionDenied, Code.Unauthenticated, Code.InvalidArgument]);

/** Waits before the next attempt: 0.5 s, 1 s, 2 s, then every 4 s. */
const backoffMs = (attempt: number) => Math.min(4_000, 500 * 2 ** attempt);

/**
 * Keeps a server stream open: each message goes to `onMessage`; when the
 * stream drops (the server's stream lifetime, a restart, the network) it is
 * opened again after a short wait, and the page says so meanwhile. A stream
 * that ends by itself (WatchOrder after a final state) stays ended.
 */
export function useLiveStream<T>(open: (signal: AbortSignal) => AsyncIterable<T>, onMessage: (message: T) => void, key: string) {
  const [state, setState] = useState<StreamState>("connecting");
  const [error, setError] = useState<unknown>();
  const latest = useRef({ open, onMessage });
  latest.current = { open, onMessage };

  useEffect(() => {
    const stop = new AbortController();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    void (async () => {
      for (let attempt = 0; !stop.signal.aborted; ) {
        try {
          for await (const message of latest.current.open(stop.signal)) {
            attempt = 0;
            setState("live");
            setError(undefined);
            latest.current.onMessage(message);
          }
          setState("ended");
          return;
        } catch (caught) {
          if (stop.signal.aborted) return;
          const code = ConnectError.from(caught).code;
          setError(caught);
          if (final.has(code)) {
            setState("failed");
            return;
          }
          setState("reconnecting");
          await sleep(backoffMs(attempt++));
        }
      }
    })();
    return () => stop.abort();
  }, [key]);

  return { state, error };
}
