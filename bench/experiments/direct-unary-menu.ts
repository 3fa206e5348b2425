import { create, fromJson, toJsonString, type DescMethod, type DescService, type JsonValue } from "@bufbuild/protobuf";
import { createHandlerContext, createServiceImplSpec, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import { codeToHttpStatus, errorToJson } from "@connectrpc/connect/protocol-connect";
import Fastify from "fastify";
import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { toConnectError } from "@oms/platform/server";
import { createMenuService, readMenuConfig } from "@oms/menu";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { fixtureDishes } from "../lib/menu-fixture.js";

/**
 * Experiment behind the profiling write-up: the upper bound of a unary fast
 * path. The same menu implementation, captured from its routes function by a
 * recording router, served as plain Fastify routes for Connect unary JSON over
 * POST: Fastify parses the body, fromJson, the implementation with a real
 * HandlerContext (never aborted on success), toJsonString, one reply.send.
 * Errors go through the platform's toConnectError to Connect's error JSON.
 * A real fast path must also keep GET, binary, compression, timeouts and the
 * protocol-version check, and hand everything else (gRPC, streams) to Connect.
 */
const bus = new MemoryEventBus();
const logger = createLogger("bench-direct");
const module = await createMenuService({ config: readMenuConfig({ MENU_PORT: "0" }), bus: bus, registry: new StaticRegistry(), logger, seed: fixtureDishes });

type UnaryImpl = (request: unknown, context: unknown) => unknown;
const unary: Array<{ service: DescService; method: DescMethod; impl: UnaryImpl }> = [];
const recorder = {
  service(service: DescService, implementation: Partial<ServiceImpl<DescService>>) {
    const spec = createServiceImplSpec(service, implementation);
    for (const method of Object.values(spec.methods)) if (method.kind === "unary") unary.push({ service, method: method.method, impl: method.impl as UnaryImpl });
    return recorder;
  },
  rpc() {
    return recorder;
  },
  handlers: [],
} as unknown as ConnectRouter;
module.definition.routes(recorder);

const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
for (const { service, method, impl } of unary) {
  const input = method.input;
  const output = method.output;
  app.post(`/${service.typeName}/${method.name}`, async (request, reply) => {
    reply.header("content-type", "application/json");
    const context = createHandlerContext({ service, method, protocolName: "connect", requestMethod: "POST", url: request.url });
    try {
      const message = fromJson(input, request.body as JsonValue);
      const result = await impl(message, context);
      return toJsonString(output, create(output, result as never));
    } catch (error) {
      const connectError = toConnectError(error);
      reply.code(codeToHttpStatus(connectError.code));
      return JSON.stringify(errorToJson(connectError, undefined));
    }
  });
}

const url = await app.listen({ host: "127.0.0.1", port: 0 });
tellParent({ type: "ready", url });
stopWhenAsked(() => app.close());
