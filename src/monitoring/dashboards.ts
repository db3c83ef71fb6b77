import { createHash } from 'crypto';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder, DashboardCursorSync, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder,
  ThresholdsConfigBuilder, ThresholdsMode, VariableRefresh, VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { CnpgMetricCatalogue } from './metric-catalogue';
import { BackupInfo, PoolerInfo } from '../cluster/attachments';

/**
 * Grafana dashboards of a cluster and its poolers, built with Grafana's typed foundation SDK.
 *
 * Every query comes from {@link CnpgMetricCatalogue}; the data source is the template variable
 * `$datasource` (any Prometheus-compatible source, VictoriaMetrics included). No `${...}` form is
 * used anywhere: Flux would take it for one of its variables.
 */

/** The data source variable every panel reads. @internal */
export const DATASOURCE_VARIABLE = 'datasource';
const DS = { type: 'prometheus', uid: `$${DATASOURCE_VARIABLE}` };
const RATE = '$__rate_interval';
/** Threshold steps: from value (null: the base), colour. */
type Steps = Array<[number | null, string]>;

/** What the dashboards show about the cluster. @internal */
export interface DashboardContext {
  readonly namespace: string;
  readonly clusterName: string;
  readonly instances: number;
  readonly backup?: BackupInfo;
  readonly poolers: PoolerInfo[];
}

/** A stable, short (Grafana allows 40 characters) dashboard uid. */
function uid(ctx: DashboardContext, kind: string): string {
  const hash = createHash('sha256').update(`${ctx.namespace}/${ctx.clusterName}/${kind}`).digest('hex').slice(0, 12);
  return `cnpg-${kind}-${hash}`;
}

class Panels {
  private id = 1;

  public row(title: string): RowBuilder {
    return new RowBuilder(title).id(this.id++);
  }

  public timeseries(title: string, description: string, unit: string, targets: Array<[string, string]>): timeseries.PanelBuilder {
    return new timeseries.PanelBuilder()
      .id(this.id++)
      .title(title)
      .description(description)
      .datasource(DS)
      .unit(unit)
      .height(8)
      .span(12)
      .fillOpacity(10)
      .legend(new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom))
      .targets(targets.map(([expr, legend], i) => query(expr, legend, i)));
  }

  public stat(title: string, description: string, unit: string, expr: string, legend: string, thresholds?: Steps): stat.PanelBuilder {
    const builder = new stat.PanelBuilder()
      .id(this.id++)
      .title(title)
      .description(description)
      .datasource(DS)
      .unit(unit)
      .height(4)
      .span(4)
      .colorMode(common.BigValueColorMode.Value)
      .graphMode(common.BigValueGraphMode.None)
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
      .withTarget(query(expr, legend, 0));
    if (thresholds) {
      builder.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(thresholds.map(([value, color]) => ({ value, color }))));
    }
    return builder;
  }

  public text(title: string, content: string): text.PanelBuilder {
    return new text.PanelBuilder().id(this.id++).title(title).mode(text.TextMode.Markdown).content(content).height(4).span(24);
  }
}

function query(expr: string, legend: string, index: number): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DS).expr(expr).legendFormat(legend).refId(String.fromCharCode(65 + index));
}

function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus');
}

function labelVariable(name: string, label: string, definition: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DS)
    .query(definition)
    .definition(definition)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

const RED_AT_1: Steps = [[null, 'green'], [1, 'red']];

