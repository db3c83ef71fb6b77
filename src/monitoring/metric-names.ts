/**
 * Every metric name the alert rules and dashboards read, in one place.
 *
 * CloudNativePG's own series (`cnpg_*`, `barman_cloud_cloudnative_pg_io_*`) must be in
 * vendor/metrics/cnpg-1.30.0.txt (read from CNPG 1.30.0's and the Barman Cloud plugin 0.14.0's
 * sources); every other series must be a documented kube-state-metrics or kubelet series, listed
 * in {@link EXTERNAL_METRICS} with the page that documents it. test/monitoring-metrics.test.ts
 * parses every synthesized expression and enforces both.
 */

/** The instance manager's own collector (pkg/management/postgres/webserver/metricserver/pg_collector.go). */
export const COLLECTOR = {
  /** 1 when the collector reached PostgreSQL, 0 when not; label `cluster`. Every instance. */
  up: 'cnpg_collector_up',
  /** 1 when the last collection failed. */
  lastCollectionError: 'cnpg_collector_last_collection_error',
  /** 1 when the instance is fenced (collection is skipped). */
  fencingOn: 'cnpg_collector_fencing_on',
  /** 1 when a supervised primary update waits for a manual switchover. */
  manualSwitchoverRequired: 'cnpg_collector_manual_switchover_required',
  /**
   * `{value="observed"}`: the N of `ANY|FIRST N (...)` in the primary's synchronous_standby_names
   * (primary only; -1 when unreadable).
   */
  syncReplicas: 'cnpg_collector_sync_replicas',
  /** `{value="ready"|"done"}`: files in pg_wal/archive_status. */
  walArchiveStatus: 'cnpg_collector_pg_wal_archive_status',
  /** Total WAL bytes generated (PG 14+), label `stats_reset`. */
  walBytes: 'cnpg_collector_wal_bytes',
} as const;

/** The operator's default monitoring queries (config/manager/default-monitoring.yaml). */
export const QUERIES = {
  /** `backends`: connections by datname, usename, application_name, state. */
  backendsTotal: 'cnpg_backends_total',
  /** `backends`: longest open transaction, seconds. */
  backendsMaxTxDuration: 'cnpg_backends_max_tx_duration_seconds',
  /** `backends_waiting`: backends waiting on a lock. */
  backendsWaiting: 'cnpg_backends_waiting_total',
  /** `pg_database`: size per datname. */
  databaseSize: 'cnpg_pg_database_size_bytes',
  /** `pg_database`: age(datfrozenxid) per datname. */
  databaseXidAge: 'cnpg_pg_database_xid_age',
  /** `pg_replication`: seconds behind the primary (0 on the primary and on caught-up standbys). */
  replicationLag: 'cnpg_pg_replication_lag',
  /** `pg_replication`: 1 on standbys. */
  replicationInRecovery: 'cnpg_pg_replication_in_recovery',
  /** `pg_replication`: rows of pg_stat_replication (the primary's walsenders). */
  replicationStreamingReplicas: 'cnpg_pg_replication_streaming_replicas',
  /** `pg_replication_slots`: bytes between the current LSN and the slot's restart_lsn. */
  replicationSlotLagBytes: 'cnpg_pg_replication_slots_pg_wal_lsn_diff',
  /** `pg_stat_archiver` (primary only): epoch of the last successful archive, -1 never. */
  archiverLastArchivedTime: 'cnpg_pg_stat_archiver_last_archived_time',
  /** `pg_stat_archiver` (primary only): epoch of the last failed archive, -1 never. */
  archiverLastFailedTime: 'cnpg_pg_stat_archiver_last_failed_time',
  /** `pg_stat_archiver`: WAL files archived (counter). */
  archiverArchivedCount: 'cnpg_pg_stat_archiver_archived_count',
  /** `pg_stat_archiver`: failed archive attempts (counter). */
  archiverFailedCount: 'cnpg_pg_stat_archiver_failed_count',
  /** `pg_stat_archiver`: seconds since the last successful archive. */
  archiverSecondsSinceLastArchival: 'cnpg_pg_stat_archiver_seconds_since_last_archival',
  /** `pg_stat_database`: committed transactions per datname (counter). */
  databaseXactCommit: 'cnpg_pg_stat_database_xact_commit',
  /** `pg_stat_database`: rolled-back transactions per datname (counter). */
  databaseXactRollback: 'cnpg_pg_stat_database_xact_rollback',
  /** `pg_stat_database`: deadlocks per datname (counter). */
  databaseDeadlocks: 'cnpg_pg_stat_database_deadlocks',
  /** `pg_stat_replication` (primary): replay lag of each standby, seconds. */
  statReplicationReplayLag: 'cnpg_pg_stat_replication_replay_lag_seconds',
  /** `pg_settings`: integer/real/bool settings by `name`. */
  settings: 'cnpg_pg_settings_setting',
} as const;

