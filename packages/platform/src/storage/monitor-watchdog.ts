import type { MongoClient } from "mongodb";
import type { Logger } from "../logging.js";

/**
 * mongodb 7.9's server monitor can stop for good: when the server closes the
 * monitor's connection just as a heartbeat is written (a database restart),
 * the heartbeat waits for a `drain` that the destroyed socket never emits. No
 * heartbeat runs again, so the server stays Unknown, every operation fails
 * server selection, and the pool, paused until a heartbeat succeeds, opens no
 * connection (payment and kitchen failed so for 10+ minutes after a FerretDB
 * restart). The driver itself gives a heartbeat at most `heartbeatTimeoutMs`
 * (connectTimeoutMS), so one outstanding much longer is that hang: the
 * watchdog reopens the client. close() then connect() on the same MongoClient
 * keeps every Db and Collection already handed out working.
 */
export function watchMonitor(client: MongoClient, heartbeatTimeoutMs: number, logger?: Logger): { stop(): void } {
  const stuckAfterMs = 2 * heartbeatTimeoutMs;
  let outstandingSince: number | undefined;
  let reopening = false;
  let stopped = false;
  const started = () => (outstandingSince ??= Date.now());
  const finished = () => (outstandingSince = undefined);
  client.on("serverHeartbeatStarted", started);
  client.on("serverHeartbeatSucceeded", finished);
  client.on("serverHeartbeatFailed", finished);

  const reopen = async () => {
    reopening = true;
    logger?.warn({ stuckForMs: Date.now() - outstandingSince! }, "MongoDB server monitor hung; reopening the client");
    try {
      outstandingSince = undefined;
      await client.close();
      if (!stopped) await client.connect();
    } catch (error) {
      // Still unreachable: the next check tries again, and operations meanwhile fail as unavailable.
      outstandingSince = Date.now() - stuckAfterMs;
      logger?.warn({ err: error }, "reopening the MongoDB client failed; will retry");
    } finally {
      reopening = false;
    }
  };
  const timer = setInterval(() => {
    if (!reopening && outstandingSince !== undefined && Date.now() - outstandingSince > stuckAfterMs) void reopen();
  }, Math.min(1_000, heartbeatTimeoutMs / 4));
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      client.off("serverHeartbeatStarted", started);
      client.off("serverHeartbeatSucceeded", finished);
      client.off("serverHeartbeatFailed", finished);
    },
  };
}
