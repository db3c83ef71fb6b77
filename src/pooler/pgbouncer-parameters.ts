import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { SchemaProblem } from '../checks/schema';
import { invalidInput, show } from '../common/errors';
import { CnpgVersion } from '../versions/cnpg-version';

/**
 * PgBouncer's pooling mode. CloudNativePG accepts only these two (its CRD has no `statement`
 * mode: cloudnative-pg issue #5454).
 */
export enum PoolMode {
  /**
   * A client keeps one server connection for its whole session: every PostgreSQL feature works
   * (session `SET`s, advisory locks, `LISTEN`, temporary tables, SQL `PREPARE`, holdable cursors).
   */
  SESSION = 'session',
  /**
   * A server connection is handed to a client for one transaction only: far fewer server
   * connections, but session state does not follow the client. Protocol-level prepared statements
   * work only with `max_prepared_statements > 0` (PgBouncer >= 1.21).
   */
  TRANSACTION = 'transaction',
}

/** How an application's driver uses prepared statements: what transaction pooling must support. */
export enum PreparedStatementUse {
  /**
   * The application never prepares named statements (or its driver's preparing is turned off, e.g.
   * pgjdbc `prepareThreshold=0`, pgx `QueryExecModeSimpleProtocol`/`Exec`, Rails
   * `prepared_statements: false`). Transaction mode works with any `max_prepared_statements`.
   */
  NONE = 'none',
  /**
   * The driver prepares named statements at the protocol level (Parse/Bind/Execute): pgjdbc after
   * `prepareThreshold` executions, pgx's statement cache, node-postgres `name:`, psycopg 3 after
   * `prepare_threshold`. Transaction mode needs `max_prepared_statements > 0` (PgBouncer >= 1.21),
   * which makes PgBouncer prepare them on whichever server connection the client gets.
   */
  PROTOCOL_LEVEL = 'protocol-level',
  /**
   * The application runs SQL-level `PREPARE`/`EXECUTE`/`DEALLOCATE`. PgBouncer does not track those
   * in transaction mode (its documentation says so): such applications need session mode.
   */
  SQL_LEVEL = 'sql-level',
}

/**
 * Typed PgBouncer settings (`spec.pgbouncer.parameters`). Every field maps to one PgBouncer
 * parameter of the CloudNativePG 1.30 allow-list; anything else goes in `additionalParameters`,
 * which is checked against the same allow-list and PgBouncer's value types.
 *
 * Time values are PgBouncer seconds (fractions allowed).
 */
