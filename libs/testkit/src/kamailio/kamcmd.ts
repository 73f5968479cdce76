// Talking to a running Kamailio over its ctl binrpc socket with kamcmd, and reading usrloc's
// answer to `ul.lookup location <aor>` (PEERS.md: ul.dump breaks at a few thousand bindings).
import { execFile } from 'node:child_process';
import { PeerCommandError } from '../errors.js';

export interface KamcmdOptions {
  /** Default /usr/sbin/kamcmd. */
  readonly binary?: string;
  readonly timeoutMs?: number;
}

/** Runs `kamcmd -s unix:<socket> <args…>`; resolves with stdout. kamcmd exits 0 on RPC errors too. */
export function runKamcmd(
  socket: string,
  args: readonly string[],
  options: KamcmdOptions = {},
): Promise<string> {
  const binary = options.binary ?? '/usr/sbin/kamcmd';
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ['-s', `unix:${socket}`, ...args],
      { timeout: options.timeoutMs ?? 5000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new PeerCommandError(`kamcmd ${args.join(' ')}`, code, `${stdout}${stderr}`));
          return;
        }
        resolve(stdout + stderr);
      },
    );
  });
}

/** One usrloc binding as `ul.lookup` reports it. */
export interface KamailioBinding {
  /** The Contact URI. */
  readonly contact: string;
  /** Seconds left (rounded by Kamailio); undefined for a permanent binding. */
  readonly expires: number | undefined;
  /** undefined when the REGISTER gave no q. */
  readonly q: number | undefined;
  readonly callId: string;
  readonly cseq: number;
  readonly userAgent: string | undefined;
  readonly received: string | undefined;
  readonly path: string | undefined;
  /** `+sip.instance`, undefined when not set. */
  readonly instance: string | undefined;
  readonly regId: number;
  /** The local socket the REGISTER came in on, e.g. `udp:127.0.0.1:5060`. */
  readonly socket: string;
  /** Kamailio's id of the TCP connection the REGISTER came on (-1 for UDP). */
  readonly tcpConnectionId: number;
  readonly ruid: string;
  /** Every field as printed, for what is not mapped above. */
  readonly fields: Readonly<Record<string, string>>;
}

const NOT_SET = '[not set]';

/**
 * Parses `ul.lookup` output. An unknown AoR ("error: 404|500 - AOR not found") is no binding;
 * any other error line throws.
 */
export function parseUlLookup(output: string, command = 'kamcmd ul.lookup'): KamailioBinding[] {
  const errorLine = /^error:\s*(\d+)\s*-\s*(.*)$/m.exec(output);
  if (errorLine) {
    if (/AOR not found/i.test(errorLine[2] ?? '')) return [];
    throw new PeerCommandError(command, 0, output.trim());
  }
  const bindings: KamailioBinding[] = [];
  let current: Record<string, string> | undefined;
  for (const rawLine of output.split('\n')) {
    const line = rawLine.trim();
    if (line === 'Contact: {') {
      current = {};
      continue;
    }
    if (!current) continue;
    if (line === '}') {
      bindings.push(toBinding(current));
      current = undefined;
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon > 0) current[line.slice(0, colon)] = line.slice(colon + 2);
    else if (line.endsWith(':')) current[line.slice(0, -1)] = '';
  }
  return bindings;
}

function toBinding(fields: Record<string, string>): KamailioBinding {
  const optional = (name: string): string | undefined => {
    const value = fields[name];
    return value === undefined || value === NOT_SET || value === 'n/a' ? undefined : value;
  };
  const expires = fields.Expires;
  const q = Number(fields.Q);
  return {
    contact: fields.Address ?? '',
    expires: expires === undefined || expires === 'permanent' ? undefined : Number(expires),
    q: Number.isFinite(q) && q >= 0 ? q : undefined,
    callId: fields['Call-ID'] ?? '',
    cseq: Number(fields.CSeq),
    userAgent: optional('User-Agent'),
    received: optional('Received'),
    path: optional('Path'),
    instance: optional('Instance'),
    regId: Number(fields['Reg-Id'] ?? 0),
    socket: fields.Socket ?? '',
    tcpConnectionId: Number(fields['Tcpconn-Id'] ?? -1),
    ruid: fields.Ruid ?? '',
    fields,
  };
}

/** The AoR as usrloc keys it: `user@domain` without scheme, parameters or brackets. */
export function aorKey(aor: string): string {
  let value = aor.trim();
  if (value.startsWith('<') && value.endsWith('>')) value = value.slice(1, -1);
  value = value.replace(/^sips?:/i, '');
  const cut = value.search(/[;?>]/);
  return cut >= 0 ? value.slice(0, cut) : value;
}
