// The Kamailio configuration of the test registrar: REGISTER with digest auth (RFC 3261 §10.3,
// §22), save to usrloc; INVITE/MESSAGE to registered users through lookup("location") and
// t_relay(); in-dialog requests by loose_route(). The SIP port is the `SIP_PORT` define (`-A`);
// paths and domains are written into the file (PEERS.md: defines are not substituted inside
// quoted strings).
import type { DigestAlgorithm } from './db-text.js';

export type KamailioTransport = 'udp' | 'tcp';

export interface RegistrarOptions {
  /** registrar `min_expires` (Kamailio default 60; 0 disables the check). */
  readonly minExpiresS?: number;
  /** registrar `max_expires` (default here 3600). */
  readonly maxExpiresS?: number;
  /** registrar `default_expires` (Kamailio default 3600). */
  readonly defaultExpiresS?: number;
  /** Answer `423 Interval Too Brief` below min_expires instead of raising it (`min_expires_mode` 1). */
  readonly rejectBriefExpires?: boolean;
}

export interface KamailioConfigInput {
  readonly host: string;
  readonly transports: readonly KamailioTransport[];
  /** Served domains: `alias` entries, so `uri == myself` holds for them. */
  readonly domains: readonly string[];
  readonly dbDir: string;
  readonly ctlSocket: string;
  readonly algorithm: DigestAlgorithm;
  /** Challenge with qop="auth" (default true). */
  readonly qop: boolean;
  /** auth `nonce_expire` in seconds (Kamailio default 300); a short one provokes stale=true. */
  readonly nonceExpiresS?: number;
  readonly registrar: RegistrarOptions;
  /** record_route() on INVITE so ACK/BYE pass through Kamailio (default true). */
  readonly recordRoute: boolean;
  /** Kamailio `debug` level (2 = info, the default). */
  readonly logLevel: number;
  readonly children: number;
}

/** The define that carries the SIP port (`-A SIP_PORT=<port>`). */
export const SIP_PORT_DEFINE = 'SIP_PORT';

export function renderKamailioConfig(input: KamailioConfigInput): string {
  const host = input.host.includes(':') ? `[${input.host}]` : input.host;
  const registrar = input.registrar;
  const lines: string[] = [
    '#!KAMAILIO',
    '# Written by @sipwake/testkit for one test run.',
    `debug=${input.logLevel}`,
    'log_stderror=yes',
    `children=${input.children}`,
    `tcp_children=${input.children}`,
    'auto_aliases=no',
    'dns=no',
    'rev_dns=no',
    'use_dns_cache=off',
    'dns_try_ipv6=no',
    'server_header="Server: sipwake-testkit-kamailio"',
    ...input.transports.map((t) => `listen=${t}:${host}:${SIP_PORT_DEFINE}`),
    ...input.domains.map((d) => `alias="${d}"`),
    '',
    ...[
      'kex',
      'corex',
      'tm',
      'sl',
      'rr',
      'pv',
      'maxfwd',
      'textops',
      'siputils',
      'xlog',
      'sanity',
      'ctl',
      'db_text',
      'usrloc',
      'registrar',
      'auth',
      'auth_db',
    ].map((m) => `loadmodule "${m}.so"`),
    '',
    `modparam("ctl", "binrpc", "unix:${input.ctlSocket}")`,
    // Non-caching: a subscriber file replaced by rename is re-read on its next use.
    'modparam("db_text", "db_mode", 1)',
    'modparam("usrloc", "db_mode", 0)',
    `modparam("auth_db", "db_url", "text://${input.dbDir}")`,
    'modparam("auth_db", "calculate_ha1", 0)',
    'modparam("auth_db", "password_column", "ha1")',
    'modparam("auth_db", "password_column_2", "ha1b")',
    'modparam("auth_db", "use_domain", 1)',
    `modparam("auth", "algorithm", "${input.algorithm}")`,
    ...(input.nonceExpiresS === undefined
      ? []
      : [`modparam("auth", "nonce_expire", ${input.nonceExpiresS})`]),
    'modparam("rr", "append_fromtag", 1)',
    `modparam("registrar", "max_expires", ${registrar.maxExpiresS ?? 3600})`,
    ...(registrar.minExpiresS === undefined
      ? []
      : [`modparam("registrar", "min_expires", ${registrar.minExpiresS})`]),
    ...(registrar.defaultExpiresS === undefined
      ? []
      : [`modparam("registrar", "default_expires", ${registrar.defaultExpiresS})`]),
    ...(registrar.rejectBriefExpires ? ['modparam("registrar", "min_expires_mode", 1)'] : []),
    '',
    'request_route {',
    '  xlog("L_INFO", "testkit: $rm $ru from $proto:$si:$sp call-id $ci\\n");',
    '  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }',
    '  if (!sanity_check()) { exit; }',
    '  if (has_totag()) {',
    '    if (loose_route()) { if (!t_relay()) { sl_reply_error(); } exit; }',
    '    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }',
    '    sl_send_reply("404", "Not Here");',
    '    exit;',
    '  }',
    '  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }',
    '  if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }',
    '  if (is_method("OPTIONS") && uri == myself && $rU == $null) {',
    '    sl_send_reply("200", "OK");',
    '    exit;',
    '  }',
    '  if (is_method("REGISTER")) {',
    // RFC 3261 §22.1: the registrar challenges with 401 and WWW-Authenticate.
    '    if (!auth_check("$td", "subscriber", "1")) {',
    '      xlog("L_INFO", "testkit: REGISTER $tu not authorized ($rc)\\n");',
    `      www_challenge("$td", "${input.qop ? 1 : 0}");`,
    '      exit;',
    '    }',
    '    consume_credentials();',
    '    if (!save("location")) { sl_reply_error(); }',
    '    exit;',
    '  }',
    '  if (is_method("INVITE|MESSAGE")) {',
    '    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }',
    ...(input.recordRoute ? ['    if (is_method("INVITE")) { record_route(); }'] : []),
    '    if (!t_relay()) { sl_reply_error(); }',
    '    exit;',
    '  }',
    '  sl_send_reply("405", "Method Not Allowed");',
    '}',
    '',
  ];
  return lines.join('\n');
}
