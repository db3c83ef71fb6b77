import { BackupMethod, CnpgMetricCatalogue, CnpgSharedCluster } from '../../src';
import { CLUSTER_LABEL, POOLER_LABEL } from '../../src/monitoring/metric-catalogue';
import { thrown } from '../util/errors';
import { chart } from '../util/synth';

// Every query of the metric catalogue, written out whole (issue #17): a slip in an aggregation,
// a label, a metric name, a matcher or a rate window changes one of these texts. Nothing is built
// at `describe` level.

/** The instance matchers of cluster `pg` in namespace `db`. */
const I = 'namespace="db",cluster="pg"';
/** The pooler matchers of poolers `a` and `b` in `db`. */
const P = 'namespace="db",pooler=~"a|b"';

function catalogue(extra: Partial<ConstructorParameters<typeof CnpgMetricCatalogue>[0]> = {}): CnpgMetricCatalogue {
  return new CnpgMetricCatalogue({ namespace: 'db', clusterName: 'pg', poolerNames: ['a', 'b'], ...extra });
}

describe('the props', () => {
  test('the defaults: the plugin\'s backup metrics, no poolers, a primary cluster, no extra matcher', () => {
    const c = new CnpgMetricCatalogue({ namespace: 'db', clusterName: 'pg' });
    expect({ ns: c.namespace, name: c.clusterName, method: c.backupMethod, poolers: c.poolerNames, replicaOf: c.replicaOf })
      .toEqual({ ns: 'db', name: 'pg', method: BackupMethod.PLUGIN, poolers: [], replicaOf: undefined });
    expect(c.instanceMatchers()).toBe(I);
    // No pooler: "-", which no DNS name equals, keeps the selector valid and selects nothing.
    expect(c.poolerMatchers()).toBe('namespace="db",pooler=~"-"');
    expect(c.poolerAvailableReplicas()).toBe(
      'max by (namespace, pooler) (label_replace(kube_deployment_status_replicas_available{namespace="db",deployment=~"-"}, "pooler", "$1", "deployment", "(.+)"))');
  });

  test('the labels the PodMonitors add', () => {
    expect([CLUSTER_LABEL, POOLER_LABEL]).toEqual(['cluster', 'pooler']);
  });

  test('the pooler names are copied from the caller\'s list', () => {
    const names = ['a'];
    const c = catalogue({ poolerNames: names });
    names.push('b');
    expect(c.poolerNames).toEqual(['a']);
    expect(c.poolerMatchers()).toBe('namespace="db",pooler=~"a"');
  });

  test('one pooler, and the replica cluster\'s source', () => {
    const c = catalogue({ poolerNames: ['only'], replicaOf: 'pg-eu' });
    expect(c.poolerMatchers()).toBe('namespace="db",pooler=~"only"');
    expect(c.replicaOf).toBe('pg-eu');
  });

  test('an extra matcher joins every instance series, another every pooler series; an empty one adds nothing', () => {
    const c = catalogue({ instanceMatcher: 'pod=~"$pod"', poolerMatcher: 'pooler=~"$pooler"' });
    expect(c.instanceMatchers()).toBe('namespace="db",cluster="pg",pod=~"$pod"');
    expect(c.poolerMatchers()).toBe('namespace="db",pooler=~"a|b",pooler=~"$pooler"');
    expect(c.walSegmentsReadyToArchive()).toBe('max by (namespace, cluster, pod) (cnpg_collector_pg_wal_archive_status{namespace="db",cluster="pg",pod=~"$pod",value="ready"})');
    expect(c.poolerClientsWaiting()).toBe('sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_cl_waiting{namespace="db",pooler=~"a|b",pooler=~"$pooler"})');
    const empty = catalogue({ instanceMatcher: '', poolerMatcher: '' });
    expect([empty.instanceMatchers(), empty.poolerMatchers()]).toEqual([I, P]);
  });
});

