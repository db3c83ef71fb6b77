import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';

/**
 * Common PostgreSQL settings, typed. Anything else goes into `additional`.
 *
 * Memory sizes use PostgreSQL's units (`kB`, `MB`, `GB`, `TB`), e.g. `512MB`.
 * Every field defaults to PostgreSQL's (or CloudNativePG's) own default when unset.
 */
export interface PostgresParameters {
  /**
   * `max_connections`. The poolers' connection budget is checked against it.
   *
   * @default 100 (PostgreSQL's default)
   */
  readonly maxConnections?: number;
  /**
   * `superuser_reserved_connections`: slots kept for superusers (and the operator) out of
   * `max_connections`.
   *
   * @default 3 (PostgreSQL's default)
   */
  readonly superuserReservedConnections?: number;
  /** `shared_buffers`, e.g. `512MB`; must fit in the memory request. @default 128MB */
  readonly sharedBuffers?: string;
  /** `effective_cache_size`, e.g. `1536MB`. @default 4GB */
  readonly effectiveCacheSize?: string;
  /** `maintenance_work_mem`, e.g. `128MB`. @default 64MB */
  readonly maintenanceWorkMem?: string;
  /** `work_mem`, e.g. `4MB`. @default 4MB */
  readonly workMem?: string;
  /** `wal_buffers`, e.g. `16MB`. @default -1 (1/32 of shared_buffers) */
  readonly walBuffers?: string;
  /** `min_wal_size`, e.g. `2GB`. @default 80MB */
  readonly minWalSize?: string;
  /** `max_wal_size`, e.g. `8GB`. @default 1GB */
  readonly maxWalSize?: string;
  /** `wal_compression`: `on`, `off`, `pglz`, `lz4` or `zstd`. @default off */
  readonly walCompression?: string;
  /** `huge_pages`: `on`, `off` or `try`. @default try */
  readonly hugePages?: string;
  /** `default_statistics_target`. @default 100 */
  readonly defaultStatisticsTarget?: number;
  /** `random_page_cost` (1.1 suits SSDs). @default 4 */
  readonly randomPageCost?: number;
  /** `effective_io_concurrency`. @default 1 */
  readonly effectiveIoConcurrency?: number;
  /** `checkpoint_completion_target`, between 0 and 1. @default 0.9 */
  readonly checkpointCompletionTarget?: number;
  /** `max_worker_processes`. @default 32 (CloudNativePG's default) */
  readonly maxWorkerProcesses?: number;
  /** `max_parallel_workers`. @default 32 (CloudNativePG's default) */
  readonly maxParallelWorkers?: number;
  /** `max_parallel_workers_per_gather`. @default 2 */
  readonly maxParallelWorkersPerGather?: number;
  /** `max_parallel_maintenance_workers`. @default 2 */
  readonly maxParallelMaintenanceWorkers?: number;
  /** `autovacuum_max_workers`. @default 3 */
  readonly autovacuumMaxWorkers?: number;
  /** `autovacuum_vacuum_cost_limit`. @default -1 (vacuum_cost_limit) */
  readonly autovacuumVacuumCostLimit?: number;
  /**
   * Any other parameter, by its PostgreSQL name. Parameters that CloudNativePG manages itself
   * (`ssl`, `archive_command`, `shared_preload_libraries`, ...) and parameters that have a typed
   * field here are rejected at synth with the reason.
   *
   * @default - none
   */
  readonly additional?: { [name: string]: string };
}

/** A typed parameter: a number has PostgreSQL's minimum (and maximum, where it has one below the type's). */
type TypedParameter =
  | { name: string; kind: 'int' | 'number'; min: number; max?: number }
  | { name: string; kind: 'memory' }
  | { name: string; kind: 'enum'; values: string[] };

const TYPED: Record<keyof Omit<PostgresParameters, 'additional'>, TypedParameter> = {
  maxConnections: { name: 'max_connections', kind: 'int', min: 1, max: 262143 },
  superuserReservedConnections: { name: 'superuser_reserved_connections', kind: 'int', min: 0, max: 262143 },
  sharedBuffers: { name: 'shared_buffers', kind: 'memory' },
  effectiveCacheSize: { name: 'effective_cache_size', kind: 'memory' },
  maintenanceWorkMem: { name: 'maintenance_work_mem', kind: 'memory' },
  workMem: { name: 'work_mem', kind: 'memory' },
  walBuffers: { name: 'wal_buffers', kind: 'memory' },
  minWalSize: { name: 'min_wal_size', kind: 'memory' },
  maxWalSize: { name: 'max_wal_size', kind: 'memory' },
  walCompression: { name: 'wal_compression', kind: 'enum', values: ['on', 'off', 'pglz', 'lz4', 'zstd'] },
  hugePages: { name: 'huge_pages', kind: 'enum', values: ['on', 'off', 'try'] },
  defaultStatisticsTarget: { name: 'default_statistics_target', kind: 'int', min: 1, max: 10000 },
  randomPageCost: { name: 'random_page_cost', kind: 'number', min: 0 },
  effectiveIoConcurrency: { name: 'effective_io_concurrency', kind: 'int', min: 0, max: 1000 },
  checkpointCompletionTarget: { name: 'checkpoint_completion_target', kind: 'number', min: 0, max: 1 },
  maxWorkerProcesses: { name: 'max_worker_processes', kind: 'int', min: 0, max: 262143 },
  maxParallelWorkers: { name: 'max_parallel_workers', kind: 'int', min: 0, max: 1024 },
  maxParallelWorkersPerGather: { name: 'max_parallel_workers_per_gather', kind: 'int', min: 0, max: 1024 },
  maxParallelMaintenanceWorkers: { name: 'max_parallel_maintenance_workers', kind: 'int', min: 0, max: 1024 },
  autovacuumMaxWorkers: { name: 'autovacuum_max_workers', kind: 'int', min: 1, max: 262143 },
  autovacuumVacuumCostLimit: { name: 'autovacuum_vacuum_cost_limit', kind: 'int', min: -1, max: 10000 },
};

