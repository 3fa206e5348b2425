import Fastify from "fastify";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { getItemsPath, getItemsResponseJson } from "../lib/menu-fixture.js";

/** Baseline: a bare Fastify JSON route answering GetItems with the same bytes, logger off. */
const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
app.post(getItemsPath, async (_request, reply) => {
  reply.header("content-type", "application/json");
  return getItemsResponseJson;
});
const url = await app.listen({ host: "127.0.0.1", port: 0 });
tellParent({ type: "ready", url });
stopWhenAsked(() => app.close());
