import { waitFor } from "@oms/platform/testing";

/** Waits until `check` stops throwing (an `expect` that holds), through the platform's one polling helper. No timing is asserted. */
export async function eventually(check: () => unknown, timeoutMs = 10_000): Promise<void> {
  await waitFor(
    async () => {
      await check();
      return true;
    },
    { timeoutMs },
  );
}
