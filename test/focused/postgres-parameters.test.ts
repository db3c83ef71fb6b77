/**
 * src/cluster/postgres-parameters.ts called directly (nothing synthesized, so that mutation testing
 * runs only the tests that reach a mutant): every typed parameter at its limits, memory sizes,
 * enums, the passthrough map's refusals with their whole messages, the operator's fixed
 * parameters (against `FixedConfigurationParameters` of cloudnative-pg v1.30.0), and
 * `postgresMemoryBytes`.
 */
import { PostgresParameters } from '../../src';
import {
  fixedParameterProblem, LIBRARY_MANAGED_PARAMETERS, OPERATOR_MANAGED_PARAMETERS, postgresMemoryBytes, renderPostgresParameters,
} from '../../src/cluster/postgres-parameters';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const render = (params: PostgresParameters) => renderPostgresParameters(boxScope(), 'parameters', params);
const refusal = (params: PostgresParameters) => thrown(() => render(params));

/** ` (the field is parameters.max_connections in Python, Parameters.MaxConnections in Go)`, spelt by hand. */
const hint = (python: string, go: string) => ` (the field is parameters.${python} in Python, Parameters.${go} in Go)`;

/**
 * The numeric parameters with PostgreSQL's own limits (the GUC tables of guc_tables.c, PostgreSQL 13-18):
 * prop, PostgreSQL name, Python and Go names, integer or not, minimum, maximum (none: no limit).
 */
const NUMERIC: Array<[keyof PostgresParameters, string, string, string, boolean, number, number | undefined]> = [
  ['maxConnections', 'max_connections', 'max_connections', 'MaxConnections', true, 1, 262143],
  ['superuserReservedConnections', 'superuser_reserved_connections', 'superuser_reserved_connections', 'SuperuserReservedConnections', true, 0, 262143],
  ['defaultStatisticsTarget', 'default_statistics_target', 'default_statistics_target', 'DefaultStatisticsTarget', true, 1, 10000],
  ['randomPageCost', 'random_page_cost', 'random_page_cost', 'RandomPageCost', false, 0, undefined],
  ['effectiveIoConcurrency', 'effective_io_concurrency', 'effective_io_concurrency', 'EffectiveIoConcurrency', true, 0, 1000],
  ['checkpointCompletionTarget', 'checkpoint_completion_target', 'checkpoint_completion_target', 'CheckpointCompletionTarget', false, 0, 1],
  ['maxWorkerProcesses', 'max_worker_processes', 'max_worker_processes', 'MaxWorkerProcesses', true, 0, 262143],
  ['maxParallelWorkers', 'max_parallel_workers', 'max_parallel_workers', 'MaxParallelWorkers', true, 0, 1024],
  ['maxParallelWorkersPerGather', 'max_parallel_workers_per_gather', 'max_parallel_workers_per_gather', 'MaxParallelWorkersPerGather', true, 0, 1024],
  ['maxParallelMaintenanceWorkers', 'max_parallel_maintenance_workers', 'max_parallel_maintenance_workers', 'MaxParallelMaintenanceWorkers', true, 0, 1024],
  ['autovacuumMaxWorkers', 'autovacuum_max_workers', 'autovacuum_max_workers', 'AutovacuumMaxWorkers', true, 1, 262143],
  ['autovacuumVacuumCostLimit', 'autovacuum_vacuum_cost_limit', 'autovacuum_vacuum_cost_limit', 'AutovacuumVacuumCostLimit', true, -1, 10000],
];

const MEMORY: Array<[keyof PostgresParameters, string, string, string]> = [
  ['sharedBuffers', 'shared_buffers', 'shared_buffers', 'SharedBuffers'],
  ['effectiveCacheSize', 'effective_cache_size', 'effective_cache_size', 'EffectiveCacheSize'],
  ['maintenanceWorkMem', 'maintenance_work_mem', 'maintenance_work_mem', 'MaintenanceWorkMem'],
  ['workMem', 'work_mem', 'work_mem', 'WorkMem'],
  ['walBuffers', 'wal_buffers', 'wal_buffers', 'WalBuffers'],
  ['minWalSize', 'min_wal_size', 'min_wal_size', 'MinWalSize'],
  ['maxWalSize', 'max_wal_size', 'max_wal_size', 'MaxWalSize'],
];

