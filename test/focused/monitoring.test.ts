import { Duration, Testing } from 'cdk8s';
import {
  BackupCredentials, BackupMethod, BackupSource, CnpgMonitoring, CnpgMonitoringOptions, CnpgSharedCluster, CnpgSharedClusterProps, DataDurability,
  RelabelAction, ReplicaCluster, SynchronousReplication,
} from '../../src';
import { clusterDashboard, poolerDashboard } from '../../src/monitoring/dashboards';
import { thrown } from '../util/errors';
import { chart, ofKind, one } from '../util/synth';

// The monitoring construct (src/monitoring/monitoring.ts) built in each test, never at `describe`
// level. Charts are written with cdk8s' Testing.synth, which runs the construct validations and
// the library's own schema check of every object; test/monitoring.test.ts validates the same
// objects against the CRDs (test/util/synth.ts).

const WHERE = 'CnpgMonitoring at \'test/pg/Monitoring\'';
/** The field's names in Python and Go, as the library's errors end. */
const hint = (python: string, go: string) => ` (the field is ${python} in Python, ${go} in Go)`;
const EVAL = hint('alerts.evaluation_interval', 'Alerts.EvaluationInterval');
const COMMON_LABELS = {
  'app.kubernetes.io/instance': 'pg',
  'app.kubernetes.io/managed-by': 'cnpg-constructs',
  'app.kubernetes.io/name': 'cloudnative-pg',
};

interface Built {
  readonly cluster: CnpgSharedCluster;
  readonly monitoring: CnpgMonitoring;
  readonly manifests: () => any[];
}

/** Cluster `pg` in `databases`, its monitoring, then (after it) a backup and poolers when asked. */
interface Attach {
  readonly backup?: boolean;
  readonly poolers?: boolean;
  readonly cluster?: Partial<CnpgSharedClusterProps>;
}

function build(options?: CnpgMonitoringOptions, attach: Attach = {}): Built {
  const c = chart();
  const cluster = new CnpgSharedCluster(c, 'pg', { clusterName: 'pg', ...attach.cluster });
  const monitoring = cluster.addMonitoring(options);
  if (attach.backup) {
    cluster._registerBackup({ method: BackupMethod.PLUGIN, schedule: '0 0 2 * * *', maxIntervalSeconds: 86_400, retentionDays: 30, validationCronJobName: 'pg-check' });
  }
  if (attach.poolers) {
    cluster._registerPooler({ poolerName: 'app-pooler', namespace: 'databases', instances: 2, type: 'rw', application: 'app' });
  }
  return { cluster, monitoring, manifests: () => Testing.synth(c) };
}

const groupsOf = (manifests: any[]) => one(manifests, 'PrometheusRule').spec.groups;
const ruleOf = (manifests: any[], alert: string) => groupsOf(manifests).flatMap((g: any) => g.rules).find((r: any) => r.alert === alert);

