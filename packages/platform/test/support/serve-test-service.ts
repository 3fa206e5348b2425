/**
 * Runs the test service until SIGTERM/SIGINT (stopOnSignals), printing its URL
 * first and "stopped" when module.stop() ran: used by server-signals.test.ts,
 * and handy for checking the server by hand (grpcurl, buf curl).
 * HANG_ON_STOP=1 makes module.stop() never finish.
 */
import { runService, stopOnSignals } from "@oms/platform/server";
import { testModule } from "./test-service.js";

const module = testModule();
module.stop = () => {
  process.stdout.write("stopping\n");
  // Never settles, and keeps the process alive as stuck work would.
  if (process.env.HANG_ON_STOP === "1") return new Promise(() => setInterval(() => {}, 1_000));
  process.stdout.write("stopped\n");
  return Promise.resolve();
};
const running = await runService(module, { port: Number(process.env.PORT ?? 0) });
stopOnSignals(running.close);
// The URL tells the parent it may signal: only once the handlers are in place.
setImmediate(() => process.stdout.write(`${running.url}\n`));
