import {
  BackupMetricNames, COLLECTOR, IN_TREE_BACKUP_METRICS, KUBE, PGBOUNCER, PLUGIN_BACKUP_METRICS, QUERIES,
} from './metric-names';
import { BackupMethod } from '../cluster/attachments';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { checkArgs } from '../core/prop-check';

/** The series label the cluster PodMonitor copies from the pod label `cnpg.io/cluster`. @internal */
export const CLUSTER_LABEL = 'cluster';
/** The series label a pooler PodMonitor copies from the pod label `cnpg.io/poolerName`. @internal */
export const POOLER_LABEL = 'pooler';

/** Props of {@link CnpgMetricCatalogue}. */
export interface CnpgMetricCatalogueProps {
  /** The namespace of the cluster (and its poolers). */
  readonly namespace: string;

  /** The Cluster's name: the value of the `cluster` label its PodMonitor adds. */
  readonly clusterName: string;

  /**
   * The backup method, which decides the names of the backup metrics.
   *
   * @default BackupMethod.PLUGIN
   */
  readonly backupMethod?: BackupMethod;

  /**
   * The Poolers of the cluster (the `pooler` label their PodMonitors add, and their Deployments).
   *
   * @default - none
   */
  readonly poolerNames?: string[];

  /**
   * The source cluster's name when the cluster is a replica cluster: its instances are all in
   * recovery, and their lag is measured against that source.
   *
   * @default - a primary cluster
   */
  readonly replicaOf?: string;

  /**
   * An extra label matcher for every instance series, e.g. `pod=~"$pod"` in a dashboard.
   *
   * @default - none
   */
  readonly instanceMatcher?: string;

  /**
   * An extra label matcher for every pooler series, e.g. `pooler=~"$pooler"` in a dashboard.
   *
   * @default - none
   */
  readonly poolerMatcher?: string;
}

/**
 * The one place that knows CloudNativePG's metric names and how to query them: the alert rules,
 * the dashboards and their tests all build their PromQL here (like cdk-monitoring-constructs'
 * metric factories).
 *
 * Every method returns a PromQL expression scoped to one cluster (`namespace`, `cluster` labels)
 * or its poolers (`namespace`, `pooler` labels), aggregated to the labels named in its
 * documentation. The backup methods switch on the backup method: `cnpg_collector_*` for the
 * in-tree object store, `barman_cloud_cloudnative_pg_io_*` for the Barman Cloud plugin.
 */
export class CnpgMetricCatalogue {
  /**
   * The catalogue of a cluster as it is now: its backup method (plugin when none is attached)
   * and its poolers. Call it at synth time to see everything attached.
   */
  public static forCluster(cluster: ICnpgCluster): CnpgMetricCatalogue {
    checkArgs('CnpgMetricCatalogue.forCluster', [cluster]);
    return new CnpgMetricCatalogue({
      namespace: cluster.namespace,
      clusterName: cluster.clusterName,
      backupMethod: cluster.backup?.method,
      poolerNames: cluster.poolers.map((p) => p.poolerName),
      replicaOf: cluster.replicaOf,
    });
  }

  /** The namespace. */
  public readonly namespace: string;
  /** The Cluster's name. */
  public readonly clusterName: string;
  /** The backup method whose metric names the backup queries use. */
  public readonly backupMethod: BackupMethod;
  /** The poolers. */
  public readonly poolerNames: string[];
  /** The source cluster of a replica cluster (undefined for a primary cluster). */
  public readonly replicaOf?: string;
  private readonly backupNames: BackupMetricNames;
  private readonly props: CnpgMetricCatalogueProps;

  constructor(props: CnpgMetricCatalogueProps) {
    checkArgs('new CnpgMetricCatalogue', [props]);
    this.props = props;
    this.namespace = props.namespace;
    this.clusterName = props.clusterName;
    this.backupMethod = props.backupMethod ?? BackupMethod.PLUGIN;
    this.poolerNames = [...(props.poolerNames ?? [])];
    this.replicaOf = props.replicaOf;
    this.backupNames = this.backupMethod === BackupMethod.BARMAN_OBJECT_STORE ? IN_TREE_BACKUP_METRICS : PLUGIN_BACKUP_METRICS;
  }

