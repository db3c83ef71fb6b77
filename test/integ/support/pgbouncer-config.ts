/**
 * Renders, from a CNPG `Pooler` manifest, the `pgbouncer.ini` and the PgBouncer HBA file that the
 * CloudNativePG 1.30 operator writes into the pooler pod, so that a real PgBouncer can run them
 * outside Kubernetes.
 *
 * Followed from the operator's source (cloudnative-pg/cloudnative-pg, 1.30):
 * - pkg/management/pgbouncer/config/config.go   (templates, defaults, forced keys, BuildConfigurationFiles)
 * - pkg/management/pgbouncer/config/strings.go  (buildPgBouncerParameters, stringifyPgBouncerParameters,
 *                                                cleanupPgBouncerValue)
 * - internal/webhook/v1/pooler_webhook.go        (AllowedPgbouncerGenericConfigurationParameters and the
 *                                                validation the admission webhook applies)
 * - api/v1/pooler_types.go, api/v1/pooler_funcs.go (DefaultPgBouncerPoolerAuthQuery, PoolerAuthDBName,
 *                                                CRD defaults of `type` and `poolMode`)
 * - internal/pgbouncer/management/controller/secrets.go (which Secret feeds which file)
 *
 * Only what depends on where PgBouncer runs differs from the operator's output, and only through
 * the {@link PgBouncerEnvironment} object: the server host/port in `[databases]` (the operator uses
 * the Cluster's `<cluster>-<type>` Service on the default port), the directory of the configuration
 * and certificate files (`/controller/configs`), the unix socket directory (`/controller/run`), and
 * `listen_addr` / `listen_port` (`*` / 5432). Leave a field out to get the operator's value.
 */

import {
  ALLOWED_PGBOUNCER_PARAMETERS as LIBRARY_ALLOWED,
  FORCED_PGBOUNCER_PARAMETERS as LIBRARY_FORCED,
  OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS as LIBRARY_DEFAULTS,
} from '../../../src/pooler/pgbouncer-parameters';

/** A `postgresql.cnpg.io/v1` `Pooler`, as it appears in synthesized YAML (only what PgBouncer's configuration reads). */
export interface PoolerManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly spec: {
    readonly cluster: { readonly name: string };
    /** CRD default `rw`. */
    readonly type?: 'rw' | 'ro' | 'r';
    readonly instances?: number;
    readonly pgbouncer: {
      /** CRD default `session`. */
      readonly poolMode?: 'session' | 'transaction';
      readonly parameters?: Readonly<Record<string, string>>;
      readonly pg_hba?: readonly string[];
      readonly authQuery?: string;
      readonly authQuerySecret?: { readonly name: string };
      readonly serverTLSSecret?: { readonly name: string };
      readonly serverCASecret?: { readonly name: string };
      readonly clientTLSSecret?: { readonly name: string };
      readonly clientCASecret?: { readonly name: string };
      readonly [key: string]: unknown;
    };
    readonly [key: string]: unknown;
  };
}

/** Environment-specific values; each one left out keeps the operator's value. */
export interface PgBouncerEnvironment {
  /** Replaces the `<cluster>-<type>` Service name in the `[databases]` line. */
  readonly serverHost?: string;
  /** Appended as `port=` to the `[databases]` line (the operator relies on PgBouncer's default, 5432). */
  readonly serverPort?: number;
  /** Replaces the operator's configuration directory `/controller/configs` in every path it writes. */
  readonly configsDir?: string;
  /** Replaces `unix_socket_dir` (`/controller/run`). */
  readonly unixSocketDir?: string;
  /** Replaces `listen_addr` (`*`). */
  readonly listenAddr?: string;
  /** Replaces `listen_port` (5432). */
  readonly listenPort?: number;
}

