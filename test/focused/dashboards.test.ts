import { BackupMethod } from '../../src';
import {
  clusterDashboard, Dashboard, DashboardContext, dashboardExpressions, datasourceVariable, GrafanaPanel, labelVariable, Panels, poolerDashboard,
} from '../../src/monitoring/dashboards';

// The two dashboards as they are written (issue #17): each panel's type, title, place on the grid
// ("x,y,w,h"), description, unit, thresholds and queries (expression, legend, refId), and every
// header field. test/dashboards-sdk-parity.test.ts compares the panel and dashboard builders with
// Grafana's SDK; this file fixes what the library puts into them. Nothing is built at `describe` level.

/** The instance matchers without and with the `$pod` variable, the poolers' with `$pooler`. */
const I = 'namespace="databases",cluster="pg"';
const IP = `${I},pod=~"$pod"`;
const PP = 'namespace="databases",pooler=~"a|b",pooler=~"$pooler"';

type Target = [string, string, string];
type Steps = Array<[number | null, string]> | undefined;
type PanelRow = [string, string, string] | [string, string, string, string] | [string, string, string, string, string, Steps, Target[]];

/** A panel as a row of the tables below. */
function rowOf(p: any): PanelRow {
  const g = p.gridPos;
  const pos = `${g.x},${g.y},${g.w},${g.h}`;
  if (p.type === 'row') return ['row', p.title, pos];
  if (p.type === 'text') return ['text', p.title, pos, p.options.content];
  const steps = p.fieldConfig.defaults.thresholds?.steps.map((s: any) => [s.value, s.color]);
  return [p.type, p.title, pos, p.description, p.fieldConfig.defaults.unit, steps, p.targets.map((t: any) => [t.expr, t.legendFormat, t.refId])];
}

const CTX: DashboardContext = {
  namespace: 'databases',
  clusterName: 'pg',
  instances: 3,
  backup: { method: BackupMethod.PLUGIN, maxIntervalSeconds: 86_400 },
  poolers: [
    { poolerName: 'a', namespace: 'databases', instances: 2, type: 'rw', application: 'a' },
    { poolerName: 'b', namespace: 'databases', instances: 3, type: 'ro', application: 'b' },
  ],
};

