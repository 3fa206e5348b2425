import { once } from "node:events";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { WatchOrderRequestSchema, WatchOrderResponseSchema, type WatchOrderRequest, type WatchOrderResponse } from "@oms/contracts/order/v1/order";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { answerMemoryWhenAsked } from "./memory.js";
import { burstPrefix, messagesPerCall, orderVersion, watchOrderPath } from "./watch-fixture.js";

/**
 * Baseline for server streaming: a plain @grpc/grpc-js server (h2c) serving
 * OrderService/WatchOrder as watch-fixture.ts describes, with protobuf-es
 * serializers. An idle watcher holds what a plain server needs: the call and
 * its place among the order's watchers, released when the client leaves.
 */
const watchers = new Map<string, Set<grpc.ServerWritableStream<WatchOrderRequest, WatchOrderResponse>>>();
let open = 0;

const definition: grpc.ServiceDefinition = {
  WatchOrder: {
    path: watchOrderPath,
    requestStream: false,
    responseStream: true,
    requestSerialize: (message: WatchOrderRequest) => Buffer.from(toBinary(WatchOrderRequestSchema, message)),
    requestDeserialize: (bytes: Buffer) => fromBinary(WatchOrderRequestSchema, bytes),
    responseSerialize: (message: WatchOrderResponse) => Buffer.from(toBinary(WatchOrderResponseSchema, message)),
    responseDeserialize: (bytes: Buffer) => fromBinary(WatchOrderResponseSchema, bytes),
  },
};

async function burst(call: grpc.ServerWritableStream<WatchOrderRequest, WatchOrderResponse>): Promise<void> {
  for (let version = 0; version < messagesPerCall && !call.cancelled; version++) {
    // Waits for the connection to take more, as the platform's writer does.
    if (!call.write(orderVersion(call.request.id, version))) await once(call, "drain");
  }
  call.end();
}

function watchIdle(call: grpc.ServerWritableStream<WatchOrderRequest, WatchOrderResponse>): void {
  const id = call.request.id;
  const set = watchers.get(id) ?? new Set();
  set.add(call);
  watchers.set(id, set);
  open++;
  call.write(orderVersion(id, 0));
  call.once("cancelled", () => {
    open--;
    set.delete(call);
    if (set.size === 0) watchers.delete(id);
  });
}

const server = new grpc.Server();
server.addService(definition, {
  WatchOrder: (call: grpc.ServerWritableStream<WatchOrderRequest, WatchOrderResponse>) => {
    if (call.request.id.startsWith(burstPrefix)) void burst(call);
    else watchIdle(call);
  },
});
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
);
answerMemoryWhenAsked(() => ({ open }));
tellParent({ type: "ready", url: `http://127.0.0.1:${port}` });
stopWhenAsked(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
