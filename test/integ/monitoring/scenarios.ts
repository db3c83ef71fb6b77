/**
 * The alert presets' unit tests, as data: for every alert, synthetic series under the real metric
 * names (the catalogue's, switching on the backup method) that simulate the failure it exists for
 * (it must fire, not before its `for`) and healthy series it must stay silent on (thresholds
 * exactly met, spikes shorter than `for`, the metric's "unknown" values).
 *
 * Scenarios read each rule's threshold and `for` from the built rules, so the same scenarios prove
 * the defaults and any override.
 */
import { firesAt, hold, missing, ramp, Scenario, silentAt, values } from './promtool';
import { BackupMethod } from '../../../src';

export interface ScenarioContext {
  readonly method: BackupMethod;
  /** [last available, last failed, first recoverability point] under the backup method. */
  readonly backupMetrics: string[];
  readonly instances: number;
  readonly validationCronJob: string;
  readonly poolers: Array<{ name: string; instances: number }>;
  /** The built rule: its threshold (when it has one) and `for`. */
  readonly rule: (alert: string) => { threshold?: number; forSeconds: number };
}

const NS = 'databases';
const CL = 'pg';
/** Labels as the cluster's PodMonitor scrape leaves them (prometheus-operator adds job, pod, container, endpoint). */
const inst = (pod: string, extra = '') => `{namespace="${NS}",cluster="${CL}",pod="${pod}",job="${NS}/${CL}",container="postgres",endpoint="metrics",instance="10.0.0.${pod.slice(-1)}:9187"${extra}}`;
const poolerPod = (pooler: string, pod: string, extra = '') => `{namespace="${NS}",pooler="${pooler}",pod="${pod}",job="${NS}/${pooler}",container="pgbouncer",endpoint="metrics"${extra}}`;
const ksm = (extra: string) => `{job="kube-state-metrics",instance="10.0.9.9:8080",namespace="${NS}",${extra}}`;
const clusterLabels = { namespace: NS, cluster: CL };
const podLabels = (pod: string) => ({ ...clusterLabels, pod });
const minutes = (s: number) => Math.ceil(s / 60);

/** A spike shorter than `for` (only when `for` is at least 2 minutes). */
function shortSpike(forSeconds: number, base: number, spike: number, total: number): string | undefined {
  const len = minutes(forSeconds) - 1;
  if (len < 1) return undefined;
  return values(hold(base, 5), hold(spike, len), hold(base, total - 5 - len));
}

