import { createServer } from "node:net";

/**
 * A free loopback port below Linux's ephemeral range (32768-60999 by
 * default), for a server the tests stop and start again on the same port
 * (the broker, the database, service instances). A port from the ephemeral
 * range can be handed to any other process's listen(0) while its server is
 * down, and then the restarted server cannot bind it, or, worse, its clients
 * reconnect to a stranger: an AMQP client once read an HTTP answer that way
 * and crashed on the frame size. Nothing is handed out from below the range.
 */
export async function restartablePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await bindable(port)) return port;
  }
  throw new Error("no free port found in 20000-31999");
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
