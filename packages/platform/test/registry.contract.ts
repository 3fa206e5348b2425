import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceRegistry } from "@oms/platform/discovery";
import { waitFor } from "@oms/platform/testing";

/** A fake service instance answering its /readyz with 200 (or 503 once `healthy` is false). */
export async function fakeInstance(): Promise<{ port: number; healthy: boolean; server: Server }> {
  const state = { healthy: true };
  const server = createServer((_request, response) => {
    response.statusCode = state.healthy ? 200 : 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign<{ healthy: boolean }, { port: number; server: Server }>(state, { port: (server.address() as AddressInfo).port, server });
}

/** Reads until `accept` holds, through the platform's one polling helper; the last read either way. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  let last = await read();
  await waitFor(async () => accept((last = await read())), { timeoutMs, intervalMs: 50 }).catch(() => undefined);
  return last;
}

/** The behaviour every ServiceRegistry adapter must share. */
export function describeRegistryContract(name: string, make: () => Promise<{ registry: ServiceRegistry; cleanup(): Promise<void> }>): void {
  describe(`ServiceRegistry contract: ${name}`, () => {
    let registry: ServiceRegistry;
    let cleanup: () => Promise<void>;
    const instances: Array<Awaited<ReturnType<typeof fakeInstance>>> = [];
    beforeAll(async () => {
      ({ registry, cleanup } = await make());
      for (let i = 0; i < 2; i++) instances.push(await fakeInstance());
    });
    afterAll(async () => {
      await registry.close();
      await cleanup();
      for (const instance of instances) instance.server.close();
    });

    const register = (id: string, port: number) =>
      registry.register({ id, name: "kitchen", address: "127.0.0.1", port, healthCheckUrl: `http://127.0.0.1:${port}/readyz` });

    it("finds nothing for a name nobody registered", async () => {
      expect(await registry.lookup("nobody")).toEqual([]);
    });

    it("finds registered instances and spreads lookups over them", async () => {
      await register("kitchen-a", instances[0]!.port);
      await register("kitchen-b", instances[1]!.port);
      const urls = await eventually(() => registry.lookup("kitchen"), (found) => found.length === 2);
      expect(urls.sort()).toEqual(instances.map((instance) => `http://127.0.0.1:${instance.port}`).sort());
      const firsts = new Set<string>();
      for (let i = 0; i < 4; i++) firsts.add((await registry.lookup("kitchen"))[0]!);
      expect(firsts.size).toBe(2);
    });

    it("forgets a deregistered instance", async () => {
      await registry.deregister("kitchen-a");
      const urls = await eventually(() => registry.lookup("kitchen"), (found) => found.length === 1);
      expect(urls).toEqual([`http://127.0.0.1:${instances[1]!.port}`]);
    });
  });
}