/**
 * What the operator reads from Secrets to build the configuration (config.go, BuildConfigurationFiles).
 * The automated integration (no authQuery/authQuerySecret/serverTLSSecret in the Pooler) uses the
 * `<cluster>-pooler` TLS Secret the operator issues for `cnpg_pooler_pgbouncer`: that is the default.
 */
export interface PoolerSecrets {
  /**
   * The auth-query Secret: a TLS Secret (its certificate's CN becomes `auth_user` and the certificate
   * is presented to PostgreSQL) or a basic-auth Secret (username/password written to userlist.txt).
   * Ignored by the operator when `serverTLS` is set (secrets.go reads it only without a server TLS Secret).
   */
  readonly authQuery?:
  | { readonly type: 'kubernetes.io/tls'; readonly commonName: string }
  | { readonly type: 'kubernetes.io/basic-auth'; readonly username: string; readonly password: string };
  /** `spec.pgbouncer.serverTLSSecret`: its certificate's CN becomes `auth_user`. */
  readonly serverTLS?: { readonly commonName: string };
}

/** The operator's own values for everything {@link PgBouncerEnvironment} can replace (config.go). */
export const OPERATOR_ENVIRONMENT = {
  configsDir: '/controller/configs',
  unixSocketDir: '/controller/run',
  listenAddr: '*',
  listenPort: 5432,
} as const;

/** The role of CNPG's automated pooler integration (api/v1/common_types.go, PGBouncerPoolerUserName). */
export const PGBOUNCER_POOLER_USER = 'cnpg_pooler_pgbouncer';
/** api/v1/pooler_types.go, DefaultPgBouncerPoolerAuthQuery. */
export const DEFAULT_AUTH_QUERY = 'SELECT usename, passwd FROM public.user_search($1)';
/** api/v1/pooler_types.go, PoolerAuthDBName: the database auth_query runs in. */
export const AUTH_DBNAME = 'postgres';
/** config.go, PgBouncerAdminUser. */
export const PGBOUNCER_ADMIN_USER = 'pgbouncer';

/**
 * The SQL the instance manager runs on the primary, in the `postgres` database, for the automated
 * pooler integration (internal/management/controller/instance_controller.go, reconcilePgbouncerAuthUser,
 * with userSearchFunctionSchema/Name/userSearchFunction from the same file). The PostgreSQL side also
 * needs the fixed pg_hba rule and ident map below (pkg/postgres/configuration.go, hbaTemplateString and
 * identTemplateString).
 */
export const OPERATOR_POOLER_INTEGRATION_SQL: readonly string[] = [
  `CREATE ROLE ${PGBOUNCER_POOLER_USER} WITH LOGIN`,
  `GRANT CONNECT ON DATABASE ${AUTH_DBNAME} TO ${PGBOUNCER_POOLER_USER}`,
  'CREATE OR REPLACE FUNCTION public.user_search(uname TEXT) RETURNS TABLE (usename name, passwd text) '
    + 'as \'SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename=$1;\' LANGUAGE sql SECURITY DEFINER',
  'REVOKE ALL ON FUNCTION public.user_search(text) FROM public;',
  `GRANT EXECUTE ON FUNCTION public.user_search(text) TO ${PGBOUNCER_POOLER_USER}`,
];
/** The Cluster's fixed pg_hba rule for the pooler (pkg/postgres/configuration.go, hbaTemplateString). */
export const OPERATOR_POSTGRES_HBA_POOLER_RULE = `hostssl all ${PGBOUNCER_POOLER_USER} all cert map=${PGBOUNCER_POOLER_USER}`;
/** The matching pg_ident.conf line (pkg/postgres/configuration.go, identTemplateString). */
export const OPERATOR_POSTGRES_IDENT_POOLER_LINE = `${PGBOUNCER_POOLER_USER} ${PGBOUNCER_POOLER_USER} ${PGBOUNCER_POOLER_USER}`;