/**
 * Parameters CloudNativePG 1.30 sets itself; its webhook refuses a Cluster that sets them
 * ("Can't set fixed configuration parameter"). From `FixedConfigurationParameters` in
 * pkg/postgres/configuration.go (cloudnative-pg v1.30.0), with the field that replaces them.
 *
 * @internal
 */
export const OPERATOR_MANAGED_PARAMETERS: Record<string, string> = {
  'allow_system_table_mods': 'blocked by the operator',
  'archive_mode': 'set by the operator (on; always for replica clusters)',
  'bonjour': 'blocked by the operator',
  'bonjour_name': 'blocked by the operator',
  'cluster_name': 'set by the operator to the cluster name',
  'config_file': 'blocked by the operator',
  'data_directory': 'blocked by the operator',
  'data_sync_retry': 'blocked by the operator',
  'event_source': 'blocked by the operator',
  'external_pid_file': 'blocked by the operator',
  'hba_file': 'blocked by the operator; use pg_hba rules',
  'hot_standby': 'blocked by the operator',
  'ident_file': 'blocked by the operator',
  'jit_provider': 'blocked by the operator',
  'listen_addresses': 'blocked by the operator',
  'logging_collector': 'blocked by the operator',
  'port': 'set by the operator (5432)',
  'primary_conninfo': 'set by the operator',
  'primary_slot_name': 'set by the operator',
  'recovery_target': 'set by the operator (bootstrap recovery)',
  'recovery_target_action': 'set by the operator (bootstrap recovery)',
  'recovery_target_inclusive': 'set by the operator (bootstrap recovery)',
  'recovery_target_lsn': 'set by the operator (bootstrap recovery)',
  'recovery_target_name': 'set by the operator (bootstrap recovery)',
  'recovery_target_time': 'set by the operator (bootstrap recovery)',
  'recovery_target_timeline': 'set by the operator (bootstrap recovery)',
  'recovery_target_xid': 'set by the operator (bootstrap recovery)',
  'restore_command': 'set by the operator',
  'shared_preload_libraries': 'set by the operator from spec.postgresql.shared_preload_libraries',
  'temp_tablespaces': 'set by the operator from temporary tablespaces',
  'unix_socket_directories': 'blocked by the operator',
  'unix_socket_group': 'blocked by the operator',
  'unix_socket_permissions': 'blocked by the operator',
  'archive_cleanup_command': 'blocked by the operator',
  'archive_command': 'set by the operator (WAL archiving goes through the backup configuration)',
  'log_destination': 'blocked by the operator',
  'log_directory': 'blocked by the operator',
  'log_file_mode': 'blocked by the operator',
  'log_filename': 'blocked by the operator',
  'log_rotation_age': 'blocked by the operator',
  'log_rotation_size': 'blocked by the operator',
  'log_truncate_on_rotation': 'blocked by the operator',
  'pg_failover_slots.primary_dsn': 'set by the operator',
  'pg_failover_slots.standby_slot_names': 'set by the operator',
  'promote_trigger_file': 'blocked by the operator',
  'recovery_end_command': 'blocked by the operator',
  'recovery_min_apply_delay': 'blocked by the operator; use a replica cluster\'s minApplyDelay',
  'restart_after_crash': 'blocked by the operator',
  'ssl': 'always on: the operator serves TLS itself',
  'ssl_ca_file': 'set by the operator from its certificates',
  'ssl_cert_file': 'set by the operator from its certificates',
  'ssl_crl_file': 'set by the operator',
  'ssl_dh_params_file': 'set by the operator',
  'ssl_ecdh_curve': 'set by the operator',
  'ssl_key_file': 'set by the operator from its certificates',
  'ssl_passphrase_command': 'set by the operator',
  'ssl_passphrase_command_supports_reload': 'set by the operator',
  'ssl_prefer_server_ciphers': 'set by the operator',
  'stats_temp_directory': 'blocked by the operator',
  'synchronous_standby_names': 'set by the operator; use the cluster\'s replication (SynchronousReplication)',
  'synchronized_standby_slots': 'set by the operator',
  'syslog_facility': 'blocked by the operator',
  'syslog_ident': 'blocked by the operator',
  'syslog_sequence_numbers': 'blocked by the operator',
  'syslog_split_messages': 'blocked by the operator',
};

