import { createInProcessBus } from '@sipwake/bus';
import { createRelayTransport } from './relay-transport.js';
import { runRelaySuite } from './test-support/relay-suite.js';

runRelaySuite('the in-process bus', () => Promise.resolve(createInProcessBus()));

describe('createRelayTransport options', () => {
  const bus = createInProcessBus();
  afterAll(() => bus.close());
  const advertised = [{ protocol: 'udp', address: '127.0.0.1', port: 5060 }] as const;

  it.each([
    [{ prefixes: [] }, 'prefixes must name at least one prefix'],
    [{ prefixes: ['5/2'] }, 'prefixes[0] is not a prefix'],
    [{ advertised: [] }, 'advertised must name at least one endpoint'],
    [{ advertised: [{ protocol: 'udp', address: 'x', port: 0 }] }, 'advertised[0]'],
    [{ shard: 'a.b' }, 'shard must be'],
    [{ sendTimeoutMs: 0 }, 'sendTimeoutMs'],
  ])('refuses %j naming the key', (bad, message) => {
    const make = () =>
      createRelayTransport({ bus, prefixes: ['4/2'], advertised, ...(bad as object) });
    expect(make).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }) as Error);
    expect(make).toThrow(message);
  });
});
