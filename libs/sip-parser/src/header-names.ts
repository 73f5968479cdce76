// Known header names: the id the scanner records, the canonical spelling the serializer writes,
// and the compact forms of RFC 3261 §7.3.3 and the IANA "Header Fields" registry.

/** [lower-case full name, canonical spelling, compact form or ''] — the index is the id. */
const TABLE: readonly (readonly [string, string, string])[] = [
  ['via', 'Via', 'v'],
  ['from', 'From', 'f'],
  ['to', 'To', 't'],
  ['call-id', 'Call-ID', 'i'],
  ['cseq', 'CSeq', ''],
  ['contact', 'Contact', 'm'],
  ['content-length', 'Content-Length', 'l'],
  ['max-forwards', 'Max-Forwards', ''],
  ['content-type', 'Content-Type', 'c'],
  ['expires', 'Expires', ''],
  ['min-expires', 'Min-Expires', ''],
  ['route', 'Route', ''],
  ['record-route', 'Record-Route', ''],
  ['path', 'Path', ''],
  ['authorization', 'Authorization', ''],
  ['proxy-authorization', 'Proxy-Authorization', ''],
  ['www-authenticate', 'WWW-Authenticate', ''],
  ['proxy-authenticate', 'Proxy-Authenticate', ''],
  ['authentication-info', 'Authentication-Info', ''],
  ['retry-after', 'Retry-After', ''],
  ['reason', 'Reason', ''],
  ['supported', 'Supported', 'k'],
  ['require', 'Require', ''],
  ['proxy-require', 'Proxy-Require', ''],
  ['unsupported', 'Unsupported', ''],
  ['content-encoding', 'Content-Encoding', 'e'],
  ['subject', 'Subject', 's'],
  ['event', 'Event', 'o'],
  ['allow-events', 'Allow-Events', 'u'],
  ['refer-to', 'Refer-To', 'r'],
  ['referred-by', 'Referred-By', 'b'],
  ['session-expires', 'Session-Expires', 'x'],
  ['identity', 'Identity', 'y'],
  ['identity-info', 'Identity-Info', 'n'],
  ['reject-contact', 'Reject-Contact', 'j'],
  ['accept-contact', 'Accept-Contact', 'a'],
  ['request-disposition', 'Request-Disposition', 'd'],
  ['timestamp', 'Timestamp', ''],
  ['allow', 'Allow', ''],
  ['accept', 'Accept', ''],
  ['accept-encoding', 'Accept-Encoding', ''],
  ['accept-language', 'Accept-Language', ''],
  ['user-agent', 'User-Agent', ''],
  ['server', 'Server', ''],
  ['date', 'Date', ''],
  ['warning', 'Warning', ''],
  ['organization', 'Organization', ''],
  ['priority', 'Priority', ''],
  ['in-reply-to', 'In-Reply-To', ''],
  ['reply-to', 'Reply-To', ''],
  ['alert-info', 'Alert-Info', ''],
  ['call-info', 'Call-Info', ''],
  ['error-info', 'Error-Info', ''],
  ['mime-version', 'MIME-Version', ''],
  ['content-disposition', 'Content-Disposition', ''],
  ['content-language', 'Content-Language', ''],
  ['min-se', 'Min-SE', ''],
  ['rseq', 'RSeq', ''],
  ['rack', 'RAck', ''],
  ['privacy', 'Privacy', ''],
  ['p-asserted-identity', 'P-Asserted-Identity', ''],
  ['p-preferred-identity', 'P-Preferred-Identity', ''],
  ['service-route', 'Service-Route', ''],
  ['security-client', 'Security-Client', ''],
  ['security-server', 'Security-Server', ''],
  ['security-verify', 'Security-Verify', ''],
  ['subscription-state', 'Subscription-State', ''],
  ['sip-etag', 'SIP-ETag', ''],
  ['sip-if-match', 'SIP-If-Match', ''],
  ['replaces', 'Replaces', ''],
  ['flow-timer', 'Flow-Timer', ''],
];

