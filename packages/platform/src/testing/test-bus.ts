import type { RetryPolicy } from "../events/event-bus.js";
import { MemoryEventBus } from "../events/memory-bus.js";

/** Three attempts with delays short enough for tests, growing like the real policy. */
export const testRetryPolicy: RetryPolicy = { maxAttempts: 3, delaysMs: [10, 30] };

/** A MemoryEventBus with `testRetryPolicy` (or the given one); close it in afterEach/afterAll. */
export function createTestBus(retry: RetryPolicy = testRetryPolicy): MemoryEventBus {
  return new MemoryEventBus({ retry });
}