/**
 * `AllowedPgbouncerGenericConfigurationParameters` (the only keys the admission webhook accepts in
 * `spec.pgbouncer.parameters`), `forcedPgBouncerParameters` (written over whatever the user set) and
 * `defaultPgBouncerParameters` (used when the user did not set the key; `ignore_startup_parameters`
 * is prepended to the user's value), from cloudnative-pg/cloudnative-pg 1.30
 * (internal/webhook/v1/pooler_webhook.go, pkg/management/pgbouncer/config/config.go).
 *
 * The library owns these lists (src/pooler/pgbouncer-parameters.ts): one copy, so the renderer
 * and the construct cannot drift apart.
 */
export const ALLOWED_PGBOUNCER_PARAMETERS: readonly string[] = LIBRARY_ALLOWED;

/** `forcedPgBouncerParameters`, values as the operator writes them (none is in the allow-list). */
export const FORCED_PGBOUNCER_PARAMETERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LIBRARY_FORCED).map(([key, { value }]) => [key, value]),
);

/** `defaultPgBouncerParameters`. */
export const DEFAULT_PGBOUNCER_PARAMETERS: Readonly<Record<string, string>> = LIBRARY_DEFAULTS;

/** Files of the operator's configuration directory, relative to it (config.go constants). */
export const CONFIG_FILES = {
  ini: 'pgbouncer.ini',
  hba: 'pg_hba.conf',
  userlist: 'userlist.txt',
  /** ServerCA Secret `ca.crt`: the CA PgBouncer verifies PostgreSQL's certificate with. */
  serverCA: 'server-tls/ca.crt',
  /** ServerTLS Secret (spec.pgbouncer.serverTLSSecret): certificate presented to PostgreSQL. */
  serverTLSCert: 'server-tls/tls.crt',
  serverTLSKey: 'server-tls/tls.key',
  /** ClientTLS Secret: PgBouncer's own certificate towards applications. */
  clientTLSCert: 'client-tls/tls.crt',
  clientTLSKey: 'client-tls/tls.key',
  /** ClientCA Secret `ca.crt`: the CA client certificates are checked against. */
  clientCA: 'client-ca/ca.crt',
  /** TLS auth-query Secret (automated integration: `<cluster>-pooler`): certificate presented to PostgreSQL. */
  authUserCert: 'authUser/tls.crt',
  authUserKey: 'authUser/tls.key',
} as const;

export type ConfigFileRole = keyof typeof CONFIG_FILES;

export interface RenderedPgBouncerConfig {
  /** `pgbouncer.ini`, byte for byte as the operator's template renders it (with the environment's values). */
  readonly pgbouncerIni: string;
  /** The HBA file (`auth_hba_file`). */
  readonly pgHbaConf: string;
  /** `userlist.txt`: only with a basic-auth auth-query Secret. */
  readonly userlistTxt?: string;
  /** Every `[pgbouncer]` key and value of the ini, including pool_mode and the auth_* lines. */
  readonly settings: Readonly<Record<string, string>>;
  /** The user's parameters after defaults and forced keys, as written (sorted) below the auth_* lines. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Absolute paths the configuration refers to (under the configuration directory), by role. */
  readonly paths: Readonly<Partial<Record<ConfigFileRole, string>>>;
  /** The roles of the files the caller must provide (certificates and keys), besides ini/hba/userlist. */
  readonly requiredFiles: readonly ConfigFileRole[];
}

