import { startStripeMock } from "@oms/testkit/stripe-mock";
import { SimulatedPaymentProvider } from "../src/adapters/simulated-provider.js";
import { createStripeClient, StripePaymentProvider } from "../src/adapters/stripe-provider.js";
import { describePaymentProviderContract } from "./payment-provider.contract.js";

describePaymentProviderContract("simulated", async () => {
  const provider = new SimulatedPaymentProvider({ publicUrl: "http://localhost:8084", autoPayAfterMs: 0 });
  return { provider, cleanup: async () => provider.close() };
});

describePaymentProviderContract("stripe (on stripe-mock)", async () => {
  const mock = await startStripeMock();
  const stripe = createStripeClient({ secretKey: "sk_test_contract", webhookSecret: "whsec_contract", api: { host: mock.host, port: mock.port, protocol: "http" } });
  const page = ({ checkoutToken }: { checkoutToken: string }) => ({ successUrl: `http://localhost:8084/checkout/${checkoutToken}`, cancelUrl: `http://localhost:8084/checkout/${checkoutToken}` });
  const checkoutKeysSent = () =>
    mock.requests.filter((request) => request.path === "/v1/checkout/sessions" && request.method === "POST").map((request) => String(request.headers["idempotency-key"]));
  return { provider: new StripePaymentProvider(stripe, page), cleanup: () => mock.stop(), checkoutKeysSent };
});
