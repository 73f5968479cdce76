import { connectBus } from '@sipwake/bus';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { runRelaySuite } from './test-support/relay-suite.js';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer({ jetstream: false });
});
afterAll(() => server.stop());

runRelaySuite('a real nats-server', () =>
  connectBus({ kind: 'nats', servers: server.url, name: 'relay-test' }),
);
