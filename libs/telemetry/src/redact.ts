// The one list of secret keys, used by the pino logger (redact paths) and by span attributes
// (safeAttributes and the redacting span processor), so a password or a push key reaches neither
// a log line nor an exported span.
import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** The keys whose values are secrets, wherever they appear (`account.password`, `device.voipToken`). */
export const secretKeys: readonly string[] = [
  'password',
  'authPassword',
  'passwd',
  'secret',
  'token',
  'voipToken',
  'instanceToken',
  'adminToken',
  'accessToken',
  'refreshToken',
  'authorization',
  'proxyAuthorization',
  'proxy-authorization',
  'cookie',
  'privateKey',
  'apnsKey',
  'fcmKey',
  'serverKey',
  'apiKey',
  'credentials',
];

/** What a secret is replaced with. */
export const redactedValue = '[REDACTED]';

const secretLower = new Set(secretKeys.map((k) => k.toLowerCase()));

/** Whether a key names a secret: its last dotted segment, in any case (`sip.Password`, `token`). */
export function isSecretKey(key: string): boolean {
  const last = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return secretLower.has(last);
}

/**
 * pino redact paths for the list, at the top level and up to three levels deep
 * (`password`, `*.password`, `*.*.password`, `*.*.*.password`): `req.headers.authorization` is covered.
 * pino matches keys exactly, so both spellings in the list are written out.
 */
export function redactPaths(keys: readonly string[] = secretKeys): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string): string =>
      segment.startsWith('[') ? prefix.replace(/\.$/, '') + segment : prefix + segment;
    for (const prefix of ['', '*.', '*.*.', '*.*.*.']) paths.push(join(prefix));
  }
  return paths;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return true;
  return (
    Array.isArray(value) &&
    value.every(
      (v) => v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v),
    )
  );
}

/**
 * Span attributes from a plain object: nested objects flattened with dots (`account.domain`),
 * secret keys masked, values that cannot be attributes (functions, null) dropped.
 */
export function safeAttributes(values: Readonly<Record<string, unknown>>, prefix = ''): Attributes {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(values)) {
    const key = prefix + name;
    if (isSecretKey(key)) {
      if (value !== undefined && value !== null) attributes[key] = redactedValue;
    } else if (isAttributeValue(value)) {
      attributes[key] = value;
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(attributes, safeAttributes(value as Record<string, unknown>, `${key}.`));
    }
  }
  return attributes;
}

/** The same attributes with every secret key masked; the same object when there is none. */
export function maskAttributes(attributes: Attributes): Attributes {
  if (!Object.keys(attributes).some(isSecretKey)) return attributes;
  const masked: Attributes = {};
  for (const [key, value] of Object.entries(attributes))
    masked[key] = isSecretKey(key) ? redactedValue : value;
  return masked;
}
