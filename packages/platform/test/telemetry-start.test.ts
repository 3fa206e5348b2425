import { propagation } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { startTelemetry } from "../src/telemetry/start-telemetry.js";
import { W3CPropagator } from "../src/telemetry/w3c-propagator.js";

/** The API keeps the registered propagator behind a private accessor; its class is what this asks. */
const globalPropagator = () => (propagation as unknown as { _getGlobalPropagator(): unknown })._getGlobalPropagator();

describe("startTelemetry", () => {
  it("gives NodeSDK the one W3C propagator for the default OTEL_PROPAGATORS", async () => {
    const stop = startTelemetry("start-test", {});
    try {
      expect(globalPropagator()).toBeInstanceOf(W3CPropagator);
    } finally {
      await stop();
    }
  });
});