describe('backups', () => {
  const plugin = 'barman_cloud_cloudnative_pg_io_';
  const inTree = 'cnpg_collector_';

  test.each([
    ['the Barman Cloud plugin (the default)', undefined, plugin],
    ['the Barman Cloud plugin', BackupMethod.PLUGIN, plugin],
    ['the in-tree object store', BackupMethod.BARMAN_OBJECT_STORE, inTree],
  ])('%s', (_name, method, prefix) => {
    const c = catalogue({ backupMethod: method });
    expect(c.backupMetricNames()).toEqual([
      `${prefix}last_available_backup_timestamp`, `${prefix}last_failed_backup_timestamp`, `${prefix}first_recoverability_point`,
    ]);
    expect(c.lastAvailableBackupTimestamp()).toBe(`max by (namespace, cluster) (${prefix}last_available_backup_timestamp{${I}})`);
    expect(c.lastFailedBackupTimestamp()).toBe(`max by (namespace, cluster) (${prefix}last_failed_backup_timestamp{${I}})`);
    expect(c.firstRecoverabilityPoint()).toBe(`max by (namespace, cluster) (${prefix}first_recoverability_point{${I}})`);
    expect(c.lastBackupAgeSeconds()).toBe(`time() - max by (namespace, cluster) (${prefix}last_available_backup_timestamp{${I}})`);
    expect(c.recoverabilityWindowSeconds()).toBe(`time() - (max by (namespace, cluster) (${prefix}first_recoverability_point{${I}}) > 0)`);
  });

  test('the validation CronJob through kube-state-metrics', () => {
    const c = catalogue();
    expect(c.cronJobLastFailedJobStartTime('pg-check')).toBe(
      'max by (namespace, cronjob) (label_replace(kube_job_status_start_time{namespace="db"}'
      + ' * on (namespace, job_name) group_left (owner_name) kube_job_owner{namespace="db",owner_kind="CronJob",owner_name="pg-check"}'
      + ' * on (namespace, job_name) group_left () (kube_job_failed{namespace="db",condition="true"} == 1), "cronjob", "$1", "owner_name", "(.+)"))');
    expect(c.cronJobLastSuccessfulTime('pg-check')).toBe('max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="db",cronjob="pg-check"})');
  });
});