/** Errors the admission webhook would report (internal/webhook/v1/pooler_webhook.go), one line each. */
export function validatePooler(pooler: PoolerManifest): string[] {
  const errors: string[] = [];
  if (pooler.apiVersion !== 'postgresql.cnpg.io/v1' || pooler.kind !== 'Pooler') {
    errors.push(`not a postgresql.cnpg.io/v1 Pooler: ${pooler.apiVersion} ${pooler.kind}`);
  }
  const pgb = pooler.spec?.pgbouncer;
  if (!pgb) return [...errors, 'spec.pgbouncer: required pgbouncer configuration'];
  const hasPGAuthentication = !!pgb.authQuerySecret?.name || !!pgb.serverTLSSecret?.name;
  if (hasPGAuthentication && !pgb.authQuery) {
    errors.push('spec.pgbouncer.authQuery: must specify an auth query when providing an auth query secret');
  } else if (!hasPGAuthentication && pgb.authQuery) {
    errors.push('spec.pgbouncer.authQuerySecret.name: must specify an existing auth query secret when providing an auth query secret');
  }
  for (const key of Object.keys(pgb.parameters ?? {})) {
    if (!ALLOWED_PGBOUNCER_PARAMETERS.includes(key)) errors.push(`spec.cluster.parameters: ${key}: Invalid or reserved parameter`);
  }
  if (!pooler.spec.cluster?.name) errors.push('spec.cluster.name: must specify a cluster name');
  if (pooler.spec.cluster?.name === pooler.metadata?.name) {
    errors.push('metadata.name: the pooler resource cannot have the same name of a cluster');
  }
  const poolMode = pgb.poolMode ?? 'session';
  if (poolMode !== 'session' && poolMode !== 'transaction') errors.push(`spec.pgbouncer.poolMode: Unsupported value: "${poolMode}"`);
  return errors;
}

/** strings.go, cleanupPgBouncerValue: the libusual ini parser admits no newline inside a value. */
function cleanupValue(value: string): string {
  return value.replace(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/g, '');
}

/**
 * Renders the files the CNPG 1.30 operator writes for `pooler`. Throws when the admission webhook
 * would reject the Pooler (so an invalid fixture cannot pass unnoticed).
 */