const CLUSTER_PANELS: PanelRow[] = [
  ['row', 'Instances', '0,0,24,1'],
  ['stat', 'Instances reporting', '0,1,4,4', 'Instances exporting metrics; the cluster declares 3.', 'none', [[null, 'red'], [3, 'green']], [
    [`sum(count by (namespace, cluster) (cnpg_collector_up{${I}}))`, 'instances', 'A'],
  ]],
  ['stat', 'Primary', '4,1,4,4', 'The instance that is not in recovery.', 'none', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_pg_replication_in_recovery{${I}}) == bool 0 == 1`, '{{pod}}', 'A'],
  ]],
  ['stat', 'Streaming standbys', '8,1,4,4', 'Standbys streaming from the primary (expected 2).', 'none', [[null, 'red'], [2, 'green']], [
    [`max by (namespace, cluster) (cnpg_pg_replication_streaming_replicas{${I}})`, 'standbys', 'A'],
  ]],
  ['stat', 'Synchronous standbys required', '12,1,4,4', 'The N of synchronous_standby_names on the primary.', 'none', undefined, [
    [`max by (namespace, cluster) (cnpg_collector_sync_replicas{${I},value="observed"})`, 'required', 'A'],
  ]],
  ['stat', 'Fenced instances', '16,1,4,4', 'Instances whose PostgreSQL is stopped by a fence.', 'none', [[null, 'green'], [1, 'red']], [
    [`sum(max by (namespace, cluster, pod) (cnpg_collector_fencing_on{${I}}))`, 'fenced', 'A'],
  ]],
  ['stat', 'Manual switchover required', '20,1,4,4', 'A supervised update waits for a switchover.', 'none', [[null, 'green'], [1, 'red']], [
    [`max(max by (namespace, cluster, pod) (cnpg_collector_manual_switchover_required{${I}}))`, 'required', 'A'],
  ]],
  ['timeseries', 'PostgreSQL up', '0,5,12,8', 'Whether each instance manager reaches its PostgreSQL.', 'none', undefined, [
    [`min by (namespace, cluster, pod) (cnpg_collector_up{${IP}})`, '{{pod}}', 'A'],
  ]],
  ['timeseries', 'Metrics collection errors', '12,5,12,8', 'Whether the last metrics collection of each instance failed.', 'none', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_collector_last_collection_error{${IP}})`, '{{pod}}', 'A'],
  ]],
  ['row', 'Backups and WAL archiving', '0,13,24,1'],
  ['stat', 'Last successful backup', '0,14,4,4', 'Age of the newest successful base backup.', 's', [[null, 'green'], [86400, 'red']], [
    [`time() - max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${I}})`, 'age', 'A'],
  ]],
  ['stat', 'Recoverability window', '4,14,4,4',
    'How far back the cluster can be restored (now minus the first recoverability point).', 's', undefined, [
      [`time() - (max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_first_recoverability_point{${I}}) > 0)`, 'window', 'A'],
    ]],
  ['stat', 'Last failed backup', '8,14,4,4', 'When a backup last failed (empty when none did).', 'dateTimeFromNow', undefined, [
    [`(max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{${I}}) > 0) * 1000`, 'failed', 'A'],
  ]],
  ['timeseries', 'WAL archiving', '12,14,12,8', 'WAL files archived and failed archive attempts per second (primary).', 'ops', undefined, [
    [`sum by (namespace, cluster, pod) (rate(cnpg_pg_stat_archiver_archived_count{${IP}}[$__rate_interval]))`, 'archived {{pod}}', 'A'],
    [`sum by (namespace, cluster, pod) (rate(cnpg_pg_stat_archiver_failed_count{${IP}}[$__rate_interval]))`, 'failed {{pod}}', 'B'],
  ]],
  ['timeseries', 'WAL segments waiting to be archived', '0,22,12,8', 'Files in pg_wal/archive_status/*.ready.', 'none', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_collector_pg_wal_archive_status{${IP},value="ready"})`, '{{pod}}', 'A'],
  ]],
  ['timeseries', 'Time since last archived WAL', '12,22,12,8', 'Seconds since the last successful WAL archive (primary).', 's', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_pg_stat_archiver_seconds_since_last_archival{${IP}})`, '{{pod}}', 'A'],
  ]],
  ['timeseries', 'WAL written', '0,30,12,8', 'WAL bytes generated per second.', 'Bps', undefined, [
    [`sum by (namespace, cluster, pod) (rate(cnpg_collector_wal_bytes{${IP}}[$__rate_interval]))`, '{{pod}}', 'A'],
  ]],
  ['row', 'Replication', '0,38,24,1'],
  ['timeseries', 'Replication lag', '0,39,12,8', 'How far behind the primary each standby replays, in seconds.', 's', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_pg_replication_lag{${IP}})`, '{{pod}}', 'A'],
  ]],
  ['timeseries', 'Standby replay lag (from the primary)', '12,39,12,8', 'pg_stat_replication replay_lag per standby.', 's', undefined, [
    [`max by (namespace, cluster, application_name) (cnpg_pg_stat_replication_replay_lag_seconds{${I}})`, '{{application_name}}', 'A'],
  ]],
  ['timeseries', 'Replication slot retained WAL', '0,47,12,8', 'WAL each replication slot holds back.', 'bytes', undefined, [
    [`max by (namespace, cluster, pod, slot_name) (cnpg_pg_replication_slots_pg_wal_lsn_diff{${IP}})`, '{{pod}} {{slot_name}}', 'A'],
  ]],
  ['row', 'Connections', '0,55,24,1'],
  ['timeseries', 'Connections by state', '0,56,12,8', 'Backends of each instance by state.', 'none', undefined, [
    [`sum by (namespace, cluster, pod, state) (cnpg_backends_total{${IP}})`, '{{pod}} {{state}}', 'A'],
  ]],
  ['timeseries', 'Connections used', '12,56,12,8', 'Share of max_connections - superuser_reserved_connections in use.', 'percentunit', undefined, [
    [`sum by (namespace, cluster, pod) (cnpg_backends_total{${IP}}) / (max by (namespace, cluster, pod) `
      + `(cnpg_pg_settings_setting{${IP},name="max_connections"}) - max by (namespace, cluster, pod) `
      + `(cnpg_pg_settings_setting{${IP},name="superuser_reserved_connections"}))`, '{{pod}}', 'A'],
  ]],
  ['timeseries', 'Longest transaction', '0,64,12,8', 'Age of the oldest open transaction.', 's', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_backends_max_tx_duration_seconds{${IP}})`, '{{pod}}', 'A'],
  ]],
  ['timeseries', 'Backends waiting on locks', '12,64,12,8', 'Backends blocked by another backend\'s lock.', 'none', undefined, [
    [`max by (namespace, cluster, pod) (cnpg_backends_waiting_total{${IP}})`, '{{pod}}', 'A'],
  ]],
  ['row', 'Databases and storage', '0,72,24,1'],
  ['timeseries', 'Transactions', '0,73,12,8', 'Commits and rollbacks per second, by database.', 'ops', undefined, [
    [`sum by (namespace, cluster, datname) (rate(cnpg_pg_stat_database_xact_commit{${I}}[$__rate_interval]))`, 'commit {{datname}}', 'A'],
    [`sum by (namespace, cluster, datname) (rate(cnpg_pg_stat_database_xact_rollback{${I}}[$__rate_interval]))`, 'rollback {{datname}}', 'B'],
  ]],
  ['timeseries', 'Deadlocks', '12,73,12,8', 'Deadlocks per second, by database.', 'ops', undefined, [
    [`sum by (namespace, cluster, datname) (rate(cnpg_pg_stat_database_deadlocks{${I}}[$__rate_interval]))`, '{{datname}}', 'A'],
  ]],
  ['timeseries', 'Database size', '0,81,12,8', 'Size of each database.', 'bytes', undefined, [
    [`max by (namespace, cluster, datname) (cnpg_pg_database_size_bytes{${I}})`, '{{datname}}', 'A'],
  ]],
  ['timeseries', 'Transaction ID age', '12,81,12,8', 'age(datfrozenxid) of each database; PostgreSQL stops writes near 2^31.', 'short', undefined, [
    [`max by (namespace, cluster, datname) (cnpg_pg_database_xid_age{${I}})`, '{{datname}}', 'A'],
  ]],
  ['timeseries', 'Volume usage', '0,89,12,8', 'Share of each data and WAL volume in use (kubelet).', 'percentunit', undefined, [
    ['max by (namespace, persistentvolumeclaim) '
      + '(kubelet_volume_stats_used_bytes{namespace="databases",persistentvolumeclaim=~"pg-[0-9]+(-wal)?"}) / max by (namespace, '
      + 'persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{namespace="databases",persistentvolumeclaim=~"pg-[0-9]+(-wal)?"})',
    '{{persistentvolumeclaim}}', 'A'],
  ]],
];