describe('every query of a cluster and its poolers, whole', () => {
  const cases: Array<[string, (c: CnpgMetricCatalogue) => string, string]> = [
    // WAL archiving
    ['walArchiveLastArchivedTime', (c) => c.walArchiveLastArchivedTime(), `max by (namespace, cluster, pod) (cnpg_pg_stat_archiver_last_archived_time{${I}})`],
    ['walArchiveLastFailedTime', (c) => c.walArchiveLastFailedTime(), `max by (namespace, cluster, pod) (cnpg_pg_stat_archiver_last_failed_time{${I}})`],
    ['walArchiveSecondsSinceLastArchival', (c) => c.walArchiveSecondsSinceLastArchival(),
      `max by (namespace, cluster, pod) (cnpg_pg_stat_archiver_seconds_since_last_archival{${I}})`],
    ['walArchivedRate', (c) => c.walArchivedRate('5m'), `sum by (namespace, cluster, pod) (rate(cnpg_pg_stat_archiver_archived_count{${I}}[5m]))`],
    ['walArchiveFailureRate', (c) => c.walArchiveFailureRate('2m'), `sum by (namespace, cluster, pod) (rate(cnpg_pg_stat_archiver_failed_count{${I}}[2m]))`],
    ['walSegmentsReadyToArchive', (c) => c.walSegmentsReadyToArchive(), `max by (namespace, cluster, pod) (cnpg_collector_pg_wal_archive_status{${I},value="ready"})`],
    ['walBytesRate', (c) => c.walBytesRate('$__rate_interval'), `sum by (namespace, cluster, pod) (rate(cnpg_collector_wal_bytes{${I}}[$__rate_interval]))`],
    // Replication and HA
    ['replicationLagSeconds', (c) => c.replicationLagSeconds(), `max by (namespace, cluster, pod) (cnpg_pg_replication_lag{${I}})`],
    ['streamingReplicas', (c) => c.streamingReplicas(), `max by (namespace, cluster) (cnpg_pg_replication_streaming_replicas{${I}})`],
    ['synchronousStandbysRequired', (c) => c.synchronousStandbysRequired(), `max by (namespace, cluster) (cnpg_collector_sync_replicas{${I},value="observed"})`],
    ['replicationSlotLagBytes', (c) => c.replicationSlotLagBytes(), `max by (namespace, cluster, pod, slot_name) (cnpg_pg_replication_slots_pg_wal_lsn_diff{${I}})`],
    ['standbyReplayLagSeconds', (c) => c.standbyReplayLagSeconds(),
      `max by (namespace, cluster, application_name) (cnpg_pg_stat_replication_replay_lag_seconds{${I}})`],
    ['everyInstanceInRecovery', (c) => c.everyInstanceInRecovery(), `min by (namespace, cluster) (cnpg_pg_replication_in_recovery{${I}})`],
    ['replicaClusterLagSeconds', (c) => c.replicaClusterLagSeconds(), `max by (namespace, cluster) (cnpg_pg_replication_lag{${I}})`],
    ['primaryInstance', (c) => c.primaryInstance(), `max by (namespace, cluster, pod) (cnpg_pg_replication_in_recovery{${I}}) == bool 0`],
    // Instances
    ['postgresUp', (c) => c.postgresUp(), `min by (namespace, cluster, pod) (cnpg_collector_up{${I}})`],
    ['collectorUpSeries', (c) => c.collectorUpSeries(), `cnpg_collector_up{${I}}`],
    ['instancesReporting', (c) => c.instancesReporting(), `count by (namespace, cluster) (cnpg_collector_up{${I}})`],
    ['instancesAbsent', (c) => c.instancesAbsent(), `absent(cnpg_collector_up{${I}})`],
    ['collectionErrors', (c) => c.collectionErrors(), `max by (namespace, cluster, pod) (cnpg_collector_last_collection_error{${I}})`],
    ['fencingOn', (c) => c.fencingOn(), `max by (namespace, cluster, pod) (cnpg_collector_fencing_on{${I}})`],
    ['manualSwitchoverRequired', (c) => c.manualSwitchoverRequired(), `max by (namespace, cluster, pod) (cnpg_collector_manual_switchover_required{${I}})`],
    // Connections, transactions, databases
    ['connections', (c) => c.connections(), `sum by (namespace, cluster, pod) (cnpg_backends_total{${I}})`],
    ['connectionsByState', (c) => c.connectionsByState(), `sum by (namespace, cluster, pod, state) (cnpg_backends_total{${I}})`],
    ['connectionLimit', (c) => c.connectionLimit(), `(max by (namespace, cluster, pod) (cnpg_pg_settings_setting{${I},name="max_connections"})`
      + ` - max by (namespace, cluster, pod) (cnpg_pg_settings_setting{${I},name="superuser_reserved_connections"}))`],
    ['connectionsUsedRatio', (c) => c.connectionsUsedRatio(), `sum by (namespace, cluster, pod) (cnpg_backends_total{${I}})`
      + ` / (max by (namespace, cluster, pod) (cnpg_pg_settings_setting{${I},name="max_connections"})`
      + ` - max by (namespace, cluster, pod) (cnpg_pg_settings_setting{${I},name="superuser_reserved_connections"}))`],
    ['longestTransactionSeconds', (c) => c.longestTransactionSeconds(), `max by (namespace, cluster, pod) (cnpg_backends_max_tx_duration_seconds{${I}})`],
    ['backendsWaitingOnLocks', (c) => c.backendsWaitingOnLocks(), `max by (namespace, cluster, pod) (cnpg_backends_waiting_total{${I}})`],
    ['transactionIdAge', (c) => c.transactionIdAge(), `max by (namespace, cluster, datname) (cnpg_pg_database_xid_age{${I}})`],
    ['databaseSizeBytes', (c) => c.databaseSizeBytes(), `max by (namespace, cluster, datname) (cnpg_pg_database_size_bytes{${I}})`],
    ['commitRate', (c) => c.commitRate('5m'), `sum by (namespace, cluster, datname) (rate(cnpg_pg_stat_database_xact_commit{${I}}[5m]))`],
    ['rollbackRate', (c) => c.rollbackRate('1h'), `sum by (namespace, cluster, datname) (rate(cnpg_pg_stat_database_xact_rollback{${I}}[1h]))`],
    ['deadlockRate', (c) => c.deadlockRate('10m'), `sum by (namespace, cluster, datname) (rate(cnpg_pg_stat_database_deadlocks{${I}}[10m]))`],
    ['volumeUsedRatio', (c) => c.volumeUsedRatio(),
      'max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{namespace="db",persistentvolumeclaim=~"pg-[0-9]+(-wal)?"})'
      + ' / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{namespace="db",persistentvolumeclaim=~"pg-[0-9]+(-wal)?"})'],
    // Poolers
    ['poolerUpSeries', (c) => c.poolerUpSeries(), `cnpg_pgbouncer_up{${P}}`],
    ['poolerUp', (c) => c.poolerUp(), `min by (namespace, pooler, pod) (cnpg_pgbouncer_up{${P}})`],
    ['poolerAbsent', (c) => c.poolerAbsent('b'), 'absent(cnpg_pgbouncer_up{namespace="db",pooler="b"})'],
    ['poolerMaxWaitSeconds', (c) => c.poolerMaxWaitSeconds(),
      `max by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_maxwait{${P}} + cnpg_pgbouncer_pools_maxwait_us{${P}} / 1000000)`],
    ['poolerClientsWaiting', (c) => c.poolerClientsWaiting(), `sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_cl_waiting{${P}})`],
    ['poolerClientsActive', (c) => c.poolerClientsActive(), `sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_cl_active{${P}})`],
    ['poolerServersActive', (c) => c.poolerServersActive(), `sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_sv_active{${P}})`],
    ['poolerServersIdle', (c) => c.poolerServersIdle(), `sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_sv_idle{${P}})`],
    ['poolerSaturatedPools', (c) => c.poolerSaturatedPools(), `max by (namespace, pooler, pod, database, user) (cnpg_pgbouncer_pools_cl_waiting{${P}} > 0)`
      + ` and on (namespace, pooler, pod, database, user) (max by (namespace, pooler, pod, database, user) (cnpg_pgbouncer_pools_sv_idle{${P}}) == 0)`
      + ` and on (namespace, pooler, pod, database, user) (max by (namespace, pooler, pod, database, user) (cnpg_pgbouncer_pools_sv_used{${P}}) == 0)`],
    ['poolerQueryRate', (c) => c.poolerQueryRate('5m'), `sum by (namespace, pooler, database) (rate(cnpg_pgbouncer_stats_total_query_count{${P}}[5m]))`],
    ['poolerTransactionRate', (c) => c.poolerTransactionRate('3m'), `sum by (namespace, pooler, database) (rate(cnpg_pgbouncer_stats_total_xact_count{${P}}[3m]))`],
    ['poolerAverageQuerySeconds', (c) => c.poolerAverageQuerySeconds(), `max by (namespace, pooler, database) (cnpg_pgbouncer_stats_avg_query_time{${P}}) / 1000000`],
    ['poolerAverageWaitSeconds', (c) => c.poolerAverageWaitSeconds(), `max by (namespace, pooler, database) (cnpg_pgbouncer_stats_avg_wait_time{${P}}) / 1000000`],
    ['poolerAvailableReplicas (every pooler)', (c) => c.poolerAvailableReplicas(),
      'max by (namespace, pooler) (label_replace(kube_deployment_status_replicas_available{namespace="db",deployment=~"a|b"}, "pooler", "$1", "deployment", "(.+)"))'],
    ['poolerAvailableReplicas (one)', (c) => c.poolerAvailableReplicas('b'),
      'max by (namespace, pooler) (label_replace(kube_deployment_status_replicas_available{namespace="db",deployment="b"}, "pooler", "$1", "deployment", "(.+)"))'],
    ['poolerDesiredReplicas (every pooler)', (c) => c.poolerDesiredReplicas(),
      'max by (namespace, pooler) (label_replace(kube_deployment_spec_replicas{namespace="db",deployment=~"a|b"}, "pooler", "$1", "deployment", "(.+)"))'],
    ['poolerDesiredReplicas (one)', (c) => c.poolerDesiredReplicas('a'),
      'max by (namespace, pooler) (label_replace(kube_deployment_spec_replicas{namespace="db",deployment="a"}, "pooler", "$1", "deployment", "(.+)"))'],
  ];

  test.each(cases)('%s', (_name, query, expected) => {
    expect(query(catalogue())).toBe(expected);
  });
});

