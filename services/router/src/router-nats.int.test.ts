import { connectBus } from '@sipwake/bus';
import { startNatsServer } from '@sipwake/testkit';
import type { NatsServer } from '@sipwake/testkit';
import { runRouterSuite } from './test-support/router-suite.js';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer({ jetstream: false });
});
afterAll(() => server.stop());

runRouterSuite('a real nats-server', () =>
  connectBus({ kind: 'nats', servers: server.url, name: 'router-test' }),
);
