import { createContextKey, createContextValues } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { CallValues } from "../src/server/call-values.js";

describe("CallValues", () => {
  for (const [name, make] of [
    ["createContextValues", createContextValues],
    ["CallValues", () => new CallValues()],
  ] as const) {
    it(`gives the default until set, the value once set (undefined too), the default again once deleted: ${name}`, () => {
      const key = createContextKey<string | undefined>("fallback", { description: "key" });
      const other = createContextKey(0);
      const values = make();
      expect(values.get(key)).toBe("fallback");
      expect(values.set(key, "set")).toBe(values);
      expect(values.get(key)).toBe("set");
      expect(values.get(other)).toBe(0);
      values.set(key, undefined);
      expect(values.get(key)).toBeUndefined();
      expect(values.delete(key)).toBe(values);
      expect(values.get(key)).toBe("fallback");
    });
  }
});
