/**
 * PgBouncer's value type of every key of the CloudNativePG 1.30 allow-list, and for each type the
 * values the library must accept and refuse. Written from PgBouncer 1.24.1's `src/main.c` (the
 * `CF_INT`, `CF_UINT`, `CF_TIME_USEC`, `CF_LOOKUP`, `CF_STR` of each key), independently of the
 * library's own table in src/pooler/pgbouncer-parameters.ts.
 *
 * Two tests read it:
 * - test/pgbouncer-parameters.test.ts: the library accepts every `accepted` value and refuses
 *   every other one, for every key of the type, with the type's message;
 * - test/integ/pgbouncer-values.test.ts: the real PgBouncer is the judge of this table. It starts
 *   with every `accepted` value and `SHOW CONFIG` reports it; it refuses to start with every
 *   `refusedByBoth` value; it starts with every `stricter` value but reads it as `reads` says,
 *   which is why the library refuses it (or fails with what it reads: {@link pgbouncerBehaviour});
 *   and one past a key's own limit ({@link VALUE_LIMITS}) it exits or locks the operator out.
 */

export type PgBouncerValueType = 'int' | 'uint' | 'seconds' | 'bool' | 'enum' | 'string' | 'list' | 'tls-protocols';

const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Each allowed key's type (and for enums, PgBouncer's lookup values). */
export const PGBOUNCER_VALUE_TYPES: Readonly<Record<string, { readonly type: PgBouncerValueType; readonly values?: readonly string[] }>> = {
  application_name_add_host: { type: 'bool' },
  auth_type: { type: 'enum', values: ['any', 'trust', 'plain', 'md5', 'cert', 'hba', 'pam', 'scram-sha-256'] },
  autodb_idle_timeout: { type: 'seconds' },
  cancel_wait_timeout: { type: 'seconds' },
  client_idle_timeout: { type: 'seconds' },
  client_login_timeout: { type: 'seconds' },
  client_tls_ciphers: { type: 'string' },
  client_tls_sslmode: { type: 'enum', values: SSLMODES },
  client_tls13_ciphers: { type: 'string' },
  default_pool_size: { type: 'int' },
  disable_pqexec: { type: 'bool' },
  dns_max_ttl: { type: 'seconds' },
  dns_nxdomain_ttl: { type: 'seconds' },
  idle_transaction_timeout: { type: 'seconds' },
  ignore_startup_parameters: { type: 'list' },
  listen_backlog: { type: 'int' },
  log_connections: { type: 'bool' },
  log_disconnections: { type: 'bool' },
  log_pooler_errors: { type: 'bool' },
  log_stats: { type: 'bool' },
  max_client_conn: { type: 'int' },
  max_db_connections: { type: 'int' },
  max_packet_size: { type: 'uint' },
  max_prepared_statements: { type: 'int' },
  max_user_connections: { type: 'int' },
  min_pool_size: { type: 'int' },
  pkt_buf: { type: 'int' },
  query_timeout: { type: 'seconds' },
  query_wait_timeout: { type: 'seconds' },
  reserve_pool_size: { type: 'int' },
  reserve_pool_timeout: { type: 'seconds' },
  sbuf_loopcnt: { type: 'int' },
  server_check_delay: { type: 'seconds' },
  server_check_query: { type: 'string' },
  server_connect_timeout: { type: 'seconds' },
  server_fast_close: { type: 'bool' },
  server_idle_timeout: { type: 'seconds' },
  server_lifetime: { type: 'seconds' },
  server_login_retry: { type: 'seconds' },
  server_reset_query: { type: 'string' },
  server_reset_query_always: { type: 'bool' },
  server_round_robin: { type: 'bool' },
  server_tls_ciphers: { type: 'string' },
  server_tls_protocols: { type: 'tls-protocols' },
  server_tls_sslmode: { type: 'enum', values: SSLMODES },
  server_tls13_ciphers: { type: 'string' },
  stats_period: { type: 'int' },
  suspend_timeout: { type: 'seconds' },
  tcp_defer_accept: { type: 'int' },
  tcp_socket_buffer: { type: 'int' },
  tcp_keepalive: { type: 'bool' },
  tcp_keepcnt: { type: 'int' },
  tcp_keepidle: { type: 'int' },
  tcp_keepintvl: { type: 'int' },
  tcp_user_timeout: { type: 'int' },
  track_extra_parameters: { type: 'list' },
  verbose: { type: 'int' },
};

/** A value the library refuses although PgBouncer starts with it, and what PgBouncer makes of it. */
export interface StricterCase {
  readonly value: string;
  /** What `SHOW CONFIG` reports for it. */
  readonly reads: string;
  /** Why the library refuses it. */
  readonly why: string;
}

/** A value the library accepts: PgBouncer starts and `SHOW CONFIG` reports `value` (or `shows`). */
export interface AcceptedValue {
  readonly value: string;
  readonly shows?: string;
  /** Other parameters PgBouncer needs with it. */
  readonly with?: Readonly<Record<string, string>>;
}

