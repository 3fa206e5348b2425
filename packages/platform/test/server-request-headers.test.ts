import { describe, expect, it } from "vitest";
import { NodeRequestHeaders } from "../src/server/node-request-headers.js";

/** The request's headers as a Fetch Headers, read straight from Node's until anything else is asked. */
describe("NodeRequestHeaders", () => {
  const raw = { ":path": "/x", "content-type": "application/proto", authorization: "Bearer t", cookie: ["a=1", "b=2"] };
  // Typed as Headers, as the handler context holds it.
  const headersOf = (): Headers => new NodeRequestHeaders({ ...raw });

  it("reads like a Headers made from the same headers, pseudo-headers left out", () => {
    const headers = headersOf();
    expect(headers).toBeInstanceOf(Headers);
    expect(headers.get("Authorization")).toBe("Bearer t");
    expect(headers.get("cookie")).toBe("a=1, b=2");
    expect(headers.get("x-missing")).toBeNull();
    expect(headers.has("content-type")).toBe(true);
    expect(headers.has(":path")).toBe(false);
    expect([...headers]).toEqual([...new Headers([["authorization", "Bearer t"], ["content-type", "application/proto"], ["cookie", "a=1"], ["cookie", "b=2"]])]);
  });

  it("takes changes, and reads them back, once changed", () => {
    const headers = headersOf();
    headers.set("authorization", "Bearer other");
    headers.append("x-extra", "1");
    headers.delete("cookie");
    expect(headers.get("authorization")).toBe("Bearer other");
    expect(Object.fromEntries(new Headers(headers))).toEqual({ authorization: "Bearer other", "content-type": "application/proto", "x-extra": "1" });
  });
});
