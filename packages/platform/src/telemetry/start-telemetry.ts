import { OTLPMetricExporter as OtlpHttpJsonMetrics } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as OtlpProtoMetrics } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as OtlpHttpJsonTraces } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoTraces } from "@opentelemetry/exporter-trace-otlp-proto";
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import { addSpanProcessor, sharedSpanProcessor } from "./span-processors.js";
import { addMetricReaderFactory, installPropagation } from "./telemetry.js";
import { W3CPropagator } from "./w3c-propagator.js";

/**
 * Starts @opentelemetry/sdk-node for this process, first thing in main:
 * context, W3C propagation, the global tracer (MongoDB command spans, see
 * storage/trace-commands.ts), and, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, OTLP export of traces and metrics
 * (OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf, the default, or http/json).
 * Off otherwise: spans are still made (for log correlation) but not sent.
 * Returns the shutdown that flushes what is buffered.
 */
export function startTelemetry(processName: string, env = process.env): () => Promise<void> {
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== "true";
  const json = env.OTEL_EXPORTER_OTLP_PROTOCOL === "http/json";
  if (exporting) {
    addSpanProcessor(new BatchSpanProcessor({ exporter: json ? new OtlpHttpJsonTraces() : new OtlpProtoTraces() }));
    addMetricReaderFactory(
      () => new PeriodicExportingMetricReader({ exporter: json ? new OtlpHttpJsonMetrics() : new OtlpProtoMetrics(), exportIntervalMillis: 15_000 }),
    );
  }
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? processName,
    spanProcessors: [sharedSpanProcessor],
    // Exporters are wired above, per service; NodeSDK must not add its own from the environment.
    traceExporter: undefined,
    metricReaders: [],
    // W3C trace context and baggage, OTEL_PROPAGATORS' default, in one propagator; another choice is NodeSDK's to make.
    textMapPropagator: defaultPropagators(env.OTEL_PROPAGATORS) ? new W3CPropagator() : undefined,
    // MongoDB spans come from the driver's command monitoring, which needs no module patching under ESM.
    instrumentations: [],
  });
  sdk.start();
  installPropagation();
  return () => sdk.shutdown();
}

/** Whether OTEL_PROPAGATORS asks for what W3CPropagator does: unset, or exactly "tracecontext,baggage" in either order. */
export function defaultPropagators(setting: string | undefined): boolean {
  if (setting === undefined || setting.trim() === "") return true;
  const names = new Set(setting.split(",").map((name) => name.trim()));
  return names.size === 2 && names.has("tracecontext") && names.has("baggage");
}