describe('forCluster', () => {
  test('a bare cluster: its namespace and name, the plugin\'s backup names, no pooler, a primary cluster', () => {
    const db = new CnpgSharedCluster(chart(), 'db', { namespace: 'pg-system', clusterName: 'main' });
    const c = CnpgMetricCatalogue.forCluster(db);
    expect({ ns: c.namespace, name: c.clusterName, method: c.backupMethod, poolers: c.poolerNames, replicaOf: c.replicaOf })
      .toEqual({ ns: 'pg-system', name: 'main', method: BackupMethod.PLUGIN, poolers: [], replicaOf: undefined });
  });

  test('the backup method and the poolers attached so far', () => {
    const db = new CnpgSharedCluster(chart(), 'db');
    db._registerBackup({ method: BackupMethod.BARMAN_OBJECT_STORE });
    db._registerPooler({ poolerName: 'a-pooler', namespace: 'databases', instances: 2, type: 'rw', application: 'a' });
    db._registerPooler({ poolerName: 'b-pooler', namespace: 'databases', instances: 2, type: 'ro', application: 'b' });
    const c = CnpgMetricCatalogue.forCluster(db);
    expect(c.backupMethod).toBe(BackupMethod.BARMAN_OBJECT_STORE);
    expect(c.poolerNames).toEqual(['a-pooler', 'b-pooler']);
    expect(c.lastFailedBackupTimestamp()).toBe('max by (namespace, cluster) (cnpg_collector_last_failed_backup_timestamp{namespace="databases",cluster="db"})');
  });

  test('a cluster that is not one is refused with the whole message', () => {
    expect(thrown(() => CnpgMetricCatalogue.forCluster({} as any))).toBe(
      'CnpgMetricCatalogue.forCluster: cluster = {} is an object, where an ICnpgCluster goes. Fix: give a CnpgSharedCluster (ICnpgCluster)');
  });
});

