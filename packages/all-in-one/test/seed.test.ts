import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { StockService } from "@oms/contracts/stock/v1/stock";
import { withToken } from "@oms/platform/testing";
import { startAll, type RunningSystem } from "@oms/all-in-one";
import { demoDishes } from "@oms/all-in-one/demo-menu";

const root = join(import.meta.dirname, "../../..");

/** `pnpm seed` as an operator runs it, against menu and stock at the given addresses. */
function pnpmSeed(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("pnpm", ["--silent", "seed"], { cwd: root, env: { ...process.env, LOG_LEVEL: "warn", ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * `pnpm seed` on an empty system, twice: the first run puts the demo menu
 * and stock in, the second finds them and changes nothing, also after staff
 * changed a price and restocked (it adds only what is missing).
 */
describe("pnpm seed", () => {
  const serviceKey = randomBytes(32).toString("base64url");
  let system: RunningSystem;
  let env: Record<string, string>;
  let staff: string;
  const menu = () => createClient(MenuService, createConnectTransport({ baseUrl: system.services.menu.url, httpVersion: "1.1", interceptors: [withToken(staff)] }));
  const stock = () => createClient(StockService, createConnectTransport({ baseUrl: system.services.stock.url, httpVersion: "1.1", interceptors: [withToken(staff)] }));
  const snapshot = async () => ({ items: (await menu().listItems({ includeUnavailable: true })).items, levels: (await stock().getStock({})).levels });

  beforeAll(async () => {
    system = await startAll({ randomPorts: true, seed: false, env: { ...process.env, AUTH_SERVICE_KEY: serviceKey, LOG_LEVEL: "warn", LOG_FORMAT: "json" } });
    staff = await system.issuer!.issue("counter", "staff");
    env = { MENU_URL: system.services.menu.url, STOCK_URL: system.services.stock.url, AUTH_SERVICE_KEY: serviceKey };
  }, 60_000);
  afterAll(() => system?.close());

  it("with DEMO_DATA=false adds nothing", async () => {
    expect(await pnpmSeed({ ...env, DEMO_DATA: "false" })).toMatchObject({ code: 0, stdout: "seed: DEMO_DATA=false, nothing seeded\n" });
    expect(await snapshot()).toEqual({ items: [], levels: [] });
  }, 60_000);

  it("puts the demo menu and stock in once; a second run leaves both as they are", async () => {
    expect(await pnpmSeed(env)).toMatchObject({ code: 0, stdout: `seed: demo data in place (${demoDishes.length} menu items and ${demoDishes.length} stock levels added)\n` });
    const first = await snapshot();
    expect(first.items.map((item) => item.id).sort()).toEqual(demoDishes.map((dish) => dish.id).sort());
    expect(Object.fromEntries(first.levels.map((level) => [level.itemId, level.available]))).toEqual(Object.fromEntries(demoDishes.map((dish) => [dish.id, dish.stock])));

    // Staff reprice a dish and restock another: a later seed must not undo either.
    const [margherita, espresso] = [demoDishes[0]!, demoDishes[9]!];
    await menu().upsertItem({ item: { id: margherita.id, name: margherita.name, description: margherita.description, price: { currencyCode: "EUR", amountMinor: 1000n }, available: true } });
    await stock().adjustStock({ itemId: espresso.id, delta: 5 });
    const edited = await snapshot();

    expect(await pnpmSeed(env)).toMatchObject({ code: 0, stdout: "seed: demo data in place (0 menu items and 0 stock levels added)\n" });
    expect(await snapshot()).toEqual(edited);
  }, 90_000);

  it("refuses to start without AUTH_SERVICE_KEY, naming it", async () => {
    const { code, stderr } = await pnpmSeed({ MENU_URL: env.MENU_URL!, STOCK_URL: env.STOCK_URL! });
    expect(code).toBe(2);
    expect(stderr).toContain("AUTH_SERVICE_KEY");
  }, 60_000);
});
