import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * `vite` (turbo run dev) serves the app with hot reload on :5173. The app
 * learns where the services are from /config.json, which the embedded default
 * serves beside the built app; here it is made from the same variables the
 * services read (their defaults when unset).
 */
function devConfig(): Plugin {
  const host = process.env.HOST && process.env.HOST !== "0.0.0.0" ? process.env.HOST : "127.0.0.1";
  const at = (variable: string, port: number) => `http://${host}:${process.env[variable] ?? port}`;
  const config = {
    menu: at("MENU_PORT", 8081),
    stock: at("STOCK_PORT", 8082),
    order: at("ORDER_PORT", 8083),
    payment: at("PAYMENT_PORT", 8084),
    kitchen: at("KITCHEN_PORT", 8085),
    issuer: process.env.AUTH_DEV_ISSUER_URL ?? at("AUTH_DEV_ISSUER_PORT", 8086),
  };
  return {
    name: "oms-dev-config",
    configureServer(server) {
      server.middlewares.use("/config.json", (_request, response) => {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(config));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devConfig()],
  // Another port when 5173 is taken (Vite says which), rather than failing the whole `turbo run dev`; only 5173 is in the default CORS origins.
  server: { port: 5173 },
  build: { outDir: "dist", emptyOutDir: true },
});