describe('argument checks name the method, the argument and the fix', () => {
  test('the constructor', () => {
    expect(thrown(() => new CnpgMetricCatalogue({ namespace: 'db' } as any))).toBe(
      'CnpgMetricCatalogue: clusterName = (unset) is required (the Cluster\'s name). Fix: give clusterName: a string '
      + '(the field is cluster_name in Python, ClusterName in Go)');
  });

  const windows: Array<[string, (c: any, v: unknown) => string]> = [
    ['walArchivedRate', (c, v) => c.walArchivedRate(v)],
    ['walArchiveFailureRate', (c, v) => c.walArchiveFailureRate(v)],
    ['walBytesRate', (c, v) => c.walBytesRate(v)],
    ['commitRate', (c, v) => c.commitRate(v)],
    ['rollbackRate', (c, v) => c.rollbackRate(v)],
    ['deadlockRate', (c, v) => c.deadlockRate(v)],
    ['poolerQueryRate', (c, v) => c.poolerQueryRate(v)],
    ['poolerTransactionRate', (c, v) => c.poolerTransactionRate(v)],
  ];
  test.each(windows)('%s: a window that is not a string', (method, call) => {
    expect(thrown(() => call(catalogue(), 5))).toBe(
      `CnpgMetricCatalogue.${method}: window = 5 is a number, where a string goes. Fix: write the value as a string, in quotes`);
  });

  test.each([
    ['cronJobLastFailedJobStartTime', (c: any, v: unknown) => c.cronJobLastFailedJobStartTime(v)],
    ['cronJobLastSuccessfulTime', (c: any, v: unknown) => c.cronJobLastSuccessfulTime(v)],
  ])('%s: the CronJob is required', (method, call) => {
    expect(thrown(() => call(catalogue(), undefined))).toBe(
      `CnpgMetricCatalogue.${method}: cronJobName = (unset) is required. Fix: give a string (the field is cron_job_name in Python, CronJobName in Go)`);
  });

  test.each([
    ['poolerAbsent', (c: any, v: unknown) => c.poolerAbsent(v)],
    ['poolerAvailableReplicas', (c: any, v: unknown) => c.poolerAvailableReplicas(v)],
    ['poolerDesiredReplicas', (c: any, v: unknown) => c.poolerDesiredReplicas(v)],
  ])('%s: a pooler name that is not a string', (method, call) => {
    expect(thrown(() => call(catalogue(), 5))).toBe(
      `CnpgMetricCatalogue.${method}: poolerName = 5 is a number, where a string goes. Fix: write the value as a string, in quotes `
      + '(the field is pooler_name in Python, PoolerName in Go)');
  });
});
