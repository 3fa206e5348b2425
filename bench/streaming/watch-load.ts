import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { WatchOrderRequestSchema, WatchOrderResponseSchema, type WatchOrderRequest, type WatchOrderResponse } from "@oms/contracts/order/v1/order";
import { childPayload, tellParent, type ChildMessage } from "../lib/child.js";
import { LatencyRecorder, millisecondsSince } from "../lib/latency.js";
import type { LoadResult } from "../load/http-load.js";
import { burstPrefix, watchOrderPath } from "./watch-fixture.js";

/**
 * What the streaming suite asks of this load process, a @grpc/grpc-js client:
 * - `burst`: `connections` WatchOrder calls in flight on one h2c connection,
 *   each reading its whole burst; `requests` in the result counts messages;
 * - `idle`: one WatchOrder per id, spread over connections of at most
 *   `streamsPerConnection` streams (the server announces 100 at most), each
 *   read up to its first message; "opened" once all are, then held until the
 *   parent says "leave", when every call is cancelled ("left").
 */
export type WatchLoadPlan =
  | { mode: "burst"; url: string; authorization: string; connections: number; warmupSeconds: number; durationSeconds: number }
  | { mode: "idle"; url: string; authorization: string; ids: string[]; streamsPerConnection: number };

const plan = childPayload<WatchLoadPlan>();
const address = plan.url.replace(/^http:\/\//, "");
const serialize = (message: WatchOrderRequest) => Buffer.from(toBinary(WatchOrderRequestSchema, message));
const deserialize = (bytes: Buffer) => fromBinary(WatchOrderResponseSchema, bytes);
const metadata = new grpc.Metadata();
metadata.set("authorization", plan.authorization);

function watch(client: grpc.Client, id: string): grpc.ClientReadableStream<WatchOrderResponse> {
  return client.makeServerStreamRequest(watchOrderPath, serialize, deserialize, create(WatchOrderRequestSchema, { id }), metadata);
}

/** Reads one whole burst; resolves with how many messages came. */
function burstCall(client: grpc.Client, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let messages = 0;
    const call = watch(client, `${burstPrefix}${n}`);
    call.on("data", () => messages++);
    call.on("error", reject);
    call.on("end", () => resolve(messages));
  });
}

async function burst(client: grpc.Client, connections: number, seconds: number, latency?: LatencyRecorder): Promise<LoadResult> {
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let messages = 0;
  let errors = 0;
  let calls = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const sent = process.hrtime.bigint();
      try {
        messages += await burstCall(client, calls++);
        latency?.record(millisecondsSince(sent));
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const measured = millisecondsSince(start) / 1000;
  const percentiles = latency?.percentiles() ?? { p50: 0, p99: 0 };
  return { requestsPerSecond: messages / measured, p50Ms: percentiles.p50, p99Ms: percentiles.p99, requests: messages, errors, non2xx: 0, seconds: measured };
}

async function idle(ids: string[], streamsPerConnection: number): Promise<void> {
  const clients: grpc.Client[] = [];
  const calls: Array<grpc.ClientReadableStream<WatchOrderResponse>> = [];
  const firsts: Array<Promise<void>> = [];
  ids.forEach((id, index) => {
    // A local subchannel pool per client: its own connection, not one shared by every client to the address.
    if (index % streamsPerConnection === 0) clients.push(new grpc.Client(address, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 }));
    const call = watch(clients.at(-1)!, id);
    calls.push(call);
    firsts.push(
      new Promise((resolve, reject) => {
        call.once("data", () => resolve());
        call.once("error", (error: grpc.ServiceError) => (error.code === grpc.status.CANCELLED ? undefined : reject(error)));
      }),
    );
  });
  await Promise.all(firsts);
  tellParent({ type: "opened", streams: calls.length, connections: clients.length });
  await new Promise<void>((resolve) => process.on("message", (message: ChildMessage) => message.type === "leave" && resolve()));
  for (const call of calls) call.cancel();
  await Promise.all(calls.map((call) => new Promise((resolve) => call.once("status", resolve))));
  for (const client of clients) client.close();
  tellParent({ type: "left" });
}

if (plan.mode === "burst") {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  await burstCall(client, -1); // connect, and fail fast on a wrong address
  if (plan.warmupSeconds > 0) await burst(client, plan.connections, plan.warmupSeconds);
  tellParent({ type: "measuring" });
  const result = await burst(client, plan.connections, plan.durationSeconds, new LatencyRecorder());
  client.close();
  tellParent({ type: "result", result });
  process.exit(0);
} else {
  await idle(plan.ids, plan.streamsPerConnection);
  // Gone once the parent says so (BenchChild.stop), not before: a child exiting by itself races the parent's "stop".
  process.on("message", (message: ChildMessage) => message.type === "stop" && process.exit(0));
  process.on("disconnect", () => process.exit(0));
}
