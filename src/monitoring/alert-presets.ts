import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  AlertOptions, AlertSeverity, BackupAgeAlertOptions, CnpgAlertsOptions, ThresholdAlertOptions,
} from './alert-options';
import { CnpgMetricCatalogue } from './metric-catalogue';
import { BackupInfo, BackupMethod, PoolerInfo } from '../cluster/attachments';
import { invalidInput } from '../common/errors';

/** The docs site's runbook folder (docs/runbooks/<AlertName>.md, served without the extension). @internal */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://platform.github.io/cnpg-constructs/runbooks/';

/** The rule groups, in the order they are emitted. @internal */
export const ALERT_GROUPS = ['backups', 'walArchiving', 'replication', 'cluster', 'poolers'] as const;
/** @internal */
export type AlertGroup = typeof ALERT_GROUPS[number];

/** What the presets read from the cluster, at synth time. @internal */
export interface AlertContext {
  readonly catalogue: CnpgMetricCatalogue;
  readonly instances: number;
  /** Synchronous replication: the standbys each commit waits for, and whether commits block without them. */
  readonly synchronous?: { readonly number: number; readonly durabilityRequired: boolean };
  readonly backup?: BackupInfo;
  readonly poolers: PoolerInfo[];
}

/** One resolved alerting rule (what the PrometheusRule holds, plus what tests need to know). @internal */
export interface AlertRule {
  readonly group: AlertGroup;
  readonly alert: string;
  readonly expr: string;
  readonly forSeconds: number;
  readonly severity: AlertSeverity;
  /** The threshold the expression compares with, when it has one (in the alert's unit). */
  readonly threshold?: number;
  readonly labels: { [key: string]: string };
  readonly annotations: { summary: string; description: string; runbook_url: string };
}

/** A preset's knobs after defaults and overrides. */
interface Resolved {
  readonly severity: AlertSeverity;
  readonly forSeconds: number;
  readonly threshold?: number;
  readonly graceSeconds?: number;
  readonly maxAgeSeconds?: number;
}

type Applicability = { readonly skip?: string; readonly error?: { problem: string; fix: string } };

interface Preset {
  readonly alert: string;
  readonly group: AlertGroup;
  /** The field of the group's options. */
  readonly option: string;
  readonly severity: AlertSeverity | ((c: AlertContext) => AlertSeverity);
  readonly forSeconds: number;
  /** Default threshold (ThresholdAlertOptions). */
  readonly threshold?: number;
  /** Validates a threshold override; returns the problem, or undefined. */
  readonly checkThreshold?: (v: number) => string | undefined;
  /** Default grace (BackupAgeAlertOptions). */
  readonly graceSeconds?: number;
  /** Why the alert does not apply to this cluster (skip), or cannot be built (error). */
  readonly applies?: (c: AlertContext, r: Resolved) => Applicability;
  /** The threshold the rule compares with, when derived (backup ages). */
  readonly derivedThreshold?: (c: AlertContext, r: Resolved) => number;
  readonly expr: (c: AlertContext, t: number) => string;
  /** Only `$labels` templates: the summary is stable. */
  readonly summary: string;
  readonly description: (c: AlertContext, t: number) => string;
}

const NS_CLUSTER = '{{ $labels.namespace }}/{{ $labels.cluster }}';
const NS_POOLER = '{{ $labels.namespace }}/{{ $labels.pooler }}';
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
/** 2^31: PostgreSQL's transaction-ID horizon. */
const XID_LIMIT = 2 ** 31;

function positive(v: number): string | undefined {
  return Number.isFinite(v) && v > 0 ? undefined : 'must be a positive number';
}

function replicaSkip(c: AlertContext): Applicability {
  return c.catalogue.replicaOf !== undefined ? { skip: `the cluster is a replica cluster of ${c.catalogue.replicaOf}` } : {};
}

function methodName(c: AlertContext): string {
  return c.catalogue.backupMethod === BackupMethod.BARMAN_OBJECT_STORE ? 'in-tree barmanObjectStore' : 'Barman Cloud plugin';
}

