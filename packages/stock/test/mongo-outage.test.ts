import { createServer, type Server } from "node:http";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { StaticRegistry } from "@oms/platform/discovery";
import type { EventBus } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { errorMappingInterceptor, type ServiceModule } from "@oms/platform/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { createStockService, readStockConfig } from "../src/service.js";

/** While its database is down, stock answers UNAVAILABLE (503 over Connect JSON), which clients retry, never INTERNAL. */
describe.skipIf(!ferretDbAvailable())("stock while its database is down", () => {
  let database: RunningFerretDb;
  let module: ServiceModule;
  let http: Server;
  let url: string;
  beforeAll(async () => {
    database = await startFerretDb();
    module = await createStockService({
      config: readStockConfig({ STOCK_PORT: "0", MONGODB_URL: `${database.url}stock_outage` }),
      bus: {} as EventBus,
      registry: new StaticRegistry(),
      logger: createLogger("stock-outage"),
      seed: [{ itemId: "pizza", available: 5 }],
    });
    // The Connect routes and the platform's error mapping, over plain HTTP/1.1 as curl speaks it.
    http = createServer(connectNodeAdapter({ routes: module.definition.routes, interceptors: [errorMappingInterceptor()] }));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    await database.stop();
  });
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
    await module?.stop();
  });

  it("answers a Connect JSON call with 503 unavailable", async () => {
    const response = await fetch(`${url}/oms.stock.v1.StockService/GetStock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ itemIds: ["pizza"] }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ code: "unavailable", message: "the database is unavailable; retry" });
  });

  it("answers a typed client's reservation with Code.Unavailable", async () => {
    const transport = createRouterTransport(module.definition.routes, { router: { interceptors: [errorMappingInterceptor()] } });
    const error = await createClient(StockService, transport)
      .reserveItems({ orderId: "o1", lines: [{ itemId: "pizza", quantity: 1 }] })
      .catch((caught: unknown) => caught);
    expect(ConnectError.from(error).code).toBe(Code.Unavailable);
  });
});
