import { describe, expect, it } from "vitest";
import { ConfigError } from "@oms/platform/config";
import { readStripeConfig } from "../src/adapters/stripe-provider.js";

const stripeEnv = { PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" };

function problem(env: Record<string, string>): string {
  try {
    readStripeConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("readStripeConfig", () => {
  it("is not needed with the simulated provider, the default", () => {
    expect(readStripeConfig({})).toBeUndefined();
    expect(readStripeConfig({ PAYMENT_PROVIDER: "simulated", STRIPE_SECRET_KEY: "ignored" })).toBeUndefined();
  });

  it("reads the key and the webhook secret, talking to api.stripe.com by default", () => {
    expect(readStripeConfig(stripeEnv)).toEqual({ secretKey: "sk_test_abc", webhookSecret: "whsec_abc" });
  });

  it("accepts a restricted key", () => {
    expect(readStripeConfig({ ...stripeEnv, STRIPE_SECRET_KEY: "rk_test_abc" })?.secretKey).toBe("rk_test_abc");
  });

  it("parses STRIPE_API_BASE into host, port and protocol (stripe-mock)", () => {
    expect(readStripeConfig({ ...stripeEnv, STRIPE_API_BASE: "http://127.0.0.1:12111" })?.api).toEqual({ host: "127.0.0.1", port: 12111, protocol: "http" });
    expect(readStripeConfig({ ...stripeEnv, STRIPE_API_BASE: "https://stripe.internal" })?.api).toEqual({ host: "stripe.internal", port: 443, protocol: "https" });
  });

  it.each([
    ["STRIPE_SECRET_KEY", { STRIPE_SECRET_KEY: "" }, "STRIPE_SECRET_KEY is required"],
    ["STRIPE_WEBHOOK_SECRET", { STRIPE_WEBHOOK_SECRET: " " }, "STRIPE_WEBHOOK_SECRET is required"],
    ["STRIPE_SECRET_KEY", { STRIPE_SECRET_KEY: "whsec_swapped" }, "STRIPE_SECRET_KEY must start with sk_ or rk_"],
    ["STRIPE_WEBHOOK_SECRET", { STRIPE_WEBHOOK_SECRET: "sk_test_swapped" }, "STRIPE_WEBHOOK_SECRET must start with whsec_"],
    ["STRIPE_API_BASE", { STRIPE_API_BASE: "ftp://x" }, "STRIPE_API_BASE"],
  ])("stops start-up naming %s when it is wrong", (_name, change, message) => {
    expect(problem({ ...stripeEnv, ...change })).toContain(message);
  });

  it("names every missing variable at once", () => {
    const message = problem({ PAYMENT_PROVIDER: "stripe" });

    expect(message).toContain("STRIPE_SECRET_KEY is required");
    expect(message).toContain("STRIPE_WEBHOOK_SECRET is required");
  });

  it("refuses an unknown provider, naming PAYMENT_PROVIDER", () => {
    expect(problem({ PAYMENT_PROVIDER: "paypal" })).toContain("PAYMENT_PROVIDER");
  });
});
