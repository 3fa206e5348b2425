export * from "./registry.js";
export { StaticRegistry } from "./static-registry.js";
export { ConsulRegistry, type ConsulRegistryOptions } from "./consul-registry.js";
export { peerTransport, type PeerTransportOptions } from "./peer-transport.js";
