import { connectionLimitDefaults, type OnePortServerOptions } from "./one-port-server.js";
import type { StreamLimits } from "./stream-limits.js";

/** Every bound the platform server puts on its clients; each one left out takes its default (serverLimitDefaults). */
export type ServerLimits = OnePortServerOptions & Partial<StreamLimits>;

/** The defaults of ServerLimits. */
export const serverLimitDefaults: Required<ServerLimits> = {
  ...connectionLimitDefaults,
  // At ~20 KiB per idle open stream (WatchOrder, bench/PROFILE.md), about 20 MiB at the cap.
  maxStreams: 1_000,
  // Long enough that an order is usually watched from payment to pick-up in one stream; the client reconnects after.
  maxStreamLifetimeMs: 30 * 60_000,
};