export const H_VIA = 0;
export const H_FROM = 1;
export const H_TO = 2;
export const H_CALL_ID = 3;
export const H_CSEQ = 4;
export const H_CONTACT = 5;
export const H_CONTENT_LENGTH = 6;
export const H_MAX_FORWARDS = 7;
export const H_CONTENT_TYPE = 8;
export const H_EXPIRES = 9;
export const H_MIN_EXPIRES = 10;
export const H_ROUTE = 11;
export const H_RECORD_ROUTE = 12;
export const H_PATH = 13;
export const H_AUTHORIZATION = 14;
export const H_PROXY_AUTHORIZATION = 15;
export const H_WWW_AUTHENTICATE = 16;
export const H_PROXY_AUTHENTICATE = 17;
export const H_AUTHENTICATION_INFO = 18;
export const H_RETRY_AFTER = 19;
export const H_REASON = 20;
export const H_SUPPORTED = 21;
export const H_REQUIRE = 22;
export const H_PROXY_REQUIRE = 23;
export const H_TIMESTAMP = 37;
/** Id of a header this table does not know. */
export const H_UNKNOWN = -1;

/** Every spelling looked up directly: lower-case, canonical, compact in both cases. */
function buildByName(): Map<string, number> {
  const byName = new Map<string, number>();
  for (let id = 0; id < TABLE.length; id++) {
    const [lower, canonical, compact] = TABLE[id]!;
    byName.set(lower, id);
    byName.set(canonical, id);
    if (compact !== '') {
      byName.set(compact, id);
      byName.set(compact.toUpperCase(), id);
    }
  }
  return byName;
}

const byName = buildByName();

/** Id of a header name (any case, full or compact), or H_UNKNOWN. */
export function headerId(name: string): number {
  const id = byName.get(name);
  if (id !== undefined) return id;
  return byName.get(name.toLowerCase()) ?? H_UNKNOWN;
}

/**
 * A trie over header names for the scanner, which walks it while it checks the name's token
 * characters: one table step per character instead of a second pass to compare names.
 * `code` maps a character to its edge (letters folded to lower case; 0 = not a token char);
 * node n's child by edge k is `next[(n << 5) | k]` (0 = none); `id[n]` is the id at node n.
 */
export interface NameTrie {
  readonly code: Uint8Array;
  readonly next: Int16Array;
  readonly id: Int16Array;
}

/** The root node of NameTrie (0 means "no node"). */
export const TRIE_ROOT = 1;

function buildTrie(): NameTrie {
  // Edges: letters (folded) 1-26, "-" 27; any other token character is 28, which no known name
  // holds, so it leaves the trie (the name is unknown) while still counting as a token.
  const code = new Uint8Array(128);
  for (let c = 97; c <= 122; c++) code[c] = code[c - 32] = c - 96;
  code[45] = 27;
  for (const ch of "0123456789.!%*_+`'~") code[ch.charCodeAt(0)] = 28;
  const names: [string, number][] = [];
  TABLE.forEach(([lower, , compact], id) => {
    names.push([lower, id]);
    if (compact !== '') names.push([compact, id]);
  });
  let nodes = 2; // 0 = none, 1 = root
  const edges = new Map<number, number>();
  const ids = new Map<number, number>();
  for (const [name, id] of names) {
    let n = TRIE_ROOT;
    for (let k = 0; k < name.length; k++) {
      const key = (n << 5) | code[name.charCodeAt(k)]!;
      let child = edges.get(key);
      if (child === undefined) edges.set(key, (child = nodes++));
      n = child;
    }
    ids.set(n, id);
  }
  const next = new Int16Array(nodes << 5);
  for (const [key, child] of edges) next[key] = child;
  const id = new Int16Array(nodes).fill(H_UNKNOWN);
  for (const [n, v] of ids) id[n] = v;
  return { code, next, id };
}

export const NAME_TRIE: NameTrie = buildTrie();

/** Lower-case full name of a known id. */
export function lowerName(id: number): string {
  return TABLE[id]![0];
}

/** Canonical spelling of a known id (`Call-ID`, `WWW-Authenticate`). */
export function canonicalName(id: number): string {
  return TABLE[id]![1];
}
