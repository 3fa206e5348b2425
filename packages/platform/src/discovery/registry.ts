/**
 * The service registry port: where a service announces itself and finds its
 * peers by name. Adapters: static-registry.ts (fixed addresses, the embedded
 * default) and consul-registry.ts.
 */

export interface ServiceInstance {
  /** Unique per process, e.g. "order-01J...". */
  id: string;
  /** The logical service name peers look up, e.g. "order". */
  name: string;
  address: string;
  port: number;
  tags?: readonly string[];
  /** An HTTP URL the registry may poll to check the instance (its /readyz). */
  healthCheckUrl?: string;
}

export interface ServiceRegistry {
  register(instance: ServiceInstance): Promise<void>;
  deregister(instanceId: string): Promise<void>;
  /**
   * The base URLs ("http://host:port") of healthy instances of `name`, in the
   * order callers should try them (round-robin spread). Empty when none is healthy.
   */
  lookup(name: string): Promise<string[]>;
  close(): Promise<void>;
}
