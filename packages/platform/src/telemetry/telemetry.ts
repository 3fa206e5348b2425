import { context, propagation, type Meter, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, type MetricReader } from "@opentelemetry/sdk-metrics";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { registerServiceTracer } from "./creation-context.js";
import { cheapWhenNotExported } from "./cheap-tracer.js";
import { recordWhenExported, sharedSpanProcessor, spansExported } from "./span-processors.js";
import { W3CPropagator } from "./w3c-propagator.js";

/** One service's tracer and meter, and its metrics in Prometheus text for GET /metrics. */
export interface Telemetry {
  serviceName: string;
  tracer: Tracer;
  meter: Meter;
  prometheus: PrometheusExporter;
  shutdown(): Promise<void>;
}

let installed = false;

/**
 * Context propagation for the process: async-local context, W3C trace
 * context and W3C baggage (which carries the order id, see order-id.ts), in
 * one propagator (w3c-propagator.ts). startTelemetry gives NodeSDK the same
 * when it runs; this makes tests and the embedded mode work without it.
 */
export function installPropagation(): void {
  if (installed) return;
  installed = true;
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CPropagator());
}

/** Extra metric readers (OTLP) that startTelemetry configures from OTEL_* variables. */
const extraReaders: Array<() => MetricReader> = [];
export function addMetricReaderFactory(factory: () => MetricReader): void {
  extraReaders.push(factory);
}

/**
 * Telemetry for one service. In the embedded mode each of the five gets its
 * own providers so its spans and metrics carry its own service.name, while
 * all of them share the process's exporters and context.
 */
export function createTelemetry(serviceName: string): Telemetry {
  installPropagation();
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, "service.namespace": "oms" });
  const tracerProvider = new TracerProvider({ resource, spanProcessors: [sharedSpanProcessor], sampler: recordWhenExported });
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus, ...extraReaders.map((make) => make())] });
  const tracer = cheapWhenNotExported(tracerProvider.getTracer(`oms.${serviceName}`), spansExported);
  registerServiceTracer(serviceName, tracer);
  return {
    serviceName,
    tracer,
    meter: meterProvider.getMeter(`oms.${serviceName}`),
    prometheus,
    async shutdown() {
      await Promise.allSettled([tracerProvider.forceFlush(), meterProvider.shutdown()]);
    },
  };
}
