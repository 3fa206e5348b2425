import { SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from "mongodb";

/** Commands the driver runs for itself: not worth a span each. */
const housekeeping = new Set(["hello", "isMaster", "ismaster", "ping", "buildInfo", "endSessions", "saslStart", "saslContinue", "killCursors"]);

/**
 * A client span per MongoDB command, from the driver's own command monitoring
 * (so it works the same under ESM and CJS, with no module patching), in the
 * database semantic conventions. The driver emits `commandStarted` inside the
 * caller's async context, so each span is the child of the span that issued
 * the query: the use case's RPC or event span.
 */
export function traceCommands(client: MongoClient, tracer: Tracer = trace.getTracer("oms.mongodb")): void {
  const open = new Map<number, Span>();
  client.on("commandStarted", (event: CommandStartedEvent) => {
    if (housekeeping.has(event.commandName)) return;
    const collection: unknown = event.command[event.commandName];
    const span = tracer.startSpan(`${event.commandName} ${typeof collection === "string" ? collection : event.databaseName}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        "db.system.name": "mongodb",
        "db.namespace": event.databaseName,
        "db.operation.name": event.commandName,
        ...(typeof collection === "string" && { "db.collection.name": collection }),
        "server.address": event.address,
      },
    });
    open.set(event.requestId, span);
  });
  const finish = (event: CommandSucceededEvent | CommandFailedEvent, failure?: Error) => {
    const span = open.get(event.requestId);
    if (!span) return;
    open.delete(event.requestId);
    if (failure) {
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    }
    span.end();
  };
  client.on("commandSucceeded", (event: CommandSucceededEvent) => finish(event));
  client.on("commandFailed", (event: CommandFailedEvent) => finish(event, event.failure));
}
