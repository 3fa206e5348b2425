import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { h2Client } from "./h2-client.js";
import { peerUnary } from "./peer-unary.js";
import type { ServiceRegistry } from "./registry.js";

export interface PeerTransportOptions {
  /** Per-call deadline when the caller sets none. */
  timeoutMs?: number;
  interceptors?: Interceptor[];
  /** The largest unary answer taken from a peer (default 16 MiB); a larger one ends the call RESOURCE_EXHAUSTED. */
  maxResponseBytes?: number;
}

/**
 * A Connect transport that finds `peer` through the registry on every call
 * and, when an instance cannot be reached, tries the next healthy one. Calls
 * use the Connect protocol in binary over HTTP/2 (h2c), one multiplexed
 * session per instance, uncompressed (peers are near: compressing costs
 * more CPU than it saves). Unary calls go through the platform's lean path
 * (peer-unary.ts over h2-client.ts), streams through connect-node's. Only connection failures fail over: an error the peer
 * answered with is the peer's answer and is returned as is.
 */
export function peerTransport(registry: ServiceRegistry, peer: string, options: PeerTransportOptions = {}): Transport {
  const interceptors = options.interceptors ?? [];
  const defaultTimeoutMs = options.timeoutMs ?? 5_000;
  const client = h2Client();
  const transports = new Map<string, Transport>();
  const transportFor = (baseUrl: string): Transport => {
    let transport = transports.get(baseUrl);
    if (!transport) {
      const unary = peerUnary({ client, baseUrl, interceptors, defaultTimeoutMs, maxResponseBytes: options.maxResponseBytes ?? 16 * 1024 * 1024 });
      let streaming: Transport | undefined;
      const streams = () => (streaming ??= createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true, interceptors, defaultTimeoutMs }));
      transport = { unary, stream: (...args) => streams().stream(...args) };
      transports.set(baseUrl, transport);
    }
    return transport;
  };

  async function withFailover<R>(call: (transport: Transport) => Promise<R>): Promise<R> {
    const urls = await registry.lookup(peer);
    if (urls.length === 0) throw new ConnectError(`no healthy instance of ${peer}`, Code.Unavailable);
    let lastError: unknown;
    for (const url of urls) {
      try {
        return await call(transportFor(url));
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        lastError = error;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new ConnectError(`${peer} unavailable: ${reason}`, Code.Unavailable);
  }

  return {
    unary: (method, signal, timeoutMs, header, input, contextValues) =>
      withFailover((transport) => transport.unary(method, signal, timeoutMs, header, input, contextValues)),
    stream: (method, signal, timeoutMs, header, input, contextValues) =>
      withFailover((transport) => transport.stream(method, signal, timeoutMs, header, input, contextValues)),
  };
}

/** A connection-level failure (refused, reset) rather than an answer from the peer. */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof ConnectError) || error.code !== Code.Unavailable) return false;
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  return cause?.code === "ECONNREFUSED" || cause?.code === "ECONNRESET" || cause?.code === "EHOSTUNREACH" || /ECONNREFUSED|ECONNRESET|socket hang up/.test(error.message);
}
