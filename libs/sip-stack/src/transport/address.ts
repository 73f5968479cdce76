// IP address facts the transport needs: family, comparison across notations, brackets.
import { isIP } from 'node:net';

/** `[::1]` → `::1`; anything else unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::1` → `[::1]` (for URLs and sent-by); IPv4 and names unchanged. */
export function bracketIPv6(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, seen on dual-stack sockets) as plain IPv4. */
export function unmapIPv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

/** 4, 6, or 0 for a name (brackets allowed). */
export function addressFamily(host: string): 0 | 4 | 6 {
  return isIP(stripBrackets(host)) as 0 | 4 | 6;
}

function expandIPv6(address: string): string {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros =
    tail === undefined
      ? []
      : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups]
    .map((g) => parseInt(g, 16).toString(16))
    .join(':');
}

/** The canonical text of an IP literal (IPv6 fully expanded, mapped IPv4 unmapped); names lower-cased. */
export function canonicalAddress(host: string): string {
  const address = stripBrackets(host);
  if (isIP(address) !== 6) return address.toLowerCase();
  const expanded = expandIPv6(address);
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(expanded);
  if (!mapped) return expanded;
  const high = parseInt(mapped[1] ?? '0', 16);
  const low = parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether two hosts name the same IP address (`[::1]` = `0:0::1`, `::ffff:10.0.0.1` = `10.0.0.1`). */
export function sameAddress(a: string, b: string): boolean {
  return canonicalAddress(a) === canonicalAddress(b);
}
