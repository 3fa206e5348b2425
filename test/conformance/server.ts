/**
 * The server under test for `connectconformance --mode server`: reads one
 * size-prefixed ServerCompatRequest from stdin, serves ConformanceService on
 * the platform server (runService: one port, HTTP/1.1 and h2c, Connect, gRPC
 * and gRPC-Web, the platform's interceptors), and writes a size-prefixed
 * ServerCompatResponse with its address to stdout. Stops on SIGTERM.
 *
 * The platform serves both HTTP versions and all three protocols on every
 * port, so the requested version and protocol need no set-up; TLS is refused
 * because the platform does not terminate it (a proxy in front does).
 * Logs go to stderr: stdout carries the answer.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createLogger } from "@oms/platform/logging";
import { runService, stopOnSignals } from "@oms/platform/server";
import { conformancePolicies, conformanceRoutes } from "./conformance-service.js";
import { ServerCompatRequestSchema, ServerCompatResponseSchema } from "./gen/connectrpc/conformance/v1/server_compat_pb.js";
import { ConformanceService } from "./gen/connectrpc/conformance/v1/service_pb.js";

const logger = createLogger("conformance", { level: process.env.LOG_LEVEL ?? "warn" }, process.stderr);
const request = fromBinary(ServerCompatRequestSchema, await readSizePrefixed(process.stdin));
if (request.useTls) throw new Error("TLS is not served by the platform server: configure the runner with supportsTls: false");

const running = await runService(
  {
    definition: { name: "conformance", services: [ConformanceService], routes: conformanceRoutes, policies: conformancePolicies, validateRequests: false },
    start: async () => {},
    stop: async () => {},
  },
  // A receive limit of 0 means none was asked for: the platform's default then applies.
  { port: 0, logger, bodyLimit: request.messageReceiveLimit || undefined, drainTimeoutMs: 1_000 },
);
stopOnSignals(running.close, logger);
const answer = toBinary(ServerCompatResponseSchema, create(ServerCompatResponseSchema, { host: "127.0.0.1", port: running.port }));
process.stdout.write(sizePrefixed(answer));

/** One message as the runner frames it: a 32-bit big-endian length, then the bytes. */
async function readSizePrefixed(input: AsyncIterable<Buffer>): Promise<Uint8Array> {
  let buffered = Buffer.alloc(0);
  for await (const chunk of input) {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
      return buffered.subarray(4, 4 + buffered.readUInt32BE(0));
    }
  }
  throw new Error(`stdin ended after ${buffered.length} bytes, before a whole ServerCompatRequest`);
}

function sizePrefixed(message: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length);
  return Buffer.concat([length, message]);
}