describe('the PodMonitor', () => {
  test('by default: the instances of the cluster, port metrics, the cluster label added, no interval', () => {
    const { monitoring, manifests } = build();
    const pm = one(manifests(), 'PodMonitor');
    expect(pm).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'pg', namespace: 'databases', labels: { ...COMMON_LABELS, 'app.kubernetes.io/component': 'monitoring' } },
      spec: {
        namespaceSelector: { matchNames: ['databases'] },
        podMetricsEndpoints: [{
          port: 'metrics',
          relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster' }],
        }],
        selector: { matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } },
      },
    });
    expect(monitoring.podMonitorName).toBe('pg');
    expect(monitoring.podMonitor?.kind).toBe('PodMonitor');
    expect(monitoring.cluster.clusterName).toBe('pg');
  });

  test('the cluster\'s monitoring labels, a scrape interval of whole seconds, more relabelings after the library\'s', () => {
    const { manifests } = build({
      scrapeInterval: Duration.seconds(90),
      relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }],
      metricRelabelings: [{ action: RelabelAction.DROP, sourceLabels: ['__name__'], regex: 'cnpg_pg_stat_.*' }],
    }, { cluster: { monitoringLabels: { release: 'kube-prometheus-stack' } } });
    const pm = one(manifests(), 'PodMonitor');
    expect(pm.metadata.labels).toEqual({ ...COMMON_LABELS, 'release': 'kube-prometheus-stack', 'app.kubernetes.io/component': 'monitoring' });
    expect(pm.spec.podMetricsEndpoints).toEqual([{
      port: 'metrics',
      interval: '1m30s',
      relabelings: [
        { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster' },
        { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
      ],
      metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'cnpg_pg_stat_.*' }],
    }]);
  });

  test('a scrape interval of 1 s is accepted, 0 s and 1.5 s are refused', () => {
    expect(one(build({ scrapeInterval: Duration.seconds(1) }).manifests(), 'PodMonitor').spec.podMetricsEndpoints[0].interval).toBe('1s');
    expect(thrown(() => build({ scrapeInterval: Duration.seconds(0) }))).toBe(
      `${WHERE}: scrapeInterval = "0 seconds" must be at least 1 s. Fix: e.g. Duration.seconds(30)${hint('scrape_interval', 'ScrapeInterval')}`);
    expect(thrown(() => build({ scrapeInterval: Duration.millis(1500) }))).toBe(
      `${WHERE}: scrapeInterval = "1 second 500 millis" is not a whole number of seconds. Fix: use whole seconds, e.g. Duration.seconds(30)${hint('scrape_interval', 'ScrapeInterval')}`);
  });

  test('the library\'s cluster label cannot be written by a relabeling', () => {
    expect(thrown(() => build({ relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'cluster' }] }))).toBe(
      `${WHERE}: relabelings[0].targetLabel = "cluster" is the label the alert presets and dashboards select on, which the library sets. Fix: write another label`
      + hint('relabelings[0].target_label', 'Relabelings[0].TargetLabel'));
    expect(thrown(() => build({ metricRelabelings: [{ sourceLabels: ['job'], targetLabel: 'cluster' }] }))).toBe(
      `${WHERE}: metricRelabelings[0].targetLabel = "cluster" is the label the alert presets and dashboards select on, which the library sets. `
      + `Fix: write another label${hint('metric_relabelings[0].target_label', 'MetricRelabelings[0].TargetLabel')}`);
  });

  test('off: no PodMonitor, no name; its options are refused', () => {
    const { monitoring, manifests } = build({ podMonitor: false, relabelings: [], metricRelabelings: [] });
    expect(ofKind(manifests(), 'PodMonitor')).toEqual([]);
    expect([monitoring.podMonitorName, monitoring.podMonitor]).toEqual([undefined, undefined]);
    const relabeling = [{ sourceLabels: ['a'], targetLabel: 'b' }];
    expect(thrown(() => build({ podMonitor: false, relabelings: relabeling }))).toBe(
      `${WHERE}: relabelings = "[...]" are set but the PodMonitor is off. Fix: remove them, or turn podMonitor on`);
    expect(thrown(() => build({ podMonitor: false, metricRelabelings: relabeling }))).toBe(
      `${WHERE}: metricRelabelings = "[...]" are set but the PodMonitor is off. Fix: remove them, or turn podMonitor on${hint('metric_relabelings', 'MetricRelabelings')}`);
    expect(thrown(() => build({ podMonitor: false, relabelings: relabeling, metricRelabelings: relabeling }))).toBe(
      `${WHERE}: relabelings = "[...]" are set but the PodMonitor is off. Fix: remove them, or turn podMonitor on`);
    expect(thrown(() => build({ podMonitor: false, scrapeInterval: Duration.seconds(30) }))).toBe(
      `${WHERE}: scrapeInterval = "30 seconds" is set but the PodMonitor is off. Fix: remove scrapeInterval, or turn podMonitor on${hint('scrape_interval', 'ScrapeInterval')}`);
    expect(thrown(() => build({ podMonitor: false, metricRelabelings: relabeling, scrapeInterval: Duration.seconds(30) }))).toBe(
      `${WHERE}: metricRelabelings = "[...]" are set but the PodMonitor is off. Fix: remove them, or turn podMonitor on${hint('metric_relabelings', 'MetricRelabelings')}`);
  });

  test('on explicitly, as by default', () => {
    expect(build({ podMonitor: true }).monitoring.podMonitorName).toBe('pg');
  });
});

