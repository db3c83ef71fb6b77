import { Duration } from 'cdk8s';

/** The `severity` label of an alert (what Alertmanager routes on). */
export enum AlertSeverity {
  /** Someone must act now: data is at risk or clients fail. */
  CRITICAL = 'critical',
  /** Needs attention within working hours. */
  WARNING = 'warning',
  /** For dashboards and tickets, not for paging. */
  INFO = 'info',
}

/** Overrides of one alert of a preset. */
export interface AlertOptions {
  /**
   * Whether the alert is emitted.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long the condition must hold before the alert fires (the rule's `for`), in whole seconds.
   *
   * @default - per alert, see the group's documentation
   */
  readonly forDuration?: Duration;

  /**
   * The `severity` label.
   *
   * @default - per alert, see the group's documentation
   */
  readonly severity?: AlertSeverity;
}

/** Overrides of an alert that compares a value with a threshold. */
export interface ThresholdAlertOptions extends AlertOptions {
  /**
   * The threshold, in the unit the group's documentation gives for this alert.
   *
   * @default - per alert, see the group's documentation
   */
  readonly threshold?: number;
}

/** Overrides of an alert on the age of a backup or of the first recoverability point. */
export interface BackupAgeAlertOptions extends AlertOptions {
  /**
   * Time allowed on top of what the backup configuration promises (a base backup takes time;
   * retention runs periodically).
   *
   * @default - per alert, see the group's documentation
   */
  readonly grace?: Duration;

  /**
   * The age that fires the alert, replacing the one derived from the backup configuration. Needed
   * when the schedule is a Flux variable (its interval is unknown at synth).
   *
   * @default - derived from the backup configuration plus `grace`
   */
  readonly maxAge?: Duration;
}

/**
 * Backup alerts (emitted when a backup is attached to the cluster). Metric names follow the
 * backup method: `cnpg_collector_*` for the in-tree object store, `barman_cloud_cloudnative_pg_io_*`
 * for the Barman Cloud plugin.
 */
export interface BackupAlertsOptions {
  /**
   * Whether the group is emitted.
   *
   * @default - true when the cluster has a backup attached at synth
   */
  readonly enabled?: boolean;

  /**
   * `CNPGBackupFailed`: the last failed backup is newer than the last successful one.
   *
   * @default - warning, for 5m
   */
  readonly backupFailed?: AlertOptions;

  /**
   * `CNPGBackupTooOld`: no backup succeeded within the schedule's longest interval plus `grace`.
   *
   * @default - critical, for 10m, grace 3h
   */
  readonly backupTooOld?: BackupAgeAlertOptions;

  /**
   * `CNPGRecoverabilityPointTooOld`: the first recoverability point is older than the retention
   * window plus one backup interval plus `grace` (backups are not being pruned). Only with a
   * retention policy.
   *
   * @default - warning, for 1h, grace 1d
   */
  readonly recoverabilityPointTooOld?: BackupAgeAlertOptions;

  /**
   * `CNPGBackupValidationFailed`: the newest failed Job of the backup-validation CronJob started
   * after its last success (kube-state-metrics). Only with a validation CronJob.
   *
   * @default - warning, for 5m
   */
  readonly validationFailed?: AlertOptions;
}

/** WAL archiving alerts. */
export interface WalArchivingAlertsOptions {
  /**
   * Whether the group is emitted.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * `CNPGWALArchivingFailing`: the last failed archive attempt is newer than the last success.
   *
   * @default - critical, for 5m
   */
  readonly archivingFailing?: AlertOptions;

  /**
   * `CNPGWALArchivingStalled`: more WAL segments than `threshold` wait in `archive_status/*.ready`.
   *
   * @default - warning, for 10m, threshold 10 segments
   */
  readonly archivingStalled?: ThresholdAlertOptions;
}

/** Replication and high-availability alerts. */
export interface ReplicationAlertsOptions {
  /**
   * Whether the group is emitted.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * `CNPGReplicationLagHigh`: a standby's replay is more than `threshold` seconds behind. Not
   * emitted for a replica cluster, whose instances all replay the source (`replicaClusterLagging`).
   *
   * @default - warning, for 5m, threshold 60 seconds
   */
  readonly lagHigh?: ThresholdAlertOptions;

  /**
   * `CNPGReplicationLagCritical`: a standby's replay is more than `threshold` seconds behind. Not
   * emitted for a replica cluster.
   *
   * @default - critical, for 5m, threshold 300 seconds
   */
  readonly lagCritical?: ThresholdAlertOptions;

  /**
   * `CNPGReplicaClusterLagging`: an instance of a replica cluster replays its source more than
   * `threshold` seconds behind (now minus the commit time of the last transaction it replayed,
   * while it has WAL left to replay or reads the source's archive). Only for a replica cluster.
   * The source's archive delivers WAL in segments, at least every `archive_timeout` (5 minutes in
   * CloudNativePG) while the source writes: the default threshold is three of them. An idle source
   * commits nothing, which reads as lag: see the runbook.
   *
   * @default - warning, for 10m, threshold 900 seconds
   */
  readonly replicaClusterLagging?: ThresholdAlertOptions;

  /**
   * `CNPGStreamingReplicasMissing`: fewer standbys stream from the primary than instances − 1.
   * Not emitted for a single instance.
   *
   * @default - warning, for 5m
   */
  readonly streamingReplicasMissing?: AlertOptions;