  // ---------------------------------------------------------------------------------------------
  // Selectors
  // ---------------------------------------------------------------------------------------------

  /** The label matchers of the cluster's instance series: `namespace="…",cluster="…"`. */
  public instanceMatchers(): string {
    const m = [`namespace="${this.namespace}"`, `${CLUSTER_LABEL}="${this.clusterName}"`];
    if (this.props.instanceMatcher) m.push(this.props.instanceMatcher);
    return m.join(',');
  }

  /** The label matchers of the poolers' series: `namespace="…",pooler=~"a|b"`. */
  public poolerMatchers(): string {
    const m = [`namespace="${this.namespace}"`, `${POOLER_LABEL}=~"${this.poolerRegex()}"`];
    if (this.props.poolerMatcher) m.push(this.props.poolerMatcher);
    return m.join(',');
  }

  /** The names of the backup metrics of this backup method: last available, last failed, first recoverability point. */
  public backupMetricNames(): string[] {
    return [this.backupNames.lastAvailableBackupTimestamp, this.backupNames.lastFailedBackupTimestamp, this.backupNames.firstRecoverabilityPoint];
  }

  // ---------------------------------------------------------------------------------------------
  // Backups (by namespace, cluster)
  // ---------------------------------------------------------------------------------------------

  /** Unix time of the last successful backup (0 before the first), by namespace and cluster. */
  public lastAvailableBackupTimestamp(): string {
    return this.byCluster('max', this.backupNames.lastAvailableBackupTimestamp);
  }

  /** Unix time of the last failed backup (0 when none failed), by namespace and cluster. */
  public lastFailedBackupTimestamp(): string {
    return this.byCluster('max', this.backupNames.lastFailedBackupTimestamp);
  }

  /** Unix time of the oldest point the cluster can be restored to (0 when unknown), by namespace and cluster. */
  public firstRecoverabilityPoint(): string {
    return this.byCluster('max', this.backupNames.firstRecoverabilityPoint);
  }

  /** Seconds since the last successful backup, by namespace and cluster. */
  public lastBackupAgeSeconds(): string {
    return `time() - ${this.lastAvailableBackupTimestamp()}`;
  }

  /** Seconds between now and the first recoverability point (only where it is known), by namespace and cluster. */
  public recoverabilityWindowSeconds(): string {
    return `time() - (${this.firstRecoverabilityPoint()} > 0)`;
  }

  /**
   * Start time of the newest failed Job of a CronJob, by namespace and cronjob (kube-state-metrics).
   *
   * @param cronJobName the CronJob (in the cluster's namespace)
   */
  public cronJobLastFailedJobStartTime(cronJobName: string): string {
    checkArgs('CnpgMetricCatalogue.cronJobLastFailedJobStartTime', [cronJobName], this);
    const ns = `namespace="${this.namespace}"`;
    const owned = `${KUBE.jobOwner}{${ns},owner_kind="CronJob",owner_name="${cronJobName}"}`;
    const failedJobs = `${KUBE.jobStartTime}{${ns}}`
      + ` * on (namespace, job_name) group_left (owner_name) ${owned}`
      + ` * on (namespace, job_name) group_left () (${KUBE.jobFailed}{${ns},condition="true"} == 1)`;
    return `max by (namespace, cronjob) (label_replace(${failedJobs}, "cronjob", "$1", "owner_name", "(.+)"))`;
  }

  /**
   * Unix time the last Job of a CronJob succeeded, by namespace and cronjob (kube-state-metrics).
   *
   * @param cronJobName the CronJob (in the cluster's namespace)
   */
  public cronJobLastSuccessfulTime(cronJobName: string): string {
    checkArgs('CnpgMetricCatalogue.cronJobLastSuccessfulTime', [cronJobName], this);
    return `max by (namespace, cronjob) (${KUBE.cronJobLastSuccessfulTime}{namespace="${this.namespace}",cronjob="${cronJobName}"})`;
  }

