// The component under test of B8, as its own process (pinned to its own core by the driver):
// `sipwake` is buildApi over a throw-away PostgreSQL database and the in-process bus;
// `fastify-hello` and `node-http` are the peers, taking the same POST and answering 201 with a
// small JSON body. It tells the driver its port over IPC, and on request its memory and
// event-loop delay. Run by handover.bench.ts, not by hand.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fastify } from 'fastify';
import { createInProcessBus } from '@sipwake/bus';
import { connectPostgres } from '@sipwake/db';
import { createKeyRing } from '@sipwake/secrets';
import { buildApi } from '../api.js';

export type ServerMode = 'sipwake' | 'fastify-hello' | 'node-http';

/** What the driver asks and what this process answers, over IPC. */
export type ToServer = { type: 'reset' } | { type: 'stats' } | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'stats'; rssMb: number; heapMb: number; eventLoopP99Ms: number };

const quietLog = { info() {}, warn() {}, error() {} };

async function listenSipwake(databaseUrl: string, poolSize: number): Promise<() => Promise<void>> {
  const db = await connectPostgres({ connectionString: databaseUrl, max: poolSize });
  const bus = createInProcessBus();
  const app = await buildApi({
    db,
    bus,
    keyRing: createKeyRing({ current: 'k1', keys: { k1: randomBytes(32) } }),
    log: quietLog,
    config: { sipDomain: 'sip.example.net', hostPrefixLength: 1, rateLimitPerMinute: 10_000_000 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  report((app.server.address() as AddressInfo).port);
  return async () => {
    await app.close();
    await bus.close();
    await db.close();
  };
}

async function listenFastifyHello(): Promise<() => Promise<void>> {
  const app = fastify({ logger: false });
  app.post('/v1/instances', async (_request, reply) => reply.status(201).send({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  report((app.server.address() as AddressInfo).port);
  return () => app.close();
}

async function listenNodeHttp(): Promise<() => Promise<void>> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end('{"hello":"world"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  report((server.address() as AddressInfo).port);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

function report(port: number): void {
  process.send?.({ type: 'ready', port } satisfies FromServer);
}

async function main(): Promise<void> {
  const [mode, databaseUrl = '', poolSize = '16'] = process.argv.slice(2) as [
    ServerMode,
    string?,
    string?,
  ];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const stop =
    mode === 'sipwake'
      ? await listenSipwake(databaseUrl, Number(poolSize))
      : mode === 'fastify-hello'
        ? await listenFastifyHello()
        : await listenNodeHttp();
  process.on('message', (message: ToServer) => {
    if (message.type === 'reset') delay.reset();
    if (message.type === 'stats') {
      const memory = process.memoryUsage();
      process.send?.({
        type: 'stats',
        rssMb: memory.rss / 2 ** 20,
        heapMb: memory.heapUsed / 2 ** 20,
        eventLoopP99Ms: delay.percentile(99) / 1e6,
      } satisfies FromServer);
    }
    if (message.type === 'stop') {
      delay.disable();
      void stop().finally(() => process.exit(0));
    }
  });
  // The driver going away ends this process too.
  process.on('disconnect', () => process.exit(0));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
