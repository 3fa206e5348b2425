import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fastifyStatic from "@fastify/static";
import Fastify from "fastify";
import { env as field, portTakenError, readConfig, type Env } from "@oms/platform/config";
import { defaultAllowedOrigins } from "@oms/platform/server";
import type { RunningSystem } from "./start-all.js";

/** The built web app (`pnpm --filter @oms/web build`): packages/web/dist, found through the package, not a path. */
export function webAppRoot(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@oms/web/package.json")), "dist");
}

/** Whether the web app has been built. */
export function webAppBuilt(root = webAppRoot()): boolean {
  return existsSync(join(root, "index.html"));
}

/** Builds the web app once (about 5 s), as a fresh checkout has no dist yet; false when that fails (no pnpm on PATH, say). */
export function buildWebApp(): boolean {
  try {
    execFileSync("pnpm", ["--filter", "@oms/web", "build"], { stdio: ["ignore", "ignore", "inherit"] });
    return webAppBuilt();
  } catch {
    return false;
  }
}

/** WEB_PORT, 8080 by default: where the embedded default serves the web app. */
export function readWebPort(source: Env = process.env): number {
  return readConfig({ port: field.port("WEB_PORT", 8080) }, source).port;
}

/**
 * The environment the services should start with so that pages from the web
 * front on `port` may call them: its origin added to CORS_ALLOWED_ORIGINS's
 * default, unless that is set (then it is the operator's choice).
 */
export function withWebOrigin(source: Env, host: string, port: number): Env {
  if (source.CORS_ALLOWED_ORIGINS?.trim()) return source;
  const name = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const origins = new Set([...defaultAllowedOrigins, `http://localhost:${port}`, `http://${name}:${port}`]);
  return { ...source, CORS_ALLOWED_ORIGINS: [...origins].join(",") };
}

export interface WebFront {
  url: string;
  close(): Promise<void>;
}

/** What the pages read from /config.json: where each service and the development issuer answer, as the browser reaches them. */
export interface PagesConfig {
  menu: string;
  stock: string;
  order: string;
  payment: string;
  kitchen: string;
  issuer?: string;
}

/** The pages' settings for a system started in this process: its own addresses. */
export function pagesConfigOf(system: RunningSystem): PagesConfig {
  const { menu, stock, order, payment, kitchen } = system.services;
  return { menu: menu.url, stock: stock.url, order: order.url, payment: payment.url, kitchen: kitchen.url, issuer: system.issuer?.url };
}

/**
 * Serves the built web app and, beside it, /config.json (`pages`). The app
 * routes by #hash, so there are no server-side routes to fall back to.
 */
export async function startWebFront(pages: PagesConfig, options: { host: string; port: number; root?: string }): Promise<WebFront> {
  const app = Fastify({ logger: false });
  app.get("/config.json", async (_request, reply) => reply.header("cache-control", "no-store").send(pages));
  await app.register(fastifyStatic, { root: options.root ?? webAppRoot() });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    throw portTakenError(error, "WEB_PORT", options.host, options.port) ?? error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host === "0.0.0.0" ? "localhost" : options.host;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