  // ---------------------------------------------------------------------------------------------
  // WAL archiving (by namespace, cluster, pod: only the primary archives)
  // ---------------------------------------------------------------------------------------------

  /** Unix time of the last successful WAL archive (-1 never), by namespace, cluster and pod. */
  public walArchiveLastArchivedTime(): string {
    return this.byPod('max', QUERIES.archiverLastArchivedTime);
  }

  /** Unix time of the last failed WAL archive (-1 never), by namespace, cluster and pod. */
  public walArchiveLastFailedTime(): string {
    return this.byPod('max', QUERIES.archiverLastFailedTime);
  }

  /** Seconds since the last successful WAL archive, by namespace, cluster and pod. */
  public walArchiveSecondsSinceLastArchival(): string {
    return this.byPod('max', QUERIES.archiverSecondsSinceLastArchival);
  }

  /**
   * WAL files archived per second, by namespace, cluster and pod.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public walArchivedRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.walArchivedRate', [window], this);
    return `sum by (namespace, ${CLUSTER_LABEL}, pod) (rate(${QUERIES.archiverArchivedCount}{${this.instanceMatchers()}}[${window}]))`;
  }

  /**
   * Failed WAL archive attempts per second, by namespace, cluster and pod.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public walArchiveFailureRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.walArchiveFailureRate', [window], this);
    return `sum by (namespace, ${CLUSTER_LABEL}, pod) (rate(${QUERIES.archiverFailedCount}{${this.instanceMatchers()}}[${window}]))`;
  }

  /** WAL segments waiting to be archived (`pg_wal/archive_status/*.ready`), by namespace, cluster and pod. */
  public walSegmentsReadyToArchive(): string {
    return this.byPod('max', COLLECTOR.walArchiveStatus, 'value="ready"');
  }

  /**
   * WAL bytes written per second, by namespace, cluster and pod.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public walBytesRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.walBytesRate', [window], this);
    return `sum by (namespace, ${CLUSTER_LABEL}, pod) (rate(${COLLECTOR.walBytes}{${this.instanceMatchers()}}[${window}]))`;
  }

  // ---------------------------------------------------------------------------------------------
  // Replication and HA
  // ---------------------------------------------------------------------------------------------

  /** Seconds each standby's replay is behind (0 on the primary), by namespace, cluster and pod. */
  public replicationLagSeconds(): string {
    return this.byPod('max', QUERIES.replicationLag);
  }

  /** Standbys streaming from the primary (its pg_stat_replication rows), by namespace and cluster. */
  public streamingReplicas(): string {
    return this.byCluster('max', QUERIES.replicationStreamingReplicas);
  }

  /** The synchronous standby count the primary requires (synchronous_standby_names), by namespace and cluster. */
  public synchronousStandbysRequired(): string {
    return this.byCluster('max', COLLECTOR.syncReplicas, 'value="observed"');
  }

  /** Bytes of WAL each replication slot holds back, by namespace, cluster, pod and slot_name. */
  public replicationSlotLagBytes(): string {
    return `max by (namespace, ${CLUSTER_LABEL}, pod, slot_name) (${QUERIES.replicationSlotLagBytes}{${this.instanceMatchers()}})`;
  }

  /** Replay lag of each standby as the primary measures it, by namespace, cluster and application_name (the standby). */
  public standbyReplayLagSeconds(): string {
    return `max by (namespace, ${CLUSTER_LABEL}, application_name) (${QUERIES.statReplicationReplayLag}{${this.instanceMatchers()}})`;
  }

  /**
   * 1 when every instance that exports metrics is in recovery (the cluster has no primary), 0 when
   * one is not, by namespace and cluster.
   */
  public everyInstanceInRecovery(): string {
    return this.byCluster('min', QUERIES.replicationInRecovery);
  }

  /**
   * How far the most-behind instance of a replica cluster is behind its source, in seconds: now
   * minus the commit time of the last transaction it replayed (while it has received WAL left to
   * replay, or reads the archive), by namespace and cluster.
   */
  public replicaClusterLagSeconds(): string {
    return this.byCluster('max', QUERIES.replicationLag);
  }

