import { createHash } from 'crypto';
import { CnpgMetricCatalogue } from './metric-catalogue';
import { BackupInfo, PoolerInfo } from '../cluster/attachments';

/**
 * Grafana dashboards of a cluster and its poolers, as Grafana's JSON model (schema version 42).
 *
 * Every query comes from {@link CnpgMetricCatalogue}; the data source is the template variable
 * `$datasource` (any Prometheus-compatible source, VictoriaMetrics included). No `${...}` form is
 * used anywhere: Flux would take it for one of its variables.
 *
 * The JSON is written here, object by object, exactly as Grafana's foundation SDK 0.0.21 builds
 * it (its `DashboardBuilder`, the `timeseries`, `stat` and `text` panel builders, `RowBuilder`,
 * the variable builders and the Prometheus `DataqueryBuilder`, with their defaults, key order and
 * grid layout). The SDK is not loaded at run time: its entry points pull in 229 modules (131 of
 * them the v2 dashboard schemas) and it was 0.7 MB of the 1.9 MB package, for five panel shapes.
 * test/dashboards-sdk-parity.test.ts builds the same panels and dashboards with the SDK (a
 * devDependency pinned to the same version) and compares the JSON byte for byte.
 */

/** The data source variable every panel reads. @internal */
export const DATASOURCE_VARIABLE = 'datasource';
const RATE = '$__rate_interval';
/** Threshold steps: from value (null: the base), colour. @internal */
export type Steps = Array<[number | null, string]>;

/** A data source reference (`{ type, uid }`). */
interface DataSourceRef {
  readonly type: string;
  readonly uid: string;
}
/** The data source every panel and query reads: the `$datasource` variable. */
function ds(): DataSourceRef {
  return { type: 'prometheus', uid: `$${DATASOURCE_VARIABLE}` };
}

/** What the dashboards show about the cluster. @internal */
export interface DashboardContext {
  readonly namespace: string;
  readonly clusterName: string;
  readonly instances: number;
  readonly backup?: BackupInfo;
  readonly poolers: PoolerInfo[];
  /** The source cluster, when the cluster is a replica cluster (no primary; lag against the source). */
  readonly replicaOf?: string;
}

/** A stable, short (Grafana allows 40 characters) dashboard uid. */
function uid(ctx: DashboardContext, kind: string): string {
  const hash = createHash('sha256').update(`${ctx.namespace}/${ctx.clusterName}/${kind}`).digest('hex').slice(0, 12);
  return `cnpg-${kind}-${hash}`;
}

/** Where a panel sits on Grafana's 24-column grid. @internal */
export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

/** A panel of Grafana's JSON model (the keys this library writes). @internal */
export interface GrafanaPanel {
  readonly type: string;
  /** Set by the panel (size) and the dashboard (place); a row's by the dashboard. */
  gridPos?: GridPos;
  readonly [key: string]: unknown;
}

/** The panels of a dashboard, numbered in the order they are made. @internal */
export class Panels {
  private id = 1;

  /** A row (RowBuilder): placed by the dashboard, full width. */
  public row(title: string): GrafanaPanel {
    return { type: 'row', collapsed: false, id: this.id++, panels: [], title };
  }

  /** A time series panel, 12 wide and 8 high, legend as a list at the bottom, 10 % fill. */
  public timeseries(title: string, description: string, unit: string, targets: Array<[string, string]>): GrafanaPanel {
    return {
      type: 'timeseries',
      transparent: false,
      repeatDirection: 'h',
      options: {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
        tooltip: { mode: 'single', sort: 'asc' },
      },
      fieldConfig: { defaults: { custom: { fillOpacity: 10 }, unit }, overrides: [] },
      id: this.id++,
      title,
      description,
      datasource: ds(),
      gridPos: { h: 8, w: 12, x: 0, y: 0 },
      targets: targets.map(([expr, legend], i) => query(expr, legend, i)),
    };
  }

  /** A stat panel, 4 wide and 4 high: the last value, coloured by the thresholds when given. */
  public stat(title: string, description: string, unit: string, expr: string, legend: string, thresholds?: Steps): GrafanaPanel {
    const defaults: Record<string, unknown> = { unit };
    if (thresholds) {
      defaults.thresholds = { mode: 'absolute', steps: thresholds.map(([value, color]) => ({ value, color })) };
    }
    return {
      type: 'stat',
      transparent: false,
      repeatDirection: 'h',
      options: {
        graphMode: 'none',
        colorMode: 'value',
        justifyMode: 'auto',
        textMode: 'auto',
        wideLayout: true,
        showPercentChange: false,
        reduceOptions: { calcs: ['lastNotNull'] },
        percentChangeColorMode: 'standard',
        orientation: 'auto',
      },
      id: this.id++,
      title,
      description,
      datasource: ds(),
      fieldConfig: { defaults, overrides: [] },
      gridPos: { h: 4, w: 4, x: 0, y: 0 },
      targets: [query(expr, legend, 0)],
    };
  }

  /** A Markdown text panel, full width, 4 high. */
  public text(title: string, content: string): GrafanaPanel {
    return {
      type: 'text',
      transparent: false,
      repeatDirection: 'h',
      options: { mode: 'markdown', content },
      id: this.id++,
      title,
      gridPos: { h: 4, w: 24, x: 0, y: 0 },
    };
  }
}

/** A Prometheus query (DataqueryBuilder); refId A, B, ... */
function query(expr: string, legend: string, index: number): object {
  return { expr, datasource: ds(), legendFormat: legend, refId: String.fromCharCode(65 + index) };
}

