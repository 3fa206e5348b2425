import { create, fromBinary, toBinary, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";

/** Unary methods return promises, server-streaming ones async iterables; typed loosely, as a test client. */
export type GrpcTestClient = Record<string, any> & { close(): void };

/**
 * A plain @grpc/grpc-js client for a protobuf-es service descriptor: gRPC over
 * h2c with prior knowledge, exactly what grpcurl and other gRPC stacks speak.
 * Methods are camelCase, unary ones return promises, server streams async iterables.
 */
export function grpcClient(service: DescService, baseUrl: string): GrpcTestClient {
  const definition: Record<string, grpc.MethodDefinition<any, any>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: (value: MessageInitShape<typeof method.input>) => Buffer.from(toBinary(method.input, create(method.input, value))),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: (value: any) => Buffer.from(toBinary(method.output, value)),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
  }
  const Client = grpc.makeGenericClientConstructor(definition, service.typeName);
  const client = new Client(baseUrl.replace(/^http:\/\//, ""), grpc.credentials.createInsecure()) as unknown as Record<string, Function> & grpc.Client;
  const api: Record<string, any> = { close: () => client.close() };
  for (const method of service.methods) {
    const call = client[method.localName]!.bind(client);
    api[method.localName] =
      method.methodKind === "server_streaming"
        ? (request: unknown) => call(request) as AsyncIterable<unknown>
        : (request: unknown) =>
            new Promise((resolve, reject) => call(request, (error: grpc.ServiceError | null, response: unknown) => (error ? reject(error) : resolve(response))));
  }
  return api as never;
}