  /** 1 for the primary's pod (the instance not in recovery), by namespace, cluster and pod. */
  public primaryInstance(): string {
    return `${this.byPod('max', QUERIES.replicationInRecovery)} == bool 0`;
  }

  // ---------------------------------------------------------------------------------------------
  // Instances
  // ---------------------------------------------------------------------------------------------

  /** 1 when the collector reaches PostgreSQL, 0 when not, by namespace, cluster and pod. */
  public postgresUp(): string {
    return this.byPod('min', COLLECTOR.up);
  }

  /** The raw `cnpg_collector_up` series of the instances (one per instance: a pod list). */
  public collectorUpSeries(): string {
    return `${COLLECTOR.up}{${this.instanceMatchers()}}`;
  }

  /** Instances exporting metrics, by namespace and cluster. */
  public instancesReporting(): string {
    return `count by (namespace, ${CLUSTER_LABEL}) (${COLLECTOR.up}{${this.instanceMatchers()}})`;
  }

  /** 1 (labelled namespace and cluster) when no instance exports metrics at all. */
  public instancesAbsent(): string {
    return `absent(${COLLECTOR.up}{${this.instanceMatchers()}})`;
  }

  /** 1 when the last metrics collection of an instance failed, by namespace, cluster and pod. */
  public collectionErrors(): string {
    return this.byPod('max', COLLECTOR.lastCollectionError);
  }

  /** 1 when an instance is fenced, by namespace, cluster and pod. */
  public fencingOn(): string {
    return this.byPod('max', COLLECTOR.fencingOn);
  }

  /** 1 when the primary waits for a manual switchover (supervised update), by namespace, cluster and pod. */
  public manualSwitchoverRequired(): string {
    return this.byPod('max', COLLECTOR.manualSwitchoverRequired);
  }

  // ---------------------------------------------------------------------------------------------
  // Connections, transactions, databases
  // ---------------------------------------------------------------------------------------------

  /** Backends (connections) of each instance, by namespace, cluster and pod. */
  public connections(): string {
    return this.byPod('sum', QUERIES.backendsTotal);
  }

  /** Backends by state, by namespace, cluster, pod and state. */
  public connectionsByState(): string {
    return `sum by (namespace, ${CLUSTER_LABEL}, pod, state) (${QUERIES.backendsTotal}{${this.instanceMatchers()}})`;
  }

  /** Connections open to non-superusers: max_connections - superuser_reserved_connections, by namespace, cluster and pod. */
  public connectionLimit(): string {
    return `(${this.byPod('max', QUERIES.settings, 'name="max_connections"')} - ${this.byPod('max', QUERIES.settings, 'name="superuser_reserved_connections"')})`;
  }

  /** Share (0..1) of the connection limit in use, by namespace, cluster and pod. */
  public connectionsUsedRatio(): string {
    return `${this.connections()} / ${this.connectionLimit()}`;
  }

  /** Longest open transaction in seconds, by namespace, cluster and pod. */
  public longestTransactionSeconds(): string {
    return this.byPod('max', QUERIES.backendsMaxTxDuration);
  }

  /** Backends waiting on a lock, by namespace, cluster and pod. */
  public backendsWaitingOnLocks(): string {
    return this.byPod('max', QUERIES.backendsWaiting);
  }

  /** age(datfrozenxid) of each database, by namespace, cluster and datname (the oldest over the instances). */
  public transactionIdAge(): string {
    return `max by (namespace, ${CLUSTER_LABEL}, datname) (${QUERIES.databaseXidAge}{${this.instanceMatchers()}})`;
  }

  /** Size of each database in bytes, by namespace, cluster and datname. */
  public databaseSizeBytes(): string {
    return `max by (namespace, ${CLUSTER_LABEL}, datname) (${QUERIES.databaseSize}{${this.instanceMatchers()}})`;
  }