describe('the PrometheusRule', () => {
  test('a bare cluster: its name and labels, the groups that apply in their order, no interval', () => {
    const { monitoring, manifests } = build();
    const out = manifests();
    const rule = one(out, 'PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'pg-alerts', namespace: 'databases', labels: { ...COMMON_LABELS, 'app.kubernetes.io/component': 'monitoring' } });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['cnpg.pg.wal-archiving', 'cnpg.pg.replication', 'cnpg.pg.cluster']);
    expect(rule.spec.groups.every((g: any) => !('interval' in g))).toBe(true);
    expect(monitoring.prometheusRuleName).toBe('pg-alerts');
    expect(monitoring.prometheusRule?.kind).toBe('PrometheusRule');
  });

  test('a rule as written: alert, expr, for, labels and annotations', () => {
    const rule = ruleOf(build().manifests(), 'CNPGReplicationLagHigh');
    expect(rule).toEqual({
      alert: 'CNPGReplicationLagHigh',
      expr: 'max by (namespace, cluster, pod) (cnpg_pg_replication_lag{namespace="databases",cluster="pg"}) > 60',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Standby {{ $labels.pod }} of {{ $labels.namespace }}/{{ $labels.cluster }} is lagging',
        description: 'Standby {{ $labels.pod }} of {{ $labels.namespace }}/{{ $labels.cluster }} replays WAL {{ $value | humanizeDuration }} behind the primary (threshold 1m).',
        runbook_url: 'https://platform.github.io/cnpg-constructs/runbooks/CNPGReplicationLagHigh',
      },
    });
  });

  test('a backup and poolers attached after the construct: all five groups, in order, with the evaluation interval', () => {
    const { manifests } = build({ alerts: { evaluationInterval: Duration.seconds(90) } }, { backup: true, poolers: true });
    const groups = groupsOf(manifests());
    expect(groups.map((g: any) => [g.name, g.interval])).toEqual([
      ['cnpg.pg.backups', '1m30s'], ['cnpg.pg.wal-archiving', '1m30s'], ['cnpg.pg.replication', '1m30s'], ['cnpg.pg.cluster', '1m30s'], ['cnpg.pg.poolers', '1m30s'],
    ]);
    expect(groups[0].rules.map((r: any) => r.alert)).toEqual(['CNPGBackupFailed', 'CNPGBackupTooOld', 'CNPGRecoverabilityPointTooOld', 'CNPGBackupValidationFailed']);
    expect(groups[4].rules.map((r: any) => r.alert)).toEqual(['CNPGPoolerExporterDown', 'CNPGPoolerClientsWaiting', 'CNPGPoolerServerPoolSaturated', 'CNPGPoolerReplicasUnavailable']);
  });

  test('what the alerts read from the cluster: its instances, backup (by method), poolers and the validation CronJob', () => {
    const out = build({}, { backup: true, poolers: true, cluster: { instances: 4 } }).manifests();
    expect(ruleOf(out, 'CNPGInstanceMetricsAbsent').expr).toBe(
      '(count by (namespace, cluster) (cnpg_collector_up{namespace="databases",cluster="pg"}) < 4) or (absent(cnpg_collector_up{namespace="databases",cluster="pg"}) * 0)');
    expect(ruleOf(out, 'CNPGStreamingReplicasMissing').expr).toBe('max by (namespace, cluster) (cnpg_pg_replication_streaming_replicas{namespace="databases",cluster="pg"}) < 3');
    expect(ruleOf(out, 'CNPGBackupFailed').expr).toBe(
      'max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{namespace="databases",cluster="pg"})'
      + ' > max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{namespace="databases",cluster="pg"})');
    expect(ruleOf(out, 'CNPGPoolerExporterDown').expr).toContain('absent(cnpg_pgbouncer_up{namespace="databases",pooler="app-pooler"})');
    expect(ruleOf(out, 'CNPGBackupValidationFailed').expr).toContain('owner_name="pg-check"');
  });

  test.each([
    ['quorum without a number: 1, commits wait (critical)', SynchronousReplication.any(), 1, 'critical', 3],
    ['priority, 2 standbys, required durability', SynchronousReplication.first({ number: 2, dataDurability: DataDurability.REQUIRED }), 2, 'critical', 4],
    ['quorum, preferred durability (warning)', SynchronousReplication.any({ number: 1, dataDurability: DataDurability.PREFERRED }), 1, 'warning', 3],
  ])('synchronous replication, %s', (_name, replication, number, severity, instances) => {
    const r = ruleOf(build({}, { cluster: { replication, instances } }).manifests(), 'CNPGSyncReplicasMissing');
    expect(r.labels).toEqual({ severity });
    expect(r.expr).toBe(`(max by (namespace, cluster) (cnpg_collector_sync_replicas{namespace="databases",cluster="pg",value="observed"}) < ${number})`
      + ` or (max by (namespace, cluster) (cnpg_pg_replication_streaming_replicas{namespace="databases",cluster="pg"}) < ${number})`);
  });

  test('asynchronous replication: no synchronous standby alert', () => {
    const out = build({}, { cluster: { replication: SynchronousReplication.asynchronous() } }).manifests();
    expect(ruleOf(out, 'CNPGSyncReplicasMissing')).toBeUndefined();
    expect(ruleOf(out, 'CNPGStreamingReplicasMissing')).toBeDefined();
  });

  test('an evaluation interval of 1 s is accepted, 0 s and 1.5 s are refused', () => {
    expect(groupsOf(build({ alerts: { evaluationInterval: Duration.seconds(1) } }).manifests())[0].interval).toBe('1s');
    expect(thrown(() => build({ alerts: { evaluationInterval: Duration.seconds(0) } }))).toBe(
      `${WHERE}: alerts.evaluationInterval = "0 seconds" must be at least 1 s. Fix: e.g. Duration.seconds(30)${EVAL}`);
    expect(thrown(() => build({ alerts: { evaluationInterval: Duration.millis(1500) } }))).toBe(
      `${WHERE}: alerts.evaluationInterval = "1 second 500 millis" is not a whole number of seconds. Fix: use whole seconds, e.g. Duration.seconds(30)${EVAL}`);
  });

  test('off: no PrometheusRule, no name; on explicitly, as by default', () => {
    const { monitoring, manifests } = build({ alerts: { enabled: false } });
    expect(ofKind(manifests(), 'PrometheusRule')).toEqual([]);
    expect([monitoring.prometheusRuleName, monitoring.prometheusRule]).toEqual([undefined, undefined]);
    expect(build({ alerts: { enabled: true } }).monitoring.prometheusRuleName).toBe('pg-alerts');
  });

  test('the alert options are checked when the construct is made', () => {
    expect(thrown(() => build({ alerts: { replication: { lagHigh: { threshold: -1 } } } }))).toMatch(
      /^CnpgMonitoring at 'test\/pg\/Monitoring': alerts\.replication\.lagHigh\.threshold = -1 must be a positive number/);
  });

  test('what needs the attachments is checked at synth, as a validation error with the construct path', () => {
    const { manifests } = build({ alerts: { poolers: { enabled: true } } });
    expect(thrown(manifests)).toBe('Validation failed with the following errors:\n  [test/pg/Monitoring] '
      + `${WHERE}: alerts.poolers.enabled = true asks for pooler alerts, but no pooler is attached to the cluster. Fix: add poolers to the cluster, or leave the group disabled`);
  });
});