/** `FixedConfigurationParameters` of pkg/postgres/configuration.go, cloudnative-pg v1.30.0: blocked ones, then fixed ones. */
const UPSTREAM_BLOCKED = ['allow_system_table_mods', 'bonjour', 'bonjour_name', 'config_file', 'data_directory', 'data_sync_retry', 'event_source',
  'external_pid_file', 'hba_file', 'hot_standby', 'ident_file', 'jit_provider', 'listen_addresses', 'logging_collector', 'unix_socket_directories',
  'unix_socket_group', 'unix_socket_permissions', 'archive_cleanup_command', 'log_destination', 'log_directory', 'log_file_mode', 'log_filename',
  'log_rotation_age', 'log_rotation_size', 'log_truncate_on_rotation', 'promote_trigger_file', 'recovery_end_command', 'recovery_min_apply_delay',
  'restart_after_crash', 'stats_temp_directory', 'syslog_facility', 'syslog_ident', 'syslog_sequence_numbers', 'syslog_split_messages'];
const UPSTREAM_FIXED = ['archive_mode', 'cluster_name', 'port', 'primary_conninfo', 'primary_slot_name', 'recovery_target', 'recovery_target_action',
  'recovery_target_inclusive', 'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time', 'recovery_target_timeline', 'recovery_target_xid',
  'restore_command', 'shared_preload_libraries', 'temp_tablespaces', 'archive_command', 'pg_failover_slots.primary_dsn',
  'pg_failover_slots.standby_slot_names', 'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_crl_file', 'ssl_dh_params_file', 'ssl_ecdh_curve', 'ssl_key_file',
  'ssl_passphrase_command', 'ssl_passphrase_command_supports_reload', 'ssl_prefer_server_ciphers', 'synchronous_standby_names', 'synchronized_standby_slots'];

describe('defaults', () => {
  test('nothing set writes no parameter (PostgreSQL\'s and CloudNativePG\'s defaults apply)', () => {
    expect(render({})).toStrictEqual({});
    expect(render({ additional: {} })).toStrictEqual({});
  });
});

describe('numeric parameters at their limits', () => {
  const message = (prop: string, pg: string, python: string, go: string, int: boolean, min: number, max: number | undefined, value: unknown) =>
    `${BOX_PATH}: parameters.${prop} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a valid ${pg}: it must be `
    + `${int ? 'an integer' : 'a number'} of at least ${min}${max === undefined ? '' : ` and at most ${max}`}. `
    + `Fix: set ${prop} to a value in range, or leave it unset for the default${hint(python, go)}`;

  test.each(NUMERIC)('%s: the minimum and the maximum are written', (prop, pg, _py, _go, _int, min, max) => {
    expect(render({ [prop]: min })).toStrictEqual({ [pg]: String(min) });
    if (max !== undefined) expect(render({ [prop]: max })).toStrictEqual({ [pg]: String(max) });
  });

  test.each(NUMERIC)('%s: one below the minimum and one above the maximum are refused', (prop, pg, py, go, int, min, max) => {
    const step = int ? 1 : 0.01;
    expect(refusal({ [prop]: min - step })).toBe(message(prop, pg, py, go, int, min, max, min - step));
    if (max !== undefined) expect(refusal({ [prop]: max + step })).toBe(message(prop, pg, py, go, int, min, max, max + step));
  });

  test.each(NUMERIC)('%s: what is not a finite number is refused', (prop, pg, py, go, int, min, max) => {
    for (const v of ['5', NaN, Infinity, true]) {
      expect(refusal({ [prop]: v as any })).toBe(message(prop, pg, py, go, int, min, max, v));
    }
  });

  test.each(NUMERIC.filter((n) => n[4]))('%s: a fraction is refused, an integer parameter', (prop, pg, py, go, int, min, max) => {
    expect(refusal({ [prop]: min + 1.5 })).toBe(message(prop, pg, py, go, int, min, max, min + 1.5));
  });

  test('a fraction is written for the number parameters', () => {
    expect(render({ randomPageCost: 1.1, checkpointCompletionTarget: 0.9 })).toStrictEqual({ random_page_cost: '1.1', checkpoint_completion_target: '0.9' });
    expect(render({ randomPageCost: 1e6 })).toStrictEqual({ random_page_cost: '1000000' });
  });

  test('every typed parameter at once, in the table\'s order', () => {
    const out = render({
      maxConnections: 200, sharedBuffers: '1GB', walCompression: 'lz4', hugePages: 'off', autovacuumVacuumCostLimit: -1,
    });
    expect(out).toStrictEqual({ max_connections: '200', shared_buffers: '1GB', wal_compression: 'lz4', huge_pages: 'off', autovacuum_vacuum_cost_limit: '-1' });
    expect(Object.keys(out)).toEqual(['max_connections', 'shared_buffers', 'wal_compression', 'huge_pages', 'autovacuum_vacuum_cost_limit']);
  });
});

