import type { DescService } from "@bufbuild/protobuf";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import { reflectionV1, reflectionV1alpha } from "../grpc-contracts.js";
import { DescriptorIndex } from "./descriptor-index.js";

/** What a reflection request asks, the same in v1 and v1alpha. */
export type ReflectionQuery =
  | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: undefined; value?: undefined };

/** The answer to one reflection request, the same in v1 and v1alpha. */
export type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/** The reflection services themselves: what `registerReflection` adds to the services it describes. */
export const reflectionServices: readonly DescService[] = [reflectionV1.ServerReflection, reflectionV1alpha.ServerReflection];

/**
 * Serves gRPC server reflection (grpc.reflection.v1 and v1alpha, what grpcurl,
 * buf curl, Postman and grpcui ask) for `services` and the reflection services
 * themselves. A bidi stream: it needs HTTP/2 (h2c) and the gRPC or Connect protocol.
 */
export function registerReflection(router: ConnectRouter, services: readonly DescService[]): void {
  const index = new DescriptorIndex([...services, ...reflectionServices]);
  router.service(reflectionV1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield { validHost: request.host, originalRequest: request, messageResponse: answerReflection(index, request.messageRequest) };
      }
    },
  });
  router.service(reflectionV1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield { validHost: request.host, originalRequest: request, messageResponse: answerReflection(index, request.messageRequest) };
      }
    },
  });
}

/** Answers one reflection request from the index; unknown names get a NOT_FOUND error response, as gRPC servers do. */
export function answerReflection(index: DescriptorIndex, query: ReflectionQuery): ReflectionAnswer {
  const files = (found: Uint8Array[] | undefined, what: string): ReflectionAnswer =>
    found
      ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: found } }
      : { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } };
  switch (query.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } };
    case "fileByFilename":
      return files(index.fileByName(query.value), `file ${query.value}`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(query.value), `symbol ${query.value}`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = query.value;
      return files(index.fileContainingExtension(containingType, extensionNumber), `extension ${extensionNumber} of ${containingType}`);
    }
    case "allExtensionNumbersOfType": {
      const numbers = index.extensionNumbers(query.value);
      return numbers
        ? { case: "allExtensionNumbersResponse", value: { baseTypeName: query.value, extensionNumber: numbers } }
        : { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: `type ${query.value} not found` } };
    }
    default:
      return { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } };
  }
}
