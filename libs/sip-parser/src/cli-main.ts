// `sip-parse FILE` (or `-` for stdin): parses one captured SIP message with datagram rules and
// prints it as JSON; a malformed message prints its SipParseError to stderr and exits 1.
import { SipParseError } from './errors.js';
import { parseMessage } from './parse.js';
import type { SipMessage } from './types.js';

/** What the command touches of the outside world (the bin file wires process streams). */
export interface SipParseIo {
  readFile(path: string): Promise<Buffer>;
  readStdin(): Promise<Buffer>;
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = 'usage: sip-parse FILE   (- reads standard input)\n';

/** The message as the command prints it: headers by lower-case full name, raw values in order. */
export function describeMessage(msg: SipMessage): Record<string, unknown> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of msg.headers.entries()) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) {
      Object.defineProperty(headers, name, { value: [], enumerable: true, writable: true });
    }
    headers[name]!.push(value);
  }
  return msg.type === 'request'
    ? { type: 'request', method: msg.method, uri: msg.uri, headers, bodyLength: msg.body.length }
    : {
        type: 'response',
        status: msg.status,
        reason: msg.reason,
        headers,
        bodyLength: msg.body.length,
      };
}

/** Runs the command; resolves with the exit code. */
export async function runSipParse(argv: readonly string[], io: SipParseIo): Promise<number> {
  if (argv.length !== 1 || argv[0] === '-h' || argv[0] === '--help') {
    io.stderr(USAGE);
    return argv.length === 1 ? 0 : 2;
  }
  const path = argv[0]!;
  let bytes: Buffer;
  try {
    bytes = path === '-' ? await io.readStdin() : await io.readFile(path);
  } catch (e) {
    io.stderr(`sip-parse: cannot read ${path}: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const msg = parseMessage(bytes, { datagram: true });
    io.stdout(JSON.stringify(describeMessage(msg)) + '\n');
    return 0;
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    io.stderr(`SipParseError ${e.code}: ${e.message}\n`);
    return 1;
  }
}