export interface PgBouncerParameters {
  /**
   * `max_client_conn`: client connections each replica accepts.
   *
   * @default - PgBouncer's 100
   */
  readonly maxClientConnections?: number;
  /**
   * `default_pool_size`: server connections per database/role pair, per replica.
   *
   * @default - PgBouncer's 20
   */
  readonly defaultPoolSize?: number;
  /**
   * `min_pool_size`: server connections kept open per pool even when idle (at most `defaultPoolSize`).
   *
   * @default - PgBouncer's 0
   */
  readonly minPoolSize?: number;
  /**
   * `reserve_pool_size`: extra server connections a pool may open when clients wait longer than
   * `reservePoolTimeout`. Counted in the connection budget.
   *
   * @default - PgBouncer's 0
   */
  readonly reservePoolSize?: number;
  /**
   * `reserve_pool_timeout`.
   *
   * @default - PgBouncer's 5 seconds
   */
  readonly reservePoolTimeout?: Duration;
  /**
   * `max_db_connections`: server connections per database, per replica (0 = unlimited). The knob
   * that caps what a pooler can open against a shared cluster; counted in the connection budget.
   *
   * @default - PgBouncer's 0 (unlimited: the pool sizes decide)
   */
  readonly maxDbConnections?: number;
  /**
   * `max_user_connections`: server connections per role, per replica (0 = unlimited).
   *
   * @default - PgBouncer's 0
   */
  readonly maxUserConnections?: number;
  /**
   * `max_prepared_statements`: protocol-level prepared statements PgBouncer tracks per server
   * connection in transaction mode (PgBouncer >= 1.21). 0 turns the tracking off.
   *
   * @default - 200 in transaction mode (written explicitly: PgBouncer images older than 1.24
   * default to 0); PgBouncer's default in session mode
   */
  readonly maxPreparedStatements?: number;
  /**
   * `query_wait_timeout`: how long a client may wait for a server connection.
   *
   * @default - PgBouncer's 120 seconds
   */
  readonly queryWaitTimeout?: Duration;
  /**
   * `query_timeout` (0 = off). PgBouncer calls it dangerous: prefer PostgreSQL's `statement_timeout`.
   *
   * @default - PgBouncer's 0
   */
  readonly queryTimeout?: Duration;
  /**
   * `client_idle_timeout` (0 = off).
   *
   * @default - PgBouncer's 0
   */
  readonly clientIdleTimeout?: Duration;
  /**
   * `idle_transaction_timeout`: closes a client idle in a transaction (0 = off). In transaction
   * mode such a client pins a server connection.
   *
   * @default - PgBouncer's 0
   */
  readonly idleTransactionTimeout?: Duration;
  /**
   * `server_idle_timeout`.
   *
   * @default - PgBouncer's 600 seconds
   */
  readonly serverIdleTimeout?: Duration;
  /**
   * `server_lifetime`.
   *
   * @default - PgBouncer's 3600 seconds
   */
  readonly serverLifetime?: Duration;
  /**
   * `server_connect_timeout`.
   *
   * @default - PgBouncer's 15 seconds
   */
  readonly serverConnectTimeout?: Duration;
  /**
   * `server_login_retry`.
   *
   * @default - PgBouncer's 15 seconds
   */
  readonly serverLoginRetry?: Duration;
  /**
   * `server_reset_query`: run when a server connection goes back to the pool in session mode
   * (`DISCARD ALL` hands the next client a clean session; an empty string hands over the previous
   * client's `SET`s, advisory locks and prepared statements).
   *
   * @default - PgBouncer's `DISCARD ALL`
   */
  readonly serverResetQuery?: string;
  /**
   * `server_reset_query_always`: run the reset query in transaction mode too.
   *
   * @default - PgBouncer's false
   */
  readonly serverResetQueryAlways?: boolean;
  /**
   * `server_check_query`.
   *
   * @default - PgBouncer's `select 1`
   */
  readonly serverCheckQuery?: string;
  /**
   * `server_check_delay`.
   *
   * @default - PgBouncer's 30 seconds
   */
  readonly serverCheckDelay?: Duration;
  /**
   * `application_name_add_host`: append the client's address to `application_name`.
   *
   * @default - PgBouncer's false
   */
  readonly applicationNameAddHost?: boolean;
  /**
   * `log_connections`.
   *
   * @default - PgBouncer's true
   */
  readonly logConnections?: boolean;
  /**
   * `log_disconnections`.
   *
   * @default - PgBouncer's true
   */
  readonly logDisconnections?: boolean;
  /**
   * `log_pooler_errors`.
   *
   * @default - PgBouncer's true
   */
  readonly logPoolerErrors?: boolean;
  /**
   * `stats_period`, whole seconds.
   *
   * @default - PgBouncer's 60 seconds
   */
  readonly statsPeriod?: Duration;
  /**
   * Extra `ignore_startup_parameters`. The operator always adds `extra_float_digits` and `options`
   * (and prepends them to this list), so they are refused here.
   *
   * @default - only the operator's
   */
  readonly ignoreStartupParameters?: string[];
  /**
   * `track_extra_parameters`: startup parameters PgBouncer keeps per client in transaction mode.
   *
   * @default - PgBouncer's `IntervalStyle`
   */
  readonly trackExtraParameters?: string[];
}

/** How a PgBouncer value is parsed (pgbouncer 1.24 src/main.c, libusual cfparser). */
type ValueType = 'int' | 'uint' | 'seconds' | 'bool' | 'enum' | 'string' | 'list' | 'tls-protocols';

interface ParameterSpec {
  readonly type: ValueType;
  readonly values?: readonly string[];
  /**
   * A limit below the type's: a larger value passes PgBouncer's parser but breaks the pooler (found
   * by running PgBouncer 1.24.1 with every value: test/integ/pgbouncer-values.test.ts).
   */
  readonly max?: { readonly value: number; readonly reason: string };
}

/** Linux's limits of the keepalive socket options (include/net/tcp.h, MAX_TCP_KEEP*). */
const keepaliveMax = (value: number, option: string): ParameterSpec['max'] => ({
  value,
  reason: `Linux accepts at most ${value} for ${option}: PgBouncer cannot set it on its listening socket and exits ("failed to listen on any address")`,
});

