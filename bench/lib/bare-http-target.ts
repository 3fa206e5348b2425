import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { stopWhenAsked, tellParent } from "./child.js";
import { getItemsPath } from "./menu-fixture.js";

/**
 * A bare node:http bench target for GetItems: `serve` gets each POST to
 * GetItems' path, anything else is a 404. Tells the parent its URL once
 * listening, and closes every connection when asked to stop.
 */
export function serveBareHttp(serve: (request: IncomingMessage, response: ServerResponse) => void): void {
  const server = createServer((request, response) => {
    if (request.method !== "POST" || request.url !== getItemsPath) {
      response.writeHead(404).end();
      return;
    }
    serve(request, response);
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
}
