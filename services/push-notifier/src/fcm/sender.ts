// FCM HTTP v1 adapter: POST /v1/projects/<project>/messages:send on one shared HTTP/2
// connection with the cached OAuth2 access token. A 401 drops that token and sends once more
// with a new grant; a second 401 is PROVIDER_AUTH_FAILED (no loop).
import { PushProvider } from '@sipwake/contracts';
import type { Clock } from '../clock.js';
import { sendWithFreshCredential } from '../credential-retry.js';
import type { H2Origin } from '../h2-origin.js';
import { fcmMessage, type PayloadSettings } from '../payload.js';
import type { PushSender } from '../sender.js';
import type { Templates } from '../templates.js';
import { parseFcmAnswer } from './answers.js';
import type { GoogleTokenSource } from './oauth.js';

export interface FcmSenderOptions {
  readonly origin: H2Origin;
  /** The token endpoint's connection, when it is another origin (closed with the sender). */
  readonly tokenOrigin?: H2Origin;
  readonly tokens: GoogleTokenSource;
  readonly projectId: string;
  readonly templates: Templates;
  readonly payload: PayloadSettings;
  readonly clock: Clock;
}

export function createFcmSender(options: FcmSenderOptions): PushSender {
  const { origin, tokens, clock } = options;
  const path = `/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`;
  return {
    provider: PushProvider.Fcm,
    async send(request, device, timeoutMs) {
      const body = JSON.stringify({
        message: fcmMessage(request, device, options.templates, options.payload),
      });
      await sendWithFreshCredential(tokens, async (accessToken) => {
        const answer = await origin.request({
          method: 'POST',
          path,
          headers: {
            authorization: `Bearer ${accessToken}`,
            'content-type': 'application/json; charset=UTF-8',
          },
          body,
          timeoutMs,
        });
        return parseFcmAnswer(answer, clock.now());
      });
    },
    connections: () => origin.connections() + (options.tokenOrigin?.connections() ?? 0),
    async close() {
      await Promise.all([origin.close(), options.tokenOrigin?.close()]);
    },
  };
}
