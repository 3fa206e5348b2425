import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { RunningSystem } from "@oms/all-in-one";
import { buildWebApp, pagesConfigOf, startWebFront, type WebFront } from "@oms/all-in-one/web-front";
import { freePort } from "@oms/platform/free-port";
import { chromiumAvailable } from "@oms/testkit/chromium";
import { demoDishes, eventually, rpc, startSystem, tokens } from "../e2e/support.js";
import { checkPage, launchChromium, openPage, type WatchedPage } from "./browser.js";

const [margherita, diavola, , , , , , , , , , fries] = [...demoDishes];
const statusOf = (page: Page) => page.getByTestId("order-status").getAttribute("data-status");

/**
 * The web front in a real browser (Debian's chromium through playwright-core)
 * against the embedded system on free ports: the app built once, served as
 * `pnpm start` serves it. Streams live at most 2 s here, so every order page
 * and kitchen display has to reconnect to see its later states.
 */
describe.skipIf(!chromiumAvailable())("the web front in a browser", () => {
  let system: RunningSystem;
  let web: WebFront;
  let browser: Browser;
  let guest: BrowserContext;
  let staff: BrowserContext;
  const pages: WatchedPage[] = [];
  const open = async (context: BrowserContext, route: string) => {
    const watched = await openPage(context, `${web.url}/#${route}`);
    pages.push(watched);
    return watched.page;
  };

  beforeAll(async () => {
    expect(buildWebApp()).toBe(true);
    const webPort = await freePort("127.0.0.1");
    system = await startSystem({ CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${webPort}`, SERVER_MAX_STREAM_LIFETIME: "2s", KITCHEN_COOK_TIME: "300ms" });
    web = await startWebFront(pagesConfigOf(system), { host: "127.0.0.1", port: webPort });
    browser = await launchChromium();
    guest = await browser.newContext({ viewport: { width: 390, height: 844 } });
    staff = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // A step that cannot happen fails within the test's time, naming the step.
    for (const context of [guest, staff]) context.setDefaultTimeout(10_000);
    const signIn = await open(staff, "/staff/sign-in");
    await checkPage(signIn, "staff-sign-in");
    await signIn.getByLabel("Staff token").fill(tokens.staff);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await signIn.getByRole("heading", { name: "Orders" }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await system?.close();
  });

  it("a guest orders two dishes, pays on the checkout page and sees READY arrive live; staff hands it over and the page shows COMPLETED", async () => {
    const menu = await open(guest, "/");
    await menu.getByRole("button", { name: `Add ${margherita!.name}` }).click();
    await menu.getByRole("button", { name: `Add ${diavola!.name}` }).click();
    await menu.getByRole("button", { name: `One ${margherita!.name} more` }).click();
    await checkPage(menu, "menu-with-cart");
    // By keyboard: the order button takes focus and Enter places the order.
    await menu.getByRole("button", { name: "Place order" }).focus();
    await menu.keyboard.press("Enter");
    await menu.waitForURL(/#\/orders\/[0-9A-Z]{26}$/);
    const orderId = menu.url().split("/").pop()!;
    await eventually(async () => ((await statusOf(menu)) === "AWAITING_PAYMENT" ? true : undefined), 15_000, "AWAITING_PAYMENT on the order page");
    await checkPage(menu, "order-awaiting-payment");

    // A second tab keeps watching while the first goes to the checkout: no reload, only the stream.
    const watching = await open(guest, `/orders/${orderId}`);
    // Marks the tab (a reload would lose the mark) and notes whether its stream ever had to reconnect.
    await watching.evaluate(`
      window.stayed = true;
      new MutationObserver(() => { if (document.querySelector('[data-stream="reconnecting"]')) window.reconnected = true; })
        .observe(document.body, { subtree: true, childList: true, attributes: true });
    `);
    await menu.getByRole("link", { name: "Pay now" }).click();
    await menu.getByRole("button", { name: "Pay" }).click();
    await menu.getByRole("heading", { name: "Payment received" }).waitFor();

    await eventually(async () => ((await statusOf(watching)) === "READY" ? true : undefined), 20_000, "READY on the watching tab");
    expect(await watching.evaluate("window.stayed === true")).toBe(true);
    await checkPage(watching, "order-ready");

    const kitchen = await open(staff, "/staff/kitchen");
    await kitchen.locator(`[data-order="${orderId}"][data-status="READY"]`).waitFor();
    await checkPage(kitchen, "kitchen-display");

    const board = await open(staff, "/staff/orders");
    const row = board.locator(`tr[data-order="${orderId}"]`);
    await row.locator('[data-status="READY"]').waitFor();
    await checkPage(board, "orders-board");
    await row.getByRole("button", { name: "Hand over" }).click();
    await row.locator('[data-status="COMPLETED"]').waitFor();

    await eventually(async () => ((await statusOf(watching)) === "COMPLETED" ? true : undefined), 20_000, "COMPLETED on the watching tab");
    // Streams live 2 s here: the page got there across at least one dropped stream.
    expect(await watching.evaluate("window.reconnected === true")).toBe(true);
    await checkPage(watching, "order-completed");

    const mine = await open(guest, "/orders");
    await mine.getByRole("link", { name: `Order ${orderId.slice(-6)}` }).waitFor();
    await checkPage(mine, "my-orders");
  }, 60_000);

  it("shows a dish out of stock, and a refused order names the dish", async () => {
    const menu = await open(guest, "/");
    await menu.getByRole("button", { name: `Add ${fries!.name}` }).click();
    // Someone takes the last units while this customer decides.
    const { body } = await rpc(system.services.stock.url, "oms.stock.v1.StockService/GetStock", { itemIds: [fries!.id] });
    await rpc(system.services.stock.url, "oms.stock.v1.StockService/AdjustStock", { itemId: fries!.id, delta: -body.levels[0].available });
    await menu.getByRole("button", { name: "Place order" }).click();
    await menu.getByRole("alert").filter({ hasText: `not enough stock: ${fries!.name}` }).waitFor();
    await menu.getByTestId(`dish-${fries!.id}`).getByText("Out of stock").waitFor({ timeout: 10_000 });
    expect(await menu.getByRole("button", { name: `Add ${fries!.name}` }).isDisabled()).toBe(true);
    await checkPage(menu, "menu-out-of-stock");

    const restock = await open(staff, "/staff/menu");
    await restock.getByLabel("Add units").first().waitFor();
    await checkPage(restock, "menu-and-stock");
    const form = restock.getByRole("form", { name: `Restock ${fries!.name}` });
    await form.getByLabel("Add units").fill("3");
    await form.getByRole("button", { name: "Restock" }).click();
    await restock.getByTestId(`left-${fries!.id}`).filter({ hasText: "3 in stock" }).waitFor();
    await menu.getByTestId(`dish-${fries!.id}`).getByText("3 left").waitFor({ timeout: 10_000 });
  });

  it("shows a cancelled order as cancelled, to the customer and on the board", async () => {
    const menu = await open(guest, "/");
    await menu.getByRole("button", { name: `Add ${margherita!.name}` }).click();
    await menu.getByRole("button", { name: "Place order" }).click();
    await menu.waitForURL(/#\/orders\/[0-9A-Z]{26}$/);
    const orderId = menu.url().split("/").pop()!;
    await menu.getByRole("button", { name: "Cancel order" }).click();
    await eventually(async () => ((await statusOf(menu)) === "CANCELLED" ? true : undefined), 10_000, "CANCELLED");
    await menu.getByText("This order was cancelled: cancelled by the customer.").waitFor();
    await checkPage(menu, "order-cancelled");

    const board = await open(staff, "/staff/orders");
    await board.getByLabel("Show").selectOption({ label: "Cancelled" });
    await board.locator(`tr[data-order="${orderId}"] [data-status="CANCELLED"]`).waitFor();
    const dead = await open(staff, "/staff/dead-letters");
    await dead.getByRole("heading", { name: "kitchen" }).waitFor();
    await dead.getByText("None.").first().waitFor();
    await checkPage(dead, "dead-letters");
  });

  it("keeps a customer out of the staff pages", async () => {
    for (const route of ["/staff/kitchen", "/staff/orders", "/staff/menu", "/staff/dead-letters"]) {
      const page = await open(guest, route);
      await page.getByRole("heading", { name: "Staff only" }).waitFor();
      expect(await page.locator(".ticket, .orders-table, .edit-list").count()).toBe(0);
    }
    await checkPage(pages.at(-1)!.page, "staff-only");
  });

  it("logged no console errors on any page", () => {
    expect(pages.flatMap((watched) => watched.problems)).toEqual([]);
  });
});
