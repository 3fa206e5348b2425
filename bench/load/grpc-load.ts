import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { GetItemsRequestSchema, GetItemsResponseSchema, type GetItemsRequest, type GetItemsResponse } from "@oms/contracts/menu/v1/menu";
import { childPayload, tellParent } from "../lib/child.js";
import { LatencyRecorder, millisecondsSince } from "../lib/latency.js";
import { getItemsPath, getItemsRequest } from "../lib/menu-fixture.js";
import type { LoadResult } from "./http-load.js";

/** What the parent asks: `connections` calls kept in flight on one h2c connection, as a gRPC client does. */
export interface GrpcLoadPlan {
  url: string;
  connections: number;
  /** Sent as `authorization` metadata on every call. */
  authorization: string;
  warmupSeconds: number;
  durationSeconds: number;
}

const plan = childPayload<GrpcLoadPlan>();
const client = new grpc.Client(plan.url.replace(/^http:\/\//, ""), grpc.credentials.createInsecure());
const serialize = (message: GetItemsRequest) => Buffer.from(toBinary(GetItemsRequestSchema, message));
const deserialize = (bytes: Buffer) => fromBinary(GetItemsResponseSchema, bytes);

const metadata = new grpc.Metadata();
metadata.set("authorization", plan.authorization);

function call(): Promise<GetItemsResponse> {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(getItemsPath, serialize, deserialize, getItemsRequest, metadata, (error, response) => (error ? reject(error) : resolve(response!))),
  );
}

/** Keeps `connections` calls in flight until `seconds` pass; a failed call counts and the loop goes on. */
async function load(seconds: number, latency: LatencyRecorder | undefined): Promise<LoadResult> {
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const sent = process.hrtime.bigint();
      try {
        await call();
        latency?.record(millisecondsSince(sent));
        requests++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, worker));
  const measured = millisecondsSince(start) / 1000;
  const percentiles = latency?.percentiles() ?? { p50: 0, p99: 0 };
  return { requestsPerSecond: requests / measured, p50Ms: percentiles.p50, p99Ms: percentiles.p99, requests, errors, non2xx: 0, seconds: measured };
}

await call(); // connect and fail fast on a wrong address
if (plan.warmupSeconds > 0) await load(plan.warmupSeconds, undefined);
tellParent({ type: "measuring" });
const result = await load(plan.durationSeconds, new LatencyRecorder());
client.close();
tellParent({ type: "result", result });
process.exit(0);
