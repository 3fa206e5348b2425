// One package's `dev` task under `turbo run dev`, chosen by what is configured.
//
// Nothing shared configured (no AMQP_URL, MONGODB_URL or CONSUL_HTTP_ADDR):
// five processes could not share events or data, so the all-in-one runs the
// whole system in one watched process (a change in any service's sources
// restarts it) and each service's task only says so and waits.
//
// Shared infrastructure configured: each service runs as its own watched
// process on it (AMQP_URL then required, the one way separate processes hear
// each other's events), and the all-in-one's task puts the demo menu and
// stock in once menu and stock answer (`pnpm seed`).
//
// Plain .mjs (no TypeScript loader) so it starts at once and forwards signals itself.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

const [task] = process.argv.slice(2);
const root = join(import.meta.dirname, "..");
const tsxCli = createRequire(join(root, "package.json")).resolve("tsx/cli");
const shared = ["AMQP_URL", "MONGODB_URL", "CONSUL_HTTP_ADDR"].filter((name) => process.env[name]);

if (!task) {
  process.stderr.write("usage: node scripts/dev-task.mjs <menu|stock|order|payment|kitchen|all-in-one>\n");
  process.exit(2);
}

if (shared.length > 0 && !process.env.AMQP_URL) {
  process.stderr.write(
    `${task}: ${shared.join(" and ")} set without AMQP_URL: separate processes share events only through RabbitMQ; ` +
      "set AMQP_URL (e.g. amqp://oms:oms@localhost:5672), or unset them all for the embedded system\n",
  );
  process.exit(2);
}

if (task === "all-in-one") {
  if (shared.length === 0) {
    // tsx watches every file the process imported: the five services, platform and contracts sources.
    run([tsxCli, "watch", "--clear-screen=false", "src/main.ts"]);
  } else {
    run([tsxCli, "src/seed-main.ts"]);
  }
} else if (shared.length === 0) {
  process.stdout.write(`${task}: runs inside the all-in-one (no AMQP_URL, MONGODB_URL or CONSUL_HTTP_ADDR set); nothing to do here\n`);
  waitForSignal();
} else {
  run([tsxCli, "watch", "--clear-screen=false", "src/main.ts"]);
}

/**
 * Runs node with `args` in this package, passing signals on and exiting as it
 * does. The child leads its own process group, so a Ctrl-C sent to the whole
 * terminal group reaches it once, through here: tsx watch takes a second
 * signal as "force kill" and the service as "exit now, skip the drain".
 */
function run(args) {
  const child = spawn(process.execPath, args, { stdio: "inherit", detached: true });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

function waitForSignal() {
  const keepAlive = setInterval(() => {}, 1 << 30);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      clearInterval(keepAlive);
      process.exit(0);
    });
  }
}