export interface ValueCases {
  /** Accepted by the library; PgBouncer starts and `SHOW CONFIG` reports `value` (or `shows`). */
  readonly accepted: readonly AcceptedValue[];
  /** Refused by the library, and PgBouncer refuses to start with them. */
  readonly refusedByBoth: readonly string[];
  /** Refused by the library only: PgBouncer starts, but reads them otherwise than they read. */
  readonly stricter: readonly StricterCase[];
  /** The library's problem text for a refused value. */
  readonly problem: RegExp;
}

/** The cases of each type. Enum values are added from {@link PGBOUNCER_VALUE_TYPES}. */
export const VALUE_CASES: Readonly<Record<PgBouncerValueType, ValueCases>> = {
  'int': {
    accepted: [{ value: '0' }, { value: '7' }, { value: '2147483647' }],
    refusedByBoth: ['1.5', 'abc', '', '1e3', '20 connections'],
    stricter: [
      { value: '010', reads: '8', why: 'a leading 0 makes PgBouncer (strtol, base 0) read octal' },
      { value: '0x10', reads: '16', why: 'PgBouncer reads hexadecimal too' },
      { value: '2147483648', reads: '-2147483648', why: 'past 2^31 - 1 PgBouncer wraps it to a negative number' },
      { value: '-1', reads: '-1', why: 'negative: no count or size of PgBouncer means anything below 0' },
    ],
    problem: /is not a whole number from 0 to 2147483647, without leading zeros/,
  },
  'uint': {
    accepted: [{ value: '0' }, { value: '1024' }, { value: '4294967295' }],
    refusedByBoth: ['1.5', 'abc', ''],
    stricter: [
      { value: '-1', reads: '4294967295', why: 'PgBouncer (strtoul) wraps a negative number to 2^32 - 1' },
      { value: '010', reads: '8', why: 'a leading 0 makes PgBouncer read octal' },
    ],
    problem: /is not a whole number from 0 to 4294967295, without leading zeros/,
  },
  'seconds': {
    accepted: [{ value: '0' }, { value: '2.5' }, { value: '600' }, { value: '010', shows: '10' }],
    refusedByBoth: ['-1', '15s', '', '1,5', 'abc'],
    stricter: [
      { value: '1e3', reads: '1000', why: 'exponents are not a number of seconds anyone writes on purpose' },
      { value: '.5', reads: '0.5', why: 'written 0.5 by the library\'s own Duration rendering' },
    ],
    problem: /is not a number of seconds \(PgBouncer reads a non-negative decimal, without a unit\)/,
  },
  'bool': {
    accepted: [{ value: '0' }, { value: '1' }],
    refusedByBoth: ['true', 'on', 'yes', '', 'abc'],
    stricter: [
      { value: '2', reads: '2', why: 'PgBouncer takes any integer as a boolean; 0 and 1 are the ones that read as one' },
      { value: '-1', reads: '-1', why: 'idem' },
    ],
    problem: /is not 0 or 1/,
  },
  'enum': {
    accepted: [],
    refusedByBoth: ['bogus', ''],
    stricter: [],
    problem: /is not one of /,
  },
  'string': {
    // The queries' values; the cipher keys take CIPHER_LISTS or TLS13_SUITES (PgBouncer refuses a cipher list that names
    // no cipher, which the library does not check: see the integration test).
    accepted: [{ value: 'select 1' }, { value: 'DISCARD ALL' }, { value: '' }],
    refusedByBoth: [],
    stricter: [],
    problem: /contains a line break/,
  },
  'list': {
    accepted: [{ value: 'DateStyle' }, { value: 'DateStyle,TimeZone,search_path' }],
    refusedByBoth: [],
    stricter: [
      { value: 'a b', reads: 'a b', why: 'PgBouncer keeps the string; a parameter name has no space' },
      { value: 'a,,b', reads: 'a,,b', why: 'an empty name' },
      { value: '1abc', reads: '1abc', why: 'not a parameter name' },
    ],
    problem: /is not a comma-separated list of parameter names/,
  },
  'tls-protocols': {
    accepted: [{ value: 'tlsv1.2' }, { value: 'TLSv1.3' }, { value: 'tlsv1.2,tlsv1.3' }, { value: 'secure' }, { value: 'all' }, { value: 'default' }],
    refusedByBoth: ['legacy', 'bogus', 'TLS1.3'],
    stricter: [
      { value: 'tlsv1.2:tlsv1.3', reads: 'tlsv1.2:tlsv1.3', why: 'PgBouncer splits on colons too; the library writes commas only' },
      { value: 'tlsv1', reads: 'tlsv1', why: 'an alias of tlsv1.0: the library asks for the full name' },
    ],
    problem: /is not a PgBouncer TLS protocol list/,
  },
};

/**
 * Limits below the type's, with what PgBouncer does past them: it exits (`exits`), or the
 * operator's own admin connection is refused (`locks-out-operator`).
 */
