import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { DescService } from "@bufbuild/protobuf";
import type { RunningSystem } from "@oms/all-in-one";
import { ServiceTokens, serviceKeyFrom } from "@oms/platform/auth";

/** The service key the test system is started with, so the tests can sign as a service. */
export const testServiceKey = "access-tests-service-key-0123456789abcdef";

/** Every kind of caller the policies tell apart. */
export const callerNames = ["anonymous", "alice", "bob", "staff", "service"] as const;
export type CallerName = (typeof callerNames)[number];

/** Bearer tokens for each caller: two customers, a staff member, and the order service as a peer. */
export async function callerTokens(system: RunningSystem): Promise<Record<CallerName, string | undefined>> {
  return {
    anonymous: undefined,
    alice: await system.issuer!.issue("alice", "customer"),
    bob: await system.issuer!.issue("bob", "customer"),
    staff: await system.issuer!.issue("counter", "staff"),
    service: await new ServiceTokens(serviceKeyFrom(testServiceKey), "order").token(),
  };
}

/** A Connect JSON client over HTTP/1.1 (as curl calls), presenting `token` when given. */
export function clientAs<S extends DescService>(service: S, baseUrl: string, token: string | undefined): Client<S> {
  const bearer: Interceptor = (next) => (request) => {
    if (token) request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
  return createClient(service, createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [bearer] }));
}

/** "ok", or the Connect code's name the call failed with. */
export async function outcome(call: () => unknown): Promise<string> {
  try {
    const result = await call();
    // A server stream is only answered once read.
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      for await (const _message of result as AsyncIterable<unknown>) break;
    }
    return "ok";
  } catch (error) {
    return Code[ConnectError.from(error).code];
  }
}
