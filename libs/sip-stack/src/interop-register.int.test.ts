// The stack's registration client against a real Kamailio registrar, over UDP and over TCP:
// digest authentication, the binding Kamailio holds (contact, expiry, Call-ID, CSeq), a refresh
// that keeps one binding, removal with Expires 0, and a wrong password reported as unauthorized.
import { startKamailio, type Kamailio } from '@sipwake/testkit';
import { createDigestClient } from './digest/client.js';
import { startStackEndpoint, type StackEndpoint } from './test-support/stack-endpoint.js';
import { createRegistration, type Registration } from './ua/register.js';
import type { TransportProtocol } from './transport/types.js';

const DOMAIN = 'interop.test';
const PASSWORD = 'pa:ss"word';
const MAX_EXPIRES_S = 600;

describe.each<TransportProtocol>(['udp', 'tcp'])('REGISTER to Kamailio over %s', (protocol) => {
  let kamailio: Kamailio;
  let stack: StackEndpoint;
  const user = `alice-${protocol}`;
  const aor = `sip:${user}@${DOMAIN}`;

  beforeAll(async () => {
    kamailio = await startKamailio({
      domain: DOMAIN,
      users: [
        { username: user, password: PASSWORD, domain: DOMAIN },
        { username: `bob-${protocol}`, password: 'right', domain: DOMAIN },
      ],
      registrar: { maxExpiresS: MAX_EXPIRES_S },
    });
    stack = await startStackEndpoint({ protocols: [protocol] });
  });
  afterAll(async () => {
    await stack?.stop();
    await kamailio?.stop();
  });

  const contactOf = (username: string): string => stack.contact(username);

  const registration = (username: string, password: string): Registration =>
    createRegistration({
      layer: stack.layer,
      target: { protocol, address: '127.0.0.1', port: kamailio.port },
      registrar: `sip:${DOMAIN}`,
      aor: `sip:${username}@${DOMAIN}`,
      contact: contactOf(username),
      digest: createDigestClient({ credentials: { username, password } }),
    });

  it('registers with digest auth, refreshes one binding, and removes it with Expires 0', async () => {
    const reg = registration(user, PASSWORD);

    const first = await reg.register(300);
    expect(first.response.status).toBe(200);
    expect(first.expiresS).toBe(300);
    const [binding, ...others] = await kamailio.bindings(aor);
    expect(others).toEqual([]);
    expect(binding).toMatchObject({
      contact: contactOf(user),
      callId: reg.callId,
      cseq: reg.cseq(),
      socket: `${protocol}:127.0.0.1:${kamailio.port}`,
    });
    expect(binding!.expires).toBeGreaterThan(290);
    expect(binding!.expires).toBeLessThanOrEqual(300);

    // A refresh: same Call-ID, CSeq + 1 (signed with the nonce held), still one binding.
    const refreshed = await reg.register(3600);
    expect(refreshed.expiresS).toBe(MAX_EXPIRES_S); // the registrar's max_expires, read from the 200
    const after = await kamailio.bindings(aor);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ callId: reg.callId, cseq: binding!.cseq + 1 });
    expect(after[0]!.expires).toBeGreaterThan(MAX_EXPIRES_S - 10);

    const removed = await reg.unregister();
    expect(removed.response.status).toBe(200);
    expect(removed.expiresS).toBe(0);
    expect(await kamailio.bindings(aor)).toEqual([]);
  });

  it('reports a wrong password as unauthorized after the second 401, and saves nothing', async () => {
    const reg = registration(`bob-${protocol}`, 'wrong');
    await expect(reg.register(300)).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(await kamailio.bindings(`bob-${protocol}@${DOMAIN}`)).toEqual([]);

    const registers = stack.sent.filter(
      (s) =>
        s.message.type === 'request' && s.message.from().uriText.startsWith(`sip:bob-${protocol}@`),
    );
    // The first REGISTER and one answer to the challenge; the second 401 ends it.
    expect(registers.map((s) => s.message.cseq().seq)).toEqual([1, 2]);
    expect(registers[1]!.message.headers.has('authorization')).toBe(true);
    // The password itself never goes on the wire.
    for (const s of stack.sent)
      expect(s.message.headers.get('authorization') ?? '').not.toContain('wrong');
  });
});