/**
 * `AllowedPgbouncerGenericConfigurationParameters`: the only keys the CloudNativePG 1.30 admission
 * webhook accepts in `spec.pgbouncer.parameters` (anything else: "Invalid or reserved parameter"),
 * with PgBouncer's value type of each (CF_INT, CF_UINT, CF_TIME_USEC, CF_LOOKUP, CF_STR in
 * pgbouncer 1.24 src/main.c).
 *
 * Source: cloudnative-pg/cloudnative-pg internal/webhook/v1/pooler_webhook.go (v1.30.0).
 */
const PARAMETERS: Readonly<Record<string, ParameterSpec>> = {
  application_name_add_host: { type: 'bool' },
  auth_type: { type: 'enum', values: ['any', 'trust', 'plain', 'md5', 'cert', 'hba', 'pam', 'scram-sha-256'] },
  autodb_idle_timeout: { type: 'seconds' },
  cancel_wait_timeout: { type: 'seconds' },
  client_idle_timeout: { type: 'seconds' },
  client_login_timeout: { type: 'seconds' },
  client_tls_ciphers: { type: 'string' },
  client_tls_sslmode: { type: 'enum', values: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] },
  client_tls13_ciphers: { type: 'string' },
  default_pool_size: { type: 'int' },
  disable_pqexec: {
    type: 'bool',
    max: {
      value: 0,
      reason: 'would lock the operator out: its instance manager sends PAUSE, RESUME and the SHOW commands of the pooler\'s metrics to PgBouncer\'s admin console as simple queries, which disable_pqexec=1 refuses ("PQexec disallowed")',
    },
  },
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
  server_tls_sslmode: { type: 'enum', values: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] },
  server_tls13_ciphers: { type: 'string' },
  stats_period: { type: 'int' },
  suspend_timeout: { type: 'seconds' },
  tcp_defer_accept: { type: 'int' },
  tcp_socket_buffer: { type: 'int' },
  tcp_keepalive: { type: 'bool' },
  tcp_keepcnt: { type: 'int', max: keepaliveMax(127, 'TCP_KEEPCNT') },
  tcp_keepidle: { type: 'int', max: keepaliveMax(32767, 'TCP_KEEPIDLE') },
  tcp_keepintvl: { type: 'int', max: keepaliveMax(32767, 'TCP_KEEPINTVL') },
  tcp_user_timeout: { type: 'int' },
  track_extra_parameters: { type: 'list' },
  verbose: { type: 'int' },
};

/**
 * The CloudNativePG 1.30 webhook's allow-list of PgBouncer parameters (sorted). The library owns
 * this list; the PgBouncer lab (test/integ) reads it from here.
 *
 * @internal
 */
export const ALLOWED_PGBOUNCER_PARAMETERS: readonly string[] = Object.keys(PARAMETERS).sort();

/**
 * `forcedPgBouncerParameters` of the operator (pkg/management/pgbouncer/config/config.go, v1.30.0):
 * written over whatever the user sets (none is in the allow-list, so the webhook rejects them
 * first), with the reason this library gives when someone tries.
 *
 * @internal
 */
export const FORCED_PGBOUNCER_PARAMETERS: Readonly<Record<string, { readonly value: string; readonly reason: string }>> = {
  listen_port: { value: '5432', reason: 'the operator forces 5432, the port of the pooler\'s Service and of its readiness probe' },
  listen_addr: { value: '*', reason: 'the operator forces "*" so that the pooler\'s Service reaches PgBouncer' },
  unix_socket_dir: { value: '/controller/run', reason: 'the operator forces its own socket directory, used by its admin connection' },
  admin_users: { value: 'pgbouncer', reason: 'the operator forces "pgbouncer", the user of its own admin console connection (PAUSE/RESUME, metrics)' },
  auth_hba_file: { value: '/controller/configs/pg_hba.conf', reason: 'the operator writes the HBA file itself from spec.pgbouncer.pg_hba' },
  server_tls_ca_file: { value: '/controller/configs/server-tls/ca.crt', reason: 'the operator mounts the server CA from serverCASecret (default: the cluster\'s CA)' },
  client_tls_cert_file: { value: '/controller/configs/client-tls/tls.crt', reason: 'the operator mounts PgBouncer\'s certificate from clientTLSSecret (default: the cluster\'s server certificate)' },
  client_tls_key_file: { value: '/controller/configs/client-tls/tls.key', reason: 'the operator mounts PgBouncer\'s key from clientTLSSecret (default: the cluster\'s server certificate)' },
  client_tls_ca_file: { value: '/controller/configs/client-ca/ca.crt', reason: 'the operator mounts the client CA from clientCASecret (default: the cluster\'s client CA)' },
};