const POOLER_PANELS: PanelRow[] = [
  ['row', 'Availability', '0,0,24,1'],
  ['timeseries', 'Exporter up', '0,1,12,8', 'Whether each pooler pod\'s exporter can query its PgBouncer.', 'none', undefined, [
    [`min by (namespace, pooler, pod) (cnpg_pgbouncer_up{${PP}})`, '{{pooler}} {{pod}}', 'A'],
  ]],
  ['timeseries', 'Replicas', '12,1,12,8', 'Available and desired replicas of each pooler Deployment (declared: a: 2, b: 3).', 'none', undefined, [
    ['max by (namespace, pooler) (label_replace(kube_deployment_status_replicas_available{namespace="databases",deployment=~"a|b"}, '
      + '"pooler", "$1", "deployment", "(.+)"))', 'available {{pooler}}', 'A'],
    ['max by (namespace, pooler) (label_replace(kube_deployment_spec_replicas{namespace="databases",deployment=~"a|b"}, "pooler", "$1", '
      + '"deployment", "(.+)"))', 'desired {{pooler}}', 'B'],
  ]],
  ['row', 'Pools', '0,9,24,1'],
  ['timeseries', 'Clients', '0,10,12,8', 'Active and waiting client connections per pool.', 'none', undefined, [
    [`sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_cl_active{${PP}})`, 'active {{pooler}} {{database}}/{{user}}', 'A'],
    [`sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_cl_waiting{${PP}})`, 'waiting {{pooler}} {{database}}/{{user}}', 'B'],
  ]],
  ['timeseries', 'Server connections', '12,10,12,8', 'Active and idle server connections per pool.', 'none', undefined, [
    [`sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_sv_active{${PP}})`, 'active {{pooler}} {{database}}/{{user}}', 'A'],
    [`sum by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_sv_idle{${PP}})`, 'idle {{pooler}} {{database}}/{{user}}', 'B'],
  ]],
  ['timeseries', 'Longest client wait', '0,18,12,8', 'How long the oldest waiting client of each pool has waited.', 's', undefined, [
    [`max by (namespace, pooler, database, user) (cnpg_pgbouncer_pools_maxwait{${PP}} + cnpg_pgbouncer_pools_maxwait_us{${PP}} / 1000000)`,
      '{{pooler}} {{database}}/{{user}}', 'A'],
  ]],
  ['timeseries', 'Saturated pools', '12,18,12,8', 'Clients waiting in pools with no idle server connection.', 'none', undefined, [
    [`max by (namespace, pooler, pod, database, user) (cnpg_pgbouncer_pools_cl_waiting{${PP}} > 0) and on (namespace, pooler, pod, database, `
      + `user) (max by (namespace, pooler, pod, database, user) (cnpg_pgbouncer_pools_sv_idle{${PP}}) == 0) and on (namespace, pooler, pod, `
      + `database, user) (max by (namespace, pooler, pod, database, user) (cnpg_pgbouncer_pools_sv_used{${PP}}) == 0)`,
    '{{pooler}} {{pod}} {{database}}/{{user}}', 'A'],
  ]],
  ['row', 'Traffic', '0,26,24,1'],
  ['timeseries', 'Queries', '0,27,12,8', 'Queries per second, by pooler and database.', 'ops', undefined, [
    [`sum by (namespace, pooler, database) (rate(cnpg_pgbouncer_stats_total_query_count{${PP}}[$__rate_interval]))`,
      '{{pooler}} {{database}}', 'A'],
  ]],
  ['timeseries', 'Transactions', '12,27,12,8', 'Transactions per second, by pooler and database.', 'ops', undefined, [
    [`sum by (namespace, pooler, database) (rate(cnpg_pgbouncer_stats_total_xact_count{${PP}}[$__rate_interval]))`, '{{pooler}} {{database}}', 'A'],
  ]],
  ['timeseries', 'Average query time', '0,35,12,8', 'Average query duration, by pooler and database.', 's', undefined, [
    [`max by (namespace, pooler, database) (cnpg_pgbouncer_stats_avg_query_time{${PP}}) / 1000000`, '{{pooler}} {{database}}', 'A'],
  ]],
  ['timeseries', 'Average client wait', '12,35,12,8', 'Average time clients wait for a server connection.', 's', undefined, [
    [`max by (namespace, pooler, database) (cnpg_pgbouncer_stats_avg_wait_time{${PP}}) / 1000000`, '{{pooler}} {{database}}', 'A'],
  ]],
];