/** The presets, as data: every alert of every group. */
const PRESETS: Preset[] = [
  // ------------------------------------------------------------------------------------------
  // Backups
  // ------------------------------------------------------------------------------------------
  {
    alert: 'CNPGBackupFailed',
    group: 'backups',
    option: 'backupFailed',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    expr: (c) => `${c.catalogue.lastFailedBackupTimestamp()} > ${c.catalogue.lastAvailableBackupTimestamp()}`,
    summary: `The last backup of ${NS_CLUSTER} failed`,
    description: (c) => `A backup of ${NS_CLUSTER} failed at {{ $value | humanizeTimestamp }} and none has succeeded since (${methodName(c)}).`,
  },
  {
    alert: 'CNPGBackupTooOld',
    group: 'backups',
    option: 'backupTooOld',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 10 * MINUTE,
    graceSeconds: 3 * HOUR,
    applies: (c, r) => {
      if (r.maxAgeSeconds !== undefined) return {};
      if (c.backup?.schedule === undefined) return { skip: 'the backup has no schedule (give maxAge to alert anyway)' };
      if (c.backup.maxIntervalSeconds === undefined) {
        return {
          error: {
            problem: `cannot be derived: the interval of the backup schedule ${JSON.stringify(c.backup.schedule)} is unknown at synth (a Flux variable?)`,
            fix: 'give alerts.backups.backupTooOld.maxAge (e.g. Duration.hours(27) for daily backups), or disable the alert',
          },
        };
      }
      return {};
    },
    derivedThreshold: (c, r) => r.maxAgeSeconds ?? c.backup!.maxIntervalSeconds! + r.graceSeconds!,
    expr: (c, t) => `${c.catalogue.lastBackupAgeSeconds()} > ${t}`,
    summary: `No recent backup of ${NS_CLUSTER}`,
    description: (c, t) => `The last successful backup of ${NS_CLUSTER} is {{ $value | humanizeDuration }} old; `
      + `it must be at most ${humanDuration(t)} old${c.backup?.schedule ? ` (schedule "${c.backup.schedule}")` : ''}.`,
  },
  {
    alert: 'CNPGRecoverabilityPointTooOld',
    group: 'backups',
    option: 'recoverabilityPointTooOld',
    severity: AlertSeverity.WARNING,
    forSeconds: HOUR,
    graceSeconds: DAY,
    applies: (c, r) => (r.maxAgeSeconds !== undefined || c.backup?.retentionDays !== undefined
      ? {} : { skip: 'the backup has no retention policy (give maxAge to alert anyway)' }),
    derivedThreshold: (c, r) => r.maxAgeSeconds
      ?? c.backup!.retentionDays! * DAY + (c.backup!.maxIntervalSeconds ?? 0) + r.graceSeconds!,
    expr: (c, t) => `${c.catalogue.recoverabilityWindowSeconds()} > ${t}`,
    summary: `Old backups of ${NS_CLUSTER} are not being removed`,
    description: (c, t) => `The first recoverability point of ${NS_CLUSTER} is {{ $value | humanizeDuration }} old, more than `
      + `${humanDuration(t)}${c.backup?.retentionDays !== undefined ? ` (retention ${c.backup.retentionDays}d plus one backup interval and grace)` : ''}: `
      + 'the retention policy is not being applied, and the object store keeps growing.',
  },
  {
    alert: 'CNPGBackupValidationFailed',
    group: 'backups',
    option: 'validationFailed',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    applies: (c) => (c.backup?.validationCronJobName ? {} : { skip: 'the backup has no validation CronJob' }),
    expr: (c) => {
      const job = c.backup!.validationCronJobName!;
      const failed = c.catalogue.cronJobLastFailedJobStartTime(job);
      const succeeded = c.catalogue.cronJobLastSuccessfulTime(job);
      return `(${failed} > ${succeeded}) or (${failed} unless ${succeeded})`;
    },
    summary: 'The backup validation of {{ $labels.namespace }}/{{ $labels.cronjob }} failed',
    description: () => 'The newest run of the backup-validation CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} '
      + 'failed (its Job started at {{ $value | humanizeTimestamp }}) and no run has succeeded since: the backups may not restore.',
  },

  // ------------------------------------------------------------------------------------------
  // WAL archiving
  // ------------------------------------------------------------------------------------------
  {
    alert: 'CNPGWALArchivingFailing',
    group: 'walArchiving',
    option: 'archivingFailing',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 5 * MINUTE,
    expr: (c) => `${c.catalogue.walArchiveLastFailedTime()} > ${c.catalogue.walArchiveLastArchivedTime()}`,
    summary: `WAL archiving of ${NS_CLUSTER} is failing`,
    description: () => `{{ $labels.pod }} of ${NS_CLUSTER} last failed to archive a WAL file at {{ $value | humanizeTimestamp }}, `
      + 'after its last successful archive: point-in-time recovery stops at the last archived file and pg_wal fills up. '
      + 'On a new cluster or object store, an upload refused for its server-side encryption (AES256 on a store without SSE-S3) is the usual cause: '
      + 'see the runbook (addBackup encryption: ServerSideEncryption.BUCKET_DEFAULT).',
  },
  {
    alert: 'CNPGWALArchivingStalled',
    group: 'walArchiving',
    option: 'archivingStalled',
    severity: AlertSeverity.WARNING,
    forSeconds: 10 * MINUTE,
    threshold: 10,
    checkThreshold: (v) => (Number.isInteger(v) && v >= 1 ? undefined : 'must be a whole number of WAL segments, at least 1'),
    expr: (c, t) => `${c.catalogue.walSegmentsReadyToArchive()} > ${t}`,
    summary: `WAL archiving of ${NS_CLUSTER} is falling behind`,
    description: (_c, t) => `{{ $value }} WAL segments wait to be archived on {{ $labels.pod }} of ${NS_CLUSTER} (more than ${t}).`,
  },

  // ------------------------------------------------------------------------------------------
  // Replication and HA
  // ------------------------------------------------------------------------------------------
  {
    alert: 'CNPGReplicationLagHigh',
    group: 'replication',
    option: 'lagHigh',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    threshold: 60,
    checkThreshold: positive,
    applies: replicaSkip,
    expr: (c, t) => `${c.catalogue.replicationLagSeconds()} > ${t}`,
    summary: `Standby {{ $labels.pod }} of ${NS_CLUSTER} is lagging`,
    description: (_c, t) => `Standby {{ $labels.pod }} of ${NS_CLUSTER} replays WAL {{ $value | humanizeDuration }} behind the primary (threshold ${humanDuration(t)}).`,
  },
  {
    alert: 'CNPGReplicationLagCritical',
    group: 'replication',
    option: 'lagCritical',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 5 * MINUTE,
    threshold: 300,
    checkThreshold: positive,
    applies: replicaSkip,
    expr: (c, t) => `${c.catalogue.replicationLagSeconds()} > ${t}`,
    summary: `Standby {{ $labels.pod }} of ${NS_CLUSTER} is far behind`,
    description: (_c, t) => `Standby {{ $labels.pod }} of ${NS_CLUSTER} replays WAL {{ $value | humanizeDuration }} behind the primary `
      + `(threshold ${humanDuration(t)}): a failover to it would lose or delay that much.`,
  },
  {
    alert: 'CNPGReplicaClusterLagging',
    group: 'replication',
    option: 'replicaClusterLagging',
    severity: AlertSeverity.WARNING,
    forSeconds: 10 * MINUTE,
    threshold: 900,
    checkThreshold: positive,
    applies: (c) => (c.catalogue.replicaOf !== undefined ? {} : { skip: 'the cluster is not a replica cluster' }),
    expr: (c, t) => `${c.catalogue.replicaClusterLagSeconds()} > ${t}`,
    summary: `Replica cluster ${NS_CLUSTER} is behind its source`,
    description: (c, t) => `Replica cluster ${NS_CLUSTER} replays its source ${c.catalogue.replicaOf} {{ $value | humanizeDuration }} behind `
      + `(threshold ${humanDuration(t)}): a promotion now would lose or wait for that much. The source's archive or its primary may be unreachable, or the source idle.`,
  },
  {
    alert: 'CNPGStreamingReplicasMissing',
    group: 'replication',
    option: 'streamingReplicasMissing',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    applies: (c) => (c.instances > 1 ? {} : { skip: 'the cluster has a single instance' }),
    derivedThreshold: (c) => c.instances - 1,
    expr: (c, t) => `${c.catalogue.streamingReplicas()} < ${t}`,
    summary: `Standbys of ${NS_CLUSTER} are not streaming`,
    description: (_c, t) => `Only {{ $value }} standby(s) of ${NS_CLUSTER} stream from the primary; the cluster has ${t}.`,
  },
  {
    alert: 'CNPGSyncReplicasMissing',
    group: 'replication',
    option: 'syncReplicasMissing',
    severity: (c) => (c.synchronous?.durabilityRequired ? AlertSeverity.CRITICAL : AlertSeverity.WARNING),
    forSeconds: 2 * MINUTE,
    applies: (c) => (c.catalogue.replicaOf !== undefined ? replicaSkip(c) : c.synchronous ? {} : { skip: 'the cluster replicates asynchronously' }),
    derivedThreshold: (c) => c.synchronous!.number,
    expr: (c, t) => `(${c.catalogue.synchronousStandbysRequired()} < ${t}) or (${c.catalogue.streamingReplicas()} < ${t})`,
    summary: `${NS_CLUSTER} has fewer synchronous standbys than it needs`,
    description: (c, t) => `${NS_CLUSTER} has {{ $value }} synchronous standby(s) (required by synchronous_standby_names, or streaming) `
      + `where the replication setting needs ${t}: ${c.synchronous?.durabilityRequired
        ? 'with dataDurability required, commits wait until enough standbys confirm them.'
        : 'with dataDurability preferred, commits go on with less redundancy than promised.'}`,
  },
  {
    alert: 'CNPGReplicationSlotLagging',
    group: 'replication',
    option: 'slotLagging',
    severity: AlertSeverity.WARNING,
    forSeconds: 10 * MINUTE,
    threshold: 1024 ** 3,
    checkThreshold: positive,
    expr: (c, t) => `${c.catalogue.replicationSlotLagBytes()} > ${t}`,
    summary: `Replication slot {{ $labels.slot_name }} of ${NS_CLUSTER} is holding back WAL`,
    description: (_c, t) => `Replication slot {{ $labels.slot_name }} on {{ $labels.pod }} of ${NS_CLUSTER} retains {{ $value | humanize1024 }}B of WAL `
      + `(threshold ${humanBytes(t)}); pg_wal grows until its consumer catches up or the slot is dropped.`,
  },
  {
    alert: 'CNPGInstanceDown',
    group: 'replication',
    option: 'instanceDown',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 5 * MINUTE,
    expr: (c) => `${c.catalogue.postgresUp()} == 0`,
    summary: `PostgreSQL on {{ $labels.pod }} of ${NS_CLUSTER} is down`,
    description: () => `The instance manager of {{ $labels.pod }} (${NS_CLUSTER}) cannot reach its PostgreSQL.`,
  },

  // ------------------------------------------------------------------------------------------
  // Cluster
  // ------------------------------------------------------------------------------------------
  {
    alert: 'CNPGInstanceMetricsAbsent',
    group: 'cluster',
    option: 'metricsAbsent',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 10 * MINUTE,
    derivedThreshold: (c) => c.instances,
    expr: (c, t) => `(${c.catalogue.instancesReporting()} < ${t}) or (${c.catalogue.instancesAbsent()} * 0)`,
    summary: `Instances of ${NS_CLUSTER} export no metrics`,
    description: (_c, t) => `{{ $value }} of the ${t} instance(s) of ${NS_CLUSTER} export metrics: pods are missing or the scrape `
      + 'is broken, and alerts that read their metrics cannot fire.',
  },
  {
    alert: 'CNPGPrimaryMissing',
    group: 'cluster',
    option: 'primaryMissing',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 5 * MINUTE,
    applies: replicaSkip,
    expr: (c) => `${c.catalogue.everyInstanceInRecovery()} == 1`,
    summary: `${NS_CLUSTER} has no primary`,
    description: () => `Every instance of ${NS_CLUSTER} that exports metrics is in recovery: the cluster has no primary and refuses writes `
      + '(a failover or switchover that does not complete, or a cluster demoted to a replica without its manifests saying so).',
  },
  {
    alert: 'CNPGCollectorErrors',
    group: 'cluster',
    option: 'collectorErrors',
    severity: AlertSeverity.WARNING,
    forSeconds: 15 * MINUTE,
    expr: (c) => `${c.catalogue.collectionErrors()} == 1`,
    summary: `Metrics collection fails on {{ $labels.pod }} of ${NS_CLUSTER}`,
    description: () => `The last metrics collection of {{ $labels.pod }} (${NS_CLUSTER}) failed: some of its metrics are missing or stale.`,
  },
  {
    alert: 'CNPGInstanceFenced',
    group: 'cluster',
    option: 'fencingOn',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    expr: (c) => `${c.catalogue.fencingOn()} == 1`,
    summary: `{{ $labels.pod }} of ${NS_CLUSTER} is fenced`,
    description: () => `{{ $labels.pod }} of ${NS_CLUSTER} is fenced: its PostgreSQL is stopped until the fence is lifted.`,
  },
  {
    alert: 'CNPGManualSwitchoverRequired',
    group: 'cluster',
    option: 'manualSwitchoverRequired',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    expr: (c) => `${c.catalogue.manualSwitchoverRequired()} == 1`,
    summary: `${NS_CLUSTER} waits for a manual switchover`,
    description: () => `A supervised update of ${NS_CLUSTER} has updated the standbys and waits for a switchover of the primary {{ $labels.pod }}.`,
  },
  {
    alert: 'CNPGConnectionsNearMax',
    group: 'cluster',
    option: 'connectionsNearMax',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    threshold: 0.8,
    checkThreshold: (v) => (Number.isFinite(v) && v > 0 && v <= 1 ? undefined : 'must be a share between 0 (excluded) and 1'),
    expr: (c, t) => `${c.catalogue.connectionsUsedRatio()} > ${t}`,
    summary: `{{ $labels.pod }} of ${NS_CLUSTER} is running out of connections`,
    description: (_c, t) => `{{ $labels.pod }} of ${NS_CLUSTER} uses {{ $value | humanizePercentage }} of the connections open to applications `
      + `(threshold ${Math.round(t * 100)}%); new connections fail with "too many clients" at 100%.`,
  },
  {
    alert: 'CNPGTransactionIdWraparound',
    group: 'cluster',
    option: 'transactionIdWraparound',
    severity: AlertSeverity.WARNING,
    forSeconds: 30 * MINUTE,
    threshold: 1_000_000_000,
    checkThreshold: (v) => (Number.isInteger(v) && v > 0 && v < XID_LIMIT ? undefined : `must be a whole number of transactions below 2^31 (${XID_LIMIT})`),
    expr: (c, t) => `${c.catalogue.transactionIdAge()} > ${t}`,
    summary: `Database {{ $labels.datname }} of ${NS_CLUSTER} nears transaction-ID wraparound`,
    description: (_c, t) => `age(datfrozenxid) of {{ $labels.datname }} in ${NS_CLUSTER} is {{ $value | humanize }} transactions (threshold ${t}); `
      + 'PostgreSQL stops accepting writes near 2^31. Autovacuum is not freezing it.',
  },

  // ------------------------------------------------------------------------------------------
  // Poolers
  // ------------------------------------------------------------------------------------------
  {
    alert: 'CNPGPoolerExporterDown',
    group: 'poolers',
    option: 'exporterDown',
    severity: AlertSeverity.CRITICAL,
    forSeconds: 5 * MINUTE,
    expr: (c) => [`(${c.catalogue.poolerUp()} == 0)`, ...c.poolers.map((p) => c.catalogue.poolerAbsent(p.poolerName))].join(' or '),
    summary: `Pooler ${NS_POOLER} does not answer its exporter`,
    description: () => `Pooler ${NS_POOLER}{{ if $labels.pod }} (pod {{ $labels.pod }}){{ end }} exports no metrics, `
      + 'or its exporter cannot run SHOW POOLS on PgBouncer: clients of the pooler may be failing.',
  },
  {
    alert: 'CNPGPoolerClientsWaiting',
    group: 'poolers',
    option: 'clientsWaiting',
    severity: AlertSeverity.WARNING,
    forSeconds: 2 * MINUTE,
    threshold: 5,
    checkThreshold: positive,
    expr: (c, t) => `${c.catalogue.poolerMaxWaitSeconds()} > ${t}`,
    summary: `Clients of pooler ${NS_POOLER} wait for connections`,
    description: (_c, t) => `The oldest client of pool {{ $labels.database }}/{{ $labels.user }} in pooler ${NS_POOLER} has waited `
      + `{{ $value | humanizeDuration }} for a server connection (threshold ${humanDuration(t)}).`,
  },
  {
    alert: 'CNPGPoolerServerPoolSaturated',
    group: 'poolers',
    option: 'serverPoolSaturated',
    severity: AlertSeverity.WARNING,
    forSeconds: 5 * MINUTE,
    expr: (c) => c.catalogue.poolerSaturatedPools(),
    summary: `Pool {{ $labels.database }}/{{ $labels.user }} of pooler ${NS_POOLER} is saturated`,
    description: () => `{{ $value }} client(s) wait in pool {{ $labels.database }}/{{ $labels.user }} on {{ $labels.pod }} of pooler ${NS_POOLER} `
      + 'while no server connection is idle: the pool size is too small for the load, or queries are slow.',
  },
  {
    alert: 'CNPGPoolerReplicasUnavailable',
    group: 'poolers',
    option: 'replicasUnavailable',
    severity: AlertSeverity.WARNING,
    forSeconds: 10 * MINUTE,
    expr: (c) => c.poolers.map((p) => `(${c.catalogue.poolerAvailableReplicas(p.poolerName)} < ${p.instances})`).join(' or '),
    summary: `Pooler ${NS_POOLER} has unavailable replicas`,
    description: () => `Pooler ${NS_POOLER} has {{ $value }} available replica(s), fewer than it declares.`,
  },
];

