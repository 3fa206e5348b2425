import type { ReactNode } from "react";
import type { StreamState } from "./live-stream.js";

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ children }: { children: ReactNode }) {
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

const streamWords: Record<StreamState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Connection lost, reconnecting…",
  ended: "Final",
  failed: "Not updating",
};

/** Whether the page is following changes as they happen. */
export function StreamBadge({ state }: { state: StreamState }) {
  return (
    <span className={`stream stream-${state}`} role="status" data-stream={state}>
      {streamWords[state]}
    </span>
  );
}
