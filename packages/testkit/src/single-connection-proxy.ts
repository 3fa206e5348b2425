import { createServer, connect, type Server, type Socket } from "node:net";
import { BSON } from "mongodb";
import { freePort } from "@oms/platform/free-port";

/**
 * Gives several processes one FerretDB that keeps MongoDB's promise of atomic
 * single-document updates. FerretDB 1.x runs a conditional update as a read
 * and a write with nothing between them locked, so two connections can both
 * win one compare-and-set (packages/platform/src/storage/FERRETDB-NOTES.md);
 * one connection's commands, though, run one after another, which is why each
 * service process talks to FerretDB over a single connection. Replicas are
 * several processes: this proxy funnels all their connections into one
 * connection to FerretDB, forwarding one request at a time and its reply to
 * the connection that sent it. Real MongoDB needs none of this.
 *
 * When the connection to FerretDB drops (a restart), every client connection
 * is closed too, as the database's own restart would close them. Each client
 * connection opens with a handshake carrying its metadata, which a server
 * accepts once per connection: the proxy strips it from all but the first.
 */
export interface SingleConnectionProxy {
  /** mongodb://127.0.0.1:<port>/ */
  url: string;
  stop(): Promise<void>;
}

interface Request {
  client: Socket;
  message: Buffer;
}

const opMsg = 2013;
const moreToCome = 0b10;

export async function startSingleConnectionProxy(upstreamPort: number): Promise<SingleConnectionProxy> {
  const clients = new Set<Socket>();
  const queue: Request[] = [];
  let upstream: { socket: Socket; replies: MessageReader } | undefined;
  let busy = false;
  let lastId = 0;

  const dropEveryone = () => {
    upstream?.socket.destroy();
    upstream = undefined;
    queue.length = 0;
    for (const client of clients) client.destroy();
  };
  const openUpstream = () =>
    new Promise<{ socket: Socket; replies: MessageReader }>((resolve, reject) => {
      const socket = connect(upstreamPort, "127.0.0.1");
      const opened = { socket, replies: new MessageReader(socket) };
      socket.once("connect", () => resolve(opened));
      socket.on("error", (error) => (reject(error), socket.destroy()));
      socket.once("close", () => {
        if (upstream === opened) dropEveryone();
      });
    });

  /** Forwards queued requests one at a time; each waits for its reply before the next goes (no exhaust streams: FerretDB offers none). */
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      for (let request = queue.shift(); request; request = queue.shift()) {
        if (request.client.destroyed) continue;
        upstream ??= await openUpstream().catch(() => undefined);
        if (!upstream) {
          dropEveryone();
          continue;
        }
        // Request ids are the clients' own and repeat between them: each goes out under one of the proxy's, and comes back under its own.
        const id = ++lastId;
        const message = Buffer.from(request.message);
        message.writeInt32LE(id, 4);
        upstream.socket.write(message);
        if (expectsNoReply(message)) continue;
        for (const { replies } = upstream; ; ) {
          const reply = await replies.next();
          if (!reply) break;
          // FerretDB answers even messages sent with moreToCome (endSessions), which expect none: such an answer is skipped.
          if (reply.readInt32LE(8) !== id) continue;
          reply.writeInt32LE(request.message.readInt32LE(4), 8);
          if (!request.client.destroyed) request.client.write(reply);
          break;
        }
      }
    } finally {
      busy = false;
    }
  };

  const server: Server = createServer((client) => {
    clients.add(client);
    let pending = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        queue.push({ client, message: withoutClientMetadata(pending.subarray(0, length)) });
        pending = pending.subarray(length);
      }
      void pump();
    });
    client.on("error", () => client.destroy());
    client.on("close", () => clients.delete(client));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `mongodb://127.0.0.1:${port}/`,
    stop: () => {
      dropEveryone();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const opQuery = 2004;

/**
 * A handshake (hello / isMaster) without its `client` document: FerretDB
 * refuses metadata after the first handshake on a connection, and every
 * client here shares one. Other messages pass unchanged.
 */
function withoutClientMetadata(message: Buffer): Buffer {
  const opCode = message.readInt32LE(12);
  // OP_MSG: flags, then a kind-0 section (the command); OP_QUERY: flags, collection name, skip, return, then the query.
  const at = opCode === opMsg && message[20] === 0 ? 21 : opCode === opQuery ? message.indexOf(0, 20) + 9 : -1;
  if (at < 0) return message;
  const length = message.readInt32LE(at);
  const command = BSON.deserialize(message.subarray(at, at + length), { promoteValues: false, promoteBuffers: false });
  const handshake = ["hello", "isMaster", "ismaster"].some((name) => name in command);
  if (!handshake || !("client" in command)) return message;
  delete command.client;
  const rewritten = Buffer.from(BSON.serialize(command));
  const result = Buffer.concat([message.subarray(0, at), rewritten, message.subarray(at + length)]);
  result.writeInt32LE(result.length, 0);
  return result;
}

/** An OP_MSG whose sender set moreToCome: it expects no reply. */
function expectsNoReply(message: Buffer): boolean {
  return message.readInt32LE(12) === opMsg && (message.readUInt32LE(16) & moreToCome) !== 0;
}

/** Splits what a socket receives into whole wire messages, handed out one `next()` at a time. */
class MessageReader {
  private buffered = Buffer.alloc(0);
  private waiter: ((message: Buffer | undefined) => void) | undefined;
  private closed = false;

  constructor(socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    socket.on("close", () => {
      this.closed = true;
      this.deliver();
    });
  }

  /** The next whole message; undefined once the socket closed. */
  next(): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiter) return;
    const length = this.buffered.length >= 4 ? this.buffered.readInt32LE(0) : Infinity;
    if (this.buffered.length >= length) {
      const message = this.buffered.subarray(0, length);
      this.buffered = this.buffered.subarray(length);
      this.resolve(message);
    } else if (this.closed) this.resolve(undefined);
  }

  private resolve(message: Buffer | undefined): void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    waiter(message);
  }
}