  /**
   * `CNPGSyncReplicasMissing`: fewer synchronous standbys than the replication setting's `number`
   * (the primary lowered synchronous_standby_names, or fewer standbys stream). Only for synchronous
   * replication, and not for a replica cluster (nothing commits there).
   *
   * @default - critical with dataDurability required (commits wait), warning with preferred; for 2m
   */
  readonly syncReplicasMissing?: AlertOptions;

  /**
   * `CNPGReplicationSlotLagging`: a replication slot holds back more than `threshold` bytes of WAL.
   *
   * @default - warning, for 10m, threshold 1 GiB (1073741824 bytes)
   */
  readonly slotLagging?: ThresholdAlertOptions;

  /**
   * `CNPGInstanceDown`: an instance's collector cannot reach its PostgreSQL (`cnpg_collector_up` 0).
   *
   * @default - critical, for 5m
   */
  readonly instanceDown?: AlertOptions;
}

/** Cluster alerts. */
export interface ClusterAlertsOptions {
  /**
   * Whether the group is emitted.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * `CNPGInstanceMetricsAbsent`: fewer instances export metrics than the cluster has (none at all
   * included: the scrape is broken and every other alert is blind).
   *
   * @default - critical, for 10m
   */
  readonly metricsAbsent?: AlertOptions;

  /**
   * `CNPGPrimaryMissing`: every instance that exports metrics is in recovery: the cluster has no
   * primary and refuses writes (a failover that does not complete). Not emitted for a replica
   * cluster, where every instance is in recovery by design.
   *
   * @default - critical, for 5m
   */
  readonly primaryMissing?: AlertOptions;

  /**
   * `CNPGCollectorErrors`: an instance's last metrics collection failed.
   *
   * @default - warning, for 15m
   */
  readonly collectorErrors?: AlertOptions;

  /**
   * `CNPGInstanceFenced`: an instance is fenced (PostgreSQL stopped by `kubectl cnpg fencing on`).
   *
   * @default - warning, for 5m
   */
  readonly fencingOn?: AlertOptions;

  /**
   * `CNPGManualSwitchoverRequired`: a supervised update waits for a manual switchover.
   *
   * @default - warning, for 5m
   */
  readonly manualSwitchoverRequired?: AlertOptions;

  /**
   * `CNPGConnectionsNearMax`: connections above `threshold` (a share, 0-1) of max_connections −
   * superuser_reserved_connections.
   *
   * @default - warning, for 5m, threshold 0.8
   */
  readonly connectionsNearMax?: ThresholdAlertOptions;

  /**
   * `CNPGTransactionIdWraparound`: a database's age(datfrozenxid) above `threshold` transactions
   * (PostgreSQL stops accepting writes near 2^31 ≈ 2.1 billion).
   *
   * @default - warning, for 30m, threshold 1000000000
   */
  readonly transactionIdWraparound?: ThresholdAlertOptions;
}

/** Pooler alerts (emitted when poolers are attached to the cluster). */
export interface PoolerAlertsOptions {
  /**
   * Whether the group is emitted.
   *
   * @default - true when poolers are attached at synth
   */
  readonly enabled?: boolean;

  /**
   * `CNPGPoolerExporterDown`: a pooler pod's exporter cannot query its PgBouncer, or a pooler
   * exports no metrics at all.
   *
   * @default - critical, for 5m
   */
  readonly exporterDown?: AlertOptions;

  /**
   * `CNPGPoolerClientsWaiting`: the oldest client of a pool has waited more than `threshold`
   * seconds for a server connection.
   *
   * @default - warning, for 2m, threshold 5 seconds
   */
  readonly clientsWaiting?: ThresholdAlertOptions;

  /**
   * `CNPGPoolerServerPoolSaturated`: clients wait in a pool that has no idle server connection left.
   *
   * @default - warning, for 5m
   */
  readonly serverPoolSaturated?: AlertOptions;

  /**
   * `CNPGPoolerReplicasUnavailable`: a pooler's Deployment has fewer available replicas than the
   * Pooler declares (kube-state-metrics).
   *
   * @default - warning, for 10m
   */
  readonly replicasUnavailable?: AlertOptions;
}

/** The alert presets of a cluster: one PrometheusRule, one rule group per concern. */
export interface CnpgAlertsOptions {
  /**
   * Whether the PrometheusRule is emitted.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Backups.
   *
   * @default - every alert with its defaults, when a backup is attached
   */
  readonly backups?: BackupAlertsOptions;

  /**
   * WAL archiving.
   *
   * @default - every alert with its defaults
   */
  readonly walArchiving?: WalArchivingAlertsOptions;

  /**
   * Replication and high availability.
   *
   * @default - every alert with its defaults
   */
  readonly replication?: ReplicationAlertsOptions;

  /**
   * The cluster's instances and databases.
   *
   * @default - every alert with its defaults
   */
  readonly cluster?: ClusterAlertsOptions;

  /**
   * Poolers.
   *
   * @default - every alert with its defaults, when poolers are attached
   */
  readonly poolers?: PoolerAlertsOptions;

  /**
   * Where the runbooks are: each alert's `runbook_url` is this URL followed by the alert's name.
   *
   * @default 'https://platform.github.io/cnpg-constructs/runbooks/' (the library's docs site,
   * built from docs/runbooks/)
   */
  readonly runbookBaseUrl?: string;

  /**
   * Labels added to every alert (e.g. `{ team: 'dba' }` for Alertmanager routing).
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * How often the rule groups are evaluated.
   *
   * @default - the Prometheus (or vmalert) global evaluation interval
   */
  readonly evaluationInterval?: Duration;
}
