import "@oms/platform/telemetry/register";
import { ConfigError } from "@oms/platform/config";
import { createLogger } from "@oms/platform/logging";
import { stopOnSignals } from "@oms/platform/server";
import { demoDishes } from "./demo-menu.js";
import { startAll } from "./start-all.js";
import { tokenLines } from "./token-lines.js";
import { buildWebApp, pagesConfigOf, readWebPort, startWebFront, webAppBuilt, webAppRoot, withWebOrigin } from "./web-front.js";

/** `pnpm start`: the five services in one process, in-memory storage and bus, demo data seeded. */
try {
  const logger = createLogger("oms");
  const host = process.env.HOST ?? "127.0.0.1";
  const webPort = readWebPort();
  const system = await startAll({ host, logger, env: withWebOrigin(process.env, host, webPort) });
  const lines = Object.entries(system.services).map(([name, service]) => `  ${name.padEnd(8)} ${service.url}`);
  // The web front serves what `pnpm build` (or `pnpm --filter @oms/web build`) made; without it the services still run.
  // `pnpm start` (--build-web) builds the pages once if missing; `turbo run dev` has Vite's dev server for them instead.
  const buildIfMissing = process.argv.includes("--build-web") && !webAppBuilt();
  if (buildIfMissing) process.stdout.write("Building the web app (once)...\n");
  const built = webAppBuilt() || (buildIfMissing && buildWebApp());
  // The pages are an extra: when their port is taken, the services run on and the line says why.
  const web = built ? await startWebFront(pagesConfigOf(system), { host, port: webPort }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))) : undefined;
  if (web instanceof Error) lines.push(`  web      not served: ${web.message}`);
  else lines.push(web ? `  ${"web".padEnd(8)} ${web.url}  (the shop; staff sign in with STAFF_TOKEN)` : `  web      not built: pnpm --filter @oms/web build (${webAppRoot()}), or Vite's dev server: pnpm --filter @oms/web dev`);
  const order = system.services.order.url;
  const body = JSON.stringify({ idempotencyKey: `try-${Date.now()}`, lines: [{ itemId: demoDishes[0]!.id, quantity: 2 }] });
  process.stdout.write(
    [
      "OMS is running (embedded mode: in-memory storage and events, simulated payments).",
      ...lines,
      "",
      ...(system.issuer ? await tokenLines(system.issuer) : ["Tokens come from your identity provider (AUTH_ISSUER)."]),
      "Try:",
      `  curl -s -H 'content-type: application/json' -H "authorization: Bearer $CUSTOMER_TOKEN" -d '${body}' ${order}/oms.order.v1.OrderService/CreateOrder`,
      `  grpcurl -plaintext ${order.replace("http://", "")} list`,
      "Ctrl-C stops.",
      "",
    ].join("\n"),
  );
  stopOnSignals(async () => {
    if (web && !(web instanceof Error)) await web.close();
    await system.close();
  }, logger);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
