// @sipwake/registration-api: the HTTP API where an app hands over its SIP account and its
// devices, authenticated afterwards with the instance token it received.
export { buildApi } from './api.js';
export type { ApiLog, ApiSettings, BuildApiOptions, Clock } from './types.js';
export { configSchema } from './config.js';
export { registrationApiService } from './service.js';
export type { RegistrationApiConfig } from './config.js';
export { ApiError, ApiErrorCode, ApiErrorStatus } from './errors.js';
export type { ApiErrorOptions } from './errors.js';
export { loadTls, TLS_CERT_VARIABLE, TLS_KEY_VARIABLE } from './tls.js';
export type { TlsCredentials, TlsFileSettings } from './tls.js';
export {
  AdminInstance,
  AdminInstancesQuery,
  AdminInstancesReply,
  AdminStatsReply,
} from './admin-schemas.js';
export {
  AccountBody,
  AccountPatch,
  AckBody,
  AckReply,
  InstancePatchBody,
  MessagesQuery,
  MessagesReply,
  MessageView,
  ProgressBody,
  DeviceBody,
  DevicePutBody,
  ErrorBody,
  HandOverBody,
  HandOverReply,
  InstanceView,
  PresenceBody,
} from './schemas.js';
export {
  adminTokenMatches,
  bearerCredentials,
  bearerToken,
  hashToken,
  newInstanceToken,
  tokenMatches,
} from './token.js';
