import { describe, expect, it } from "vitest";
import { ConfigError, env, readConfig } from "@oms/platform/config";

describe("readConfig", () => {
  const shape = {
    port: env.port("ORDER_PORT", 8083),
    deadline: env.duration("PAYMENT_DEADLINE", "15m"),
    provider: env.oneOf("PAYMENT_PROVIDER", ["simulated", "stripe"], "simulated"),
    verbose: env.boolean("VERBOSE", false),
    amqp: env.url("AMQP_URL", ["amqp", "amqps"]),
  };

  it("returns the defaults of the embedded mode when nothing is set", () => {
    expect(readConfig(shape, {})).toEqual({ port: 8083, deadline: 900_000, provider: "simulated", verbose: false, amqp: undefined });
  });

  it("parses set values", () => {
    const config = readConfig(shape, { ORDER_PORT: "9000", PAYMENT_DEADLINE: "30s", PAYMENT_PROVIDER: "stripe", VERBOSE: "yes", AMQP_URL: "amqp://localhost" });
    expect(config).toEqual({ port: 9000, deadline: 30_000, provider: "stripe", verbose: true, amqp: "amqp://localhost" });
  });

  it("names every bad variable in one error", () => {
    const read = () => readConfig(shape, { ORDER_PORT: "80a", PAYMENT_DEADLINE: "soon", PAYMENT_PROVIDER: "paypal", AMQP_URL: "http://x" });
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ["ORDER_PORT", "PAYMENT_DEADLINE", "PAYMENT_PROVIDER", "AMQP_URL"]) expect(message).toContain(name);
      expect(message).not.toContain("VERBOSE");
    }
  });

  it("takes a duration only with its unit (0 alone may go without), naming the variable otherwise", () => {
    const read = (value: string) => readConfig({ cook: env.duration("KITCHEN_COOK_TIME", "2s") }, { KITCHEN_COOK_TIME: value }).cook;
    expect([read("500ms"), read("2s"), read("15m"), read("1h"), read("0")]).toEqual([500, 2_000, 900_000, 3_600_000, 0]);
    for (const bad of ["2", "2 s", "-1s", "1.5s", "soon"]) expect(() => read(bad), bad).toThrow(/KITCHEN_COOK_TIME=.* is not a duration with its unit/);
  });

  it("requires required values", () => {
    expect(() => readConfig({ key: env.required("STRIPE_SECRET_KEY") }, {})).toThrow(/STRIPE_SECRET_KEY is required/);
  });

  it.each([
    ["MONGODB_URL", ["mongodb", "mongodb+srv"], "mongodb://user:secret@db.internal:bad/oms", /MONGODB_URL is not a valid URL; expected scheme mongodb or mongodb\+srv, as in mongodb:\/\/\[user:password@\]host/],
    ["MONGODB_URL", ["mongodb", "mongodb+srv"], "mongodb//user:secret@db.internal/oms", /MONGODB_URL is not a valid URL/],
    ["AMQP_URL", ["amqp", "amqps"], "http://u:secret@broker.internal:5672", /AMQP_URL has the scheme "http"; expected scheme amqp or amqps, as in amqp:\/\//],
    ["AMQP_URL", ["amqp", "amqps"], "u:secret@broker.internal", /AMQP_URL has the scheme "u"/],
    ["AMQP_URL", ["amqp", "amqps"], "amqp://u:secret@broker.internal:99999", /AMQP_URL is not a valid URL/],
  ])("names %s and the form it expects, never its password", (name, schemes, value, message) => {
    let error: unknown;
    try {
      readConfig({ field: env.url(name, schemes) }, { [name]: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = `${(error as Error).message} ${(error as Error).stack}`;
    expect(text).toMatch(message);
    expect(text).not.toContain("secret");
    expect(text).not.toContain("internal");
  });

  it("refuses out-of-range ports", () => {
    expect(() => readConfig({ port: env.port("MENU_PORT", 1) }, { MENU_PORT: "70000" })).toThrow(/MENU_PORT="70000"/);
  });
});

describe("LOG_LEVEL", () => {
  it("is checked, naming the variable, instead of crashing the logger", async () => {
    const { createLogger } = await import("@oms/platform/logging");
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "verbose";
    try {
      expect(() => createLogger("test")).toThrow(/LOG_LEVEL="verbose" is not one of fatal, error, warn, info, debug, trace, silent/);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });
});
