import { env as field, readConfig } from "@oms/platform/config";
import { createLogger } from "@oms/platform/logging";
import { stopOnSignals } from "@oms/platform/server";
import { readWebPort, startWebFront } from "./web-front.js";

/**
 * The web front alone (compose's `web`): the built pages and their
 * /config.json, pointing the browser at the services' published ports on
 * WEB_PUBLIC_HOST (the services run in their own containers).
 */
const source = process.env;
const { publicHost, issuer } = readConfig({ publicHost: field.string("WEB_PUBLIC_HOST", "localhost"), issuer: field.string("AUTH_DEV_ISSUER_URL") }, source);
const at = (variable: string, fallback: number) => `http://${publicHost}:${readConfig({ port: field.port(variable, fallback) }, source).port}`;
const pages = {
  menu: at("MENU_PORT", 8081),
  stock: at("STOCK_PORT", 8082),
  order: at("ORDER_PORT", 8083),
  payment: at("PAYMENT_PORT", 8084),
  kitchen: at("KITCHEN_PORT", 8085),
  issuer,
};
const web = await startWebFront(pages, { host: source.HOST ?? "127.0.0.1", port: readWebPort(source) });
process.stdout.write(`OMS web front on ${web.url}\n`);
stopOnSignals(() => web.close(), createLogger("web"));
