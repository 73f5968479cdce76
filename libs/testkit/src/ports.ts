// Free loopback ports for peers. A port is probed by binding it (TCP and/or UDP) and released
// right before the peer binds it. Candidates are drawn at random below the kernel's ephemeral
// range, so that an outgoing connection's source port cannot take a port between the probe and
// the peer's bind.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net, { isIPv6 } from 'node:net';
import { NoFreePortError } from './errors.js';

export type PortProtocol = 'udp' | 'tcp' | 'both';

export interface FreePortOptions {
  /** Which protocols the port must be free for (default 'both': SIP peers listen on UDP and TCP). */
  readonly protocol?: PortProtocol;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

const LOWEST_CANDIDATE = 20000;
/** Probe attempts allowed beyond one per asked port. */
const SPARE_ATTEMPTS = 100;

/** A port free for the asked protocols on `host` at the time of the call. */
export async function freePort(options: FreePortOptions = {}): Promise<number> {
  const [port] = await freePorts(1, options);
  return port!;
}

/** `count` distinct ports, each free for the asked protocols (all probed while held together). */
export async function freePorts(count: number, options: FreePortOptions = {}): Promise<number[]> {
  const protocol = options.protocol ?? 'both';
  const host = options.host ?? '127.0.0.1';
  const held: Held[] = [];
  try {
    const maxAttempts = count * 2 + SPARE_ATTEMPTS;
    for (let attempts = 0; held.length < count; attempts++) {
      if (attempts >= maxAttempts) throw new NoFreePortError(protocol, host, attempts);
      const taken = await tryHold(candidatePort(), protocol, host);
      if (taken) held.push(taken);
    }
    return held.map((h) => h.port);
  } finally {
    await Promise.all(held.map((h) => h.release()));
  }
}

interface Held {
  readonly port: number;
  release(): Promise<void>;
}

function candidatePort(): number {
  const low = ephemeralLow();
  if (low - LOWEST_CANDIDATE < 1000) return LOWEST_CANDIDATE + Math.floor(Math.random() * 10000);
  return LOWEST_CANDIDATE + Math.floor(Math.random() * (low - LOWEST_CANDIDATE));
}

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > 0 ? value : 32768;
  } catch {
    return 32768;
  }
}

async function tryHold(
  port: number,
  protocol: PortProtocol,
  host: string,
): Promise<Held | undefined> {
  const releases: (() => Promise<void>)[] = [];
  const release = async (): Promise<void> => {
    await Promise.all(releases.map((r) => r()));
  };
  try {
    if (protocol !== 'udp') releases.push(await bindTcp(port, host));
    if (protocol !== 'tcp') releases.push(await bindUdp(port, host));
    return { port, release };
  } catch {
    await release();
    return undefined;
  }
}

function bindTcp(port: number, host: string): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve(() => new Promise<void>((done) => server.close(() => done())));
    });
  });
}

function bindUdp(port: number, host: string): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    socket.once('error', reject);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', reject);
      resolve(() => new Promise<void>((done) => socket.close(() => done())));
    });
  });
}
