import { startAutocannon } from "../lib/autocannon.js";
import { childPayload, tellParent } from "../lib/child.js";
import { LatencyRecorder } from "../lib/latency.js";

/** What the parent asks this load child to do. */
export interface HttpLoadPlan {
  url: string;
  path: string;
  /** The JSON body, the same for every request. */
  body: string;
  /** The `authorization` header every request carries. */
  authorization: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** What it reports: throughput over the measured window and exact latency percentiles. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
}

/**
 * HTTP/1.1 load with autocannon, in its own process so it never shares an event
 * loop with the server. Latency is recorded per response in float milliseconds
 * (autocannon's own histogram rounds to whole ms, too coarse on loopback).
 */
async function load(plan: HttpLoadPlan, seconds: number, latency: LatencyRecorder | undefined): Promise<LoadResult> {
  const instance = startAutocannon({
    url: plan.url,
    connections: plan.connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: plan.path,
        headers: { "content-type": "application/json", authorization: plan.authorization },
        body: plan.body,
      },
    ],
  });
  let non2xx = 0;
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, milliseconds: number) => {
    if (statusCode < 200 || statusCode > 299) non2xx++;
    else latency?.record(milliseconds);
  });
  const result = await instance;
  const percentiles = latency?.percentiles() ?? { p50: 0, p99: 0 };
  const measuredSeconds = result.duration || seconds;
  return {
    requestsPerSecond: result.requests.total / measuredSeconds,
    p50Ms: percentiles.p50,
    p99Ms: percentiles.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx,
    seconds: measuredSeconds,
  };
}

const plan = childPayload<HttpLoadPlan>();
if (plan.warmupSeconds > 0) await load(plan, plan.warmupSeconds, undefined);
tellParent({ type: "measuring" });
const result = await load(plan, plan.durationSeconds, new LatencyRecorder());
tellParent({ type: "result", result });
process.exit(0);
