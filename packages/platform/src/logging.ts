import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/**
 * JSON logs on stdout. `LOG_LEVEL` sets the level (info by default, silent
 * under test unless asked). Payment data and secrets never reach a log line:
 * the redaction list is the last line of defence, not the first.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info");
  return pino({
    name,
    level,
    redact: ["req.headers.authorization", "req.headers[\"stripe-signature\"]", "*.secret", "*.apiKey"],
    ...options,
  });
}
