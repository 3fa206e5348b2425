import { createServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MenuService, ItemSchema } from "@oms/contracts/menu/v1/menu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StaticRegistry, peerTransport } from "@oms/platform/discovery";
import { freePort } from "@oms/platform/free-port";

function menuServer(name: string): Http2Server {
  const routes = (router: ConnectRouter) =>
    router.service(MenuService, {
      listItems: () => ({ items: [create(ItemSchema, { id: "1", name })] }),
      getItems: () => {
        throw new ConnectError("nope", Code.NotFound);
      },
      upsertItem: () => ({}),
    });
  return createServer(connectNodeAdapter({ routes }));
}

describe("peerTransport", () => {
  const servers: Http2Server[] = [];
  const urls: string[] = [];
  beforeAll(async () => {
    for (const name of ["first", "second"]) {
      const server = menuServer(name);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  it("calls a peer found by name, spreading calls over its instances", async () => {
    const client = createClient(MenuService, peerTransport(new StaticRegistry({ menu: urls }), "menu"));
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add((await client.listItems({})).items[0]!.name);
    expect(names).toEqual(new Set(["first", "second"]));
  });

  it("fails over past an instance that refuses connections", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const client = createClient(MenuService, peerTransport(new StaticRegistry({ menu: [dead, urls[0]!] }), "menu"));
    for (let i = 0; i < 3; i++) expect((await client.listItems({})).items[0]!.name).toBe("first");
  });

  it("passes the peer's own errors through without failing over", async () => {
    const client = createClient(MenuService, peerTransport(new StaticRegistry({ menu: urls }), "menu"));
    await expect(client.getItems({ itemIds: ["x"] })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("is UNAVAILABLE when no instance is registered or none answers", async () => {
    const none = createClient(MenuService, peerTransport(new StaticRegistry(), "menu"));
    await expect(none.listItems({})).rejects.toMatchObject({ code: Code.Unavailable });
    const dead = createClient(MenuService, peerTransport(new StaticRegistry({ menu: [`http://127.0.0.1:${await freePort()}`] }), "menu"));
    await expect(dead.listItems({})).rejects.toMatchObject({ code: Code.Unavailable });
  });
});
