// @sipwake/push-notifier: sends pushes to APNs (HTTP/2, ES256 provider tokens) and FCM HTTP v1
// (service-account OAuth2) and answers each push request with an outcome per device.
export { createPushNotifier } from './notifier.js';
export type { PushLog, PushNotifier, PushNotifierOptions, PushNotifierStats } from './types.js';
export { configSchema } from './config.js';
export { pushNotifierService } from './service.js';
export type { PushNotifierConfig } from './config.js';
export { ProviderError, PushError, PushErrorCode } from './errors.js';
export type { ProviderErrorFields, PushErrorOptions } from './errors.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { parseApnsAnswer, apnsReasons } from './apns/answers.js';
export { parseFcmAnswer, fcmErrorCodes } from './fcm/answers.js';
export { createApnsTokenSource, maxTokenAgeMs, minTokenRefreshMs } from './apns/token.js';
export type { ApnsTokenOptions, ApnsTokenSource } from './apns/token.js';
export { createGoogleTokenSource, fcmScope } from './fcm/oauth.js';
export type { GoogleTokenOptions, GoogleTokenSource } from './fcm/oauth.js';
export { checkTemplates, defaultTemplates, readTemplates, renderAlert } from './templates.js';
export type { AlertText, Templates } from './templates.js';
export { apnsPush, fcmMessage, pushFacts } from './payload.js';
export type { ApnsPush, PayloadSettings } from './payload.js';
