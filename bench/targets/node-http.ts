import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { getItemsPath, getItemsResponseJson } from "../lib/menu-fixture.js";

/** Baseline: a bare node:http handler that reads the body and answers GetItems' JSON, nothing else. */
const body = Buffer.from(getItemsResponseJson);
const server = createServer((request, response) => {
  if (request.method !== "POST" || request.url !== getItemsPath) {
    response.writeHead(404).end();
    return;
  }
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  tellParent({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
stopWhenAsked(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
