import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { DescService } from "@bufbuild/protobuf";
import type { WebConfig } from "./config.js";

export type ServiceName = "menu" | "stock" | "order" | "payment" | "kitchen";

/** One Connect transport per service (each has its own port), all sending the session's bearer token. */
export type Transports = Record<ServiceName, Transport>;

export function createTransports(config: WebConfig, token: () => string | undefined): Transports {
  const bearer: Interceptor = (next) => (request) => {
    const current = token();
    if (current) request.header.set("authorization", `Bearer ${current}`);
    return next(request);
  };
  const make = (baseUrl: string) => createConnectTransport({ baseUrl, interceptors: [bearer] });
  return { menu: make(config.menu), stock: make(config.stock), order: make(config.order), payment: make(config.payment), kitchen: make(config.kitchen) };
}

/** A typed client of `service` over `transport`. */
export function clientOf<S extends DescService>(service: S, transport: Transport): Client<S> {
  return createClient(service, transport);
}