/** Every alert name, in emission order. @internal */
export const ALERT_NAMES: string[] = PRESETS.map((p) => p.alert);

/**
 * The alerting rules for a cluster: the presets with the user's overrides, minus what is
 * disabled or does not apply. Throws (through `invalidInput`) on bad overrides and on an alert
 * enabled explicitly that cannot apply.
 *
 * @internal
 */
export function buildAlertRules(scope: IConstruct, ctx: AlertContext, options: CnpgAlertsOptions = {}): AlertRule[] {
  if (options.enabled === false) return [];
  const base = runbookBase(scope, options);
  const labels = extraLabels(scope, options);

  const groupDefaults: { [g in AlertGroup]: boolean } = {
    backups: ctx.backup !== undefined,
    walArchiving: true,
    replication: true,
    cluster: true,
    poolers: ctx.poolers.length > 0,
  };
  const rules: AlertRule[] = [];
  for (const group of ALERT_GROUPS) {
    const groupOptions = (options as any)[group] as ({ enabled?: boolean } & Record<string, unknown>) | undefined;
    const explicit = groupOptions?.enabled;
    if (explicit === false || (explicit === undefined && !groupDefaults[group])) continue;
    // Here the group is enabled explicitly or by default: explicitly, it may not apply.
    if (!groupDefaults[group]) {
      throw invalidInput(scope, `alerts.${group}.enabled`, true,
        group === 'backups' ? 'asks for backup alerts, but no backup is attached to the cluster' : 'asks for pooler alerts, but no pooler is attached to the cluster',
        group === 'backups' ? 'attach a backup to the cluster, or leave the group disabled' : 'add poolers to the cluster, or leave the group disabled');
    }
    for (const preset of PRESETS.filter((p) => p.group === group)) {
      const field = `alerts.${group}.${preset.option}`;
      const o = optionsOf(options, preset);
      if (o.enabled === false) continue;
      const resolved = resolve(scope, field, preset, ctx, o);
      const applicability = preset.applies?.(ctx, resolved) ?? {};
      if (applicability.error) throw invalidInput(scope, field, preset.alert, applicability.error.problem, applicability.error.fix);
      if (applicability.skip) {
        if (o.enabled === true) {
          throw invalidInput(scope, `${field}.enabled`, true, `cannot apply: ${applicability.skip}`, `leave ${preset.alert} disabled, or change the cluster so it applies`);
        }
        continue;
      }
      const threshold = preset.derivedThreshold?.(ctx, resolved) ?? resolved.threshold;
      const t = threshold ?? 0;
      rules.push({
        group,
        alert: preset.alert,
        expr: preset.expr(ctx, t),
        forSeconds: resolved.forSeconds,
        severity: resolved.severity,
        threshold,
        labels: { ...labels, severity: resolved.severity },
        annotations: {
          summary: preset.summary,
          description: preset.description(ctx, t),
          runbook_url: `${base}${preset.alert}`,
        },
      });
    }
  }
  return rules;
}

