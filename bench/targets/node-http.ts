import { serveBareHttp } from "../lib/bare-http-target.js";
import { getItemsResponseJson } from "../lib/menu-fixture.js";

/** Baseline: a bare node:http handler that reads the body and answers GetItems' JSON, nothing else. */
const body = Buffer.from(getItemsResponseJson);
serveBareHttp((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