  /**
   * Commits per second on the primary, by namespace, cluster and datname.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public commitRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.commitRate', [window], this);
    return `sum by (namespace, ${CLUSTER_LABEL}, datname) (rate(${QUERIES.databaseXactCommit}{${this.instanceMatchers()}}[${window}]))`;
  }

  /**
   * Rollbacks per second, by namespace, cluster and datname.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public rollbackRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.rollbackRate', [window], this);
    return `sum by (namespace, ${CLUSTER_LABEL}, datname) (rate(${QUERIES.databaseXactRollback}{${this.instanceMatchers()}}[${window}]))`;
  }

  /**
   * Deadlocks per second, by namespace, cluster and datname.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public deadlockRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.deadlockRate', [window], this);
    return `sum by (namespace, ${CLUSTER_LABEL}, datname) (rate(${QUERIES.databaseDeadlocks}{${this.instanceMatchers()}}[${window}]))`;
  }

  /**
   * Share (0..1) of each instance volume in use (kubelet), by namespace and persistentvolumeclaim:
   * the data volumes `<cluster>-<n>` and WAL volumes `<cluster>-<n>-wal`.
   */
  public volumeUsedRatio(): string {
    const sel = `namespace="${this.namespace}",persistentvolumeclaim=~"${this.clusterName}-[0-9]+(-wal)?"`;
    return `max by (namespace, persistentvolumeclaim) (${KUBE.volumeUsedBytes}{${sel}})`
      + ` / max by (namespace, persistentvolumeclaim) (${KUBE.volumeCapacityBytes}{${sel}})`;
  }

  // ---------------------------------------------------------------------------------------------
  // Poolers (PgBouncer exporter, port 9127; Deployments through kube-state-metrics)
  // ---------------------------------------------------------------------------------------------

  /** The raw `cnpg_pgbouncer_up` series of the pooler pods (one per pod). */
  public poolerUpSeries(): string {
    return `${PGBOUNCER.up}{${this.poolerMatchers()}}`;
  }

  /** 1 when a pooler pod's exporter reaches its PgBouncer, by namespace, pooler and pod. */
  public poolerUp(): string {
    return `min by (namespace, ${POOLER_LABEL}, pod) (${PGBOUNCER.up}{${this.poolerMatchers()}})`;
  }

  /**
   * 1 (labelled namespace and pooler) when no pod of the pooler exports metrics at all.
   *
   * @param poolerName the Pooler
   */
  public poolerAbsent(poolerName: string): string {
    checkArgs('CnpgMetricCatalogue.poolerAbsent', [poolerName], this);
    return `absent(${PGBOUNCER.up}{namespace="${this.namespace}",${POOLER_LABEL}="${poolerName}"})`;
  }

  /** Seconds the oldest waiting client of each pool has waited, by namespace, pooler, database and user. */
  public poolerMaxWaitSeconds(): string {
    const sel = this.poolerMatchers();
    return `max by (namespace, ${POOLER_LABEL}, database, user) (${PGBOUNCER.maxWait}{${sel}} + ${PGBOUNCER.maxWaitMicroseconds}{${sel}} / 1000000)`;
  }

  /** Clients waiting for a server connection, by namespace, pooler, database and user (summed over the pods). */
  public poolerClientsWaiting(): string {
    return this.byPool(PGBOUNCER.clientsWaiting);
  }

  /** Clients linked to a server connection, by namespace, pooler, database and user. */
  public poolerClientsActive(): string {
    return this.byPool(PGBOUNCER.clientsActive);
  }

  /** Server connections linked to a client, by namespace, pooler, database and user. */
  public poolerServersActive(): string {
    return this.byPool(PGBOUNCER.serversActive);
  }

  /** Idle server connections ready for a client, by namespace, pooler, database and user. */
  public poolerServersIdle(): string {
    return this.byPool(PGBOUNCER.serversIdle);
  }