/** The fields every template variable starts with. */
const VARIABLE = { skipUrlSync: false, allowCustomValue: true, auto: false, auto_min: '10s', auto_count: 30 };
const DATASOURCE = { type: 'datasource', name: 'datasource', ...VARIABLE, multi: false, includeAll: false, label: 'Data source', query: 'prometheus' };
const DS = { type: 'prometheus', uid: '$datasource' };

/** A dashboard's fields but its panels. */
function header(d: any): object {
  const { panels, ...rest } = d;
  return rest;
}

describe('the cluster dashboard', () => {
  test('the header: title, uid, description, tags, variables, time and refresh', () => {
    const q = 'label_values(cnpg_collector_up{namespace="databases",cluster="pg"}, pod)';
    expect(header(clusterDashboard(CTX))).toEqual({
      timezone: 'browser',
      editable: false,
      graphTooltip: 1,
      fiscalYearStartMonth: 0,
      schemaVersion: 42,
      templating: {
        list: [DATASOURCE, {
          type: 'query',
          name: 'pod',
          ...VARIABLE,
          multi: true,
          includeAll: true,
          label: 'Instance',
          datasource: DS,
          query: q,
          definition: q,
          refresh: 2,
          sort: 1,
          allValue: '.*',
        }],
      },
      annotations: {},
      title: 'CloudNativePG / databases / pg',
      uid: 'cnpg-cluster-5258c4eb8975',
      description: 'Health of the CloudNativePG cluster databases/pg: instances, backups, WAL archiving, replication, connections and databases.',
      tags: ['cloudnative-pg', 'postgresql'],
      refresh: '1m',
      time: { from: 'now-6h', to: 'now' },
    });
  });

  test('every panel of a cluster of three instances with a daily backup', () => {
    expect((clusterDashboard(CTX) as any).panels.map(rowOf)).toEqual(CLUSTER_PANELS);
  });

  test('every panel carries the data source variable, in each query too', () => {
    for (const p of (clusterDashboard(CTX) as any).panels.filter((x: any) => x.type !== 'row')) {
      expect(p.datasource).toEqual(DS);
      for (const t of p.targets) expect(t.datasource).toEqual(DS);
    }
  });

  test('the in-tree object store\'s backup metrics; a backup without a known interval has no age threshold', () => {
    const panels = (clusterDashboard({ ...CTX, backup: { method: BackupMethod.BARMAN_OBJECT_STORE } }) as any).panels.map(rowOf);
    expect(panels.filter((r: PanelRow) => r[0] === 'stat' && r[4] !== 'none')).toEqual([
      ['stat', 'Last successful backup', '0,14,4,4', 'Age of the newest successful base backup.', 's', undefined, [
        [`time() - max by (namespace, cluster) (cnpg_collector_last_available_backup_timestamp{${I}})`, 'age', 'A'],
      ]],
      ['stat', 'Recoverability window', '4,14,4,4', 'How far back the cluster can be restored (now minus the first recoverability point).', 's', undefined, [
        [`time() - (max by (namespace, cluster) (cnpg_collector_first_recoverability_point{${I}}) > 0)`, 'window', 'A'],
      ]],
      ['stat', 'Last failed backup', '8,14,4,4', 'When a backup last failed (empty when none did).', 'dateTimeFromNow', undefined, [
        [`(max by (namespace, cluster) (cnpg_collector_last_failed_backup_timestamp{${I}}) > 0) * 1000`, 'failed', 'A'],
      ]],
    ]);
  });

  test('no backup: a text panel instead of the three backup stats, the WAL panels moved up', () => {
    const panels = (clusterDashboard({ ...CTX, backup: undefined }) as any).panels.map(rowOf);
    expect(panels.slice(9, 12)).toEqual([
      ['row', 'Backups and WAL archiving', '0,13,24,1'],
      ['text', 'No backup', '0,14,24,4', 'No backup is attached to this cluster: there are no backup metrics to show.'],
      ['timeseries', 'WAL archiving', '0,18,12,8', 'WAL files archived and failed archive attempts per second (primary).', 'ops', undefined, [
        [`sum by (namespace, cluster, pod) (rate(cnpg_pg_stat_archiver_archived_count{${IP}}[$__rate_interval]))`, 'archived {{pod}}', 'A'],
        [`sum by (namespace, cluster, pod) (rate(cnpg_pg_stat_archiver_failed_count{${IP}}[$__rate_interval]))`, 'failed {{pod}}', 'B'],
      ]],
    ]);
    expect(panels.map((r: PanelRow) => r[1])).not.toContain('Last successful backup');
  });

  test('a replica cluster of one instance: how far it is behind its source instead of the primary; no standby expected', () => {
    const panels = (clusterDashboard({ ...CTX, instances: 1, replicaOf: 'pg-eu' }) as any).panels.map(rowOf);
    expect(panels.slice(1, 4)).toEqual([
      ['stat', 'Instances reporting', '0,1,4,4', 'Instances exporting metrics; the cluster declares 1.', 'none', [[null, 'red'], [1, 'green']], [
        [`sum(count by (namespace, cluster) (cnpg_collector_up{${I}}))`, 'instances', 'A'],
      ]],
      ['stat', 'Behind pg-eu', '4,1,4,4',
        'A replica cluster of pg-eu: every instance is in recovery (no primary); how far the most-behind one replays behind the source.', 's', undefined, [
          [`max by (namespace, cluster) (cnpg_pg_replication_lag{${I}})`, 'lag', 'A'],
        ]],
      ['stat', 'Streaming standbys', '8,1,4,4', 'Standbys streaming from the primary (expected 0).', 'none', [[null, 'red'], [0, 'green']], [
        [`max by (namespace, cluster) (cnpg_pg_replication_streaming_replicas{${I}})`, 'standbys', 'A'],
      ]],
    ]);
  });

  test('the uid: stable, at most 40 characters, one per namespace, cluster and dashboard', () => {
    const uid = (ctx: DashboardContext) => (clusterDashboard(ctx) as any).uid;
    expect(uid(CTX)).toBe('cnpg-cluster-5258c4eb8975');
    expect(uid({ ...CTX, backup: undefined, instances: 5 })).toBe('cnpg-cluster-5258c4eb8975');
    expect(new Set([uid(CTX), uid({ ...CTX, namespace: 'other' }), uid({ ...CTX, clusterName: 'pg2' }), (poolerDashboard(CTX) as any).uid]).size).toBe(4);
    expect(uid({ ...CTX, namespace: 'n'.repeat(63), clusterName: 'c'.repeat(50) })).toMatch(/^cnpg-cluster-[0-9a-f]{12}$/);
  });
});

