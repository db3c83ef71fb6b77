/**
 * The PgBouncer parameter checks of src/pooler/pgbouncer-parameters.ts, key by key: every key of the
 * allow-list against the value cases of its PgBouncer type (test/util/pgbouncer-values.ts, a table
 * written independently of the library's and judged by the real PgBouncer in
 * test/integ/pgbouncer-values.test.ts), the operator's forced and template keys, and the rendering
 * of the typed fields.
 */
import { Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { acceptedValues, PGBOUNCER_VALUE_TYPES, refusedValues, VALUE_CASES, VALUE_LIMITS } from './util/pgbouncer-values';
import {
  ALLOWED_PGBOUNCER_PARAMETERS,
  checkPgBouncerParameter,
  FORCED_PGBOUNCER_PARAMETERS,
  OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS,
  PGBOUNCER_DEFAULTS,
  PGBOUNCER_PARAMETERS_SINCE,
  PgBouncerParameters,
  pgbouncerParameterProblems,
  renderPgBouncerParameters,
} from '../src/pooler/pgbouncer-parameters';
import { CnpgVersion } from '../src/versions/cnpg-version';

const LATEST = CnpgVersion.LATEST_SUPPORTED;
const KEYS = Object.keys(PGBOUNCER_VALUE_TYPES).sort();
/** Keys the library refuses in additionalParameters although the operator allows them (typed props set them). */
const LIBRARY_REFUSED = ['auth_type', 'client_tls_sslmode', 'server_tls_sslmode'];

function problemFor(key: string): RegExp {
  const spec = PGBOUNCER_VALUE_TYPES[key];
  if (spec.type === 'enum') return new RegExp(`^is not one of ${spec.values!.join(', ')}$`);
  return VALUE_CASES[spec.type].problem;
}

describe('every key of the allow-list, against the value cases of its PgBouncer type', () => {
  test('the allow-list is exactly the keys of the independent type table', () => {
    expect([...ALLOWED_PGBOUNCER_PARAMETERS]).toEqual(KEYS);
  });

  test.each(KEYS)('%s: every accepted value passes the Pooler rule and, outside the refused keys, the construct check', (key) => {
    for (const { value, with: extra } of acceptedValues(key)) {
      expect([key, value, pgbouncerParameterProblems({ ...extra, [key]: value }, LATEST)]).toEqual([key, value, []]);
      const check = checkPgBouncerParameter(key, value, LATEST);
      if (LIBRARY_REFUSED.includes(key)) {
        expect(check).toEqual({ problem: expect.stringMatching(/^(must stay "hba"|is set from (client|server)TlsMode)/), fix: `remove ${key} from additionalParameters` });
      } else {
        expect([key, value, check]).toEqual([key, value, undefined]);
      }
    }
  });

  test.each(KEYS)('%s: every refused value is refused with the type\'s problem and the fix', (key) => {
    const values = refusedValues(key);
    // Strings refuse only line breaks (the next test).
    if (PGBOUNCER_VALUE_TYPES[key].type !== 'string') expect(values.length).toBeGreaterThan(1);
    for (const value of values) {
      expect([key, value, pgbouncerParameterProblems({ [key]: value }, LATEST)]).toEqual([key, value, [{
        path: `spec.pgbouncer.parameters.${key}`,
        value,
        problem: expect.stringMatching(problemFor(key)),
        fix: `give ${key} a value PgBouncer accepts`,
      }]]);
      if (!LIBRARY_REFUSED.includes(key)) {
        expect([key, value, checkPgBouncerParameter(key, value, LATEST)?.problem]).toEqual([key, value, expect.stringMatching(problemFor(key))]);
      }
    }
  });

  test.each(KEYS)('%s: a line break of any kind is refused (the operator deletes them, PgBouncer\'s ini parser admits none)', (key) => {
    const value = acceptedValues(key)[0].value;
    for (const br of ['\r', '\n', '\v', '\f', '\u0085', '\u2028', '\u2029']) {
      expect(pgbouncerParameterProblems({ [key]: `${value}${br}1` }, LATEST).map((p) => p.problem))
        .toEqual(['contains a line break (PgBouncer\'s ini parser admits none, and the operator silently deletes them)']);
    }
  });

  test.each(Object.entries(VALUE_LIMITS))('%s: its own limit, at it accepted, one past it refused with the reason', (key, limit) => {
    expect(checkPgBouncerParameter(key, String(limit.max))).toBeUndefined();
    expect(pgbouncerParameterProblems({ [key]: String(limit.max + 1) }, LATEST)).toEqual([{
      path: `spec.pgbouncer.parameters.${key}`, value: String(limit.max + 1), problem: expect.stringMatching(limit.problem), fix: `give ${key} a value PgBouncer accepts`,
    }]);
    // The type is checked first: a value of the wrong type gets the type's problem, not the limit's.
    expect(checkPgBouncerParameter(key, 'x')?.problem).toMatch(problemFor(key));
  });

  test('no key but those has a limit below its type\'s', () => {
    for (const key of KEYS.filter((k) => !VALUE_LIMITS[k] && ['int', 'uint', 'bool'].includes(PGBOUNCER_VALUE_TYPES[k].type))) {
      const top = { int: '2147483647', uint: '4294967295', bool: '1' }[PGBOUNCER_VALUE_TYPES[key].type as 'int' | 'uint' | 'bool'];
      expect([key, checkPgBouncerParameter(key, top)?.problem]).toEqual([key, LIBRARY_REFUSED.includes(key) ? expect.any(String) : undefined]);
    }
  });

  test('auth_type=cert needs client_tls_sslmode=verify-full, which PgBouncer requires (the operator\'s default is prefer)', () => {
    const problem = (p: Record<string, string>) => pgbouncerParameterProblems(p, LATEST);
    expect(problem({ auth_type: 'cert' })).toEqual([{
      path: 'spec.pgbouncer.parameters.auth_type',
      value: 'cert',
      problem: 'needs client_tls_sslmode=verify-full (here "prefer"): PgBouncer refuses to start ("auth_type=cert requires client_tls_sslmode=SSLMODE_VERIFY_FULL")',
      fix: 'set client_tls_sslmode to verify-full, or use another auth_type',
    }]);
    expect(problem({ auth_type: 'cert', client_tls_sslmode: 'require' })[0].problem).toMatch(/^needs client_tls_sslmode=verify-full \(here "require"\)/);
    expect(problem({ auth_type: 'cert', client_tls_sslmode: 'verify-full' })).toEqual([]);
    expect(problem({ auth_type: 'hba' })).toEqual([]);
    // Another key's problem does not hide it.
    expect(problem({ auth_type: 'cert', verbose: 'x' }).map((p) => p.path)).toEqual(['spec.pgbouncer.parameters.verbose', 'spec.pgbouncer.parameters.auth_type']);
    // auth_type's own problem first, once.
    expect(pgbouncerParameterProblems({ auth_type: 'cert' }, CnpgVersion.V1_27_0).map((p) => p.problem)).toEqual([expect.stringMatching(/^is allowed only since CloudNativePG 1\.27\.1/)]);
  });

  test('a value that is not a string is refused, on a refused key too', () => {
    expect(pgbouncerParameterProblems({ default_pool_size: 5, auth_type: true }, LATEST)).toEqual([
      { path: 'spec.pgbouncer.parameters.default_pool_size', value: 5, problem: 'is not a string (Pooler parameters are strings)', fix: 'quote the value: "5"' },
      { path: 'spec.pgbouncer.parameters.auth_type', value: true, problem: 'is not a string (Pooler parameters are strings)', fix: 'give auth_type a value PgBouncer accepts' },
    ]);
  });

  test('parameters that are not a map give no problem (the schema check reports them)', () => {
    for (const p of [undefined, null, 'x', 5]) expect(pgbouncerParameterProblems(p, LATEST)).toEqual([]);
  });

  test('the numbers at their limits: 2^31 - 1 for an integer, 2^32 - 1 for max_packet_size', () => {
    expect(checkPgBouncerParameter('default_pool_size', '2147483647')).toBeUndefined();
    expect(checkPgBouncerParameter('default_pool_size', '2147483648')?.problem).toMatch(/^is not a whole number from 0 to 2147483647/);
    expect(checkPgBouncerParameter('max_packet_size', '4294967295')).toBeUndefined();
    expect(checkPgBouncerParameter('max_packet_size', '4294967296')?.problem).toMatch(/^is not a whole number from 0 to 4294967295/);
    expect(checkPgBouncerParameter('max_packet_size', '00')?.problem).toMatch(/without leading zeros/);
  });

  test('TLS protocols: a keyword only first, versions after it; case does not matter', () => {
    for (const ok of ['all,tlsv1.3', 'SECURE', 'default,tlsv1.2', 'tlsv1.0,tlsv1.1,tlsv1.2,tlsv1.3']) {
      expect([ok, checkPgBouncerParameter('server_tls_protocols', ok)]).toEqual([ok, undefined]);
    }
    for (const bad of ['tlsv1.3,all', 'tlsv1.4', 'xtlsv1.3', 'tlsv1.3x', 'tlsv1.2,', ',tlsv1.2', 'tlsv1x2']) {
      expect([bad, checkPgBouncerParameter('server_tls_protocols', bad)?.problem])
        .toEqual([bad, 'is not a PgBouncer TLS protocol list (tlsv1.0..tlsv1.3 separated by commas, or all, secure or default first)']);
    }
  });

  test('lists: parameter names separated by commas, anchored at both ends', () => {
    for (const ok of ['_x', 'a1', 'A_b,c']) expect([ok, checkPgBouncerParameter('track_extra_parameters', ok)]).toEqual([ok, undefined]);
    for (const bad of ['a,', ',a', 'a-b', 'a.b', 'a,1b']) {
      expect([bad, checkPgBouncerParameter('track_extra_parameters', bad)?.problem]).toEqual([bad, 'is not a comma-separated list of parameter names']);
    }
  });

  test('seconds: a decimal point needs digits after it; anchored at both ends', () => {
    for (const ok of ['0.25', '12']) expect([ok, checkPgBouncerParameter('query_timeout', ok)]).toEqual([ok, undefined]);
    for (const bad of ['5.', '1.2.3', 'x1', '1x', '1.x']) {
      expect([bad, checkPgBouncerParameter('query_timeout', bad)?.problem]).toEqual([bad, expect.stringMatching(/^is not a number of seconds/)]);
    }
  });
});

describe('keys the operator owns, and keys of later releases', () => {
  test('the forced keys and their values are the operator\'s (forcedPgBouncerParameters, config.go, v1.30.0)', () => {
    // ConfigsDir = /controller/configs, PgBouncerSocketDir = /controller/run, PgBouncerAdminUser = pgbouncer.
    expect(Object.fromEntries(Object.entries(FORCED_PGBOUNCER_PARAMETERS).map(([k, f]) => [k, f.value]))).toStrictEqual({
      unix_socket_dir: '/controller/run',
      listen_port: '5432',
      listen_addr: '*',
      admin_users: 'pgbouncer',
      auth_hba_file: '/controller/configs/pg_hba.conf',
      server_tls_ca_file: '/controller/configs/server-tls/ca.crt',
      client_tls_cert_file: '/controller/configs/client-tls/tls.crt',
      client_tls_key_file: '/controller/configs/client-tls/tls.key',
      client_tls_ca_file: '/controller/configs/client-ca/ca.crt',
    });
    // Each reason says what the operator does with the key (what a user reads instead of the webhook's "Invalid or reserved parameter").
    const says: Record<string, RegExp> = {
      unix_socket_dir: /socket directory, used by its admin connection/,
      listen_port: /the port of the pooler's Service and of its readiness probe/,
      listen_addr: /so that the pooler's Service reaches PgBouncer/,
      admin_users: /its own admin console connection \(PAUSE\/RESUME, metrics\)/,
      auth_hba_file: /writes the HBA file itself from spec\.pgbouncer\.pg_hba/,
      server_tls_ca_file: /server CA from serverCASecret/,
      client_tls_cert_file: /certificate from clientTLSSecret/,
      client_tls_key_file: /key from clientTLSSecret/,
      client_tls_ca_file: /client CA from clientCASecret/,
    };
    for (const [key, forced] of Object.entries(FORCED_PGBOUNCER_PARAMETERS)) {
      expect([key, forced.reason]).toEqual([key, expect.stringMatching(says[key])]);
    }
  });

  test('the operator\'s defaults (defaultPgBouncerParameters, config.go, v1.30.0)', () => {
    expect(OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS).toStrictEqual({
      log_stats: '0',
      auth_type: 'hba',
      client_tls_sslmode: 'prefer',
      server_tls_sslmode: 'verify-ca',
      ignore_startup_parameters: 'extra_float_digits,options',
    });
  });

  test.each(Object.entries(FORCED_PGBOUNCER_PARAMETERS))('forced %s: names the operator\'s value and why', (key, forced) => {
    expect(checkPgBouncerParameter(key, 'x')).toEqual({ problem: `is forced by the operator to "${forced.value}": ${forced.reason}`, fix: `remove ${key}` });
    expect(pgbouncerParameterProblems({ [key]: 'x' }, LATEST)).toEqual([{
      path: `spec.pgbouncer.parameters.${key}`, value: 'x', problem: `is forced by the operator to "${forced.value}": ${forced.reason}`, fix: `remove ${key}`,
    }]);
  });

  test.each([
    ['pool_mode', 'use poolMode'],
    ['auth_user', 'cnpg_pooler_pgbouncer'],
    ['auth_query', 'use authQuery'],
    ['auth_dbname', 'forces "postgres"'],
    ['auth_file', 'basic-auth Secret'],
    ['server_tls_cert_file', 'use serverTlsSecret'],
    ['server_tls_key_file', 'use serverTlsSecret'],
  ])('template key %s: not a parameter, and what to use instead', (key, hint) => {
    const check = checkPgBouncerParameter(key, 'x');
    expect(check?.problem).toMatch(/^is not a parameter CloudNativePG lets you set: the operator /);
    expect(check?.problem).toContain(hint);
    expect(check?.fix).toBe(`remove ${key}`);
  });

  test('a key outside the allow-list lists the whole allow-list in the fix', () => {
    expect(checkPgBouncerParameter('client_tls_protocols', 'tlsv1.3')).toEqual({
      problem: 'is not in the CloudNativePG 1.30 allow-list (AllowedPgbouncerGenericConfigurationParameters): the webhook rejects the Pooler with "Invalid or reserved parameter"',
      fix: `remove it, or use one of: ${KEYS.join(', ')}`,
    });
  });

  test.each(Object.entries(PGBOUNCER_PARAMETERS_SINCE))('%s: before its first release it is refused, value or not; from it, its value is checked', (key, since) => {
    const before = CnpgVersion.V1_27_0;
    expect(since.isAtLeast(CnpgVersion.V1_27_1)).toBe(true);
    const value = acceptedValues(key)[0].value;
    const expected = {
      problem: `is allowed only since CloudNativePG ${since.version}; the manifests target operatorVersion ${before.version}, whose webhook rejects it ("Invalid or reserved parameter")`,
      fix: `remove ${key}, or target CloudNativePG ${since.version} or newer`,
    };
    expect(checkPgBouncerParameter(key, value, before)).toEqual(expected);
    // The Pooler rule (escape hatches) gives the release problem, not the value check, for the refused keys too.
    expect(pgbouncerParameterProblems({ [key]: 'bogus value' }, before)).toEqual([{ path: `spec.pgbouncer.parameters.${key}`, value: 'bogus value', ...expected }]);
    expect(pgbouncerParameterProblems({ [key]: value }, since)).toEqual([]);
  });

  test('the refused keys give their reason and point at additionalParameters', () => {
    expect(checkPgBouncerParameter('auth_type', 'hba')?.problem).toBe('must stay "hba" (the operator\'s default): any other value bypasses the pg_hba rules this construct writes, and "trust"/"any" let anyone in');
    expect(checkPgBouncerParameter('client_tls_sslmode', 'require')?.problem).toBe('is set from clientTlsMode, which offers only modes that refuse plain-text clients');
    expect(checkPgBouncerParameter('server_tls_sslmode', 'verify-full')?.problem).toBe('is set from serverTlsMode, which offers only modes that verify or at least encrypt the server hop');
  });

  test('ignore_startup_parameters: the operator\'s two are refused wherever they appear, other names are not', () => {
    expect(checkPgBouncerParameter('ignore_startup_parameters', 'a,options,extra_float_digits')).toEqual({
      problem: 'repeats options, extra_float_digits, which the operator always prepends', fix: 'list only the extra parameters',
    });
    expect(checkPgBouncerParameter('ignore_startup_parameters', 'extra_float_digits')?.problem).toBe('repeats extra_float_digits, which the operator always prepends');
    expect(checkPgBouncerParameter('ignore_startup_parameters', 'optionsx,extra_float_digits2')).toBeUndefined();
    // Only that key: another list may name them.
    expect(checkPgBouncerParameter('track_extra_parameters', 'options')).toBeUndefined();
  });

  test('the check defaults to the latest supported release', () => {
    expect(checkPgBouncerParameter('client_tls13_ciphers', 'TLS_AES_256_GCM_SHA384')).toBeUndefined();
  });
});

describe('renderPgBouncerParameters: typed fields, raw keys, defaults and fixed values', () => {
  const scope = () => new Construct(Testing.chart(), 'pooler');
  type Params = Record<string, string>;
  const render = (typed: PgBouncerParameters, raw: Params = {}, fixed: Params = {}, defaults: Params = {}, version = LATEST) =>
    renderPgBouncerParameters(scope(), typed, raw, fixed, defaults, version);

  test('every typed field writes its own key, in PgBouncer\'s units', () => {
    const typed: Required<PgBouncerParameters> = {
      maxClientConnections: 101,
      defaultPoolSize: 21,
      minPoolSize: 2,
      reservePoolSize: 3,
      reservePoolTimeout: Duration.millis(4500),
      maxDbConnections: 22,
      maxUserConnections: 23,
      maxPreparedStatements: 24,
      queryWaitTimeout: Duration.seconds(25),
      queryTimeout: Duration.seconds(26),
      clientIdleTimeout: Duration.minutes(1),
      idleTransactionTimeout: Duration.seconds(28),
      serverIdleTimeout: Duration.seconds(29),
      serverLifetime: Duration.hours(1),
      serverConnectTimeout: Duration.seconds(31),
      serverLoginRetry: Duration.seconds(32),
      serverResetQuery: 'DISCARD ALL',
      serverResetQueryAlways: true,
      serverCheckQuery: 'select 2',
      serverCheckDelay: Duration.seconds(33),
      applicationNameAddHost: false,
      logConnections: true,
      logDisconnections: false,
      logPoolerErrors: true,
      statsPeriod: Duration.seconds(34),
      ignoreStartupParameters: ['search_path', 'TimeZone'],
      trackExtraParameters: ['IntervalStyle', 'DateStyle'],
    };
    expect(render(typed).parameters).toStrictEqual({
      application_name_add_host: '0',
      client_idle_timeout: '60',
      default_pool_size: '21',
      idle_transaction_timeout: '28',
      ignore_startup_parameters: 'search_path,TimeZone',
      log_connections: '1',
      log_disconnections: '0',
      log_pooler_errors: '1',
      max_client_conn: '101',
      max_db_connections: '22',
      max_prepared_statements: '24',
      max_user_connections: '23',
      min_pool_size: '2',
      query_timeout: '26',
      query_wait_timeout: '25',
      reserve_pool_size: '3',
      reserve_pool_timeout: '4.5',
      server_check_delay: '33',
      server_check_query: 'select 2',
      server_connect_timeout: '31',
      server_idle_timeout: '29',
      server_lifetime: '3600',
      server_login_retry: '32',
      server_reset_query: 'DISCARD ALL',
      server_reset_query_always: '1',
      stats_period: '34',
      track_extra_parameters: 'IntervalStyle,DateStyle',
    });
  });

  test('keys come out sorted; the defaults give way to typed and raw values, and the fixed values win over everything', () => {
    const r = render({ defaultPoolSize: 5 }, { tcp_keepidle: '30', verbose: '1' }, { max_prepared_statements: '200', verbose: '2' },
      { default_pool_size: '9', log_stats: '0', tcp_keepidle: '7' });
    expect(Object.entries(r.parameters)).toEqual([
      ['default_pool_size', '5'], ['log_stats', '0'], ['max_prepared_statements', '200'], ['tcp_keepidle', '30'], ['verbose', '2'],
    ]);
  });

  test('the connection budget\'s values: PgBouncer\'s defaults when unset, the written value when set', () => {
    const unset = render({});
    expect(unset).toStrictEqual({
      parameters: {},
      defaultPoolSize: PGBOUNCER_DEFAULTS.default_pool_size,
      reservePoolSize: PGBOUNCER_DEFAULTS.reserve_pool_size,
      maxDbConnections: PGBOUNCER_DEFAULTS.max_db_connections,
      maxUserConnections: PGBOUNCER_DEFAULTS.max_user_connections,
      maxPreparedStatements: undefined,
      maxClientConnections: undefined,
    });
    expect(PGBOUNCER_DEFAULTS).toEqual({ default_pool_size: 20, reserve_pool_size: 0, max_db_connections: 0, max_user_connections: 0 });
    const set = render({}, { default_pool_size: '7', reserve_pool_size: '2', max_db_connections: '9', max_user_connections: '4', max_client_conn: '50' },
      { max_prepared_statements: '0' });
    const { defaultPoolSize, reservePoolSize, maxDbConnections, maxUserConnections, maxPreparedStatements, maxClientConnections } = set;
    expect([defaultPoolSize, reservePoolSize, maxDbConnections, maxUserConnections, maxPreparedStatements, maxClientConnections])
      .toEqual([7, 2, 9, 4, 0, 50]);
  });

  test('durations: fractions of a second kept, exponents refused; stats_period in whole, positive seconds', () => {
    expect(render({ queryTimeout: Duration.millis(1) }).parameters.query_timeout).toBe('0.001');
    expect(render({ queryTimeout: Duration.seconds(0) }).parameters.query_timeout).toBe('0');
    // cdk8s refuses negative, fractional-millisecond and infinite durations itself; a huge one
    // renders with an exponent, which the type check refuses.
    expect(() => Duration.seconds(-1)).toThrow(/cannot be negative/);
    expect(() => render({ queryTimeout: Duration.seconds(1e30) }))
      .toThrow(/^Construct at 'test\/pooler': parameters\.queryTimeout = .* is not a number of seconds .*Fix: give query_timeout a value PgBouncer accepts/);
    expect(render({ statsPeriod: Duration.seconds(1) }).parameters.stats_period).toBe('1');
    expect(() => render({ statsPeriod: Duration.seconds(0) }))
      .toThrow(/parameters\.statsPeriod = "0ms" is not a whole, positive number of seconds \(PgBouncer reads stats_period as an integer\)\. Fix: use Duration\.seconds\(n\) with n >= 1/);
    expect(() => render({ statsPeriod: Duration.millis(1001) })).toThrow(/parameters\.statsPeriod = "1001ms" is not a whole, positive number of seconds/);
    // Whole seconds are not special for other keys.
    expect(render({ serverCheckDelay: Duration.millis(1001) }).parameters.server_check_delay).toBe('1.001');
  });

  test('numbers: whole and from 0, and within PgBouncer\'s integer', () => {
    expect(render({ maxUserConnections: 0 }).parameters.max_user_connections).toBe('0');
    expect(() => render({ maxUserConnections: -1 })).toThrow(/parameters\.maxUserConnections = -1 is not a whole number of zero or more\. Fix: give a non-negative integer/);
    expect(() => render({ maxUserConnections: 0.5 })).toThrow(/parameters\.maxUserConnections = 0\.5 is not a whole number of zero or more/);
    expect(() => render({ maxUserConnections: 2 ** 31 })).toThrow(/parameters\.maxUserConnections = 2147483648 is not a whole number from 0 to 2147483647, without leading zeros.*Fix: give max_user_connections a value PgBouncer accepts/);
  });

  test('a typed value is checked like a raw one (here: an operator list repeated)', () => {
    expect(() => render({ ignoreStartupParameters: ['options'] })).toThrow(/parameters\.ignoreStartupParameters = \["options"\] repeats options/);
    expect(() => render({ serverCheckQuery: 'select\n1' })).toThrow(/parameters\.serverCheckQuery = "select\\n1" contains a line break/);
  });

  test('raw keys: checked with the release; one set typed too is refused', () => {
    expect(() => render({}, { client_tls13_ciphers: 'TLS_AES_256_GCM_SHA384' }, {}, {}, CnpgVersion.V1_28_1))
      .toThrow(/additionalParameters\.client_tls13_ciphers = "TLS_AES_256_GCM_SHA384" is allowed only since CloudNativePG 1\.28\.2/);
    expect(() => render({ queryTimeout: Duration.seconds(1) }, { query_timeout: '2' }))
      .toThrow(/additionalParameters\.query_timeout = "2" duplicates parameters\.queryTimeout\. Fix: set it once, in parameters\.queryTimeout/);
  });

  test('pool sizes: at least one server connection; min_pool_size up to default_pool_size; at least one client', () => {
    expect(() => render({}, { default_pool_size: '0' })).toThrow(/parameters\.defaultPoolSize = 0 leaves the pools without a single server connection\. Fix: give at least 1/);
    expect(render({ defaultPoolSize: 1 }).defaultPoolSize).toBe(1);
    expect(render({ defaultPoolSize: 5, minPoolSize: 5 }).parameters.min_pool_size).toBe('5');
    expect(() => render({ defaultPoolSize: 5, minPoolSize: 6 }))
      .toThrow(/parameters\.minPoolSize = 6 is larger than defaultPoolSize \(5\); PgBouncer silently caps it\. Fix: lower minPoolSize to at most 5/);
    // Against PgBouncer's default of 20 when default_pool_size is unset.
    expect(render({ minPoolSize: 20 }).parameters.min_pool_size).toBe('20');
    expect(() => render({}, { min_pool_size: '21' })).toThrow(/minPoolSize = 21 is larger than defaultPoolSize \(20\)/);
    expect(render({ maxClientConnections: 1 }).maxClientConnections).toBe(1);
    expect(() => render({}, { max_client_conn: '0' })).toThrow(/parameters\.maxClientConnections = 0 accepts no client at all\. Fix: give at least 1/);
  });
});
