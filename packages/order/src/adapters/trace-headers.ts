export { currentTraceHeaders } from "@oms/platform/telemetry";
