import { create } from "@bufbuild/protobuf";
import { createContextValues, createMethodImplSpec, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { GetItemsRequestSchema, GetItemsResponseSchema, MenuService } from "@oms/contracts/menu/v1/menu";
import { describe, expect, it } from "vitest";
import { ResponseMetadata } from "../src/server/unary-call-context.js";
import { invokeUnary } from "../src/server/unary-invoke.js";
import type { UnaryImplSpec } from "../src/server/unary-methods.js";

/** invokeUnary answers as connect-es's invokeUnaryImplementation does, making response headers only when asked. */
describe("invokeUnary", () => {
  const method = MenuService.method.getItems;
  const call = (impl: (context: HandlerContext) => void, interceptors: Interceptor[] = []) => {
    const metadata = new ResponseMetadata({ "content-type": "application/json" }, undefined);
    const context: HandlerContext = {
      method,
      service: MenuService,
      requestMethod: "POST",
      protocolName: "connect",
      url: "http://menu/oms.menu.v1.MenuService/GetItems",
      signal: new AbortController().signal,
      timeoutMs: () => undefined,
      requestHeader: new Headers({ authorization: "Bearer t" }),
      get responseHeader() {
        return metadata.header;
      },
      get responseTrailer() {
        return metadata.trailer;
      },
      values: createContextValues(),
    };
    const spec = createMethodImplSpec(method, (_request, handlerContext) => {
      impl(handlerContext);
      return { items: [{ id: "a", name: "Soup" }] };
    }) as UnaryImplSpec;
    return { metadata, answer: invokeUnary(spec, context, metadata, create(GetItemsRequestSchema, { itemIds: ["a"] }), interceptors) };
  };

  it("makes no response headers when nothing asks for them", async () => {
    const { metadata, answer } = call(() => undefined);
    expect((await answer).$typeName).toBe(GetItemsResponseSchema.typeName);
    expect(metadata.headerIfMade).toBeUndefined();
    expect(metadata.trailerIfMade).toBeUndefined();
  });

  it("keeps what the implementation sets, on the protocol's own headers", async () => {
    const { metadata, answer } = call((context) => {
      expect(context.requestHeader.get("authorization")).toBe("Bearer t");
      context.responseHeader.set("x-dish", "soup");
      context.responseTrailer.set("x-count", "1");
    });
    await answer;
    expect(Object.fromEntries(metadata.headerIfMade ?? [])).toEqual({ "content-type": "application/json", "x-dish": "soup" });
    expect(metadata.trailerIfMade?.get("x-count")).toBe("1");
  });

  it("takes the headers of a response an interceptor answers with, as connect-es does", async () => {
    const replacing: Interceptor = (next) => async (request) => {
      const response = await next(request);
      return { ...response, header: new Headers({ "x-from": "interceptor" }), trailer: new Headers({ "x-t": "1" }) };
    };
    const { metadata, answer } = call(() => undefined, [replacing]);
    await answer;
    expect(Object.fromEntries(metadata.headerIfMade ?? [])).toEqual({ "x-from": "interceptor" });
    expect(metadata.trailerIfMade?.get("x-t")).toBe("1");
  });
});
