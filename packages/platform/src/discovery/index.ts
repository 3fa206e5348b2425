export * from "./registry.js";
export { StaticRegistry } from "./static-registry.js";
export { peerTransport, type PeerTransportOptions } from "./peer-transport.js";
