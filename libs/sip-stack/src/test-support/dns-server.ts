// A tiny authoritative DNS server over UDP for tests: answers NAPTR, SRV, A and AAAA questions
// from a table (RFC 1035 wire format, RFC 2782 SRV, RFC 3403 NAPTR). Unknown names get NXDOMAIN,
// known names without the asked type an empty NOERROR answer (NODATA).
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import type { NaptrRecord } from '../dns/types.js';

export interface ZoneEntry {
  readonly A?: readonly { readonly address: string; readonly ttl?: number }[];
  readonly AAAA?: readonly { readonly address: string; readonly ttl?: number }[];
  readonly SRV?: readonly {
    readonly priority: number;
    readonly weight: number;
    readonly port: number;
    readonly target: string;
    readonly ttl?: number;
  }[];
  readonly NAPTR?: readonly NaptrRecord[];
  /** Answer every question for this name with this response code instead. */
  readonly rcode?: 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN';
}

/** Names (lower case, no trailing dot) → what they hold. */
export type Zone = Readonly<Record<string, ZoneEntry>>;

export interface DnsQuestion {
  readonly name: string;
  readonly type: string;
}

export interface TestDnsServer {
  readonly address: string;
  readonly port: number;
  /** `address:port`, for a resolver's server list. */
  readonly server: string;
  /** Every question received, in order. */
  readonly questions: readonly DnsQuestion[];
  stop(): Promise<void>;
}

const TYPES: Readonly<Record<number, 'A' | 'AAAA' | 'SRV' | 'NAPTR'>> = {
  1: 'A',
  28: 'AAAA',
  33: 'SRV',
  35: 'NAPTR',
};
const TYPE_CODES = { A: 1, AAAA: 28, SRV: 33, NAPTR: 35 } as const;
const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const DEFAULT_TTL = 300;

export async function startDnsServer(zone: Zone, address = '127.0.0.1'): Promise<TestDnsServer> {
  const socket: Socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  const questions: DnsQuestion[] = [];
  socket.on('message', (query, remote) => {
    const reply = answer(query, zone, questions);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;
  let stopped: Promise<void> | undefined;
  return {
    address,
    port,
    server: isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`,
    questions,
    stop() {
      stopped ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return stopped;
    },
  };
}

function answer(query: Buffer, zone: Zone, questions: DnsQuestion[]): Buffer | undefined {
  if (query.length < 12) return undefined;
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  const opcode = (flags >> 11) & 0x0f;
  const qdcount = query.readUInt16BE(4);
  const question = qdcount === 1 ? readQuestion(query, 12) : undefined;
  if (!question || opcode !== 0) return header(id, flags, RCODES.FORMERR, 0, 0);

  const name = question.name.toLowerCase();
  const type = TYPES[question.type];
  questions.push({ name, type: type ?? String(question.type) });
  const entry = zone[name];
  const questionBytes = query.subarray(12, question.end);
  if (!entry) return Buffer.concat([header(id, flags, RCODES.NXDOMAIN, 1, 0), questionBytes]);
  if (entry.rcode)
    return Buffer.concat([header(id, flags, RCODES[entry.rcode], 1, 0), questionBytes]);
  const records = type ? encodeRecords(entry, type) : [];
  return Buffer.concat([
    header(id, flags, RCODES.NOERROR, 1, records.length),
    questionBytes,
    ...records,
  ]);
}

function header(id: number, queryFlags: number, rcode: number, qd: number, an: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(id, 0);
  // QR, opcode 0, AA, RD as asked, RA, rcode
  out.writeUInt16BE(0x8000 | 0x0400 | (queryFlags & 0x0100) | 0x0080 | rcode, 2);
  out.writeUInt16BE(qd, 4);
  out.writeUInt16BE(an, 6);
  return out;
}

function readQuestion(
  buf: Buffer,
  start: number,
): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let offset = start;
  for (;;) {
    if (offset >= buf.length) return undefined;
    const length = buf[offset] as number;
    offset++;
    if (length === 0) break;
    if (length > 63 || offset + length > buf.length) return undefined; // no compression in a question
    labels.push(buf.toString('latin1', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > buf.length) return undefined;
  return { name: labels.join('.'), type: buf.readUInt16BE(offset), end: offset + 4 };
}

function encodeRecords(entry: ZoneEntry, type: 'A' | 'AAAA' | 'SRV' | 'NAPTR'): Buffer[] {
  switch (type) {
    case 'A':
      return (entry.A ?? []).map((r) => record(type, r.ttl, ipv4(r.address)));
    case 'AAAA':
      return (entry.AAAA ?? []).map((r) => record(type, r.ttl, ipv6(r.address)));
    case 'SRV':
      return (entry.SRV ?? []).map((r) => {
        const fixed = Buffer.alloc(6);
        fixed.writeUInt16BE(r.priority, 0);
        fixed.writeUInt16BE(r.weight, 2);
        fixed.writeUInt16BE(r.port, 4);
        return record(type, r.ttl, Buffer.concat([fixed, encodeName(r.target)]));
      });
    case 'NAPTR':
      return (entry.NAPTR ?? []).map((r) => {
        const fixed = Buffer.alloc(4);
        fixed.writeUInt16BE(r.order, 0);
        fixed.writeUInt16BE(r.preference, 2);
        const rdata = Buffer.concat([
          fixed,
          characterString(r.flags),
          characterString(r.service),
          characterString(r.regexp),
          encodeName(r.replacement),
        ]);
        return record(type, r.ttl, rdata);
      });
  }
}

/** An answer RR whose owner is the question name (compression pointer to offset 12). */
function record(type: keyof typeof TYPE_CODES, ttl: number | undefined, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(TYPE_CODES[type], 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(ttl ?? DEFAULT_TTL, 6);
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const parts = trimmed === '' ? [] : trimmed.split('.');
  return Buffer.concat([
    ...parts.map((label) =>
      Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')]),
    ),
    Buffer.from([0]),
  ]);
}

function characterString(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function ipv4(address: string): Buffer {
  if (!isIPv4(address)) throw new Error(`not an IPv4 address: ${address}`);
  return Buffer.from(address.split('.').map(Number));
}

function ipv6(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`not an IPv6 address: ${address}`);
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}
