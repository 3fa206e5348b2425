import { EventEmitter } from "node:events";
import type { MongoClient } from "mongodb";
import { describe, expect, it } from "vitest";
import { watchMonitor } from "../src/storage/monitor-watchdog.js";
import { waitFor } from "../src/testing/index.js";

/** What the watchdog uses of a MongoClient: heartbeat events, close and connect. */
class FakeClient extends EventEmitter {
  readonly calls: string[] = [];
  async close() {
    this.calls.push("close");
  }
  async connect() {
    this.calls.push("connect");
    // The reopened client's monitor starts over and answers.
    this.emit("serverHeartbeatStarted");
    this.emit("serverHeartbeatSucceeded");
  }
}

describe("the MongoDB monitor watchdog", () => {
  it("reopens the client once a heartbeat stays unanswered past twice the driver's limit", async () => {
    const client = new FakeClient();
    const watchdog = watchMonitor(client as unknown as MongoClient, 100);
    try {
      client.emit("serverHeartbeatStarted");
      client.emit("serverHeartbeatFailed");
      // The hang: a heartbeat starts and neither succeeds nor fails.
      client.emit("serverHeartbeatStarted");
      await waitFor(() => client.calls.length === 2, { message: "the client reopened" });
      expect(client.calls).toEqual(["close", "connect"]);
    } finally {
      watchdog.stop();
    }
  });

  it("tries again when the database is still away while reopening", async () => {
    const client = new FakeClient();
    let failures = 2;
    client.connect = async () => {
      client.calls.push("connect");
      if (failures-- > 0) throw new Error("server selection timed out");
    };
    const watchdog = watchMonitor(client as unknown as MongoClient, 100);
    try {
      client.emit("serverHeartbeatStarted");
      await waitFor(() => client.calls.filter((call) => call === "connect").length === 3, { message: "three attempts" });
    } finally {
      watchdog.stop();
    }
  });
});
