// APNs adapter: POST /3/device/<token> on the one shared HTTP/2 connection, authorised by the
// cached provider token. When APNs refuses the provider token (403 ExpiredProviderToken,
// InvalidProviderToken) the push is sent once more with a freshly signed one; a second refusal
// is PROVIDER_AUTH_FAILED (no loop).
import { PushProvider } from '@sipwake/contracts';
import type { Clock } from '../clock.js';
import { sendWithFreshCredential } from '../credential-retry.js';
import type { H2Origin } from '../h2-origin.js';
import { apnsPush, type PayloadSettings } from '../payload.js';
import type { PushSender } from '../sender.js';
import type { Templates } from '../templates.js';
import { parseApnsAnswer } from './answers.js';
import type { ApnsTokenSource } from './token.js';

export interface ApnsSenderOptions {
  readonly origin: H2Origin;
  readonly tokens: ApnsTokenSource;
  readonly templates: Templates;
  readonly payload: PayloadSettings;
  readonly clock: Clock;
}

export function createApnsSender(options: ApnsSenderOptions): PushSender {
  const { origin, tokens, clock } = options;
  return {
    provider: PushProvider.Apns,
    async send(request, device, timeoutMs) {
      const push = apnsPush(request, device, options.templates, options.payload, clock.now());
      await sendWithFreshCredential(tokens, async (providerToken) => {
        const answer = await origin.request({
          method: 'POST',
          path: `/3/device/${encodeURIComponent(push.token)}`,
          headers: {
            ...push.headers,
            authorization: `bearer ${providerToken}`,
            'content-type': 'application/json',
          },
          body: push.payload,
          timeoutMs,
        });
        return parseApnsAnswer(answer, clock.now());
      });
    },
    connections: () => origin.connections(),
    close: () => origin.close(),
  };
}
