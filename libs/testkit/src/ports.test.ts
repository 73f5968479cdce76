import dgram from 'node:dgram';
import net from 'node:net';
import { freePort, freePorts } from './ports.js';

function bindTcp(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

function bindUdp(port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(socket));
  });
}

describe('freePort', () => {
  it('returns a port that can be bound for UDP and TCP at once', async () => {
    const port = await freePort();
    const server = await bindTcp(port);
    const socket = await bindUdp(port);
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => socket.close(() => r()));
  });

  it('picks ports below the kernel ephemeral range', async () => {
    const ports = await freePorts(20, { protocol: 'udp' });
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(port).toBeLessThan(65536);
    }
  });

  it('returns distinct ports from one call', async () => {
    const ports = await freePorts(50, { protocol: 'tcp' });
    expect(new Set(ports).size).toBe(50);
  });

  it('never returns a port that is taken', async () => {
    const taken = await freePort({ protocol: 'tcp' });
    const server = await bindTcp(taken);
    try {
      const ports = await freePorts(200, { protocol: 'tcp' });
      expect(ports).not.toContain(taken);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