export function renderPgBouncerConfig(
  pooler: PoolerManifest,
  env: PgBouncerEnvironment = {},
  secrets: PoolerSecrets = { authQuery: { type: 'kubernetes.io/tls', commonName: PGBOUNCER_POOLER_USER } },
): RenderedPgBouncerConfig {
  const errors = validatePooler(pooler);
  if (errors.length > 0) throw new Error(`the CNPG admission webhook would reject Pooler ${pooler.metadata?.name}:\n${errors.join('\n')}`);
  const pgb = pooler.spec.pgbouncer;

  const configsDir = env.configsDir ?? OPERATOR_ENVIRONMENT.configsDir;
  const path = (role: ConfigFileRole) => `${configsDir}/${CONFIG_FILES[role]}`;
  const paths: Partial<Record<ConfigFileRole, string>> = { ini: path('ini'), hba: path('hba'), serverCA: path('serverCA'), clientCA: path('clientCA'), clientTLSCert: path('clientTLSCert'), clientTLSKey: path('clientTLSKey') };
  const requiredFiles: ConfigFileRole[] = ['serverCA', 'clientCA', 'clientTLSCert', 'clientTLSKey'];

  // config.go: the auth-query Secret, or the server TLS Secret when there is one (secrets.go reads the
  // auth-query Secret only without a server TLS Secret).
  const authSecret = secrets.serverTLS
    ? { type: 'kubernetes.io/tls' as const, commonName: secrets.serverTLS.commonName }
    : secrets.authQuery;
  let authQueryUser = '';
  let authQueryPassword = '';
  let isCertAuth = false;
  if (authSecret?.type === 'kubernetes.io/basic-auth') {
    authQueryUser = authSecret.username;
    authQueryPassword = authSecret.password.replace(/"/g, '""');
  } else if (authSecret?.type === 'kubernetes.io/tls') {
    authQueryUser = authSecret.commonName;
    isCertAuth = true;
  }

  // strings.go, buildPgBouncerParameters.
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(pgb.parameters ?? {})) parameters[key] = cleanupValue(value);
  for (const [key, defaultValue] of Object.entries(DEFAULT_PGBOUNCER_PARAMETERS)) {
    if (key in parameters) {
      if (key === 'ignore_startup_parameters') parameters[key] = `${defaultValue},${parameters[key]}`;
      continue;
    }
    parameters[key] = defaultValue;
  }
  const forced: Record<string, string> = {
    ...FORCED_PGBOUNCER_PARAMETERS,
    unix_socket_dir: env.unixSocketDir ?? OPERATOR_ENVIRONMENT.unixSocketDir,
    listen_port: String(env.listenPort ?? OPERATOR_ENVIRONMENT.listenPort),
    listen_addr: env.listenAddr ?? OPERATOR_ENVIRONMENT.listenAddr,
    auth_hba_file: path('hba'),
    server_tls_ca_file: path('serverCA'),
    client_tls_cert_file: path('clientTLSCert'),
    client_tls_key_file: path('clientTLSKey'),
    client_tls_ca_file: path('clientCA'),
  };
  Object.assign(parameters, forced);

  // config.go, BuildConfigurationFiles.
  if (isCertAuth) {
    parameters.server_tls_cert_file = path('authUserCert');
    parameters.server_tls_key_file = path('authUserKey');
    paths.authUserCert = path('authUserCert');
    paths.authUserKey = path('authUserKey');
    if (!secrets.serverTLS) requiredFiles.push('authUserCert', 'authUserKey');
  } else {
    parameters.auth_file = path('userlist');
    paths.userlist = path('userlist');
  }
  if (secrets.serverTLS) {
    parameters.server_tls_cert_file = path('serverTLSCert');
    parameters.server_tls_key_file = path('serverTLSKey');
    paths.serverTLSCert = path('serverTLSCert');
    paths.serverTLSKey = path('serverTLSKey');
    requiredFiles.push('serverTLSCert', 'serverTLSKey');
  }

  // strings.go, stringifyPgBouncerParameters: sorted keys (Go's sort.Strings, byte order).
  const sortedKeys = Object.keys(parameters).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parametersText = sortedKeys.map((k) => `${k} = ${parameters[k]}\n`).join('');
  const sortedParameters: Record<string, string> = {};
  for (const k of sortedKeys) sortedParameters[k] = parameters[k];

  const poolMode = pgb.poolMode ?? 'session';
  const serviceName = `${pooler.spec.cluster.name}-${pooler.spec.type ?? 'rw'}`;
  const databaseTarget = `host=${env.serverHost ?? serviceName}${env.serverPort !== undefined ? ` port=${env.serverPort}` : ''}`;
  const authQuery = pgb.authQuery || DEFAULT_AUTH_QUERY;

  // config.go, pgBouncerIniTemplateString (`{{ .Parameters -}}` trims the template's final newline).
  const pgbouncerIni = '\n[databases]\n'
    + `* = ${databaseTarget}\n`
    + '\n[pgbouncer]\n'
    + `pool_mode = ${poolMode}\n`
    + `auth_user = ${authQueryUser}\n`
    + `auth_query = ${authQuery}\n`
    + `auth_dbname = ${AUTH_DBNAME}\n`
    + '\n'
    + parametersText;

  // config.go, pgbouncerHBAFileTemplateString: each rule is "\n" + rule (`{{ $rule -}}` eats the newline after it).
  const pgHbaConf = '\nlocal pgbouncer pgbouncer peer\n\n'
    + (pgb.pg_hba ?? []).map((rule) => `\n${rule}`).join('')
    + '\n\nhost all all 0.0.0.0/0 md5\nhost all all ::/0 md5\n';

  // config.go, pgBouncerUserListTemplateString: only without certificate authentication.
  const userlistTxt = isCertAuth ? undefined : `\n"${authQueryUser}" "${authQueryPassword}"\n`;

  const settings: Record<string, string> = {
    pool_mode: poolMode,
    auth_user: authQueryUser,
    auth_query: authQuery,
    auth_dbname: AUTH_DBNAME,
    ...sortedParameters,
  };
  return { pgbouncerIni, pgHbaConf, userlistTxt, settings, parameters: sortedParameters, paths, requiredFiles };
}