/**
 * `defaultPgBouncerParameters` of the operator (config.go, v1.30.0): used when the key is unset
 * (`ignore_startup_parameters` is prepended to the user's value).
 *
 * @internal
 */
export const OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS: Readonly<Record<string, string>> = {
  log_stats: '0',
  auth_type: 'hba',
  client_tls_sslmode: 'prefer',
  server_tls_sslmode: 'verify-ca',
  ignore_startup_parameters: 'extra_float_digits,options',
};

/** Keys the operator's template writes itself (not parameters at all). */
const TEMPLATE_KEYS: Readonly<Record<string, string>> = {
  pool_mode: 'the operator writes it from spec.pgbouncer.poolMode: use poolMode',
  auth_user: 'the operator writes it from the auth query Secret (automated integration: cnpg_pooler_pgbouncer)',
  auth_query: 'the operator writes it from spec.pgbouncer.authQuery: use authQuery',
  auth_dbname: 'the operator forces "postgres", where its auth_query function lives',
  auth_file: 'the operator writes it when the auth query Secret is a basic-auth Secret',
  server_tls_cert_file: 'the operator writes it from the auth query TLS Secret or serverTLSSecret: use serverTlsSecret',
  server_tls_key_file: 'the operator writes it from the auth query TLS Secret or serverTLSSecret: use serverTlsSecret',
};

/**
 * Keys of the allow-list that older operators reject ("Invalid or reserved parameter"): the first
 * release that allows them. cloudnative-pg PR #8674 made `auth_type`, `client_tls_sslmode` and
 * `server_tls_sslmode` settable (before, the operator forced them to hba/prefer/verify-ca); it was
 * merged for 1.28.0 and backported to 1.27.1: the three keys are in
 * `AllowedPgbouncerGenericConfigurationParameters` of internal/webhook/v1/pooler_webhook.go at tag
 * v1.27.1 and absent at v1.27.0. The other keys were allowed by 1.27.0 (PR #3174
 * max_prepared_statements, 2023; PR #6216 the TLS protocol/cipher and socket keys, 2024). The
 * integration tests apply Poolers to the real webhook of every supported release to prove it.
 *
 * @internal
 */
export const PGBOUNCER_PARAMETERS_SINCE: Readonly<Record<string, CnpgVersion>> = {
  auth_type: CnpgVersion.V1_27_1,
  client_tls_sslmode: CnpgVersion.V1_27_1,
  server_tls_sslmode: CnpgVersion.V1_27_1,
  // Allow-listed from 1.28.2 (absent at v1.28.1, present at v1.28.2 and later; found by the real
  // webhooks of test/integ/real-systems).
  client_tls_ciphers: CnpgVersion.V1_28_2,
  client_tls13_ciphers: CnpgVersion.V1_28_2,
  server_tls13_ciphers: CnpgVersion.V1_28_2,
};

/** Allow-listed keys the library refuses in the raw map, with the reason. */
const REFUSED_KEYS: Readonly<Record<string, string>> = {
  auth_type: 'must stay "hba" (the operator\'s default): any other value bypasses the pg_hba rules this construct writes, and "trust"/"any" let anyone in',
  client_tls_sslmode: 'is set from clientTlsMode, which offers only modes that refuse plain-text clients',
  server_tls_sslmode: 'is set from serverTlsMode, which offers only modes that verify or at least encrypt the server hop',
};