describe('the pooler dashboard', () => {
  test('the header', () => {
    const q = 'label_values(cnpg_pgbouncer_up{namespace="databases",pooler=~"a|b"}, pooler)';
    expect(header(poolerDashboard(CTX))).toEqual({
      timezone: 'browser',
      editable: false,
      graphTooltip: 1,
      fiscalYearStartMonth: 0,
      schemaVersion: 42,
      templating: {
        list: [DATASOURCE, {
          type: 'query',
          name: 'pooler',
          ...VARIABLE,
          multi: true,
          includeAll: true,
          label: 'Pooler',
          datasource: DS,
          query: q,
          definition: q,
          refresh: 2,
          sort: 1,
          allValue: '.*',
        }],
      },
      annotations: {},
      title: 'CloudNativePG poolers / databases / pg',
      uid: 'cnpg-poolers-b515bd899247',
      description: 'Health of the PgBouncer poolers of the CloudNativePG cluster databases/pg.',
      tags: ['cloudnative-pg', 'pgbouncer'],
      refresh: '1m',
      time: { from: 'now-6h', to: 'now' },
    });
  });

  test('every panel of two poolers', () => {
    expect((poolerDashboard(CTX) as any).panels.map(rowOf)).toEqual(POOLER_PANELS);
  });

  test('no pooler: one text panel, the variable selecting nothing', () => {
    const d = poolerDashboard({ ...CTX, poolers: [] }) as any;
    expect(d.panels.map(rowOf)).toEqual([['text', 'No pooler', '0,0,24,4', 'No pooler is attached to this cluster.']]);
    expect(d.templating.list[1].query).toBe('label_values(cnpg_pgbouncer_up{namespace="databases",pooler=~"-"}, pooler)');
  });
});

