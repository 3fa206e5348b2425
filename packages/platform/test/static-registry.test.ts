import { describe, expect, it } from "vitest";
import { StaticRegistry } from "@oms/platform/discovery";

describe("StaticRegistry", () => {
  it("finds configured and registered instances, and forgets deregistered ones", async () => {
    const registry = new StaticRegistry({ menu: ["http://10.0.0.1:8081"] });
    await registry.register({ id: "menu-2", name: "menu", address: "127.0.0.1", port: 9001 });
    expect((await registry.lookup("menu")).sort()).toEqual(["http://10.0.0.1:8081", "http://127.0.0.1:9001"]);
    await registry.deregister("menu-2");
    expect(await registry.lookup("menu")).toEqual(["http://10.0.0.1:8081"]);
    expect(await registry.lookup("stock")).toEqual([]);
  });

  it("spreads lookups round-robin", async () => {
    const registry = new StaticRegistry({ stock: ["http://a:1", "http://b:2", "http://c:3"] });
    const firsts = [];
    for (let i = 0; i < 6; i++) firsts.push((await registry.lookup("stock"))[0]);
    expect(firsts).toEqual(["http://a:1", "http://b:2", "http://c:3", "http://a:1", "http://b:2", "http://c:3"]);
  });
});