/** The typed fields and the key each one writes. */
const TYPED: ReadonlyArray<readonly [keyof PgBouncerParameters, string]> = [
  ['maxClientConnections', 'max_client_conn'],
  ['defaultPoolSize', 'default_pool_size'],
  ['minPoolSize', 'min_pool_size'],
  ['reservePoolSize', 'reserve_pool_size'],
  ['reservePoolTimeout', 'reserve_pool_timeout'],
  ['maxDbConnections', 'max_db_connections'],
  ['maxUserConnections', 'max_user_connections'],
  ['maxPreparedStatements', 'max_prepared_statements'],
  ['queryWaitTimeout', 'query_wait_timeout'],
  ['queryTimeout', 'query_timeout'],
  ['clientIdleTimeout', 'client_idle_timeout'],
  ['idleTransactionTimeout', 'idle_transaction_timeout'],
  ['serverIdleTimeout', 'server_idle_timeout'],
  ['serverLifetime', 'server_lifetime'],
  ['serverConnectTimeout', 'server_connect_timeout'],
  ['serverLoginRetry', 'server_login_retry'],
  ['serverResetQuery', 'server_reset_query'],
  ['serverResetQueryAlways', 'server_reset_query_always'],
  ['serverCheckQuery', 'server_check_query'],
  ['serverCheckDelay', 'server_check_delay'],
  ['applicationNameAddHost', 'application_name_add_host'],
  ['logConnections', 'log_connections'],
  ['logDisconnections', 'log_disconnections'],
  ['logPoolerErrors', 'log_pooler_errors'],
  ['statsPeriod', 'stats_period'],
  ['ignoreStartupParameters', 'ignore_startup_parameters'],
  ['trackExtraParameters', 'track_extra_parameters'],
];

/** PgBouncer's own defaults of the values the connection budget reads (pgbouncer 1.24 src/main.c). @internal */
export const PGBOUNCER_DEFAULTS = { default_pool_size: 20, reserve_pool_size: 0, max_db_connections: 0, max_user_connections: 0 };

/** Renders a value for PgBouncer from a typed field. */
function renderTyped(scope: IConstruct, field: string, key: string, value: unknown): string {
  if (value instanceof Duration) {
    // cdk8s refuses negative and non-finite durations; a huge one renders with an exponent, which the type check refuses.
    const ms = value.toMilliseconds();
    if (key === 'stats_period') {
      if (ms % 1000 !== 0 || ms === 0) {
        throw invalidInput(scope, field, `${ms}ms`, 'is not a whole, positive number of seconds (PgBouncer reads stats_period as an integer)', 'use Duration.seconds(n) with n >= 1');
      }
    }
    return String(ms / 1000);
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw invalidInput(scope, field, value, 'is not a whole number of zero or more', 'give a non-negative integer');
    }
    return String(value);
  }
  // Strings as they are, and lists joined by commas (String() of an array).
  return String(value);
}

/** A whole number without a sign or leading zeros: how PgBouncer's strtol/strtoul (base 0) reads it as written. */
const WHOLE = /^(0|[1-9]\d*)$/;

/** The problem with a raw value for a key, or undefined. */
function valueProblem(key: string, value: string): string | undefined {
  const spec = PARAMETERS[key];
  if (/[\r\n\v\f\u0085\u2028\u2029]/.test(value)) {
    return 'contains a line break (PgBouncer\'s ini parser admits none, and the operator silently deletes them)';
  }
  const problem = typeProblem(spec, value);
  if (problem || !spec.max || Number(value) <= spec.max.value) return problem;
  return `is more than ${spec.max.value}: ${spec.max.reason}`;
}

