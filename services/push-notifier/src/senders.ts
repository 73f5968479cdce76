// The provider adapters a configuration asks for, each with its credentials read and checked
// now (start-up): a missing or malformed key file is a PushError naming its key.
import { PushProvider } from '@sipwake/contracts';
import { createApnsSender } from './apns/sender.js';
import { createApnsTokenSource, type ApnsTokenSource } from './apns/token.js';
import type { Clock } from './clock.js';
import type { PushNotifierConfig } from './config.js';
import { readApnsKey, readCaFile, readServiceAccount } from './credentials.js';
import { PushError, PushErrorCode } from './errors.js';
import { createFcmSender } from './fcm/sender.js';
import { createGoogleTokenSource, type GoogleTokenSource } from './fcm/oauth.js';
import { createH2Origin, type H2OriginOptions } from './h2-origin.js';
import type { PayloadSettings } from './payload.js';
import type { PushSender } from './sender.js';
import type { Templates } from './templates.js';

export interface Senders {
  readonly byProvider: ReadonlyMap<PushProvider, PushSender>;
  /** For tests and benchmarks: the credential caches. */
  readonly apnsTokens?: ApnsTokenSource;
  readonly googleTokens?: GoogleTokenSource;
}

type OnEvent = (provider: PushProvider) => H2OriginOptions['onEvent'];

function requireText(value: string, key: string, code: PushErrorCode): string {
  if (value === '') throw new PushError(code, `${key}: required when the key file is set`, { key });
  return value;
}

export function createSenders(
  config: PushNotifierConfig,
  templates: Templates,
  clock: Clock,
  onEvent: OnEvent,
): Senders {
  const payload: PayloadSettings = {
    callTtlMs: config.push.callTtlMs,
    alertTtlMs: config.push.alertTtlMs,
  };
  const byProvider = new Map<PushProvider, PushSender>();
  let apnsTokens: ApnsTokenSource | undefined;
  let googleTokens: GoogleTokenSource | undefined;

  if (config.apns.keyFile !== '') {
    const code = PushErrorCode.ApnsKeyInvalid;
    const key = readApnsKey(config.apns.keyFile);
    apnsTokens = createApnsTokenSource({
      key,
      keyId: requireText(config.apns.keyId, 'apns.keyId', code),
      teamId: requireText(config.apns.teamId, 'apns.teamId', code),
      clock,
      refreshAfterMs: config.apns.tokenRefreshMs,
    });
    const ca =
      config.apns.caFile === '' ? undefined : readCaFile(config.apns.caFile, 'apns.caFile');
    const origin = createH2Origin({
      url: config.apns.baseUrl,
      ...(ca === undefined ? {} : { ca }),
      onEvent: onEvent(PushProvider.Apns),
    });
    byProvider.set(
      PushProvider.Apns,
      createApnsSender({ origin, tokens: apnsTokens, templates, payload, clock }),
    );
  }

  if (config.fcm.serviceAccountFile !== '') {
    const account = readServiceAccount(config.fcm.serviceAccountFile);
    const ca = config.fcm.caFile === '' ? undefined : readCaFile(config.fcm.caFile, 'fcm.caFile');
    const tls = ca === undefined ? {} : { ca };
    const origin = createH2Origin({
      url: config.fcm.baseUrl,
      ...tls,
      onEvent: onEvent(PushProvider.Fcm),
    });
    const tokenUri = config.fcm.tokenUri === '' ? account.tokenUri : config.fcm.tokenUri;
    if (!URL.canParse(tokenUri) || !tokenUri.startsWith('https://')) {
      const key = config.fcm.tokenUri === '' ? 'fcm.serviceAccountFile' : 'fcm.tokenUri';
      throw new PushError(
        PushErrorCode.ServiceAccountInvalid,
        `${key}: the token URI is not an https URL`,
        { key },
      );
    }
    const sameOrigin = new URL(tokenUri).origin === new URL(config.fcm.baseUrl).origin;
    const tokenOrigin = sameOrigin
      ? undefined
      : createH2Origin({ url: tokenUri, ...tls, onEvent: onEvent(PushProvider.Fcm) });
    googleTokens = createGoogleTokenSource({
      account,
      tokenUri,
      origin: tokenOrigin ?? origin,
      clock,
      timeoutMs: config.push.requestTimeoutMs,
    });
    byProvider.set(
      PushProvider.Fcm,
      createFcmSender({
        origin,
        ...(tokenOrigin === undefined ? {} : { tokenOrigin }),
        tokens: googleTokens,
        projectId: account.projectId,
        templates,
        payload,
        clock,
      }),
    );
  }
  return {
    byProvider,
    ...(apnsTokens === undefined ? {} : { apnsTokens }),
    ...(googleTokens === undefined ? {} : { googleTokens }),
  };
}
