export { createTelemetry, installPropagation, type Telemetry } from "./telemetry.js";
export { addSpanProcessor } from "./span-processors.js";
export { serverTracingInterceptor, clientTracingInterceptor } from "./rpc-interceptors.js";
export { TracedEventBus } from "./traced-event-bus.js";
export { currentTraceHeaders } from "./trace-headers.js";
export { orderIdAttribute, withOrderId, tagOrder } from "./order-id.js";
export { creationContext } from "./creation-context.js";
export { orderWork } from "./order-work.js";
export { traceHttpRoutes } from "./http-spans.js";