describe('memory sizes', () => {
  test.each(MEMORY)('%s: PostgreSQL\'s units and a bare number are written', (prop, pg) => {
    for (const v of ['512MB', '1024', '64kB', '2GB', '1TB', '0']) {
      expect(render({ [prop]: v })).toStrictEqual({ [pg]: v });
    }
  });

  test.each(MEMORY)('%s: Kubernetes units, fractions and other text are refused', (prop, pg, python, go) => {
    for (const v of ['512Mi', '1.5GB', 'MB', ' 1MB', '1MB ', '1MBx', 'x1MB', '1mb', '1KB', '']) {
      expect(refusal({ [prop]: v })).toBe(
        `${BOX_PATH}: parameters.${prop} = ${JSON.stringify(v)} is not a PostgreSQL memory size for ${pg}. `
        + 'Fix: write an integer with a PostgreSQL unit: kB, MB, GB or TB (e.g. "512MB"); Kubernetes units such as "Mi" are not understood by PostgreSQL'
        + hint(python, go));
    }
  });

  test('a Flux variable is written unchecked', () => {
    expect(render({ sharedBuffers: '${PG_SHARED_BUFFERS}', workMem: '${X}MB' })).toStrictEqual({ shared_buffers: '${PG_SHARED_BUFFERS}', work_mem: '${X}MB' });
  });

  test.each([
    ['1024', 1024 * 8192], ['16kB', 16 * 1024], ['512MB', 512 * 1024 ** 2], ['2GB', 2 * 1024 ** 3], ['1TB', 1024 ** 4], ['0', 0],
  ])('postgresMemoryBytes(%p) = %p (a bare number counts 8 kB pages)', (v, bytes) => {
    expect(postgresMemoryBytes(v)).toBe(bytes);
  });

  test.each(['512Mi', '1.5GB', 'x', '', '${X}', '1 GB'])('postgresMemoryBytes(%p) is undefined', (v) => {
    expect(postgresMemoryBytes(v)).toBeUndefined();
  });
});

describe('enums', () => {
  test.each(['on', 'off', 'pglz', 'lz4', 'zstd'])('walCompression %p is written', (v) => {
    expect(render({ walCompression: v })).toStrictEqual({ wal_compression: v });
  });

  test.each(['on', 'off', 'try'])('hugePages %p is written', (v) => {
    expect(render({ hugePages: v })).toStrictEqual({ huge_pages: v });
  });

  test('another value is refused, with the values in the fix', () => {
    expect(refusal({ walCompression: 'gzip' })).toBe(
      `${BOX_PATH}: parameters.walCompression = "gzip" is not a valid wal_compression. Fix: use one of on, off, pglz, lz4, zstd${hint('wal_compression', 'WalCompression')}`);
    expect(refusal({ hugePages: 'ON' })).toBe(
      `${BOX_PATH}: parameters.hugePages = "ON" is not a valid huge_pages. Fix: use one of on, off, try${hint('huge_pages', 'HugePages')}`);
    expect(refusal({ hugePages: 'zstd' })).toBe(
      `${BOX_PATH}: parameters.hugePages = "zstd" is not a valid huge_pages. Fix: use one of on, off, try${hint('huge_pages', 'HugePages')}`);
  });
});