export function scenarios(ctx: ScenarioContext): Scenario[] {
  const out: Scenario[] = [];
  const add = (s: Scenario) => out.push(s);
  const [available, failed, frp] = ctx.backupMetrics;
  /** The in-tree metrics are the primary's (the other instances export 0); the plugin's are every instance's. */
  const backupSeries = (metric: string, primary: string, n: number): Array<[string, string]> => {
    const others = ctx.method === BackupMethod.PLUGIN ? primary : hold(0, n);
    return [[`${metric}${inst('pg-1')}`, primary], [`${metric}${inst('pg-2')}`, others], [`${metric}${inst('pg-3')}`, others]];
  };

  // ------------------------------------------------------------------------------------------
  // Backups
  // ------------------------------------------------------------------------------------------
  {
    const { forSeconds: f } = ctx.rule('CNPGBackupFailed');
    add({
      alert: 'CNPGBackupFailed',
      kind: 'failure',
      title: 'a backup fails after the last successful one (failed timestamp newer than last available); resolves when a newer backup succeeds',
      series: [
        ...backupSeries(available, values(hold(3600, 30), hold(10800, 30)), 60),
        ...backupSeries(failed, values(hold(0, 10), hold(7200, 50)), 60),
      ],
      checks: [...firesAt(10, f, () => [{ labels: clusterLabels, value: 7200 }]), ...silentAt(31, 45)],
    });
    add({
      alert: 'CNPGBackupFailed',
      kind: 'healthy',
      title: 'an old failure followed by a successful backup, and no failure at all',
      series: [...backupSeries(available, hold(3600, 60), 60), ...backupSeries(failed, hold(1800, 60), 60)],
      checks: silentAt(10, 30, 59),
    });
  }
  {
    const { threshold: w, forSeconds: f } = ctx.rule('CNPGBackupTooOld');
    const last = 300;
    const active = Math.floor((w! + last) / 60) + 1;
    const end = active + minutes(f) + 10;
    const n = Math.ceil(end / 5) + 2;
    add({
      alert: 'CNPGBackupTooOld',
      kind: 'failure',
      intervalMinutes: 5,
      title: `no backup succeeds for longer than the schedule's window (${w} s)`,
      series: backupSeries(available, hold(last, n), n),
      checks: firesAt(active, f, (at) => [{ labels: clusterLabels, value: at * 60 - last }]),
    });
    const neverActive = Math.floor(w! / 60) + 1;
    const n2 = Math.ceil((neverActive + minutes(f) + 5) / 5) + 2;
    add({
      alert: 'CNPGBackupTooOld',
      kind: 'failure',
      intervalMinutes: 5,
      title: 'no backup has ever succeeded (timestamp 0)',
      series: backupSeries(available, hold(0, n2), n2),
      checks: firesAt(neverActive, f, (at) => [{ labels: clusterLabels, value: at * 60 }]),
    });
    // A backup every half window, for three windows.
    const period = Math.max(1, Math.floor(w! / 2 / 300));
    const samples = Math.ceil((3 * w!) / 300);
    const healthy = Array.from({ length: samples }, (_, i) => 300 + Math.floor(i / period) * period * 300).join(' ');
    add({
      alert: 'CNPGBackupTooOld',
      kind: 'healthy',
      intervalMinutes: 5,
      title: 'backups succeed on schedule',
      series: backupSeries(available, healthy, samples),
      checks: silentAt(minutes(w!), minutes(2 * w!), (samples - 1) * 5),
    });
  }
  {
    const { threshold: w, forSeconds: f } = ctx.rule('CNPGRecoverabilityPointTooOld');
    const point = 300;
    const active = Math.floor((w! + point) / 60) + 1;
    const n = Math.ceil((active + minutes(f) + 5) / 5) + 2;
    add({
      alert: 'CNPGRecoverabilityPointTooOld',
      kind: 'failure',
      intervalMinutes: 5,
      title: `the first recoverability point stays put for longer than retention + interval + grace (${w} s): backups are not pruned`,
      series: backupSeries(frp, hold(point, n), n),
      checks: firesAt(active, f, (at) => [{ labels: clusterLabels, value: at * 60 - point }]),
    });
    const samples = Math.ceil((2 * w!) / 300);
    const pruned = Array.from({ length: samples }, (_, i) => Math.max(point, i * 300 - Math.floor(w! / 2))).join(' ');
    add({
      alert: 'CNPGRecoverabilityPointTooOld',
      kind: 'healthy',
      intervalMinutes: 5,
      title: 'retention moves the first recoverability point forward; and a point still unknown (0)',
      series: backupSeries(frp, pruned, samples),
      checks: silentAt(minutes(w!), (samples - 1) * 5),
    });
    add({
      alert: 'CNPGRecoverabilityPointTooOld',
      kind: 'healthy',
      intervalMinutes: 5,
      title: 'a first recoverability point not yet known (0) is not an old one',
      series: backupSeries(frp, hold(0, samples), samples),
      checks: silentAt((samples - 1) * 5),
    });
  }
  {
    const { forSeconds: f } = ctx.rule('CNPGBackupValidationFailed');
    const cj = ctx.validationCronJob;
    /** promtool's notation written out, so that per-sample values can be derived from another series. */
    const expand = (v: string): string[] => v.split(' ').flatMap((part) => {
      const m = /^(\S+)x(\d+)$/.exec(part);
      return m ? Array<string>(Number(m[2]) + 1).fill(m[1]) : [part];
    });
    /** A Job of a CronJob as kube-state-metrics shows it: owner, start time, failed condition. */
    const job = (name: string, owner: string, start: string, failedTrue: string): Array<[string, string]> => {
      const starts = expand(start);
      const failures = expand(failedTrue);
      return [
        [`kube_job_owner${ksm(`job_name="${name}",owner_kind="CronJob",owner_name="${owner}",owner_is_controller="true"`)}`, starts.map((v) => (v === '_' ? '_' : '1')).join(' ')],
        [`kube_job_status_start_time${ksm(`job_name="${name}"`)}`, starts.join(' ')],
        [`kube_job_failed${ksm(`job_name="${name}",condition="true"`)}`, failures.join(' ')],
        [`kube_job_failed${ksm(`job_name="${name}",condition="false"`)}`, failures.map((v) => (v === '_' ? '_' : String(1 - Number(v)))).join(' ')],
      ];
    };
    const N = 110;
    const jobA = job(`${cj}-1`, cj, hold(600, N), hold(0, N));
    const jobB = job(`${cj}-2`, cj, values(missing(60), hold(3600, N - 60)), values(missing(60), hold(0, 10), hold(1, N - 70)));
    const jobC = job(`${cj}-3`, cj, values(missing(90), hold(5400, N - 90)), values(missing(90), hold(0, N - 90)));
    // Another CronJob's failed Job in the same namespace must not count.
    const other = (n: number) => job('other-check-1', 'other-check', hold(3000, n), hold(1, n));
    const lastSuccess = (v: string): [string, string] => [`kube_cronjob_status_last_successful_time${ksm(`cronjob="${cj}"`)}`, v];
    const labels = { namespace: NS, cronjob: cj };
    add({
      alert: 'CNPGBackupValidationFailed',
      kind: 'failure',
      title: 'the newest validation Job fails after an earlier success (kube-state-metrics job metrics); resolves when the next run succeeds',
      series: [...jobA, ...jobB, ...jobC, ...other(N), lastSuccess(values(hold(900, 95), hold(5700, N - 95)))],
      checks: [...firesAt(70, f, () => [{ labels, value: 3600 }]), ...silentAt(100)],
    });
    add({
      alert: 'CNPGBackupValidationFailed',
      kind: 'failure',
      title: 'the validation Job fails and the CronJob has never succeeded',
      series: job(`${cj}-1`, cj, hold(600, 40), values(hold(0, 10), hold(1, 30))),
      checks: firesAt(10, f, () => [{ labels, value: 600 }]),
    });
    add({
      alert: 'CNPGBackupValidationFailed',
      kind: 'healthy',
      title: 'a failed Job kept in the history is older than the last success; another CronJob\'s failures',
      series: [
        ...job(`${cj}-1`, cj, hold(300, 40), hold(1, 40)),
        ...job(`${cj}-2`, cj, hold(600, 40), hold(0, 40)),
        ...other(40),
        lastSuccess(hold(900, 40)),
      ],
      checks: silentAt(5, 20, 39),
    });
  }

  // ------------------------------------------------------------------------------------------
  // WAL archiving (pg_stat_archiver exists on the primary only)
  // ------------------------------------------------------------------------------------------
  {
    const { forSeconds: f } = ctx.rule('CNPGWALArchivingFailing');
    add({
      alert: 'CNPGWALArchivingFailing',
      kind: 'failure',
      title: 'archive_command keeps failing after the last archived WAL (last_failed_time newer than last_archived_time)',
      series: [
        [`cnpg_pg_stat_archiver_last_archived_time${inst('pg-1')}`, values(ramp(60, 60, 20), hold(1200, 40))],
        [`cnpg_pg_stat_archiver_last_failed_time${inst('pg-1')}`, values(hold(-1, 20), ramp(1260, 60, 40))],
      ],
      checks: firesAt(20, f, (at) => [{ labels: podLabels('pg-1'), value: 1260 + (at - 20) * 60 }]),
    });
    add({
      alert: 'CNPGWALArchivingFailing',
      kind: 'healthy',
      title: 'one failed attempt, retried successfully the next minute; and no failure ever (-1)',
      series: [
        [`cnpg_pg_stat_archiver_last_archived_time${inst('pg-1')}`, ramp(60, 60, 60)],
        [`cnpg_pg_stat_archiver_last_failed_time${inst('pg-1')}`, values(hold(-1, 10), hold(600, 50))],
      ],
      checks: silentAt(5, 15, 59),
    });
  }
  {
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGWALArchivingStalled');
    const metric = 'cnpg_collector_pg_wal_archive_status';
    add({
      alert: 'CNPGWALArchivingStalled',
      kind: 'failure',
      title: `more than ${t} WAL segments wait in archive_status/*.ready`,
      series: [
        [`${metric}${inst('pg-1', ',value="ready"')}`, values(hold(0, 10), hold(t! + 1, 50))],
        [`${metric}${inst('pg-1', ',value="done"')}`, hold(40, 60)],
      ],
      checks: firesAt(10, f, () => [{ labels: podLabels('pg-1'), value: t! + 1 }]),
    });
    const spike = shortSpike(f, 0, t! + 5, 60);
    add({
      alert: 'CNPGWALArchivingStalled',
      kind: 'healthy',
      title: `exactly ${t} segments waiting; a backlog shorter than the alert's for`,
      series: [
        [`${metric}${inst('pg-1', ',value="ready"')}`, hold(t!, 60)],
        ...(spike ? [[`${metric}${inst('pg-2', ',value="ready"')}`, spike] as [string, string]] : []),
      ],
      checks: silentAt(5, 10, 30, 59),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Replication and HA
  // ------------------------------------------------------------------------------------------
  for (const alert of ['CNPGReplicationLagHigh', 'CNPGReplicationLagCritical']) {
    const { threshold: t, forSeconds: f } = ctx.rule(alert);
    add({
      alert,
      kind: 'failure',
      title: `a standby replays more than ${t} s behind`,
      series: [
        [`cnpg_pg_replication_lag${inst('pg-1')}`, hold(0, 60)],
        [`cnpg_pg_replication_lag${inst('pg-2')}`, values(hold(0, 10), hold(t! + 1, 50))],
        [`cnpg_pg_replication_lag${inst('pg-3')}`, hold(1, 60)],
      ],
      checks: firesAt(10, f, () => [{ labels: podLabels('pg-2'), value: t! + 1 }]),
    });
    const spike = shortSpike(f, 0, t! * 3, 60);
    add({
      alert,
      kind: 'healthy',
      title: `a lag of exactly ${t} s; a lag spike shorter than the alert's for`,
      series: [
        [`cnpg_pg_replication_lag${inst('pg-1')}`, hold(0, 60)],
        [`cnpg_pg_replication_lag${inst('pg-3')}`, hold(t!, 60)],
        ...(spike ? [[`cnpg_pg_replication_lag${inst('pg-2')}`, spike] as [string, string]] : []),
      ],
      checks: silentAt(5, 10, 30, 59),
    });
  }
  if (ctx.instances > 1) {
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGStreamingReplicasMissing');
    const standbys = [2, 3].filter((i) => i <= ctx.instances).map((i) => [`cnpg_pg_replication_streaming_replicas${inst(`pg-${i}`)}`, hold(0, 50)] as [string, string]);
    add({
      alert: 'CNPGStreamingReplicasMissing',
      kind: 'failure',
      title: `a standby stops streaming: ${t! - 1} of ${t} standbys in pg_stat_replication`,
      series: [[`cnpg_pg_replication_streaming_replicas${inst('pg-1')}`, values(hold(t!, 10), hold(t! - 1, 40))], ...standbys],
      checks: firesAt(10, f, () => [{ labels: clusterLabels, value: t! - 1 }]),
    });
    add({
      alert: 'CNPGStreamingReplicasMissing',
      kind: 'healthy',
      title: 'every standby streams (the standbys themselves report 0)',
      series: [[`cnpg_pg_replication_streaming_replicas${inst('pg-1')}`, hold(t!, 50)], ...standbys],
      checks: silentAt(5, 30, 49),
    });
  }
  {
    // A replica cluster: every instance replays the source; the most-behind one counts.
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGReplicaClusterLagging');
    const lag = (pod: string, v: string): [string, string] => [`cnpg_pg_replication_lag${inst(pod)}`, v];
    const n = minutes(f) + 30;
    add({
      alert: 'CNPGReplicaClusterLagging',
      kind: 'failure',
      title: `the designated primary stops receiving the source's WAL: its replay falls more than ${t} s behind`,
      series: [lag('pg-1', values(hold(120, 10), ramp(t! + 60, 60, n - 10))), lag('pg-2', hold(0, n)), lag('pg-3', hold(30, n))],
      checks: firesAt(10, f, (at) => [{ labels: clusterLabels, value: t! + 60 + 60 * (at - 10) }]),
    });
    const spike = shortSpike(f, 60, t! + 600, n);
    add({
      alert: 'CNPGReplicaClusterLagging',
      kind: 'healthy',
      title: `WAL segments from the archive every few minutes: a lag of exactly ${t} s, and above it for less than the alert's for`,
      series: [lag('pg-1', hold(t!, n)), lag('pg-2', hold(0, n)), ...(spike ? [lag('pg-3', spike)] : [])],
      checks: silentAt(5, 10, n - 1),
    });
  }
  {
    const { forSeconds: f } = ctx.rule('CNPGPrimaryMissing');
    const rec = (pod: string, v: string): [string, string] => [`cnpg_pg_replication_in_recovery${inst(pod)}`, v];
    const n = minutes(f) + 30;
    add({
      alert: 'CNPGPrimaryMissing',
      kind: 'failure',
      title: 'the primary restarts in recovery and no standby is promoted: every instance in recovery',
      series: [rec('pg-1', values(hold(0, 10), hold(1, n - 10))), rec('pg-2', hold(1, n)), rec('pg-3', hold(1, n))],
      checks: firesAt(10, f, () => [{ labels: clusterLabels, value: 1 }]),
    });
    const failover = Math.max(1, minutes(f) - 2);
    add({
      alert: 'CNPGPrimaryMissing',
      kind: 'healthy',
      title: 'a primary, and a failover that promotes a standby within the alert\'s for',
      series: [
        rec('pg-1', values(hold(0, 10), hold(1, n - 10))),
        rec('pg-2', values(hold(1, 10 + failover), hold(0, n - 10 - failover))),
        rec('pg-3', hold(1, n)),
      ],
      checks: silentAt(5, 10, 10 + failover + 1, n - 1),
    });
  }
  {
    const { threshold: n, forSeconds: f } = ctx.rule('CNPGSyncReplicasMissing');
    const observed = (v: string): [string, string] => [`cnpg_collector_sync_replicas${inst('pg-1', ',value="observed"')}`, v];
    const streaming = (v: string): [string, string] => [`cnpg_pg_replication_streaming_replicas${inst('pg-1')}`, v];
    add({
      alert: 'CNPGSyncReplicasMissing',
      kind: 'failure',
      title: `standbys stop streaming: fewer than the ${n} synchronous standbys commits need`,
      series: [observed(hold(n!, 50)), streaming(values(hold(ctx.instances - 1, 10), hold(n! - 1, 40)))],
      checks: firesAt(10, f, () => [{ labels: clusterLabels, value: n! - 1 }]),
    });
    add({
      alert: 'CNPGSyncReplicasMissing',
      kind: 'failure',
      title: `the primary lowers synchronous_standby_names below ${n} (dataDurability preferred)`,
      series: [observed(values(hold(n!, 10), hold(n! - 1, 40))), streaming(hold(ctx.instances - 1, 50))],
      checks: firesAt(10, f, () => [{ labels: clusterLabels, value: n! - 1 }]),
    });
    add({
      alert: 'CNPGSyncReplicasMissing',
      kind: 'healthy',
      title: `exactly ${n} standbys streaming and required`,
      series: [observed(hold(n!, 50)), streaming(hold(n!, 50))],
      checks: silentAt(5, 30, 49),
    });
  }
  {
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGReplicationSlotLagging');
    const slot = (pod: string, name: string) => `cnpg_pg_replication_slots_pg_wal_lsn_diff${inst(pod, `,slot_name="${name}",slot_type="physical"`)}`;
    add({
      alert: 'CNPGReplicationSlotLagging',
      kind: 'failure',
      title: `a replication slot retains more than ${t} bytes of WAL`,
      series: [[slot('pg-1', '_cnpg_pg_2'), values(hold(0, 5), hold(2 * t!, 45))], [slot('pg-1', '_cnpg_pg_3'), hold(1024, 50)]],
      checks: firesAt(5, f, () => [{ labels: { ...podLabels('pg-1'), slot_name: '_cnpg_pg_2' }, value: 2 * t! }]),
    });
    add({
      alert: 'CNPGReplicationSlotLagging',
      kind: 'healthy',
      title: `a slot retaining exactly ${t} bytes`,
      series: [[slot('pg-1', '_cnpg_pg_2'), hold(t!, 50)]],
      checks: silentAt(5, 30, 49),
    });
  }
  {
    const { forSeconds: f } = ctx.rule('CNPGInstanceDown');
    const up = (pod: string, v: string): [string, string] => [`cnpg_collector_up${inst(pod, `,exported_cluster="${CL}"`)}`, v];
    add({
      alert: 'CNPGInstanceDown',
      kind: 'failure',
      title: 'an instance manager cannot reach its PostgreSQL (cnpg_collector_up 0)',
      series: [up('pg-1', hold(1, 50)), up('pg-2', values(hold(1, 10), hold(0, 40))), up('pg-3', hold(1, 50))],
      checks: firesAt(10, f, () => [{ labels: podLabels('pg-2'), value: 0 }]),
    });
    const blip = shortSpike(f, 1, 0, 50);
    add({
      alert: 'CNPGInstanceDown',
      kind: 'healthy',
      title: 'every instance up; a restart shorter than the alert\'s for',
      series: [up('pg-1', hold(1, 50)), up('pg-3', hold(1, 50)), ...(blip ? [up('pg-2', blip)] : [])],
      checks: silentAt(5, 8, 30, 49),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Cluster
  // ------------------------------------------------------------------------------------------
  {
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGInstanceMetricsAbsent');
    const up = (pod: string, v: string, cluster = CL): [string, string] => [`cnpg_collector_up${inst(pod).replace(`cluster="${CL}"`, `cluster="${cluster}"`)}`, v];
    const pods = Array.from({ length: ctx.instances }, (_, i) => `pg-${i + 1}`);
    const n = minutes(f) + 30;
    add({
      alert: 'CNPGInstanceMetricsAbsent',
      kind: 'failure',
      title: `an instance stops exporting metrics: ${t! - 1} of ${t} report`,
      series: pods.map((p, i) => up(p, i === pods.length - 1 ? values(hold(1, 10), 'stale') : hold(1, n))),
      checks: firesAt(10, f, () => [{ labels: clusterLabels, value: t! - 1 }]),
    });
    add({
      alert: 'CNPGInstanceMetricsAbsent',
      kind: 'failure',
      title: 'no instance exports metrics at all (scrape broken); another cluster\'s metrics do not hide it',
      series: [up('other-1', hold(1, n), 'other')],
      checks: firesAt(0, f, () => [{ labels: clusterLabels, value: 0 }]),
    });
    add({
      alert: 'CNPGInstanceMetricsAbsent',
      kind: 'healthy',
      title: 'every instance reports (one with PostgreSQL down still reports)',
      series: pods.map((p, i) => up(p, hold(i === 1 ? 0 : 1, n))),
      checks: silentAt(5, n - 1),
    });
  }
  for (const [alert, metric, title] of [
    ['CNPGCollectorErrors', 'cnpg_collector_last_collection_error', 'the last metrics collection keeps failing'],
    ['CNPGInstanceFenced', 'cnpg_collector_fencing_on', 'an instance is fenced'],
    ['CNPGManualSwitchoverRequired', 'cnpg_collector_manual_switchover_required', 'a supervised update waits for a switchover'],
  ] as const) {
    const { forSeconds: f } = ctx.rule(alert);
    const n = minutes(f) + 30;
    add({
      alert,
      kind: 'failure',
      title: `${title} (${metric} 1)`,
      series: [[`${metric}${inst('pg-1')}`, values(hold(0, 5), hold(1, n - 5))], [`${metric}${inst('pg-2')}`, hold(0, n)]],
      checks: firesAt(5, f, () => [{ labels: podLabels('pg-1'), value: 1 }]),
    });
    const blip = shortSpike(f, 0, 1, n);
    add({
      alert,
      kind: 'healthy',
      title: `${metric} 0${blip ? ', and 1 for less than the alert\'s for' : ''}`,
      series: [[`${metric}${inst('pg-2')}`, hold(0, n)], ...(blip ? [[`${metric}${inst('pg-1')}`, blip] as [string, string]] : [])],
      checks: silentAt(5, 8, n - 1),
    });
  }
  {
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGConnectionsNearMax');
    const limit = 100 - 3;
    const over = Math.floor(t! * limit) + 1;
    const under = Math.floor(t! * limit);
    const n = minutes(f) + 30;
    const settings = (pod: string): Array<[string, string]> => [
      [`cnpg_pg_settings_setting${inst(pod, ',name="max_connections"')}`, hold(100, n)],
      [`cnpg_pg_settings_setting${inst(pod, ',name="superuser_reserved_connections"')}`, hold(3, n)],
      [`cnpg_pg_settings_setting${inst(pod, ',name="max_wal_senders"')}`, hold(10, n)],
    ];
    const backends = (pod: string, state: string, datname: string, v: string): [string, string] =>
      [`cnpg_backends_total${inst(pod, `,datname="${datname}",usename="${datname}",application_name="app",state="${state}"`)}`, v];
    add({
      alert: 'CNPGConnectionsNearMax',
      kind: 'failure',
      title: `${over} connections of ${limit} (max_connections 100 − superuser_reserved_connections 3), above ${t}`,
      series: [...settings('pg-1'), ...settings('pg-2'),
        backends('pg-1', 'active', 'harbor', hold(5, n)), backends('pg-1', 'idle', 'keycloak', values(hold(0, 10), hold(over - 5, n - 10))),
        backends('pg-2', 'active', 'harbor', hold(2, n))],
      checks: firesAt(10, f, () => [{ labels: podLabels('pg-1'), value: over / limit }]),
    });
    add({
      alert: 'CNPGConnectionsNearMax',
      kind: 'healthy',
      title: `${under} connections of ${limit}, at or below ${t}`,
      series: [...settings('pg-1'), backends('pg-1', 'active', 'harbor', hold(5, n)), backends('pg-1', 'idle', 'keycloak', hold(under - 5, n))],
      checks: silentAt(5, n - 1),
    });
  }
  {
    const { threshold: t, forSeconds: f } = ctx.rule('CNPGTransactionIdWraparound');
    const n = minutes(f) + 20;
    const xid = (datname: string, v: string): [string, string] => [`cnpg_pg_database_xid_age${inst('pg-1', `,datname="${datname}"`)}`, v];
    add({
      alert: 'CNPGTransactionIdWraparound',
      kind: 'failure',
      title: `a database's age(datfrozenxid) passes ${t}`,
      series: [xid('harbor', values(hold(Math.floor(t! / 2), 10), hold(t! + 1000, n - 10))), xid('postgres', hold(5000, n))],
      checks: firesAt(10, f, () => [{ labels: { ...clusterLabels, datname: 'harbor' }, value: t! + 1000 }]),
    });
    add({
      alert: 'CNPGTransactionIdWraparound',
      kind: 'healthy',
      title: `age(datfrozenxid) exactly ${t}`,
      series: [xid('harbor', hold(t!, n))],
      checks: silentAt(5, n - 1),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Poolers
  // ------------------------------------------------------------------------------------------
  if (ctx.poolers.length >= 2) {
    const [a, b] = ctx.poolers;
    const podA = `${a.name}-7d9f8c6b5-x2k4p`;
    const podA2 = `${a.name}-7d9f8c6b5-q8r7t`;
    const podB = `${b.name}-5c4b3a291-m3n6v`;
    {
      const { forSeconds: f } = ctx.rule('CNPGPoolerExporterDown');
      const n = minutes(f) + 30;
      const up = (pooler: string, pod: string, v: string): [string, string] => [`cnpg_pgbouncer_up${poolerPod(pooler, pod)}`, v];
      add({
        alert: 'CNPGPoolerExporterDown',
        kind: 'failure',
        title: 'a pooler pod\'s exporter cannot query PgBouncer (cnpg_pgbouncer_up 0)',
        series: [up(a.name, podA, values(hold(1, 5), hold(0, n - 5))), up(a.name, podA2, hold(1, n)), up(b.name, podB, hold(1, n))],
        checks: firesAt(5, f, () => [{ labels: { namespace: NS, pooler: a.name, pod: podA }, value: 0 }]),
      });
      add({
        alert: 'CNPGPoolerExporterDown',
        kind: 'failure',
        title: 'a pooler exports no metrics at all (absent: pods gone or not scraped)',
        series: [up(a.name, podA, hold(1, n))],
        checks: firesAt(0, f, () => [{ labels: { namespace: NS, pooler: b.name }, value: 1 }]),
      });
      add({
        alert: 'CNPGPoolerExporterDown',
        kind: 'healthy',
        title: 'every pooler pod exports and reaches PgBouncer',
        series: [up(a.name, podA, hold(1, n)), up(b.name, podB, hold(1, n))],
        checks: silentAt(1, 5, n - 1),
      });
    }
    {
      const { threshold: t, forSeconds: f } = ctx.rule('CNPGPoolerClientsWaiting');
      const n = minutes(f) + 30;
      const pool = ',database="harbor",user="harbor"';
      const wait = (pod: string, s: string, us: string): Array<[string, string]> => [
        [`cnpg_pgbouncer_pools_maxwait${poolerPod(a.name, pod, pool)}`, s],
        [`cnpg_pgbouncer_pools_maxwait_us${poolerPod(a.name, pod, pool)}`, us],
      ];
      const whole = Math.floor(t!);
      const fraction = Math.round((t! - whole) * 1e6);
      add({
        alert: 'CNPGPoolerClientsWaiting',
        kind: 'failure',
        title: `the oldest waiting client of a pool has waited more than ${t} s (maxwait + maxwait_us)`,
        series: [
          ...wait(podA, values(hold(0, 5), hold(whole + 1, n - 5)), values(hold(0, 5), hold(500000, n - 5))),
          ...wait(podA2, hold(0, n), hold(0, n)),
        ],
        checks: firesAt(5, f, () => [{ labels: { namespace: NS, pooler: a.name, database: 'harbor', user: 'harbor' }, value: whole + 1.5 }]),
      });
      add({
        alert: 'CNPGPoolerClientsWaiting',
        kind: 'healthy',
        title: `clients waiting exactly ${t} s`,
        series: wait(podA, hold(whole, n), hold(fraction, n)),
        checks: silentAt(5, n - 1),
      });
    }
    {
      const { forSeconds: f } = ctx.rule('CNPGPoolerServerPoolSaturated');
      const n = minutes(f) + 30;
      const pools = (pod: string, database: string, waiting: string, idle: string, used: string): Array<[string, string]> => {
        const l = poolerPod(a.name, pod, `,database="${database}",user="${database}"`);
        return [[`cnpg_pgbouncer_pools_cl_waiting${l}`, waiting], [`cnpg_pgbouncer_pools_sv_idle${l}`, idle], [`cnpg_pgbouncer_pools_sv_used${l}`, used]];
      };
      add({
        alert: 'CNPGPoolerServerPoolSaturated',
        kind: 'failure',
        title: 'clients wait in a pool with no idle or reusable server connection',
        series: [...pools(podA, 'harbor', values(hold(0, 5), hold(4, n - 5)), values(hold(2, 5), hold(0, n - 5)), hold(0, n)),
          ...pools(podA, 'pgbouncer', hold(0, n), hold(0, n), hold(0, n))],
        checks: firesAt(5, f, () => [{ labels: { namespace: NS, pooler: a.name, pod: podA, database: 'harbor', user: 'harbor' }, value: 4 }]),
      });
      add({
        alert: 'CNPGPoolerServerPoolSaturated',
        kind: 'healthy',
        title: 'clients wait but a server connection is reusable (sv_used); every server busy but nobody waits',
        series: [...pools(podA, 'harbor', hold(4, n), hold(0, n), hold(1, n)), ...pools(podA2, 'harbor', hold(0, n), hold(0, n), hold(0, n))],
        checks: silentAt(5, n - 1),
      });
    }
    {
      const { forSeconds: f } = ctx.rule('CNPGPoolerReplicasUnavailable');
      const n = minutes(f) + 30;
      const avail = (deployment: string, v: string): [string, string] => [`kube_deployment_status_replicas_available${ksm(`deployment="${deployment}"`)}`, v];
      add({
        alert: 'CNPGPoolerReplicasUnavailable',
        kind: 'failure',
        title: `a pooler Deployment has ${a.instances - 1} available replicas of the ${a.instances} its Pooler declares`,
        series: [avail(a.name, values(hold(a.instances, 5), hold(a.instances - 1, n - 5))), avail(b.name, hold(b.instances, n)), avail('unrelated', hold(0, n))],
        checks: firesAt(5, f, () => [{ labels: { namespace: NS, pooler: a.name }, value: a.instances - 1 }]),
      });
      add({
        alert: 'CNPGPoolerReplicasUnavailable',
        kind: 'healthy',
        title: 'every pooler has its declared replicas available (other Deployments ignored)',
        series: [avail(a.name, hold(a.instances, n)), avail(b.name, hold(b.instances, n)), avail('unrelated', hold(0, n))],
        checks: silentAt(5, n - 1),
      });
    }
  }
  return out;
}