/** The cluster health dashboard (Grafana JSON model). @internal */
export function clusterDashboard(ctx: DashboardContext): object {
  const all = new CnpgMetricCatalogue({ namespace: ctx.namespace, clusterName: ctx.clusterName, backupMethod: ctx.backup?.method });
  const m = new CnpgMetricCatalogue({ namespace: ctx.namespace, clusterName: ctx.clusterName, backupMethod: ctx.backup?.method, instanceMatcher: 'pod=~"$pod"' });
  const p = new Panels();
  const d = new DashboardBuilder(`CloudNativePG / ${ctx.namespace} / ${ctx.clusterName}`)
    .uid(uid(ctx, 'cluster'))
    .description(`Health of the CloudNativePG cluster ${ctx.namespace}/${ctx.clusterName}: instances, backups, WAL archiving, replication, connections and databases.`)
    .tags(['cloudnative-pg', 'postgresql'])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('pod', 'Instance', `label_values(${all.collectorUpSeries()}, pod)`));

  d.withRow(p.row('Instances'))
    .withPanel(p.stat('Instances reporting', `Instances exporting metrics; the cluster declares ${ctx.instances}.`, 'none',
      `sum(${all.instancesReporting()})`, 'instances', [[null, 'red'], [ctx.instances, 'green']]))
    .withPanel(p.stat('Primary', 'The instance that is not in recovery.', 'none', `${all.primaryInstance()} == 1`, '{{pod}}'))
    .withPanel(p.stat('Streaming standbys', `Standbys streaming from the primary (expected ${ctx.instances - 1}).`, 'none',
      all.streamingReplicas(), 'standbys', [[null, 'red'], [Math.max(ctx.instances - 1, 0), 'green']]))
    .withPanel(p.stat('Synchronous standbys required', 'The N of synchronous_standby_names on the primary.', 'none', all.synchronousStandbysRequired(), 'required'))
    .withPanel(p.stat('Fenced instances', 'Instances whose PostgreSQL is stopped by a fence.', 'none', `sum(${all.fencingOn()})`, 'fenced', RED_AT_1))
    .withPanel(p.stat('Manual switchover required', 'A supervised update waits for a switchover.', 'none', `max(${all.manualSwitchoverRequired()})`, 'required', RED_AT_1))
    .withPanel(p.timeseries('PostgreSQL up', 'Whether each instance manager reaches its PostgreSQL.', 'none', [[m.postgresUp(), '{{pod}}']]))
    .withPanel(p.timeseries('Metrics collection errors', 'Whether the last metrics collection of each instance failed.', 'none', [[m.collectionErrors(), '{{pod}}']]));

  d.withRow(p.row('Backups and WAL archiving'));
  if (ctx.backup) {
    d.withPanel(p.stat('Last successful backup', 'Age of the newest successful base backup.', 's', all.lastBackupAgeSeconds(), 'age',
      ctx.backup.maxIntervalSeconds ? [[null, 'green'], [ctx.backup.maxIntervalSeconds, 'red']] : undefined))
      .withPanel(p.stat('Recoverability window', 'How far back the cluster can be restored (now minus the first recoverability point).', 's', all.recoverabilityWindowSeconds(), 'window'))
      .withPanel(p.stat('Last failed backup', 'When a backup last failed (empty when none did).', 'dateTimeFromNow', `(${all.lastFailedBackupTimestamp()} > 0) * 1000`, 'failed'));
  } else {
    d.withPanel(p.text('No backup', 'No backup is attached to this cluster: there are no backup metrics to show.'));
  }
  d.withPanel(p.timeseries('WAL archiving', 'WAL files archived and failed archive attempts per second (primary).', 'ops', [
    [m.walArchivedRate(RATE), 'archived {{pod}}'], [m.walArchiveFailureRate(RATE), 'failed {{pod}}'],
  ]))
    .withPanel(p.timeseries('WAL segments waiting to be archived', 'Files in pg_wal/archive_status/*.ready.', 'none', [[m.walSegmentsReadyToArchive(), '{{pod}}']]))
    .withPanel(p.timeseries('Time since last archived WAL', 'Seconds since the last successful WAL archive (primary).', 's', [[m.walArchiveSecondsSinceLastArchival(), '{{pod}}']]))
    .withPanel(p.timeseries('WAL written', 'WAL bytes generated per second.', 'Bps', [[m.walBytesRate(RATE), '{{pod}}']]));

  d.withRow(p.row('Replication'))
    .withPanel(p.timeseries('Replication lag', 'How far behind the primary each standby replays, in seconds.', 's', [[m.replicationLagSeconds(), '{{pod}}']]))
    .withPanel(p.timeseries('Standby replay lag (from the primary)', 'pg_stat_replication replay_lag per standby.', 's', [[all.standbyReplayLagSeconds(), '{{application_name}}']]))
    .withPanel(p.timeseries('Replication slot retained WAL', 'WAL each replication slot holds back.', 'bytes', [[m.replicationSlotLagBytes(), '{{pod}} {{slot_name}}']]));

  d.withRow(p.row('Connections'))
    .withPanel(p.timeseries('Connections by state', 'Backends of each instance by state.', 'none', [[m.connectionsByState(), '{{pod}} {{state}}']]))
    .withPanel(p.timeseries('Connections used', 'Share of max_connections - superuser_reserved_connections in use.', 'percentunit', [[m.connectionsUsedRatio(), '{{pod}}']]))
    .withPanel(p.timeseries('Longest transaction', 'Age of the oldest open transaction.', 's', [[m.longestTransactionSeconds(), '{{pod}}']]))
    .withPanel(p.timeseries('Backends waiting on locks', 'Backends blocked by another backend\'s lock.', 'none', [[m.backendsWaitingOnLocks(), '{{pod}}']]));

  d.withRow(p.row('Databases and storage'))
    .withPanel(p.timeseries('Transactions', 'Commits and rollbacks per second, by database.', 'ops', [
      [all.commitRate(RATE), 'commit {{datname}}'], [all.rollbackRate(RATE), 'rollback {{datname}}'],
    ]))
    .withPanel(p.timeseries('Deadlocks', 'Deadlocks per second, by database.', 'ops', [[all.deadlockRate(RATE), '{{datname}}']]))
    .withPanel(p.timeseries('Database size', 'Size of each database.', 'bytes', [[all.databaseSizeBytes(), '{{datname}}']]))
    .withPanel(p.timeseries('Transaction ID age', 'age(datfrozenxid) of each database; PostgreSQL stops writes near 2^31.', 'short', [[all.transactionIdAge(), '{{datname}}']]))
    .withPanel(p.timeseries('Volume usage', 'Share of each data and WAL volume in use (kubelet).', 'percentunit', [[all.volumeUsedRatio(), '{{persistentvolumeclaim}}']]));

  return d.build();
}