/**
 * The problem of setting a parameter CloudNativePG manages itself (its webhook refuses the
 * Cluster), or undefined. Also checked on Clusters as written and hand-written (src/checks/fixed-parameters.ts).
 *
 * @internal
 */
export function fixedParameterProblem(name: string): { problem: string; fix: string } | undefined {
  const reason = Object.prototype.hasOwnProperty.call(OPERATOR_MANAGED_PARAMETERS, name) ? OPERATOR_MANAGED_PARAMETERS[name] : undefined;
  if (!reason) return undefined;
  return {
    problem: `cannot be set: ${name} is ${reason} and CloudNativePG's webhook rejects it ("Can't set fixed configuration parameter")`,
    fix: name === 'shared_preload_libraries'
      ? 'load the libraries with the cluster\'s extensions (PostgresExtension.pgStatStatements(), ...) or sharedPreloadLibraries props'
      : `remove "${name}" from the parameters`,
  };
}

/** Parameters that this library sets from other props. @internal */
export const LIBRARY_MANAGED_PARAMETERS: Record<string, string> = {
  ssl_min_protocol_version: 'tls.minProtocolVersion',
};

const MEMORY = /^\d+(kB|MB|GB|TB)?$/;
const MEMORY_UNITS: Record<string, number> = { '': 8192, 'kB': 1024, 'MB': 1024 ** 2, 'GB': 1024 ** 3, 'TB': 1024 ** 4 };

/** Bytes of a PostgreSQL memory setting (`shared_buffers` without unit counts 8 kB pages). @internal */
export function postgresMemoryBytes(value: string): number | undefined {
  const m = MEMORY.exec(value);
  if (!m) return undefined;
  return parseInt(value, 10) * MEMORY_UNITS[m[1] ?? ''];
}

/**
 * Validates the typed parameters and the passthrough map, and renders `spec.postgresql.parameters`.
 *
 * @internal
 */
export function renderPostgresParameters(scope: IConstruct, field: string, params: PostgresParameters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [prop, spec] of Object.entries(TYPED)) {
    const value = (params as any)[prop];
    if (value === undefined) continue;
    const path = `${field}.${prop}`;
    switch (spec.kind) {
      case 'int':
      case 'number':
        if (!Number.isFinite(value) || (spec.kind === 'int' && !Number.isInteger(value))
          || value < spec.min || (spec.max !== undefined && value > spec.max)) {
          throw invalidInput(scope, path, value,
            `is not a valid ${spec.name}: it must be ${spec.kind === 'int' ? 'an integer' : 'a number'} of at least ${spec.min}${spec.max !== undefined ? ` and at most ${spec.max}` : ''}`,
            `set ${prop} to a value in range, or leave it unset for the default`);
        }
        out[spec.name] = String(value);
        break;
      case 'memory':
        if (!containsFluxVariable(String(value)) && !MEMORY.test(String(value))) {
          throw invalidInput(scope, path, value, `is not a PostgreSQL memory size for ${spec.name}`,
            'write an integer with a PostgreSQL unit: kB, MB, GB or TB (e.g. "512MB"); Kubernetes units such as "Mi" are not understood by PostgreSQL');
        }
        out[spec.name] = String(value);
        break;
      case 'enum':
        if (!spec.values.includes(String(value))) {
          throw invalidInput(scope, path, value, `is not a valid ${spec.name}`, `use one of ${spec.values.join(', ')}`);
        }
        out[spec.name] = String(value);
        break;
    }
  }
  const typedByName = new Map(Object.entries(TYPED).map(([prop, spec]) => [spec.name, prop]));
  for (const [name, value] of Object.entries(params.additional ?? {})) {
    const path = `${field}.additional["${name}"]`;
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) {
      throw invalidInput(scope, path, value, `has an invalid parameter name "${name}"`, 'use a lower-case PostgreSQL parameter name such as "log_min_duration_statement"');
    }
    const fixed = fixedParameterProblem(name);
    if (fixed) throw invalidInput(scope, path, value, fixed.problem, fixed.fix);
    if (Object.prototype.hasOwnProperty.call(LIBRARY_MANAGED_PARAMETERS, name)) {
      throw invalidInput(scope, path, value, `is set by this library from ${LIBRARY_MANAGED_PARAMETERS[name]}`, `use ${LIBRARY_MANAGED_PARAMETERS[name]} instead`);
    }
    if (typedByName.has(name)) {
      throw invalidInput(scope, path, value, 'has a typed field', `set ${field}.${typedByName.get(name)} instead of additional["${name}"]`);
    }
    if (typeof value !== 'string') {
      throw invalidInput(scope, path, value, 'is not a string', `quote the value, e.g. "${String(value)}"`);
    }
    out[name] = value;
  }
  return out;
}
