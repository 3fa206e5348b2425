/** The menu on the platform server with the stock @connectrpc/connect-fastify plugin: the "before" of connect-routes.ts. */
process.env.BENCH_CONNECT_ADAPTER = "connect-fastify";
await import("./platform-menu.js");
