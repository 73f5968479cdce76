import { startNatsServer, type NatsServer } from '@sipwake/testkit';
import { runBusContract } from './contract.js';
import { connectBus } from './connect.js';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer({ jetstream: false });
});
afterAll(async () => {
  await server.stop();
});

runBusContract('nats', () =>
  connectBus({ kind: 'nats', servers: server.url, name: 'bus-contract' }),
);
