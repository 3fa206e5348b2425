import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { InsufficientStockSchema } from "@oms/contracts/stock/v1/stock";
import { describe, expect, it } from "vitest";
import { describeError } from "../src/errors.js";

const fries = "01KDVDNMQRMMGZGECVJ7GR6YG4";
const soup = "01KDVDNDX0QQ33HP7FWAZ17BZ4";
const dishes = new Map([
  [fries, "Truffle Fries"],
  [soup, "Minestrone"],
]);

describe("errors in words", () => {
  it("names the dishes stock is short of, from the structured detail", () => {
    const detail = create(InsufficientStockSchema, { shortages: [{ itemId: fries, requested: 2, available: 0 }] });
    const error = new ConnectError("not enough stock", Code.FailedPrecondition, undefined, [{ desc: InsufficientStockSchema, value: detail }]);
    expect(describeError(error, dishes)).toBe("Sorry, not enough stock: Truffle Fries (0 left).");
  });

  it("names them from the message when the detail did not travel (order passes stock's message on)", () => {
    const error = new ConnectError(`not enough stock for items ${fries} (requested 2, available 0), ${soup} (requested 5, available 3)`, Code.FailedPrecondition);
    expect(describeError(error, dishes)).toBe("Sorry, not enough stock: Truffle Fries (0 left), Minestrone (3 left).");
  });

  it.each([
    [Code.PermissionDenied, "This needs a staff sign-in."],
    [Code.Unauthenticated, "Your sign-in has expired or is missing: sign in again."],
    [Code.Unavailable, "The service is not reachable right now; try again in a moment."],
    [Code.NotFound, "Not found: it does not exist, or it is not yours."],
  ])("says what code %s means for the person", (code, words) => {
    expect(describeError(new ConnectError("x", code))).toBe(words);
  });

  it("keeps the service's words for bad input, which name the field", () => {
    expect(describeError(new ConnectError("lines[0].quantity: must be from 1 to 100, is 0", Code.InvalidArgument))).toBe(
      "Something in the request is not right: lines[0].quantity: must be from 1 to 100, is 0.",
    );
  });
});
