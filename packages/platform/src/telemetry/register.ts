import { startTelemetry } from "./start-telemetry.js";

/**
 * Imported first by every process entry (main.ts), so the OpenTelemetry SDK
 * runs before any instrumented module loads: ES modules evaluate in import
 * order. The name comes from OTEL_SERVICE_NAME, else the package being run.
 */
const processName = process.env.OTEL_SERVICE_NAME ?? process.env.npm_package_name?.replace(/^@oms\//, "") ?? "oms";
export const stopTelemetry = startTelemetry(processName);
