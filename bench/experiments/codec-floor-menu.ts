import { fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { GetItemsRequestSchema, GetItemsResponseSchema } from "@oms/contracts/menu/v1/menu";
import { serveBareHttp } from "../lib/bare-http-target.js";
import { getItemsResponse } from "../lib/menu-fixture.js";

/**
 * Experiment: the floor under any Connect JSON server of GetItems. A bare
 * node:http handler, as the baseline row, that also does the least a correct
 * server must: decode the request JSON into its message with protobuf-es and
 * encode the response message to JSON. No interceptors, no access control,
 * no tracing, no context: the gap between this row and bare node:http is the
 * codec's alone, and no platform can be faster than this row.
 */
const byId = new Map(getItemsResponse.items.map((item) => [item.id, item]));
serveBareHttp((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const input = fromJsonString(GetItemsRequestSchema, Buffer.concat(chunks).toString());
    const items = input.itemIds.map((id) => byId.get(id)!);
    const body = Buffer.from(toJsonString(GetItemsResponseSchema, { ...getItemsResponse, items }));
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