/** The pooler health dashboard (Grafana JSON model). @internal */
export function poolerDashboard(ctx: DashboardContext): object {
  const names = ctx.poolers.map((x) => x.poolerName);
  const all = new CnpgMetricCatalogue({ namespace: ctx.namespace, clusterName: ctx.clusterName, poolerNames: names });
  const m = new CnpgMetricCatalogue({ namespace: ctx.namespace, clusterName: ctx.clusterName, poolerNames: names, poolerMatcher: 'pooler=~"$pooler"' });
  const p = new Panels();
  const d = new DashboardBuilder(`CloudNativePG poolers / ${ctx.namespace} / ${ctx.clusterName}`)
    .uid(uid(ctx, 'poolers'))
    .description(`Health of the PgBouncer poolers of the CloudNativePG cluster ${ctx.namespace}/${ctx.clusterName}.`)
    .tags(['cloudnative-pg', 'pgbouncer'])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('pooler', 'Pooler', `label_values(${all.poolerUpSeries()}, pooler)`));

  if (ctx.poolers.length === 0) {
    d.withPanel(p.text('No pooler', 'No pooler is attached to this cluster.'));
    return d.build();
  }
  const declared = ctx.poolers.map((x) => `${x.poolerName}: ${x.instances}`).join(', ');
  d.withRow(p.row('Availability'))
    .withPanel(p.timeseries('Exporter up', 'Whether each pooler pod\'s exporter can query its PgBouncer.', 'none', [[m.poolerUp(), '{{pooler}} {{pod}}']]))
    .withPanel(p.timeseries('Replicas', `Available and desired replicas of each pooler Deployment (declared: ${declared}).`, 'none', [
      [m.poolerAvailableReplicas(), 'available {{pooler}}'], [m.poolerDesiredReplicas(), 'desired {{pooler}}'],
    ]));

  d.withRow(p.row('Pools'))
    .withPanel(p.timeseries('Clients', 'Active and waiting client connections per pool.', 'none', [
      [m.poolerClientsActive(), 'active {{pooler}} {{database}}/{{user}}'], [m.poolerClientsWaiting(), 'waiting {{pooler}} {{database}}/{{user}}'],
    ]))
    .withPanel(p.timeseries('Server connections', 'Active and idle server connections per pool.', 'none', [
      [m.poolerServersActive(), 'active {{pooler}} {{database}}/{{user}}'], [m.poolerServersIdle(), 'idle {{pooler}} {{database}}/{{user}}'],
    ]))
    .withPanel(p.timeseries('Longest client wait', 'How long the oldest waiting client of each pool has waited.', 's', [[m.poolerMaxWaitSeconds(), '{{pooler}} {{database}}/{{user}}']]))
    .withPanel(p.timeseries('Saturated pools', 'Clients waiting in pools with no idle server connection.', 'none', [[m.poolerSaturatedPools(), '{{pooler}} {{pod}} {{database}}/{{user}}']]));

  d.withRow(p.row('Traffic'))
    .withPanel(p.timeseries('Queries', 'Queries per second, by pooler and database.', 'ops', [[m.poolerQueryRate(RATE), '{{pooler}} {{database}}']]))
    .withPanel(p.timeseries('Transactions', 'Transactions per second, by pooler and database.', 'ops', [[m.poolerTransactionRate(RATE), '{{pooler}} {{database}}']]))
    .withPanel(p.timeseries('Average query time', 'Average query duration, by pooler and database.', 's', [[m.poolerAverageQuerySeconds(), '{{pooler}} {{database}}']]))
    .withPanel(p.timeseries('Average client wait', 'Average time clients wait for a server connection.', 's', [[m.poolerAverageWaitSeconds(), '{{pooler}} {{database}}']]));

  return d.build();
}

/**
 * Every PromQL expression of a dashboard: panel targets and the selectors inside the template
 * variables' `label_values(...)`. For tests (parsing, metric names). @internal
 */
export function dashboardExpressions(dashboard: any): string[] {
  const out: string[] = [];
  const visit = (panels: any[] | undefined) => {
    for (const panel of panels ?? []) {
      for (const t of panel.targets ?? []) if (t.expr) out.push(t.expr);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const v of dashboard.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? /^label_values\((.*), *[a-zA-Z_]+\)$/.exec(v.query) : null;
    if (q) out.push(q[1]);
  }
  return out;
}
