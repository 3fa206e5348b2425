import { create, type DescService } from "@bufbuild/protobuf";
import { grpcJsClient, unaryCall } from "@oms/testkit/grpc-js-client";

/** Unary methods return promises, server-streaming ones async iterables; typed loosely, as a test client. */
export type GrpcTestClient = Record<string, any> & { close(): void };

/**
 * A plain @grpc/grpc-js client for a protobuf-es service descriptor (the
 * platform tests' own, built from the descriptor): gRPC over h2c with prior
 * knowledge, as grpcurl and other gRPC stacks speak it, with camelCase methods.
 */
export function grpcClient(service: DescService, baseUrl: string, token?: string): GrpcTestClient {
  const client = grpcJsClient(service, baseUrl.replace(/^http:\/\//, ""), token);
  const api: Record<string, unknown> = { close: () => client.close() };
  for (const method of service.methods) {
    // Requests come as plain init objects; the client serializes whole messages.
    const message = (request: unknown) => create(method.input, request as never);
    api[method.localName] =
      method.methodKind === "server_streaming"
        ? (request: unknown) => client[method.name]!.call(client, message(request))
        : (request: unknown) => unaryCall(client, method.name, message(request));
  }
  return api as GrpcTestClient;
}
