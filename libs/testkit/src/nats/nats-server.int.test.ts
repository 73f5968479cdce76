import { existsSync } from 'node:fs';
import net from 'node:net';
import { withTimeout } from '../wait.js';
import { startNatsServer, type NatsServer } from './nats-server.js';

/** Connects with a raw socket and reads the server's first line (the INFO banner). */
function readInfoLine(port: number): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('utf8');
        const end = text.indexOf('\r\n');
        if (end >= 0) {
          socket.destroy();
          resolve(text.slice(0, end));
        }
      });
      socket.on('error', reject);
    }),
    5000,
    'the nats-server INFO line',
  );
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('startNatsServer', () => {
  let server: NatsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('starts a JetStream-enabled server that greets a raw client with INFO, and stops it', async () => {
    server = await startNatsServer();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const info = await readInfoLine(server.port);
    expect(info.startsWith('INFO ')).toBe(true);
    const fields = JSON.parse(info.slice(5)) as { port: number; jetstream?: boolean };
    expect(fields.port).toBe(server.port);
    expect(fields.jetstream).toBe(true);

    const dir = server.dir;
    const exit = await server.stop();
    // nats-server handles TERM itself (it exits 1): it was not killed by the KILL fallback.
    expect(exit.signal).toBeNull();
    expect(existsSync(dir)).toBe(false);
    expect(await connectionRefused(server.port)).toBe(true);
    // stop() is idempotent.
    await expect(server.stop()).resolves.toEqual(exit);
  });

  it('starts without JetStream when asked', async () => {
    server = await startNatsServer({ jetstream: false });
    const info = JSON.parse((await readInfoLine(server.port)).slice(5)) as { jetstream?: boolean };
    expect(info.jetstream ?? false).toBe(false);
  });

  it('fails start-up with the log tail when the server cannot start', async () => {
    await expect(startNatsServer({ args: ['--no-such-flag'] })).rejects.toMatchObject({
      code: 'PEER_START_FAILED',
      peer: 'nats-server',
    });
  });
});
