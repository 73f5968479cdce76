// IPv6 references (RFC 3261 §25.1, RFC 5118). Everything between "[" and "]" is the address:
// `[2001:db8::10:5070]` has no port (RFC 5118 §4.3).

function hexGroup(part: string): boolean {
  if (part.length < 1 || part.length > 4) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length < 1 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (Number(p) > 255) return false;
  }
  return true;
}

/**
 * True for an RFC 4291 text address (without brackets). RFC 5118 §4.10: the ":::" that
 * RFC 3261's ABNF admits before an embedded IPv4 address is tolerated as "::".
 */
export function isIPv6(address: string): boolean {
  const a = address.replace(':::', '::');
  const dc = a.indexOf('::');
  if (dc >= 0 && a.indexOf('::', dc + 1) >= 0) return false;
  const head = dc >= 0 ? a.substring(0, dc) : a;
  const tail = dc >= 0 ? a.substring(dc + 2) : '';
  const parts = (head === '' ? [] : head.split(':')).concat(tail === '' ? [] : tail.split(':'));
  let groups = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (k === parts.length - 1 && p.indexOf('.') >= 0) {
      if (!isIPv4(p)) return false;
      groups += 2;
    } else {
      if (!hexGroup(p)) return false;
      groups += 1;
    }
  }
  return dc >= 0 ? groups <= 7 : groups === 8;
}
