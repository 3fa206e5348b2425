import { Code } from "@connectrpc/connect";
import { MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoServerSelectionError } from "mongodb";
import { describe, expect, it } from "vitest";
import { toConnectError } from "../src/server/error-mapping.js";
import { isDatabaseUnavailable } from "../src/storage/index.js";

describe("database failures as the caller sees them", () => {
  const selection = new MongoServerSelectionError("Server selection timed out after 5000 ms", { error: undefined } as never);

  it("recognises an unreachable or restarting database, also as the cause of another error", () => {
    expect(isDatabaseUnavailable(selection)).toBe(true);
    expect(isDatabaseUnavailable(new MongoNetworkError("connection 3 to 10.0.0.7:27017 closed"))).toBe(true);
    expect(isDatabaseUnavailable(new MongoNotConnectedError("client was closed"))).toBe(true);
    expect(isDatabaseUnavailable(new MongoServerError({ message: "shutdown in progress", code: 91 }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("saving the order failed", { cause: selection }))).toBe(true);
  });

  it("leaves other database errors and plain bugs alone", () => {
    expect(isDatabaseUnavailable(new MongoServerError({ message: "E11000 duplicate key", code: 11000 }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable("down")).toBe(false);
  });

  it("maps them to UNAVAILABLE without the driver's message (it names hosts), and bugs still to INTERNAL", () => {
    const mapped = toConnectError(new MongoNetworkError("connection 3 to 10.0.0.7:27017 closed"));
    expect(mapped.code).toBe(Code.Unavailable);
    expect(mapped.rawMessage).toBe("the database is unavailable; retry");
    expect(toConnectError(new MongoServerError({ message: "E11000", code: 11000 })).code).toBe(Code.Internal);
  });
});