describe('additional parameters', () => {
  const where = (name: string) => `${BOX_PATH}: parameters.additional["${name}"]`;

  test('written as given, after the typed ones', () => {
    const out = render({ additional: { 'log_min_duration_statement': '250ms', 'pg_stat_statements.max': '10000', '_x': '1', 'a1': '' }, maxConnections: 50 });
    expect(out).toStrictEqual({ 'max_connections': '50', 'log_min_duration_statement': '250ms', 'pg_stat_statements.max': '10000', '_x': '1', 'a1': '' });
    expect(Object.keys(out)[0]).toBe('max_connections');
  });

  test.each(['Log_min', '1x', 'x-y', 'a.b.c', '.x', 'x.', 'x.1', 'a b', ''])('the name %p is refused', (name) => {
    expect(refusal({ additional: { [name]: 'v' } })).toBe(
      `${where(name)} = "v" has an invalid parameter name "${name}". Fix: use a lower-case PostgreSQL parameter name such as "log_min_duration_statement"`);
  });

  test('a parameter with a typed field is refused, naming the field', () => {
    expect(refusal({ additional: { max_connections: '500' } })).toBe(
      `${where('max_connections')} = "500" has a typed field. Fix: set parameters.maxConnections instead of additional["max_connections"]`);
    expect(refusal({ additional: { huge_pages: 'on' } })).toBe(
      `${where('huge_pages')} = "on" has a typed field. Fix: set parameters.hugePages instead of additional["huge_pages"]`);
  });

  test('a parameter the library sets from another prop is refused', () => {
    expect(LIBRARY_MANAGED_PARAMETERS).toStrictEqual({ ssl_min_protocol_version: 'tls.minProtocolVersion' });
    expect(refusal({ additional: { ssl_min_protocol_version: 'TLSv1.2' } })).toBe(
      `${where('ssl_min_protocol_version')} = "TLSv1.2" is set by this library from tls.minProtocolVersion. Fix: use tls.minProtocolVersion instead`);
  });

  test('a value that is not a string is refused', () => {
    expect(refusal({ additional: { log_min_duration_statement: 250 as any } })).toBe(
      `${where('log_min_duration_statement')} = 250 is not a string. Fix: quote the value, e.g. "250"`);
  });

  test('a fixed parameter is refused with the operator\'s reason', () => {
    expect(refusal({ additional: { archive_command: '/bin/true' } })).toBe(
      `${where('archive_command')} = "/bin/true" cannot be set: archive_command is set by the operator (WAL archiving goes through the backup configuration) `
      + 'and CloudNativePG\'s webhook rejects it ("Can\'t set fixed configuration parameter"). Fix: remove "archive_command" from the parameters');
    expect(refusal({ additional: { shared_preload_libraries: 'pgaudit' } })).toBe(
      `${where('shared_preload_libraries')} = "pgaudit" cannot be set: shared_preload_libraries is set by the operator from spec.postgresql.shared_preload_libraries `
      + 'and CloudNativePG\'s webhook rejects it ("Can\'t set fixed configuration parameter"). '
      + 'Fix: load the libraries with the cluster\'s extensions (PostgresExtension.pgStatStatements(), ...) or sharedPreloadLibraries props');
  });

  test('names of Object.prototype\'s members are ordinary names', () => {
    expect(fixedParameterProblem('constructor')).toBeUndefined();
    expect(fixedParameterProblem('hasOwnProperty')).toBeUndefined();
    expect(render({ additional: { constructor: 'x' } })).toStrictEqual({ constructor: 'x' });
  });
});

describe('the operator\'s fixed parameters', () => {
  test('the table is cloudnative-pg v1.30.0\'s FixedConfigurationParameters', () => {
    expect(Object.keys(OPERATOR_MANAGED_PARAMETERS).sort()).toEqual([...UPSTREAM_BLOCKED, ...UPSTREAM_FIXED].sort());
  });

  test.each(UPSTREAM_BLOCKED)('%s, blocked by the operator, is refused as such', (name) => {
    const p = fixedParameterProblem(name);
    expect(p?.problem).toMatch(new RegExp(`^cannot be set: ${name.replace('.', '\\.')} is blocked by the operator(; [^"]+)? and CloudNativePG's webhook rejects it `
      + '\\("Can\'t set fixed configuration parameter"\\)$'));
    expect(p?.fix).toBe(`remove "${name}" from the parameters`);
  });

  test.each(UPSTREAM_FIXED)('%s, set by the operator, is refused with what sets it', (name) => {
    const p = fixedParameterProblem(name);
    expect(p?.problem).toMatch(new RegExp(`^cannot be set: ${name.replace('.', '\\.')} is (set by the operator|always on: the operator serves TLS itself)[^"]* `
      + 'and CloudNativePG\'s webhook rejects it \\("Can\'t set fixed configuration parameter"\\)$'));
    if (name !== 'shared_preload_libraries') expect(p?.fix).toBe(`remove "${name}" from the parameters`);
  });

  test('the reasons that name a replacement', () => {
    expect(OPERATOR_MANAGED_PARAMETERS.hba_file).toBe('blocked by the operator; use pg_hba rules');
    expect(OPERATOR_MANAGED_PARAMETERS.recovery_min_apply_delay).toBe('blocked by the operator; use a replica cluster\'s minApplyDelay');
    expect(OPERATOR_MANAGED_PARAMETERS.synchronous_standby_names).toBe('set by the operator; use the cluster\'s replication (SynchronousReplication)');
    expect(OPERATOR_MANAGED_PARAMETERS.ssl).toBe('always on: the operator serves TLS itself');
  });

  test('other parameters have no problem', () => {
    expect(fixedParameterProblem('work_mem')).toBeUndefined();
    expect(fixedParameterProblem('ssl_min_protocol_version')).toBeUndefined();
  });
});
