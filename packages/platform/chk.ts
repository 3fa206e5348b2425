import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { runService } from "@oms/platform/server";
import { testModule } from "./test/support/test-service.js";
const mode = process.argv[2];
const s = await runService(testModule(), { port: 0, bodyLimit: 65536 });
const server = s.app.server as any;
if (mode === "big") {
  const r = await fetch(`${s.url}/oms.menu.v1.MenuService/GetItems`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ itemIds: ["x".repeat(70000)] }) });
  console.log(r.status, await r.text());
} else if (mode === "grpc") {
  const c = createClient(MenuService, createGrpcTransport({ baseUrl: s.url }));
  await c.getItems({ itemIds: ["01ITEMTIRAMISU"] });
} else if (mode === "grpcjs" || mode === "grpcjs-open") {
  const { grpcJsClient, unaryCall } = await import("./test/support/grpc-js-client.js");
  const { GetItemsRequestSchema } = await import("@oms/contracts/menu/v1/menu");
  const { create } = await import("@bufbuild/protobuf");
  const c = grpcJsClient(MenuService, `127.0.0.1:${s.port}`);
  await unaryCall(c, "GetItems", create(GetItemsRequestSchema, { itemIds: ["01ITEMTIRAMISU"] }));
  if (mode === "grpcjs") c.close();
} else if (mode === "grpcbig") {
  const c = createClient(MenuService, createGrpcTransport({ baseUrl: s.url }));
  await c.getItems({ itemIds: ["x".repeat(Number(process.argv[3]))] }).catch((e) => console.log(String(e)));
  if (process.argv[4]) await c.getItems({ itemIds: ["01ITEMTIRAMISU"] });
} else if (mode === "fetch") {
  await (await fetch(`${s.url}/healthz`)).text();
}
const t = Date.now();
const closing = s.close();
await new Promise((r) => setTimeout(r, 500));
for (const session of (globalThis as any).__sessions ?? []) console.error("S", session.closed, session.destroyed, session.socket?.destroyed);
console.error((process as any)._getActiveHandles().map((h: any) => h.constructor.name + (h.remotePort ? ":" + h.localPort + "->" + h.remotePort : "") + (h.destroyed ? "(destroyed)" : "")));
await closing;
console.log(mode, "close took", Date.now() - t);
process.exit(0);
