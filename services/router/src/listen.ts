// `protocol:address:port` listener texts of the config → sip-stack ListenOptions.
import type { ListenOptions, TransportProtocol } from '@sipwake/sip-stack';
import { RouterError, RouterErrorCode } from './errors.js';

const protocols: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];
const pattern = /^(udp|tcp|tls|ws|wss):(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):(\d{1,5})$/;

/** `udp:0.0.0.0:5060`, `tls:[::]:5061`; `key` names the setting in the error. */
export function parseListen(text: string, key: string): ListenOptions {
  const match = pattern.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535 || !protocols.includes(match[1] as TransportProtocol)) {
    throw new RouterError(
      RouterErrorCode.BadListen,
      `${key} must be protocol:address:port (protocol one of ${protocols.join(', ')})`,
    );
  }
  const address = match[2]!.replace(/^\[|\]$/g, '');
  return { protocol: match[1] as TransportProtocol, address, port };
}
