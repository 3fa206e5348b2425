import { LimitError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { WatcherLimits } from "../src/app/watcher-limits.js";

describe("WatcherLimits", () => {
  it("counts each watcher of an order until it leaves, however many others leave", () => {
    const limits = new WatcherLimits({ maxWatchersPerOrder: 2 });
    limits.enter("a");
    limits.enter("a");
    limits.leave("a");
    limits.enter("a");
    expect(() => limits.enter("a")).toThrow("id: this order already has 2 watchers");
    // Other orders have their own count.
    expect(() => limits.enter("b")).not.toThrow();
  });

  it("frees a slot overall when a watcher leaves, and nothing for an order that holds none", () => {
    const limits = new WatcherLimits({ maxWatchers: 2, maxWatchersPerOrder: 2 });
    limits.enter("a");
    limits.enter("a");
    limits.leave("a");
    limits.leave("z");
    limits.enter("b");
    expect(() => limits.enter("c")).toThrow(LimitError);
    expect(() => limits.enter("c")).toThrow("too many orders are being watched (2); try again later");
  });

  it("lets an order be watched again after all its watchers left", () => {
    const limits = new WatcherLimits({ maxWatchersPerOrder: 1 });
    limits.enter("a");
    limits.leave("a");
    limits.enter("a");
    expect(() => limits.enter("a")).toThrow(LimitError);
    limits.leave("a");
    expect(() => limits.enter("a")).not.toThrow();
  });
});
