// /readyz when the database is gone: 503, and a hand-over answers 503 without writing.
import { createInProcessBus } from '@sipwake/bus';
import { buildApi } from './api.js';
import {
  createThrowawayStore,
  handOverBody,
  PASSWORD,
  recordingLog,
  testKeyRing,
} from './test-support/fixtures.js';

it('answers 503 on /readyz and the hand-over once the database is closed', async () => {
  const store = await createThrowawayStore();
  const bus = createInProcessBus();
  const log = recordingLog();
  const app = await buildApi({
    db: store.db,
    bus,
    keyRing: testKeyRing(),
    log,
    config: { sipDomain: 'sip.example.net', hostPrefixLength: 0, rateLimitPerMinute: 1000 },
  });
  try {
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    await store.db.close();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'database-unavailable' });
    const res = await app.inject({ method: 'POST', url: '/v1/instances', payload: handOverBody() });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'unavailable' });
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
  } finally {
    await app.close();
    await bus.close();
    await store.drop();
  }
});
