// Socket transports for tests: each started on one loopback listener with the test settings
// (60 s idle timeout, no keep-alive, 65,535-byte messages) and a probe on it, all stopped at once.
import type { TransportOptions } from '../transport/options.js';
import { createTransport } from '../transport/transport.js';
import type { Transport, TransportProtocol } from '../transport/types.js';
import { probe, type TransportProbe } from './transport-probe.js';

/** The options every test transport starts from. */
export const TEST_TRANSPORT_OPTIONS = {
  idleTimeoutMs: 60_000,
  keepAliveIntervalMs: 0,
  maxMessageBytes: 65_535,
} as const;

export interface ListeningTransport {
  readonly transport: Transport;
  /** The bound port of its listener. */
  readonly port: number;
  readonly probe: TransportProbe;
}

export interface TestTransports {
  /** Starts a transport listening on `address`, port 0 (`extra` overrides the test settings). */
  listen(
    protocol: TransportProtocol,
    address?: string,
    extra?: Partial<TransportOptions>,
  ): Promise<ListeningTransport>;
  /** Stops every transport started so far (for afterEach). */
  stopAll(): Promise<void>;
}

export function createTestTransports(): TestTransports {
  const started: Transport[] = [];
  return {
    async listen(protocol, address = '127.0.0.1', extra = {}) {
      const transport = createTransport({
        listen: [{ protocol, address, port: 0 }],
        ...TEST_TRANSPORT_OPTIONS,
        ...extra,
      });
      started.push(transport);
      await transport.start();
      return { transport, port: transport.listening()[0]!.port, probe: probe(transport) };
    },
    async stopAll() {
      await Promise.all(started.splice(0).map((t) => t.stop()));
    },
  };
}
