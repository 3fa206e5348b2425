import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logging.js";
import { buildServer } from "../src/server/index.js";
import { testDefinition } from "./support/test-service.js";

describe("request logging", () => {
  it("writes one line per answered request, without the query string, and none for probes", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const app = await buildServer(testDefinition(), { logger: createLogger("test", { level: "info" }, sink) });
    try {
      await app.inject({ method: "GET", url: "/hello?token=secret-in-query" });
      await app.inject({ method: "GET", url: "/healthz" });
      const requests = lines.filter((line) => line.msg === "request");
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ method: "GET", path: "/hello", status: 200 });
      expect(JSON.stringify(lines)).not.toContain("secret-in-query");
    } finally {
      await app.close();
    }
  });
});
