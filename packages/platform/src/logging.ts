import { context, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { PinoPretty } from "pino-pretty";
import { ConfigError } from "./config/index.js";
import { orderIdAttribute, orderIdIn, taggedOrder } from "./telemetry/order-id.js";

export type { Logger };

/**
 * The active span's ids on every log line written inside it, so a log line
 * leads to its trace, and the order it works on (`oms.order_id`, as on the
 * span), so one order's lines are found by its id.
 */
function traceFields(): Record<string, string> {
  const active = context.active();
  const span = trace.getSpan(active);
  if (!span) return {};
  const ids = span.spanContext();
  const orderId = orderIdIn(active) ?? (span as Partial<ReadableSpan>).attributes?.[orderIdAttribute] ?? taggedOrder(span);
  return typeof orderId === "string" ? { trace_id: ids.traceId, span_id: ids.spanId, [orderIdAttribute]: orderId } : { trace_id: ids.traceId, span_id: ids.spanId };
}

/**
 * Logs on stdout, each line inside a span carrying trace_id and span_id:
 * readable lines on a terminal, JSON lines otherwise or with LOG_FORMAT=json
 * (what collectors read). `LOG_LEVEL` sets the level (info by default, silent
 * under test unless asked). Payment data and secrets never reach a log line:
 * the redaction list is the last line of defence, not the first.
 */
export function createLogger(name: string, options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const level = logLevel();
  const settings: LoggerOptions = {
    name,
    level,
    redact: ["req.headers.authorization", "req.headers[\"stripe-signature\"]", "*.secret", "*.apiKey"],
    mixin: traceFields,
    ...options,
  };
  return pino(settings, destination ?? (pretty() ? PinoPretty({ colorize: true, sync: true, singleLine: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" }) : undefined));
}

/** LOG_FORMAT: `json` or `pretty`; by default pretty on a terminal only. */
function pretty(): boolean {
  const format = process.env.LOG_FORMAT?.trim() || (process.stdout.isTTY ? "pretty" : "json");
  if (format !== "json" && format !== "pretty") throw new ConfigError(`LOG_FORMAT=${JSON.stringify(format)} is not json or pretty`);
  return format === "pretty";
}

const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** LOG_LEVEL, checked: a misspelt level is a ConfigError naming the variable, not a crash inside pino. */
function logLevel(): string {
  const level = process.env.LOG_LEVEL?.trim() || (process.env.VITEST ? "silent" : "info");
  if (!levels.includes(level)) throw new ConfigError(`LOG_LEVEL=${JSON.stringify(level)} is not one of ${levels.join(", ")}`);
  return level;
}