describe('the builders', () => {
  test('a dashboard without panels has no panels key', () => {
    const d = new Dashboard({ title: 't', uid: 'u', description: 'd', tags: [], variables: [] }).build();
    expect(Object.keys(d)).not.toContain('panels');
    expect(d).toMatchObject({ title: 't', uid: 'u', description: 'd', tags: [], templating: { list: [] } });
  });

  test('a panel without a place gets 12 by 9 at the next free place; one with a place keeps it', () => {
    const d = new Dashboard({ title: 't', uid: 'u', description: 'd', tags: [], variables: [] });
    const free: GrafanaPanel = { type: 'x' };
    const placed: GrafanaPanel = { type: 'y', gridPos: { h: 2, w: 6, x: 3, y: 7 } };
    const next: GrafanaPanel = { type: 'z', gridPos: { h: 1, w: 1, x: 0, y: 0 } };
    // Only x and y both 0 means "not placed".
    const left: GrafanaPanel = { type: 'l', gridPos: { h: 1, w: 1, x: 0, y: 5 } };
    const top: GrafanaPanel = { type: 't', gridPos: { h: 1, w: 1, x: 5, y: 0 } };
    d.withPanel(free).withPanel(placed).withPanel(next).withPanel(left).withPanel(top);
    expect([free.gridPos, placed.gridPos, next.gridPos, left.gridPos, top.gridPos]).toEqual([
      { h: 9, w: 12, x: 0, y: 0 }, { h: 2, w: 6, x: 3, y: 7 }, { h: 1, w: 1, x: 18, y: 0 }, { h: 1, w: 1, x: 0, y: 5 }, { h: 1, w: 1, x: 5, y: 0 },
    ]);
  });

  test('a row goes below the tallest panel of the line; panels wrap at 24 columns', () => {
    const p = new Panels();
    const d = new Dashboard({ title: 't', uid: 'u', description: 'd', tags: [], variables: [] });
    const a = p.stat('a', '', 'none', 'e', 'l');
    const b = p.timeseries('b', '', 'none', []);
    const row = p.row('r');
    const c = p.text('c', 'x');
    const e = p.timeseries('e', '', 'none', []);
    const f = p.timeseries('f', '', 'none', []);
    const g = p.stat('g', '', 'none', 'e', 'l');
    d.withPanel(a).withPanel(b).withRow(row).withPanel(c).withPanel(e).withPanel(f).withPanel(g);
    expect([a, b, row, c, e, f, g].map((x) => x.gridPos)).toEqual([
      { h: 4, w: 4, x: 0, y: 0 }, { h: 8, w: 12, x: 4, y: 0 }, { x: 0, y: 8, h: 1, w: 24 },
      { h: 4, w: 24, x: 0, y: 9 }, { h: 8, w: 12, x: 0, y: 13 }, { h: 8, w: 12, x: 12, y: 13 }, { h: 4, w: 4, x: 0, y: 21 },
    ]);
    expect([a, b, row, c, e, f, g].map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('the variables', () => {
    expect(datasourceVariable()).toEqual(DATASOURCE);
    expect(labelVariable('pod', 'Instance', 'label_values(up, pod)')).toEqual({
      type: 'query',
      name: 'pod',
      ...VARIABLE,
      multi: true,
      includeAll: true,
      label: 'Instance',
      datasource: DS,
      query: 'label_values(up, pod)',
      definition: 'label_values(up, pod)',
      refresh: 2,
      sort: 1,
      allValue: '.*',
    });
  });

  test('queries are lettered A, B, C in their order', () => {
    const t = new Panels().timeseries('t', 'd', 's', [['a', 'x'], ['b', 'y'], ['c', 'z']]);
    expect(t.targets).toEqual([
      { expr: 'a', datasource: DS, legendFormat: 'x', refId: 'A' },
      { expr: 'b', datasource: DS, legendFormat: 'y', refId: 'B' },
      { expr: 'c', datasource: DS, legendFormat: 'z', refId: 'C' },
    ]);
  });
});

describe('dashboardExpressions', () => {
  test('the targets of panels and of the panels inside rows, and the selectors of label_values variables', () => {
    const d = {
      panels: [
        { targets: [{ expr: 'a' }, { expr: '' }, {}] },
        { type: 'row', panels: [{ targets: [{ expr: 'b' }] }] },
        { type: 'text' },
      ],
      templating: {
        list: [
          { query: 'prometheus' },
          { query: 'label_values(up{job="x"}, pod)' },
          { query: 'label_values(up{a="b"},pooler)' },
          { query: 'label_values(up, pod) ' },
          { query: 'label_values(up, 9pod)' },
          { query: 'xlabel_values(up, pod)' },
          { query: { qryType: 1 } },
        ],
      },
    };
    expect(dashboardExpressions(d)).toEqual(['a', 'b', 'up{job="x"}', 'up{a="b"}']);
  });

  test('a dashboard without panels or variables has none', () => {
    expect(dashboardExpressions({})).toEqual([]);
    expect(dashboardExpressions({ templating: {} })).toEqual([]);
  });

  test('every query of both dashboards, in order', () => {
    const exprs = dashboardExpressions(poolerDashboard(CTX));
    expect(exprs).toHaveLength(POOLER_PANELS.flatMap((r) => (r.length === 7 ? r[6] : [])).length + 1);
    expect(exprs[exprs.length - 1]).toBe('cnpg_pgbouncer_up{namespace="databases",pooler=~"a|b"}');
    expect(dashboardExpressions(clusterDashboard(CTX))[0]).toBe(`sum(count by (namespace, cluster) (cnpg_collector_up{${I}}))`);
  });
});
