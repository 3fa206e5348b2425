import type { ContextKey, ContextValues } from "@connectrpc/connect";

/**
 * A call's context values, as connect-es's createContextValues makes them
 * (values kept on the object itself under each key's symbol), with the
 * methods on the prototype: createContextValues makes three closures per
 * call, which an idle server stream keeps as long as it is open.
 */
export class CallValues implements ContextValues {
  get<T>(key: ContextKey<T>): T {
    return key.id in this ? (this as unknown as Record<symbol, T>)[key.id]! : key.defaultValue;
  }

  set<T>(key: ContextKey<T>, value: T): this {
    (this as unknown as Record<symbol, T>)[key.id] = value;
    return this;
  }

  delete(key: ContextKey<unknown>): this {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- what createContextValues does: the key's own property goes.
    delete (this as unknown as Record<symbol, unknown>)[key.id];
    return this;
  }
}
