// `sipwake start` configuration: read once from the environment, validated, frozen. A bad
// value stops start-up with a message naming the variable.
import type { ListenOptions, TransportProtocol } from '@sipwake/sip-stack';
import { CliError, CliErrorCode } from './errors.js';

export const LogLevel = { Debug: 'debug', Info: 'info', Warn: 'warn', Error: 'error' } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

export interface EndpointConfig {
  readonly listen: readonly ListenOptions[];
  readonly tlsKeyFile: string | undefined;
  readonly tlsCertFile: string | undefined;
  readonly logLevel: LogLevel;
}

export const endpointDefaults = {
  SIPWAKE_SIP_LISTEN: 'udp:127.0.0.1:5060,tcp:127.0.0.1:5060,ws:127.0.0.1:5080',
  SIPWAKE_LOG_LEVEL: LogLevel.Info,
} as const;

const protocols: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

function bad(key: string, message: string): CliError {
  return new CliError(CliErrorCode.BadConfig, `${key}: ${message}`, key);
}

/** `protocol:address:port`, IPv6 addresses in brackets (`udp:[::1]:5060`). */
export function parseListen(key: string, text: string): ListenOptions[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw bad(key, 'at least one listener is needed');
  return items.map((item) => {
    const match = /^([a-z]+):(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(item);
    if (!match) throw bad(key, `"${item}" is not protocol:address:port`);
    const [, protocol = '', host = '', portText = ''] = match;
    if (!protocols.includes(protocol as TransportProtocol)) {
      throw bad(key, `"${protocol}" is not one of ${protocols.join(', ')}`);
    }
    const port = Number(portText);
    if (port > 65535) throw bad(key, `port ${port} is out of range`);
    const address = host.startsWith('[') ? host.slice(1, -1) : host;
    return { protocol: protocol as TransportProtocol, address, port };
  });
}

export function loadEndpointConfig(
  env: Readonly<Record<string, string | undefined>>,
): EndpointConfig {
  const listen = parseListen(
    'SIPWAKE_SIP_LISTEN',
    env.SIPWAKE_SIP_LISTEN ?? endpointDefaults.SIPWAKE_SIP_LISTEN,
  );
  const logLevel = env.SIPWAKE_LOG_LEVEL ?? endpointDefaults.SIPWAKE_LOG_LEVEL;
  if (!Object.values(LogLevel).includes(logLevel as LogLevel)) {
    throw bad(
      'SIPWAKE_LOG_LEVEL',
      `"${logLevel}" is not one of ${Object.values(LogLevel).join(', ')}`,
    );
  }
  const tlsKeyFile = env.SIPWAKE_TLS_KEY_FILE || undefined;
  const tlsCertFile = env.SIPWAKE_TLS_CERT_FILE || undefined;
  const secure = listen.some((l) => l.protocol === 'tls' || l.protocol === 'wss');
  if (secure && !tlsKeyFile) throw bad('SIPWAKE_TLS_KEY_FILE', 'required by a tls/wss listener');
  if (secure && !tlsCertFile) throw bad('SIPWAKE_TLS_CERT_FILE', 'required by a tls/wss listener');
  return Object.freeze({ listen, tlsKeyFile, tlsCertFile, logLevel: logLevel as LogLevel });
}
