import { createConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import Fastify from "fastify";
import { MemoryEventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor } from "@oms/platform/server";
import { StaticRegistry } from "@oms/platform/discovery";
import { createMenuService, readMenuConfig } from "@oms/menu";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { fixtureDishes } from "../lib/menu-fixture.js";

/**
 * Experiment behind the profiling write-up, not a platform replacement: the
 * same menu routes and Connect protocol handlers (createConnectRouter, so
 * errors, timeouts, compression and GET behave as Connect says), reached from
 * Fastify through a thin adapter instead of connect-fastify/connect-node:
 * - the JSON body as Fastify parsed it (no async-iterable read of the request),
 * - an AbortController that is aborted only when the client goes away early
 *   (connect-node aborts one on every response close: a DOMException per call),
 * - the response written with one `end(body)` (no writeHead + awaited write + end).
 */
const bus = new MemoryEventBus();
const logger = createLogger("bench-thin");
const module = await createMenuService({ config: readMenuConfig({ MENU_PORT: "0" }), bus: bus, registry: new StaticRegistry(), logger, seed: fixtureDishes });
const router = createConnectRouter({ interceptors: [errorMappingInterceptor()], connect: true, grpc: false, grpcWeb: false });
module.definition.routes(router);
const handlers = new Map<string, UniversalHandler>(router.handlers.map((handler) => [handler.requestPath, handler]));

const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
app.addContentTypeParser("application/proto", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
for (const [path, handler] of handlers) {
  app.post(path, async (request, reply) => {
    const raw = reply.raw;
    const abort = new AbortController();
    raw.once("close", () => raw.writableFinished || abort.abort());
    const body = Buffer.isBuffer(request.body) ? oneChunk(request.body) : (request.body as UniversalServerRequest["body"]);
    const header = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") header.set(name, value);
    const response = await handler({ httpVersion: "1.1", method: "POST", url: `http://${request.headers.host}${request.url}`, header, body, signal: abort.signal });
    const chunks: Uint8Array[] = [];
    if (response.body) for await (const chunk of response.body) chunks.push(chunk);
    const headers: Record<string, string> = {};
    new Headers(response.header).forEach((value, name) => (headers[name] = value));
    reply.hijack();
    raw.writeHead(response.status, headers);
    raw.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  });
}

async function* oneChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

const url = await app.listen({ host: "127.0.0.1", port: 0 });
tellParent({ type: "ready", url });
stopWhenAsked(() => app.close());
