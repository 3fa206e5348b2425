import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/** One request the code under test sent to Stripe, as it went over the wire. */
export interface RecordedStripeRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/checkout/sessions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The form-encoded body, flattened: `{ "line_items[0][quantity]": "2", ... }`. */
  form: Record<string, string>;
}

/** A running stripe-mock, reached through a recorder that keeps every request. */
export interface StripeMock {
  host: string;
  port: number;
  /** Every request received so far, oldest first (tests clear it with `requests.length = 0`). */
  requests: RecordedStripeRequest[];
  stop(): Promise<void>;
}

/**
 * Where stripe-mock lives: `STRIPE_MOCK_BIN`, then PATH, then Go's default
 * install folder (`go install github.com/stripe/stripe-mock@latest`).
 */
function findStripeMock(): string {
  const explicit = process.env.STRIPE_MOCK_BIN;
  if (explicit) return explicit;
  const goBins = [process.env.GOBIN, process.env.GOPATH && join(process.env.GOPATH, "bin"), join(homedir(), "go", "bin")];
  const folders = [...(process.env.PATH ?? "").split(delimiter), ...goBins].filter((folder): folder is string => !!folder);
  for (const folder of folders) {
    const candidate = join(folder, "stripe-mock");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("stripe-mock not found: `go install github.com/stripe/stripe-mock@latest` or set STRIPE_MOCK_BIN");
}

/** Resolves with the HTTP port once stripe-mock prints "Listening for HTTP at address: 127.0.0.1:PORT". */
function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`stripe-mock did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening for HTTP at address: [^\s]*:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`stripe-mock exited with ${code}:\n${output}`)));
  });
}

/** Forwards to stripe-mock and records each request, so tests see exactly what the client sent. */
function startRecorder(targetPort: number, requests: RecordedStripeRequest[]): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const [path = "/", query = ""] = (incoming.url ?? "/").split("?");
      const formText = incoming.method === "GET" || incoming.method === "DELETE" ? query : body.toString();
      requests.push({
        method: incoming.method ?? "GET",
        path,
        headers: incoming.headers,
        form: Object.fromEntries(new URLSearchParams(formText)),
      });
      const forward = httpRequest(
        { host: "127.0.0.1", port: targetPort, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on("error", (error) => outgoing.writeHead(502).end(String(error)));
      forward.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/**
 * Starts stripe-mock on free loopback ports (HTTP and HTTPS both, so parallel
 * test files never collide on its default 12111/12112) behind a recording
 * proxy. Point the client at it with
 * `new Stripe(key, { host, port, protocol: "http" })`. stripe-mock answers from
 * fixtures and keeps no state: assert on `requests` for what was sent.
 */
export async function startStripeMock(): Promise<StripeMock> {
  const child = spawn(findStripeMock(), ["-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let mockPort: number;
  try {
    mockPort = await waitForPort(child);
  } catch (error) {
    child.kill();
    throw error;
  }
  const requests: RecordedStripeRequest[] = [];
  const recorder = await startRecorder(mockPort, requests);
  const address = recorder.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    host: "127.0.0.1",
    port,
    requests,
    async stop() {
      recorder.closeAllConnections();
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