export const VALUE_LIMITS: Readonly<Record<string, { readonly max: number; readonly beyond: 'exits' | 'locks-out-operator'; readonly problem: RegExp }>> = {
  disable_pqexec: { max: 0, beyond: 'locks-out-operator', problem: /^is more than 0: would lock the operator out: .*simple queries, which disable_pqexec=1 refuses/ },
  tcp_keepcnt: { max: 127, beyond: 'exits', problem: /^is more than 127: Linux accepts at most 127 for TCP_KEEPCNT: PgBouncer cannot set it on its listening socket and exits/ },
  tcp_keepidle: { max: 32767, beyond: 'exits', problem: /^is more than 32767: Linux accepts at most 32767 for TCP_KEEPIDLE/ },
  tcp_keepintvl: { max: 32767, beyond: 'exits', problem: /^is more than 32767: Linux accepts at most 32767 for TCP_KEEPINTVL/ },
};

/**
 * Socket options whose negative values PgBouncer passes to setsockopt, which fails, and PgBouncer
 * exits (`tcp_keepcnt` skips values below 1).
 */
export const NEGATIVE_EXITS_KEYS: readonly string[] = ['tcp_keepidle', 'tcp_keepintvl', 'tcp_user_timeout'];

/** What PgBouncer does with a value it reads as `reads`: runs with it, exits, or locks the operator out. */
export function pgbouncerBehaviour(key: string, reads: string): 'reads' | 'exits' | 'locks-out-operator' {
  const n = Number(reads);
  const limit = VALUE_LIMITS[key];
  if (limit?.beyond === 'locks-out-operator' && n !== 0) return 'locks-out-operator';
  if (NEGATIVE_EXITS_KEYS.includes(key) && n < 0) return 'exits';
  if (limit?.beyond === 'exits' && n > limit.max) return 'exits';
  return 'reads';
}

/**
 * Values that pass the type check but with which PgBouncer accepts no login, so a clean start
 * proves nothing: these keys are judged with values that work. The library does not refuse the
 * small ones (the limit depends on the clients' packets); see docs/development/mutation-testing.md.
 */
const WORKING_VALUES: Readonly<Record<string, ReadonlyArray<{ readonly value: string }>>> = {
  // 0 and 7: no login completes (client_login_timeout); 2147483647: no buffer is allocated.
  pkt_buf: [{ value: '256' }, { value: '4096' }, { value: '65536' }],
  // 0, 1, 64: smaller than a startup packet ("bad packet header").
  max_packet_size: [{ value: '1024' }, { value: '2147483647' }, { value: '4294967295' }],
};

/** Values of the `*_tls_ciphers` keys (OpenSSL cipher lists, or libtls's keywords). */
const CIPHER_LISTS = [{ value: 'HIGH:!aNULL' }, { value: 'default' }, { value: 'ECDHE-ECDSA-AES256-GCM-SHA384' }];
/** Values of the `*_tls13_ciphers` keys (TLS 1.3 suite names). */
const TLS13_SUITES = [{ value: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256' }];

/** The values one key must accept (enum values included). */
export function acceptedValues(key: string): ReadonlyArray<AcceptedValue> {
  const spec = PGBOUNCER_VALUE_TYPES[key];
  // auth_type=cert: PgBouncer requires client_tls_sslmode=verify-full with it.
  if (spec.type === 'enum') return spec.values!.map((value) => (value === 'cert' ? { value, with: { client_tls_sslmode: 'verify-full' } } : { value }));
  if (WORKING_VALUES[key]) return WORKING_VALUES[key];
  const limit = VALUE_LIMITS[key];
  if (limit) return [...VALUE_CASES[spec.type].accepted.filter((a) => Number(a.value) < limit.max), { value: String(limit.max) }];
  if (key.endsWith('_tls13_ciphers')) return TLS13_SUITES;
  if (key.endsWith('_tls_ciphers')) return CIPHER_LISTS;
  return VALUE_CASES[spec.type].accepted;
}

/**
 * The stricter cases of keys whose small values accept no login (WORKING_VALUES): the type's `010`
 * and `0x10` would read as 8 and 16, which cannot be read back through the admin console.
 */
const WORKING_STRICTER: Readonly<Record<string, readonly StricterCase[]>> = {
  pkt_buf: [
    { value: '010000', reads: '4096', why: 'octal' },
    { value: '0x1000', reads: '4096', why: 'hexadecimal' },
  ],
  max_packet_size: [
    { value: '020000', reads: '8192', why: 'octal' },
    { value: '-1', reads: '4294967295', why: 'PgBouncer (strtoul) wraps a negative number to 2^32 - 1' },
  ],
};

/** The values of one key that only the library refuses, and what PgBouncer makes of them. */
export function stricterCases(key: string): readonly StricterCase[] {
  const spec = PGBOUNCER_VALUE_TYPES[key];
  if (spec.type === 'enum') return [{ value: spec.values![0].toUpperCase(), reads: spec.values![0], why: 'PgBouncer ignores the case' }];
  return WORKING_STRICTER[key] ?? VALUE_CASES[spec.type].stricter;
}

/** The values one key must refuse for its type, with the type's problem text. */
export function refusedValues(key: string): readonly string[] {
  const cases = VALUE_CASES[PGBOUNCER_VALUE_TYPES[key].type];
  const stricter = new Set([...cases.stricter, ...stricterCases(key)].map((s) => s.value));
  return [...cases.refusedByBoth, ...stricter];
}
