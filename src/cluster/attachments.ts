/**
 * What other constructs attach to a {@link CnpgSharedCluster}, recorded on the cluster so that
 * one construct can read what another added (monitoring reads the backup method and the poolers)
 * whatever order they were created in: readers look at these lists at synth time.
 */

/** How base backups and WAL archives reach the object store. */
export enum BackupMethod {
  /**
   * The Barman Cloud plugin (`barman-cloud.cloudnative-pg.io`, an `ObjectStore` resource): the
   * supported method since CNPG 1.26. Backup metrics are `barman_cloud_cloudnative_pg_io_*`.
   */
  PLUGIN = 'plugin',
  /**
   * The Cluster's in-tree `spec.backup.barmanObjectStore`, deprecated since CNPG 1.26. Backup
   * metrics are `cnpg_collector_*`.
   */
  BARMAN_OBJECT_STORE = 'barmanObjectStore',
}

/** The backup configuration of a cluster, as other constructs need to know it. */
export interface BackupInfo {
  /** The backup method. */
  readonly method: BackupMethod;
  /**
   * The ScheduledBackup's cron expression (six fields, seconds first), when backups are scheduled.
   *
   * @default - no scheduled backups
   */
  readonly schedule?: string;
  /**
   * The longest time between two scheduled backups, in seconds (a daily schedule gives 86400).
   *
   * @default - unknown
   */
  readonly maxIntervalSeconds?: number;
  /**
   * The retention policy in days (`30d` gives 30).
   *
   * @default - no retention policy
   */
  readonly retentionDays?: number;
  /**
   * The name of the backup-validation CronJob, when there is one.
   *
   * @default - none
   */
  readonly validationCronJobName?: string;
  /**
   * The name of the restore-probe recovery Cluster (same namespace), when there is one.
   *
   * @default - none
   */
  readonly restoreProbeClusterName?: string;
}

/** A pooler attached to a cluster, as other constructs need to know it. */
export interface PoolerInfo {
  /** The Pooler's name (also the name of its Service and the `cnpg.io/poolerName` label). */
  readonly poolerName: string;
  /** The pooler's namespace. */
  readonly namespace: string;
  /** The number of PgBouncer replicas. */
  readonly instances: number;
  /** `rw` or `ro`. */
  readonly type: string;
  /** The application it serves. */
  readonly application: string;
  /**
   * `session` or `transaction`.
   *
   * @default - unknown
   */
  readonly poolMode?: string;
  /**
   * `max_client_conn` of each replica (PgBouncer's default is 100).
   *
   * @default - unknown
   */
  readonly maxClientConnections?: number;
  /**
   * `default_pool_size` (server connections per database/role pair, per replica).
   *
   * @default - unknown
   */
  readonly defaultPoolSize?: number;
  /**
   * The most server connections one replica can open against the cluster (its pools plus the
   * auth query's). Undefined when they cannot be bounded.
   *
   * @default - unbounded
   */
  readonly serverConnectionsPerInstance?: number;
}
