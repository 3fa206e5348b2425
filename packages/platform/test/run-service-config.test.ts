import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/index.js";
import { runService } from "../src/server/index.js";
import { testModule } from "./support/test-service.js";

describe("runService on a port that is taken", () => {
  it("fails with a ConfigError naming the port's variable, not a stack trace from listen", async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      const error = await runService(testModule(), { port, portVariable: "MENU_PORT" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`MENU_PORT=${port}: port ${port} on 127.0.0.1 is in use (is another OMS still running?); set MENU_PORT to a free port`);
    } finally {
      squatter.close();
    }
  });
});