/**
 * Checks the overrides that do not depend on the cluster (thresholds, durations, severities,
 * labels, URL), so that a bad value fails where it is written rather than at synth.
 *
 * @internal
 */
export function validateAlertOptions(scope: IConstruct, options: CnpgAlertsOptions): void {
  runbookBase(scope, options);
  extraLabels(scope, options);
  for (const preset of PRESETS) {
    const o = optionsOf(options, preset);
    resolve(scope, `alerts.${preset.group}.${preset.option}`, preset, undefined, o);
  }
}

function optionsOf(options: CnpgAlertsOptions, preset: Preset): AlertOptions & ThresholdAlertOptions & BackupAgeAlertOptions {
  const group = (options as any)[preset.group] as Record<string, unknown> | undefined;
  return (group?.[preset.option] ?? {}) as AlertOptions & ThresholdAlertOptions & BackupAgeAlertOptions;
}

function runbookBase(scope: IConstruct, options: CnpgAlertsOptions): string {
  const base = options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  if (!/^https?:\/\/[^\s]+$/.test(base)) {
    throw invalidInput(scope, 'alerts.runbookBaseUrl', base, 'is not an http(s) URL', 'give the URL of the runbook folder, e.g. "https://docs.example.com/runbooks/"');
  }
  return base.endsWith('/') ? base : `${base}/`;
}