/** The problem with a value of a PgBouncer type, or undefined. */
function typeProblem(spec: ParameterSpec, value: string): string | undefined {
  switch (spec.type) {
    case 'int':
      return WHOLE.test(value) && Number(value) <= 2147483647 ? undefined
        : 'is not a whole number from 0 to 2147483647, without leading zeros (PgBouncer reads a leading 0 as octal, "010" as 8, and wraps larger numbers to negative ones)';
    case 'uint':
      return WHOLE.test(value) && Number(value) <= 4294967295 ? undefined
        : 'is not a whole number from 0 to 4294967295, without leading zeros (PgBouncer reads a leading 0 as octal, "010" as 8, and wraps negative numbers to 4294967295)';
    case 'seconds':
      return /^\d+(\.\d+)?$/.test(value) ? undefined : 'is not a number of seconds (PgBouncer reads a non-negative decimal, without a unit)';
    case 'bool':
      return value === '0' || value === '1' ? undefined : 'is not 0 or 1';
    case 'enum':
      return spec.values!.includes(value) ? undefined : `is not one of ${spec.values!.join(', ')}`;
    case 'list':
      return /^[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*$/.test(value) ? undefined : 'is not a comma-separated list of parameter names';
    case 'tls-protocols':
      return /^(all|secure|default|tlsv1\.[0-3])(,(tlsv1\.[0-3]))*$/.test(value.toLowerCase()) ? undefined
        : 'is not a PgBouncer TLS protocol list (tlsv1.0..tlsv1.3 separated by commas, or all, secure or default first)';
    case 'string':
      // Anything but a line break, checked before the type.
      return undefined;
  }
}

/**
 * Validates a raw key and value as the CNPG 1.30 webhook and PgBouncer would, plus the library's
 * own refusals. Returns undefined when accepted, otherwise `{ problem, fix }`.
 *
 * @internal
 */
export function checkPgBouncerParameter(
  key: string,
  value: string,
  operatorVersion: CnpgVersion = CnpgVersion.LATEST_SUPPORTED,
): { problem: string; fix: string } | undefined {
  if (FORCED_PGBOUNCER_PARAMETERS[key]) {
    return { problem: `is forced by the operator to "${FORCED_PGBOUNCER_PARAMETERS[key].value}": ${FORCED_PGBOUNCER_PARAMETERS[key].reason}`, fix: `remove ${key}` };
  }
  if (TEMPLATE_KEYS[key]) {
    return { problem: `is not a parameter CloudNativePG lets you set: ${TEMPLATE_KEYS[key]}`, fix: `remove ${key}` };
  }
  if (!PARAMETERS[key]) {
    return {
      problem: 'is not in the CloudNativePG 1.30 allow-list (AllowedPgbouncerGenericConfigurationParameters): the webhook rejects the Pooler with "Invalid or reserved parameter"',
      fix: `remove it, or use one of: ${ALLOWED_PGBOUNCER_PARAMETERS.join(', ')}`,
    };
  }
  const since = PGBOUNCER_PARAMETERS_SINCE[key];
  if (since && !operatorVersion.isAtLeast(since)) {
    return {
      problem: `is allowed only since CloudNativePG ${since.version}; the manifests target operatorVersion ${operatorVersion.version}, whose webhook rejects it ("Invalid or reserved parameter")`,
      fix: `remove ${key}, or target CloudNativePG ${since.version} or newer`,
    };
  }
  if (REFUSED_KEYS[key]) return { problem: REFUSED_KEYS[key], fix: `remove ${key} from additionalParameters` };
  if (typeof value !== 'string') return { problem: 'is not a string (Pooler parameters are strings)', fix: `quote the value: "${value}"` };
  const problem = valueProblem(key, value);
  if (problem) return { problem, fix: `give ${key} a value PgBouncer accepts` };
  if (key === 'ignore_startup_parameters') {
    const dup = value.split(',').filter((p) => p === 'extra_float_digits' || p === 'options');
    if (dup.length) {
      return { problem: `repeats ${dup.join(', ')}, which the operator always prepends`, fix: 'list only the extra parameters' };
    }
  }
  return undefined;
}

/**
 * The operator's own rules for `spec.pgbouncer.parameters` of a Pooler as written (escape hatches
 * included): keys in the targeted release's allow-list, not forced by the operator, values of
 * PgBouncer's types. The library's stricter refusals of the typed props (e.g. `auth_type`) are not
 * repeated here: an override is the caller's explicit choice.
 *
 * @internal
 */
export function pgbouncerParameterProblems(parameters: unknown, operatorVersion: CnpgVersion): SchemaProblem[] {
  if (parameters === null || typeof parameters !== 'object') return [];
  const problems: SchemaProblem[] = [];
  for (const [key, value] of Object.entries(parameters as Record<string, unknown>)) {
    if (REFUSED_KEYS[key] && PARAMETERS[key] && !(PGBOUNCER_PARAMETERS_SINCE[key] && !operatorVersion.isAtLeast(PGBOUNCER_PARAMETERS_SINCE[key]))) {
      const problem = typeof value === 'string' ? valueProblem(key, value) : 'is not a string (Pooler parameters are strings)';
      if (problem) problems.push({ path: `spec.pgbouncer.parameters.${key}`, value, problem, fix: `give ${key} a value PgBouncer accepts` });
      continue;
    }
    const check = checkPgBouncerParameter(key, value as string, operatorVersion);
    if (check) problems.push({ path: `spec.pgbouncer.parameters.${key}`, value, problem: check.problem, fix: check.fix });
  }
  const given = parameters as Record<string, unknown>;
  if (given.auth_type === 'cert' && given.client_tls_sslmode !== 'verify-full' && !problems.some((p) => p.path.endsWith('.auth_type'))) {
    problems.push({
      path: 'spec.pgbouncer.parameters.auth_type',
      value: 'cert',
      problem: `needs client_tls_sslmode=verify-full (here ${show(given.client_tls_sslmode ?? OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS.client_tls_sslmode)}): PgBouncer refuses to start ("auth_type=cert requires client_tls_sslmode=SSLMODE_VERIFY_FULL")`,
      fix: 'set client_tls_sslmode to verify-full, or use another auth_type',
    });
  }
  return problems;
}

/** The parameters of a pooler, rendered and checked. @internal */
export interface RenderedPgBouncerParameters {
  /** `spec.pgbouncer.parameters`. */
  readonly parameters: Record<string, string>;
  /** Values the connection budget needs (PgBouncer's defaults filled in). */
  readonly defaultPoolSize: number;
  readonly reservePoolSize: number;
  readonly maxDbConnections: number;
  readonly maxUserConnections: number;
  readonly maxPreparedStatements?: number;
  readonly maxClientConnections?: number;
}

/**
 * Renders typed and raw parameters into `spec.pgbouncer.parameters`, validating every key against
 * the allow-list and every value against its PgBouncer type. `fixed` holds the values the
 * construct decides itself (TLS modes, max_prepared_statements default).
 *
 * @internal
 */
export function renderPgBouncerParameters(
  scope: IConstruct,
  typed: PgBouncerParameters,
  raw: { [key: string]: string },
  fixed: { [key: string]: string },
  defaults: { [key: string]: string },
  operatorVersion: CnpgVersion,
): RenderedPgBouncerParameters {
  const out: Record<string, string> = { ...defaults };
  const fromTyped = new Map<string, string>();
  for (const [field, key] of TYPED) {
    const value = typed[field];
    if (value === undefined) continue;
    const rendered = renderTyped(scope, `parameters.${field}`, key, value);
    const check = checkPgBouncerParameter(key, rendered, operatorVersion);
    if (check) throw invalidInput(scope, `parameters.${field}`, value, check.problem, check.fix);
    out[key] = rendered;
    fromTyped.set(key, field);
  }
  for (const [key, value] of Object.entries(raw)) {
    const field = `additionalParameters.${key}`;
    if (fromTyped.has(key)) {
      throw invalidInput(scope, field, value, `duplicates parameters.${fromTyped.get(key)}`, `set it once, in parameters.${fromTyped.get(key)}`);
    }
    const check = checkPgBouncerParameter(key, value, operatorVersion);
    if (check) throw invalidInput(scope, field, value, check.problem, check.fix);
    out[key] = value;
  }
  Object.assign(out, fixed);

  const int = (key: string, dflt: number) => (out[key] !== undefined ? Number(out[key]) : dflt);
  const result: RenderedPgBouncerParameters = {
    // Keys are unique: no two compare equal.
    parameters: Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1))),
    defaultPoolSize: int('default_pool_size', PGBOUNCER_DEFAULTS.default_pool_size),
    reservePoolSize: int('reserve_pool_size', PGBOUNCER_DEFAULTS.reserve_pool_size),
    maxDbConnections: int('max_db_connections', PGBOUNCER_DEFAULTS.max_db_connections),
    maxUserConnections: int('max_user_connections', PGBOUNCER_DEFAULTS.max_user_connections),
    maxPreparedStatements: out.max_prepared_statements !== undefined ? Number(out.max_prepared_statements) : undefined,
    maxClientConnections: out.max_client_conn !== undefined ? Number(out.max_client_conn) : undefined,
  };

  if (result.defaultPoolSize < 1) {
    throw invalidInput(scope, 'parameters.defaultPoolSize', result.defaultPoolSize, 'leaves the pools without a single server connection',
      'give at least 1');
  }
  const minPool = out.min_pool_size !== undefined ? Number(out.min_pool_size) : 0;
  if (minPool > result.defaultPoolSize) {
    throw invalidInput(scope, 'parameters.minPoolSize', minPool, `is larger than defaultPoolSize (${result.defaultPoolSize}); PgBouncer silently caps it`,
      `lower minPoolSize to at most ${result.defaultPoolSize}`);
  }
  if (result.maxClientConnections !== undefined && result.maxClientConnections < 1) {
    throw invalidInput(scope, 'parameters.maxClientConnections', result.maxClientConnections, 'accepts no client at all', 'give at least 1');
  }
  return result;
}
