import { fromBinary, toBinary, type DescMessage, type DescService, type MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";

/**
 * A @grpc/grpc-js client for a protobuf-es service, built from its descriptor
 * (no proto loading): an independent gRPC implementation to check the server
 * against. Methods keep their proto names (GetItems, WatchOrder). With a
 * `token`, every call carries it as `authorization: Bearer` metadata.
 */
export function grpcJsClient(service: DescService, address: string, token?: string): grpc.Client & Record<string, GrpcMethod> {
  const definition: Record<string, grpc.MethodDefinition<MessageShape<DescMessage>, MessageShape<DescMessage>>> = {};
  for (const method of service.methods) {
    definition[method.name] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: (message: MessageShape<DescMessage>) => Buffer.from(toBinary(method.input, message)),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: (message: MessageShape<DescMessage>) => Buffer.from(toBinary(method.output, message)),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
  }
  const Client = grpc.makeGenericClientConstructor(definition, service.typeName);
  const interceptors = token ? [bearer(token)] : [];
  return new Client(address, grpc.credentials.createInsecure(), { interceptors }) as unknown as grpc.Client & Record<string, GrpcMethod>;
}

/** Call credentials need TLS in grpc-js; on h2c the token goes in through an interceptor. */
function bearer(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set("authorization", `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}

/** A method of a generic grpc-js client, called with its request and callback or metadata. */
type GrpcMethod = (...args: unknown[]) => unknown;

/** A unary grpc-js call as a promise. */
export function unaryCall<T>(client: grpc.Client & Record<string, GrpcMethod>, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method]!.call(client, request, (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)));
  });
}

/** A server-streaming grpc-js call, collected: its messages, or the error it ended with (and the messages before it). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the message type the stream yields.
export function streamCall<T>(
  client: grpc.Client & Record<string, GrpcMethod>,
  method: string,
  request: unknown,
): Promise<{ messages: T[]; error?: grpc.ServiceError }> {
  return new Promise((resolve) => {
    const messages: T[] = [];
    const call = client[method]!.call(client, request) as grpc.ClientReadableStream<T>;
    call.on("data", (message: T) => messages.push(message));
    call.on("error", (error: grpc.ServiceError) => resolve({ messages, error }));
    call.on("end", () => resolve({ messages }));
  });
}