function extraLabels(scope: IConstruct, options: CnpgAlertsOptions): { [key: string]: string } {
  const labels = options.labels ?? {};
  for (const key of Object.keys(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) || key.startsWith('__')) {
      throw invalidInput(scope, `alerts.labels.${key}`, labels[key], 'has a key that is not a Prometheus label name', 'use letters, digits and underscores, not starting with a digit or "__"');
    }
    if (key === 'severity') {
      throw invalidInput(scope, 'alerts.labels.severity', labels[key], 'would override every alert\'s own severity', 'set severity per alert (alerts.<group>.<alert>.severity)');
    }
  }
  return labels;
}

type AnyAlertOptions = ThresholdAlertOptions & BackupAgeAlertOptions;

function resolve(scope: IConstruct, field: string, preset: Preset, ctx: AlertContext | undefined, o: AnyAlertOptions): Resolved {
  const defaultSeverity = typeof preset.severity === 'function' ? (ctx ? preset.severity(ctx) : AlertSeverity.WARNING) : preset.severity;
  // The argument check (src/core/prop-check.ts) has already refused what the option types do not
  // allow: a severity outside AlertSeverity, a threshold on an alert without one (AlertOptions),
  // grace or maxAge on one that is not a backup-age alert, a number that is not finite.
  const severity = o.severity ?? defaultSeverity;
  const forSeconds = o.forDuration === undefined ? preset.forSeconds : seconds(scope, `${field}.forDuration`, o.forDuration, 0);
  let threshold = preset.threshold;
  if (o.threshold !== undefined) {
    const problem = preset.checkThreshold?.(o.threshold);
    if (problem) throw invalidInput(scope, `${field}.threshold`, o.threshold, problem, `e.g. ${preset.threshold} (the default)`);
    threshold = o.threshold;
  }
  // (grace and maxAge exist only on the backup-age alerts' options.)
  const graceSeconds = o.grace === undefined ? preset.graceSeconds : seconds(scope, `${field}.grace`, o.grace, 0);
  const maxAgeSeconds = o.maxAge === undefined ? undefined : seconds(scope, `${field}.maxAge`, o.maxAge, 1);
  return { severity, forSeconds, threshold, graceSeconds, maxAgeSeconds };
}

function seconds(scope: IConstruct, field: string, d: Duration, min: number): number {
  let s: number;
  try {
    s = d.toSeconds();
  } catch {
    throw invalidInput(scope, field, d.toHumanString(), 'is not a whole number of seconds', 'use whole seconds, e.g. Duration.minutes(5)');
  }
  if (s < min) throw invalidInput(scope, field, d.toHumanString(), `must be at least ${min} s`, 'give a longer duration');
  return s;
}

/** `1h30m`: a Prometheus duration (also the text of descriptions). @internal */
export function promDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return '0s';
  let rest = totalSeconds;
  let out = '';
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

function humanDuration(totalSeconds: number): string {
  return promDuration(totalSeconds);
}

/** A positive number of bytes in the largest unit that divides it. */
function humanBytes(n: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}