  /**
   * Clients waiting in pools that have no idle (or reusable) server connection left, by namespace,
   * pooler, pod, database and user: the pool is saturated.
   */
  public poolerSaturatedPools(): string {
    const sel = this.poolerMatchers();
    const on = `on (namespace, ${POOLER_LABEL}, pod, database, user)`;
    return `max by (namespace, ${POOLER_LABEL}, pod, database, user) (${PGBOUNCER.clientsWaiting}{${sel}} > 0)`
      + ` and ${on} (max by (namespace, ${POOLER_LABEL}, pod, database, user) (${PGBOUNCER.serversIdle}{${sel}}) == 0)`
      + ` and ${on} (max by (namespace, ${POOLER_LABEL}, pod, database, user) (${PGBOUNCER.serversUsed}{${sel}}) == 0)`;
  }

  /**
   * Queries per second through the poolers, by namespace, pooler and database.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public poolerQueryRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.poolerQueryRate', [window], this);
    return `sum by (namespace, ${POOLER_LABEL}, database) (rate(${PGBOUNCER.totalQueryCount}{${this.poolerMatchers()}}[${window}]))`;
  }

  /**
   * Transactions per second through the poolers, by namespace, pooler and database.
   *
   * @param window the rate window, e.g. `5m` or `$__rate_interval`
   */
  public poolerTransactionRate(window: string): string {
    checkArgs('CnpgMetricCatalogue.poolerTransactionRate', [window], this);
    return `sum by (namespace, ${POOLER_LABEL}, database) (rate(${PGBOUNCER.totalXactCount}{${this.poolerMatchers()}}[${window}]))`;
  }

  /** Average query duration in seconds, by namespace, pooler and database (the slowest pod). */
  public poolerAverageQuerySeconds(): string {
    return `max by (namespace, ${POOLER_LABEL}, database) (${PGBOUNCER.avgQueryTime}{${this.poolerMatchers()}}) / 1000000`;
  }

  /** Average client wait for a server connection in seconds, by namespace, pooler and database. */
  public poolerAverageWaitSeconds(): string {
    return `max by (namespace, ${POOLER_LABEL}, database) (${PGBOUNCER.avgWaitTime}{${this.poolerMatchers()}}) / 1000000`;
  }

  /**
   * Available replicas of the poolers' Deployments (kube-state-metrics), by namespace and pooler.
   *
   * @param poolerName only this Pooler; default every pooler of the catalogue
   */
  public poolerAvailableReplicas(poolerName?: string): string {
    checkArgs('CnpgMetricCatalogue.poolerAvailableReplicas', [poolerName], this);
    return this.poolerDeployments(KUBE.deploymentAvailableReplicas, poolerName);
  }

  /**
   * Replicas the poolers' Deployments ask for (kube-state-metrics), by namespace and pooler.
   *
   * @param poolerName only this Pooler; default every pooler of the catalogue
   */
  public poolerDesiredReplicas(poolerName?: string): string {
    checkArgs('CnpgMetricCatalogue.poolerDesiredReplicas', [poolerName], this);
    return this.poolerDeployments(KUBE.deploymentSpecReplicas, poolerName);
  }

  private poolerDeployments(metric: string, poolerName?: string): string {
    // A Pooler's Deployment has the Pooler's name.
    const deployment = poolerName === undefined ? `deployment=~"${this.poolerRegex()}"` : `deployment="${poolerName}"`;
    return `max by (namespace, ${POOLER_LABEL}) (label_replace(${metric}{namespace="${this.namespace}",${deployment}}, "${POOLER_LABEL}", "$1", "deployment", "(.+)"))`;
  }

  private poolerRegex(): string {
    // No pooler: "-", which no DNS name equals, so the selector stays valid and selects nothing.
    return this.poolerNames.length ? this.poolerNames.join('|') : '-';
  }

  private byCluster(op: string, metric: string, matcher?: string): string {
    return `${op} by (namespace, ${CLUSTER_LABEL}) (${metric}{${this.instanceMatchers()}${matcher ? `,${matcher}` : ''}})`;
  }

  private byPod(op: string, metric: string, matcher?: string): string {
    return `${op} by (namespace, ${CLUSTER_LABEL}, pod) (${metric}{${this.instanceMatchers()}${matcher ? `,${matcher}` : ''}})`;
  }

  private byPool(metric: string): string {
    return `sum by (namespace, ${POOLER_LABEL}, database, user) (${metric}{${this.poolerMatchers()}})`;
  }
}
