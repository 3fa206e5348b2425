import net from "node:net";

/** What a raw exchange saw: every byte the server sent, and whether it closed the connection. */
export interface RawExchange {
  received: string;
  closed: boolean;
}

/**
 * Writes `request` on a fresh TCP connection as is, then collects what comes
 * back until the server closes or `waitMs` passes: for requests no HTTP
 * client would send.
 */
export function rawExchange(port: number, request: string | Buffer, waitMs = 2_000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let received = "";
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("close", () => done(true));
    socket.on("error", () => {});
  });
}

/** Opens a TCP connection and resolves once it is connected (or closed before that). */
export function openSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket));
    socket.once("close", () => resolve(socket));
    socket.on("error", () => {});
  });
}

/** Resolves with how long `socket` stayed open from now until the server closed it, or Infinity after `waitMs`. */
export function closedWithin(socket: net.Socket, waitMs: number): Promise<number> {
  const start = Date.now();
  if (socket.destroyed) return Promise.resolve(0);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Number.POSITIVE_INFINITY), waitMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}
