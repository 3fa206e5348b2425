import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { GetItemsRequestSchema, GetItemsResponseSchema, type GetItemsRequest, type GetItemsResponse } from "@oms/contracts/menu/v1/menu";
import { stopWhenAsked, tellParent } from "../lib/child.js";
import { getItemsPath, getItemsResponse } from "../lib/menu-fixture.js";

/**
 * Baseline for gRPC: a plain @grpc/grpc-js server (h2c) serving MenuService/GetItems
 * with protobuf-es serializers and the fixture response, decoding each request as
 * a real server would.
 */
const definition: grpc.ServiceDefinition = {
  GetItems: {
    path: getItemsPath,
    requestStream: false,
    responseStream: false,
    requestSerialize: (message: GetItemsRequest) => Buffer.from(toBinary(GetItemsRequestSchema, message)),
    requestDeserialize: (bytes: Buffer) => fromBinary(GetItemsRequestSchema, bytes),
    responseSerialize: (message: GetItemsResponse) => Buffer.from(toBinary(GetItemsResponseSchema, message)),
    responseDeserialize: (bytes: Buffer) => fromBinary(GetItemsResponseSchema, bytes),
  },
};

const server = new grpc.Server();
server.addService(definition, {
  GetItems: (_call: grpc.ServerUnaryCall<GetItemsRequest, GetItemsResponse>, callback: grpc.sendUnaryData<GetItemsResponse>) => {
    callback(null, getItemsResponse);
  },
});
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
);
tellParent({ type: "ready", url: `http://127.0.0.1:${port}` });
stopWhenAsked(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