/** The fields every template variable starts with (the SDK's defaultVariableModel). */
function variable(type: string, name: string, multi: boolean, includeAll: boolean, label: string): Record<string, unknown> {
  return { type, name, skipUrlSync: false, multi, allowCustomValue: true, includeAll, auto: false, auto_min: '10s', auto_count: 30, label };
}

/** The `$datasource` variable: any Prometheus data source. @internal */
export function datasourceVariable(): object {
  return { ...variable('datasource', DATASOURCE_VARIABLE, false, false, 'Data source'), query: 'prometheus' };
}

/** A multi-value label variable with "All" (`.*`), refreshed on time range change (2), sorted alphabetically (1). @internal */
export function labelVariable(name: string, label: string, definition: string): object {
  return { ...variable('query', name, true, true, label), datasource: ds(), query: definition, definition, refresh: 2, sort: 1, allValue: '.*' };
}

/** What a dashboard says about itself (title, uid, description, tags), its variables and panels. @internal */
export interface DashboardHeader {
  readonly title: string;
  readonly uid: string;
  readonly description: string;
  readonly tags: string[];
  readonly variables: object[];
}

/**
 * A read-only dashboard with a crosshair shared between panels, refreshed every minute over the
 * last six hours, whose panels are laid out left to right, top to bottom on Grafana's 24-column
 * grid as the SDK's DashboardBuilder lays them out (withPanel / withRow). @internal
 */
export class Dashboard {
  private readonly panels: GrafanaPanel[] = [];
  private currentX = 0;
  private currentY = 0;
  private lastPanelHeight = 0;

  public constructor(private readonly header: DashboardHeader) {}

  /** Places a panel after the previous one, wrapping at 24 columns. */
  public withPanel(panel: GrafanaPanel): this {
    const pos = panel.gridPos ?? (panel.gridPos = { h: 9, w: 12, x: 0, y: 0 });
    if (pos.x === 0 && pos.y === 0) {
      pos.x = this.currentX;
      pos.y = this.currentY;
    }
    this.panels.push(panel);
    this.currentX += pos.w;
    this.lastPanelHeight = Math.max(this.lastPanelHeight, pos.h);
    if (this.currentX >= 24) {
      this.currentX = 0;
      this.currentY += this.lastPanelHeight;
      this.lastPanelHeight = 0;
    }
    return this;
  }

  /** Starts a row on a new line below everything so far (its panels follow with withPanel). */
  public withRow(row: GrafanaPanel): this {
    const pos = { x: 0, y: this.currentY + this.lastPanelHeight, h: 1, w: 24 };
    row.gridPos = pos;
    this.panels.push(row);
    this.currentX = 0;
    this.currentY = pos.y + 1;
    this.lastPanelHeight = 0;
    return this;
  }

  /** The JSON model. */
  public build(): object {
    const h = this.header;
    const model: Record<string, unknown> = {
      timezone: 'browser',
      editable: false,
      graphTooltip: 1, // DashboardCursorSync.Crosshair
      fiscalYearStartMonth: 0,
      schemaVersion: 42,
      templating: { list: h.variables },
      annotations: {},
      title: h.title,
      uid: h.uid,
      description: h.description,
      tags: h.tags,
      refresh: '1m',
      time: { from: 'now-6h', to: 'now' },
    };
    // The key appears with the first panel, as the SDK adds it.
    if (this.panels.length) model.panels = this.panels;
    return model;
  }
}

const RED_AT_1: Steps = [[null, 'green'], [1, 'red']];

/** The cluster health dashboard (Grafana JSON model). @internal */
export function clusterDashboard(ctx: DashboardContext): object {
  const all = new CnpgMetricCatalogue({ namespace: ctx.namespace, clusterName: ctx.clusterName, backupMethod: ctx.backup?.method });
  const m = new CnpgMetricCatalogue({ namespace: ctx.namespace, clusterName: ctx.clusterName, backupMethod: ctx.backup?.method, instanceMatcher: 'pod=~"$pod"' });
  const p = new Panels();
  const d = new Dashboard({
    title: `CloudNativePG / ${ctx.namespace} / ${ctx.clusterName}`,
    uid: uid(ctx, 'cluster'),
    description: `Health of the CloudNativePG cluster ${ctx.namespace}/${ctx.clusterName}: instances, backups, WAL archiving, replication, connections and databases.`,
    tags: ['cloudnative-pg', 'postgresql'],
    variables: [datasourceVariable(), labelVariable('pod', 'Instance', `label_values(${all.collectorUpSeries()}, pod)`)],
  });

  d.withRow(p.row('Instances'))
    .withPanel(p.stat('Instances reporting', `Instances exporting metrics; the cluster declares ${ctx.instances}.`, 'none',
      `sum(${all.instancesReporting()})`, 'instances', [[null, 'red'], [ctx.instances, 'green']]))
    .withPanel(ctx.replicaOf === undefined
      ? p.stat('Primary', 'The instance that is not in recovery.', 'none', `${all.primaryInstance()} == 1`, '{{pod}}')
      : p.stat(`Behind ${ctx.replicaOf}`, `A replica cluster of ${ctx.replicaOf}: every instance is in recovery (no primary); how far the most-behind one replays behind the source.`,
        's', all.replicaClusterLagSeconds(), 'lag'))
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
  const d = new Dashboard({
    title: `CloudNativePG poolers / ${ctx.namespace} / ${ctx.clusterName}`,
    uid: uid(ctx, 'poolers'),
    description: `Health of the PgBouncer poolers of the CloudNativePG cluster ${ctx.namespace}/${ctx.clusterName}.`,
    tags: ['cloudnative-pg', 'pgbouncer'],
    variables: [datasourceVariable(), labelVariable('pooler', 'Pooler', `label_values(${all.poolerUpSeries()}, pooler)`)],
  });

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