describe('the dashboards', () => {
  test('by default: two ConfigMaps in the cluster\'s namespace, the sidecar label, the folder, the JSON keyed by namespace and cluster', () => {
    const { monitoring, manifests } = build();
    const cms = ofKind(manifests(), 'ConfigMap');
    const metadata = (name: string) => ({
      name,
      namespace: 'databases',
      labels: { ...COMMON_LABELS, 'app.kubernetes.io/component': 'monitoring', 'grafana_dashboard': '1' },
      annotations: { grafana_folder: 'CloudNativePG' },
    });
    expect(cms.map((c) => c.metadata)).toEqual([metadata('pg-dashboard'), metadata('pg-poolers-dashboard')]);
    const dashboards = monitoring._dashboards();
    expect(cms[0].data).toEqual({ 'cnpg-databases-pg.json': JSON.stringify(dashboards.cluster, null, 1) });
    expect(cms[1].data).toEqual({ 'cnpg-databases-pg-poolers.json': JSON.stringify(dashboards.poolers, null, 1) });
    expect(cms[0].data['cnpg-databases-pg.json'].startsWith('{\n "timezone": "browser",\n')).toBe(true);
    expect([monitoring.clusterDashboardName, monitoring.poolerDashboardName, monitoring.dashboardNamespace])
      .toEqual(['pg-dashboard', 'pg-poolers-dashboard', 'databases']);
    expect([monitoring.clusterDashboard?.kind, monitoring.poolerDashboard?.kind]).toEqual(['ConfigMap', 'ConfigMap']);
  });

  test('what the dashboards read from the cluster, as it is at synth', () => {
    const { monitoring } = build({}, { backup: true, poolers: true, cluster: { namespace: 'pg-system', instances: 4 } });
    const ctx = {
      namespace: 'pg-system',
      clusterName: 'pg',
      instances: 4,
      backup: monitoring.cluster.backup,
      poolers: [{ poolerName: 'app-pooler', namespace: 'databases', instances: 2, type: 'rw', application: 'app' }],
      replicaOf: undefined,
    };
    expect(monitoring._dashboards()).toEqual({ cluster: clusterDashboard(ctx), poolers: poolerDashboard(ctx) });
    expect(monitoring.cluster.backup?.maxIntervalSeconds).toBe(86_400);
  });

  test('a replica cluster\'s dashboard names its source', () => {
    const source = BackupSource.objectStore({ clusterName: 'pg-eu', bucket: 'source-backups', credentials: BackupCredentials.fromSecret('s3') });
    const { monitoring } = build({}, { cluster: { replica: ReplicaCluster.of(source) } });
    const titles = (monitoring._dashboards().cluster as any).panels.map((p: any) => p.title);
    expect(titles).toContain('Behind pg-eu');
    expect(titles).not.toContain('Primary');
  });

  test('placement: a namespace, sidecar labels, a folder and its annotation', () => {
    const { monitoring, manifests } = build({
      dashboards: { namespace: 'observability', sidecarLabels: { grafana_dashboard: 'cnpg', team: 'dba' }, folder: 'Databases', folderAnnotation: 'k8s-sidecar-target-directory' },
    });
    const cms = ofKind(manifests(), 'ConfigMap');
    for (const cm of cms) {
      expect(cm.metadata).toEqual({
        name: cm.metadata.name,
        namespace: 'observability',
        labels: { ...COMMON_LABELS, 'app.kubernetes.io/component': 'monitoring', 'grafana_dashboard': 'cnpg', 'team': 'dba' },
        annotations: { 'k8s-sidecar-target-directory': 'Databases' },
      });
    }
    // The file keys keep the cluster's namespace.
    expect(cms.map((c) => Object.keys(c.data))).toEqual([['cnpg-databases-pg.json'], ['cnpg-databases-pg-poolers.json']]);
    expect(monitoring.dashboardNamespace).toBe('observability');
  });

  test('the pooler dashboard off; every dashboard off', () => {
    const { monitoring, manifests } = build({ dashboards: { poolers: false } });
    expect(ofKind(manifests(), 'ConfigMap').map((c) => c.metadata.name)).toEqual(['pg-dashboard']);
    expect([monitoring.poolerDashboardName, monitoring.poolerDashboard]).toEqual([undefined, undefined]);
    const off = build({ dashboards: { enabled: false, namespace: 'Not A Name' } });
    expect(ofKind(off.manifests(), 'ConfigMap')).toEqual([]);
    expect([off.monitoring.clusterDashboardName, off.monitoring.clusterDashboard, off.monitoring.poolerDashboardName])
      .toEqual([undefined, undefined, undefined]);
    expect(off.monitoring.dashboardNamespace).toBe('Not A Name');
    expect(build({ dashboards: { enabled: true, poolers: true } }).monitoring.poolerDashboardName).toBe('pg-poolers-dashboard');
  });

  test('the namespace must be a DNS-1123 label', () => {
    expect(thrown(() => build({ dashboards: { namespace: 'Observability' } }))).toBe(
      `${WHERE}: dashboards.namespace = "Observability" is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit). `
      + 'Fix: use a name such as "observability"');
  });

  test.each(['grafana_folder', 'a', 'Z9', 'x/y', 'example.com/folder', 'a-b.c/A.b_c-D9'])('folder annotation %j is accepted', (key) => {
    const cm = ofKind(build({ dashboards: { folderAnnotation: key } }).manifests(), 'ConfigMap')[0];
    expect(cm.metadata.annotations).toEqual({ [key]: 'CloudNativePG' });
  });

  test.each(['', 'folder-', '-folder', '_folder', ' folder', 'folder ', 'Example.com/folder', 'example-/folder', '/folder', 'folder/', 'a/b/c', 'fol der'])(
    'folder annotation %j is refused', (key) => {
      expect(thrown(() => build({ dashboards: { folderAnnotation: key } }))).toBe(
        `${WHERE}: dashboards.folderAnnotation = ${JSON.stringify(key)} is not an annotation key. Fix: give the sidecar's folderAnnotation, e.g. "grafana_folder"${hint('dashboards.folder_annotation', 'Dashboards.FolderAnnotation')}`);
    });

  test('no sidecar label is refused', () => {
    expect(thrown(() => build({ dashboards: { sidecarLabels: {} } }))).toBe(
      `${WHERE}: dashboards.sidecarLabels = {} is empty: the sidecar would not find the dashboards. Fix: give the sidecar's label, e.g. { grafana_dashboard: "1" }${hint('dashboards.sidecar_labels', 'Dashboards.SidecarLabels')}`);
  });
});

describe('the construct', () => {
  test('built directly, beside the cluster', () => {
    const c = chart();
    const cluster = new CnpgSharedCluster(c, 'pg', { clusterName: 'pg' });
    const monitoring = new CnpgMonitoring(c, 'mon', { cluster, alerts: { enabled: false }, dashboards: { enabled: false } });
    expect(Testing.synth(c).filter((m) => m.kind === 'PodMonitor').map((m) => m.metadata.name)).toEqual(['pg']);
    expect(monitoring.node.path).toBe('test/mon');
  });

  test('its arguments are checked', () => {
    expect(thrown(() => new CnpgMonitoring(chart(), 'mon', {} as any))).toBe(
      'CnpgMonitoring at \'test/mon\': cluster = (unset) is required (the monitored cluster). Fix: give cluster: a CnpgSharedCluster (ICnpgCluster)');
  });
});
