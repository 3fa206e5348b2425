import { randomBytes } from "node:crypto";
import { startDevIssuer } from "@oms/platform/auth";
import { ConfigError, env as field, readConfig } from "@oms/platform/config";
import { devAudience } from "./embedded-auth.js";
import { tokenLines } from "./token-lines.js";

/**
 * `pnpm dev-issuer`: the development identity provider on its own, for
 * services run as separate processes (compose, `turbo run dev`): prints the
 * AUTH_* settings they need and ready-to-paste tokens.
 */
try {
  const config = readConfig({
    host: field.string("HOST", "127.0.0.1"),
    port: field.port("AUTH_DEV_ISSUER_PORT", 8086),
    publicUrl: field.url("AUTH_DEV_ISSUER_URL", ["http", "https"]),
  });
  const { issuer } = await startDevIssuer({ ...config, audience: devAudience });
  process.stdout.write(
    [
      `Development issuer at ${issuer.url} (keys made at start: tokens end with this process).`,
      "Services trust it with:",
      `  export AUTH_ISSUER=${issuer.url} AUTH_AUDIENCE=${devAudience} AUTH_JWKS_URL=${issuer.jwksUrl}`,
      `  export AUTH_SERVICE_KEY=${randomBytes(32).toString("base64url")}   # any shared secret of 32+ characters`,
      ...(await tokenLines(issuer)),
    ].join("\n") + "\n",
  );
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`dev-issuer: ${error.message}\n`);
  process.exit(2);
}