/**
 * The three backup metrics, under the name of the backup method that writes them: the in-tree
 * `barmanObjectStore` (`cnpg_collector_*`, primary only, deprecated since 1.26) or the Barman
 * Cloud plugin (`barman_cloud_cloudnative_pg_io_*`, every instance; 0 until the ObjectStore
 * status knows the server).
 */
export interface BackupMetricNames {
  readonly lastAvailableBackupTimestamp: string;
  readonly lastFailedBackupTimestamp: string;
  readonly firstRecoverabilityPoint: string;
}

/** In-tree barmanObjectStore backups. */
export const IN_TREE_BACKUP_METRICS: BackupMetricNames = {
  lastAvailableBackupTimestamp: 'cnpg_collector_last_available_backup_timestamp',
  lastFailedBackupTimestamp: 'cnpg_collector_last_failed_backup_timestamp',
  firstRecoverabilityPoint: 'cnpg_collector_first_recoverability_point',
};

/** Barman Cloud plugin backups (plugin-barman-cloud internal/cnpgi/instance/metrics.go). */
export const PLUGIN_BACKUP_METRICS: BackupMetricNames = {
  lastAvailableBackupTimestamp: 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  lastFailedBackupTimestamp: 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
  firstRecoverabilityPoint: 'barman_cloud_cloudnative_pg_io_first_recoverability_point',
};

/** The PgBouncer exporter of each Pooler pod, port 9127 (pkg/management/pgbouncer/metricsserver). */
export const PGBOUNCER = {
  /** 1 when the exporter could run SHOW POOLS on its PgBouncer. */
  up: 'cnpg_pgbouncer_up',
  /** SHOW POOLS, per database and user. */
  clientsActive: 'cnpg_pgbouncer_pools_cl_active',
  clientsWaiting: 'cnpg_pgbouncer_pools_cl_waiting',
  serversActive: 'cnpg_pgbouncer_pools_sv_active',
  serversIdle: 'cnpg_pgbouncer_pools_sv_idle',
  serversUsed: 'cnpg_pgbouncer_pools_sv_used',
  /** Age of the oldest waiting client: whole seconds, plus the microsecond part. */
  maxWait: 'cnpg_pgbouncer_pools_maxwait',
  maxWaitMicroseconds: 'cnpg_pgbouncer_pools_maxwait_us',
  /** SHOW STATS, per database. */
  totalQueryCount: 'cnpg_pgbouncer_stats_total_query_count',
  totalXactCount: 'cnpg_pgbouncer_stats_total_xact_count',
  /** Average query duration, microseconds. */
  avgQueryTime: 'cnpg_pgbouncer_stats_avg_query_time',
  /** Average client wait time, microseconds. */
  avgWaitTime: 'cnpg_pgbouncer_stats_avg_wait_time',
} as const;

/** kube-state-metrics and kubelet series (not CloudNativePG's). */
export const KUBE = {
  jobOwner: 'kube_job_owner',
  jobFailed: 'kube_job_failed',
  jobStartTime: 'kube_job_status_start_time',
  cronJobLastSuccessfulTime: 'kube_cronjob_status_last_successful_time',
  deploymentAvailableReplicas: 'kube_deployment_status_replicas_available',
  deploymentSpecReplicas: 'kube_deployment_spec_replicas',
  volumeUsedBytes: 'kubelet_volume_stats_used_bytes',
  volumeCapacityBytes: 'kubelet_volume_stats_capacity_bytes',
} as const;

const KSM_DOCS = 'https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload';
// The Kubernetes metrics reference lists the kubelet's volume series (ALPHA; emitted by
// pkg/kubelet/metrics/collectors/volume_stats.go for every mounted PVC).
const KUBELET_DOCS = 'https://kubernetes.io/docs/reference/instrumentation/metrics/';

/**
 * Every series that is not CloudNativePG's, with the page documenting it (name, labels, type):
 * the allow-list of the metric-name test.
 */
export const EXTERNAL_METRICS: { [name: string]: string } = {
  [KUBE.jobOwner]: `${KSM_DOCS}/job-metrics.md (labels job_name, namespace, owner_kind, owner_name)`,
  [KUBE.jobFailed]: `${KSM_DOCS}/job-metrics.md (labels job_name, namespace, condition)`,
  [KUBE.jobStartTime]: `${KSM_DOCS}/job-metrics.md (labels job_name, namespace)`,
  [KUBE.cronJobLastSuccessfulTime]: `${KSM_DOCS}/cronjob-metrics.md (labels cronjob, namespace)`,
  [KUBE.deploymentAvailableReplicas]: `${KSM_DOCS}/deployment-metrics.md (labels deployment, namespace)`,
  [KUBE.deploymentSpecReplicas]: `${KSM_DOCS}/deployment-metrics.md (labels deployment, namespace)`,
  [KUBE.volumeUsedBytes]: `${KUBELET_DOCS} (kubelet, labels namespace, persistentvolumeclaim)`,
  [KUBE.volumeCapacityBytes]: `${KUBELET_DOCS} (kubelet, labels namespace, persistentvolumeclaim)`,
};
