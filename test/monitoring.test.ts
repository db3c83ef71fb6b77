import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  AlertSeverity, BackupMethod, CnpgMetricCatalogue, CnpgMonitoringOptions, CnpgSharedCluster, DataDurability, SynchronousReplication,
} from '../src';
import { alertRules, dailyBackup, dashboards, monitoredCluster, PRIMARY_ONLY_ALERTS, REPLICA_ONLY_ALERTS, ruleFile, TWO_POOLERS } from './util/monitoring-fixture';
import { chart, one, ofKind, synth } from './util/synth';
import { ALERT_NAMES } from '../src/monitoring/alert-presets';

const RUNBOOKS = path.resolve(__dirname, '..', 'docs', 'runbooks');

describe('monitoring of a cluster with a backup and poolers (attached after addMonitoring)', () => {
  const { manifests } = monitoredCluster({ backup: dailyBackup(), poolers: TWO_POOLERS });
  const rules = alertRules(manifests);

  test('a PodMonitor for the instances only (not the cluster\'s pooler pods), port metrics, adding the cluster label', () => {
    const pm = one(manifests, 'PodMonitor', 'pg');
    expect(pm.metadata.namespace).toBe('databases');
    expect(pm.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'pg', 'app.kubernetes.io/component': 'monitoring' });
    expect(pm.spec.selector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } });
    expect(pm.spec.namespaceSelector).toEqual({ matchNames: ['databases'] });
    expect(pm.spec.podMetricsEndpoints).toEqual([{
      port: 'metrics',
      relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster' }],
    }]);
  });

  test('one PrometheusRule with the five groups, every alert of the presets', () => {
    const rule = one(manifests, 'PrometheusRule', 'pg-alerts');
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['cnpg.pg.backups', 'cnpg.pg.wal-archiving', 'cnpg.pg.replication', 'cnpg.pg.cluster', 'cnpg.pg.poolers']);
    expect(rules.map((r) => r.alert)).toEqual(ALERT_NAMES.filter((a) => !REPLICA_ONLY_ALERTS.includes(a)));
    expect(ALERT_NAMES).toHaveLength(24);
  });

  test('every alert has severity, summary, description and a runbook_url that points at its docs page', () => {
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary).toMatch(/\S/);
      expect(r.annotations.description.length).toBeGreaterThan(40);
      expect(r.annotations.runbook_url).toBe(`https://platform.github.io/cnpg-constructs/runbooks/${r.alert}`);
      expect(r.for).toMatch(/^(\d+[dhms])+$/);
    }
  });

  test('one runbook per alert: what it means, how to confirm it (kubectl, kubectl cnpg status), how to fix it', () => {
    const pages = fs.readdirSync(RUNBOOKS).filter((f) => f.endsWith('.md') && f !== 'index.md').map((f) => f.replace(/\.md$/, ''));
    expect(pages.sort()).toEqual([...ALERT_NAMES].sort());
    for (const alert of ALERT_NAMES) {
      const text = fs.readFileSync(path.join(RUNBOOKS, `${alert}.md`), 'utf-8');
      expect(text.startsWith(`# ${alert}\n`)).toBe(true);
      for (const section of ['## Meaning', '## Confirm', '## Fix']) expect(text).toContain(section);
      expect(text).toMatch(/kubectl /);
    }
  });

  test('backup alerts read the plugin\'s metrics and derive their windows from the schedule and retention', () => {
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));
    expect(byName.CNPGBackupFailed.expr).toContain('barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp');
    expect(byName.CNPGBackupFailed.expr).not.toContain('cnpg_collector');
    // daily (86400 s) + 3h grace
    expect(byName.CNPGBackupTooOld.expr).toMatch(/> 97200$/);
    // 30 d retention + one daily interval + 1 d grace
    expect(byName.CNPGRecoverabilityPointTooOld.expr).toMatch(/> 2764800$/);
    expect(byName.CNPGBackupValidationFailed.expr).toContain('owner_name="pg-backup-validation"');
    expect(byName.CNPGBackupValidationFailed.expr).toContain('kube_cronjob_status_last_successful_time{namespace="databases",cronjob="pg-backup-validation"}');
  });

  test('replication alerts follow the cluster: instances − 1 streaming standbys, the synchronous number, critical with required durability', () => {
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));
    expect(byName.CNPGStreamingReplicasMissing.expr).toMatch(/< 2$/);
    expect(byName.CNPGSyncReplicasMissing.expr).toContain('cnpg_collector_sync_replicas{namespace="databases",cluster="pg",value="observed"}) < 1');
    expect(byName.CNPGSyncReplicasMissing.labels.severity).toBe('critical');
    expect(byName.CNPGInstanceMetricsAbsent.expr).toContain('< 3');
  });

  test('pooler alerts name each pooler and its declared replicas', () => {
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));
    expect(byName.CNPGPoolerExporterDown.expr).toContain('pooler=~"harbor-pooler|keycloak-pooler"');
    expect(byName.CNPGPoolerExporterDown.expr).toContain('absent(cnpg_pgbouncer_up{namespace="databases",pooler="keycloak-pooler"})');
    expect(byName.CNPGPoolerReplicasUnavailable.expr).toContain('deployment="harbor-pooler"}, "pooler", "$1", "deployment", "(.+)")) < 3)');
    expect(byName.CNPGPoolerReplicasUnavailable.expr).toContain('deployment="keycloak-pooler"}, "pooler", "$1", "deployment", "(.+)")) < 2)');
  });

  test('two dashboards in ConfigMaps with the sidecar label and folder annotation, the data source a variable', () => {
    const cms = ofKind(manifests, 'ConfigMap');
    expect(cms.map((c) => c.metadata.name)).toEqual(['pg-dashboard', 'pg-poolers-dashboard']);
    for (const cm of cms) {
      expect(cm.metadata.labels.grafana_dashboard).toBe('1');
      expect(cm.metadata.annotations).toEqual({ grafana_folder: 'CloudNativePG' });
    }
    expect(Object.keys(cms[0].data)).toEqual(['cnpg-databases-pg.json']);
    expect(Object.keys(cms[1].data)).toEqual(['cnpg-databases-pg-poolers.json']);
    const [cluster, poolers] = dashboards(manifests);
    for (const d of [cluster, poolers]) {
      expect(d.templating.list[0]).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
      expect(d.uid.length).toBeLessThanOrEqual(40);
      const panels = d.panels.filter((p: any) => p.type !== 'row' && p.type !== 'text');
      expect(panels.length).toBeGreaterThan(8);
      for (const p of panels) {
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '$datasource' });
        for (const t of p.targets) expect(t.datasource).toEqual({ type: 'prometheus', uid: '$datasource' });
      }
    }
    expect(cluster.title).toBe('CloudNativePG / databases / pg');
    expect(poolers.templating.list[1].query).toBe('label_values(cnpg_pgbouncer_up{namespace="databases",pooler=~"harbor-pooler|keycloak-pooler"}, pooler)');
    const panelTitles = cluster.panels.map((p: any) => p.title);
    expect(panelTitles).toEqual(expect.arrayContaining(['Last successful backup', 'Replication lag', 'Connections used', 'WAL segments waiting to be archived']));
  });

  test('nothing Flux would substitute or unescape: no ${...}, no $$, no backslash escapes', () => {
    const monitoring = manifests.filter((m) => ['PrometheusRule', 'PodMonitor', 'ConfigMap'].includes(m.kind));
    const text = JSON.stringify(monitoring.map((m) => [m.spec, m.data]));
    expect(text).not.toContain('${');
    expect(text).not.toContain('$$');
    const raw = monitoring.flatMap((m) => [...Object.values(m.data ?? {}), ...(m.spec?.groups ?? []).flatMap((g: any) => g.rules.map((r: any) => `${r.expr}${JSON.stringify(r.annotations)}`))]).join('\n');
    expect(raw).not.toMatch(/\\[\\/]/);
  });
});

describe('the backup method decides the backup metric names', () => {
  test.each([
    [BackupMethod.PLUGIN, 'barman_cloud_cloudnative_pg_io_', 'cnpg_collector_last_available'],
    [BackupMethod.BARMAN_OBJECT_STORE, 'cnpg_collector_', 'barman_cloud'],
  ])('%s', (method, uses, avoids) => {
    const { manifests } = monitoredCluster({ backup: dailyBackup(method) });
    const backups = ruleFile(manifests).groups.find((g) => g.name === 'cnpg.pg.backups');
    for (const alert of ['CNPGBackupFailed', 'CNPGBackupTooOld', 'CNPGRecoverabilityPointTooOld']) {
      const r = backups.rules.find((x: any) => x.alert === alert);
      expect(r.expr).toContain(uses);
      expect(r.expr).not.toContain(avoids);
    }
    const cluster = dashboards(manifests)[0];
    const exprs = JSON.stringify(cluster.panels);
    expect(exprs).toContain(`${uses}`);
    expect(exprs).not.toContain(avoids);
  });

  test('the catalogue switches the same way', () => {
    const names = (method?: BackupMethod) => new CnpgMetricCatalogue({ namespace: 'n', clusterName: 'c', backupMethod: method }).backupMetricNames();
    expect(names()).toEqual(names(BackupMethod.PLUGIN));
    expect(names(BackupMethod.PLUGIN).every((n) => n.startsWith('barman_cloud_cloudnative_pg_io_'))).toBe(true);
    expect(names(BackupMethod.BARMAN_OBJECT_STORE)).toEqual([
      'cnpg_collector_last_available_backup_timestamp', 'cnpg_collector_last_failed_backup_timestamp', 'cnpg_collector_first_recoverability_point',
    ]);
  });

  test('forCluster reads the backup and poolers attached so far', () => {
    const db = new CnpgSharedCluster(chart(), 'db');
    expect(CnpgMetricCatalogue.forCluster(db).poolerNames).toEqual([]);
    db._registerBackup(dailyBackup(BackupMethod.BARMAN_OBJECT_STORE));
    db._registerPooler({ poolerName: 'a-pooler', namespace: 'databases', instances: 2, type: 'rw', application: 'a' });
    const cat = CnpgMetricCatalogue.forCluster(db);
    expect(cat.backupMethod).toBe(BackupMethod.BARMAN_OBJECT_STORE);
    expect(cat.poolerMatchers()).toBe('namespace="databases",pooler=~"a-pooler"');
    expect(cat.instanceMatchers()).toBe('namespace="databases",cluster="db"');
  });
});

describe('what applies to the cluster', () => {
  test('without backup and poolers: no backup or pooler group; the pooler dashboard says so', () => {
    const { manifests } = monitoredCluster();
    expect(ruleFile(manifests).groups.map((g) => g.name)).toEqual(['cnpg.pg.wal-archiving', 'cnpg.pg.replication', 'cnpg.pg.cluster']);
    const [cluster, poolers] = dashboards(manifests);
    expect(cluster.panels.find((p: any) => p.title === 'No backup')).toBeDefined();
    expect(poolers.panels.map((p: any) => p.title)).toEqual(['No pooler']);
  });

  test('a single asynchronous instance: no streaming or synchronous standby alerts', () => {
    const { manifests } = monitoredCluster({ instances: 1, replication: SynchronousReplication.asynchronous() });
    const names = alertRules(manifests).map((r) => r.alert);
    expect(names).not.toContain('CNPGStreamingReplicasMissing');
    expect(names).not.toContain('CNPGSyncReplicasMissing');
    expect(names).toContain('CNPGReplicationLagHigh');
  });

  test('a primary cluster: CNPGPrimaryMissing when every instance is in recovery, no replica-cluster alert', () => {
    const { manifests } = monitoredCluster();
    const byName = Object.fromEntries(alertRules(manifests).map((r) => [r.alert, r]));
    expect(byName.CNPGPrimaryMissing.expr).toBe('min by (namespace, cluster) (cnpg_pg_replication_in_recovery{namespace="databases",cluster="pg"}) == 1');
    expect(byName.CNPGPrimaryMissing.labels.severity).toBe('critical');
    expect(byName.CNPGReplicaClusterLagging).toBeUndefined();
  });

  test('a replica cluster: no primary-missing alert, no standby-lag or synchronous alerts; lag against its source', () => {
    const { manifests, cluster } = monitoredCluster({ replicaOf: 'pg-eu-south', backup: dailyBackup() });
    expect(cluster.replicaOf).toBe('pg-eu-south');
    const names = alertRules(manifests).map((r) => r.alert);
    for (const a of PRIMARY_ONLY_ALERTS) expect(names).not.toContain(a);
    expect(names).toEqual(expect.arrayContaining(['CNPGReplicaClusterLagging', 'CNPGStreamingReplicasMissing', 'CNPGWALArchivingFailing', 'CNPGBackupFailed']));
    const lag = alertRules(manifests).find((r) => r.alert === 'CNPGReplicaClusterLagging');
    expect(lag.expr).toBe('max by (namespace, cluster) (cnpg_pg_replication_lag{namespace="databases",cluster="pg"}) > 900');
    expect(lag.for).toBe('10m');
    expect(lag.annotations.description).toContain('replays its source pg-eu-south');
    const [dashboard] = dashboards(manifests);
    const titles = dashboard.panels.map((p: any) => p.title);
    expect(titles).not.toContain('Primary');
    expect(titles).toContain('Behind pg-eu-south');
  });

  test('enabling a replica-cluster alert on a primary cluster, or the primary alert on a replica, is an error', () => {
    expect(() => monitoredCluster({ monitoring: { alerts: { replication: { replicaClusterLagging: { enabled: true } } } } }))
      .toThrow(/alerts\.replication\.replicaClusterLagging\.enabled = true cannot apply: the cluster is not a replica cluster/);
    expect(() => monitoredCluster({ replicaOf: 'src', monitoring: { alerts: { cluster: { primaryMissing: { enabled: true } } } } }))
      .toThrow(/alerts\.cluster\.primaryMissing\.enabled = true cannot apply: the cluster is a replica cluster of src/);
  });

  test('preferred durability makes missing synchronous standbys a warning', () => {
    const { manifests } = monitoredCluster({ replication: SynchronousReplication.any({ number: 2, dataDurability: DataDurability.PREFERRED }) });
    const r = alertRules(manifests).find((x) => x.alert === 'CNPGSyncReplicasMissing');
    expect(r.labels.severity).toBe('warning');
    expect(r.expr).toMatch(/< 2\)$/);
  });

  test('a backup without schedule, retention or validation job: only the failure alert', () => {
    const { manifests } = monitoredCluster({ backup: { method: BackupMethod.PLUGIN } });
    expect(alertRules(manifests).filter((r) => r.labels && r.alert.startsWith('CNPGBackup') || r.alert === 'CNPGRecoverabilityPointTooOld').map((r) => r.alert))
      .toEqual(['CNPGBackupFailed']);
  });

  test('a schedule whose interval is unknown (a Flux variable) needs an explicit maxAge', () => {
    const backup = { method: BackupMethod.PLUGIN, schedule: '${CNPG_BACKUP_SCHEDULE}' };
    expect(() => monitoredCluster({ backup })).toThrow(
      /CnpgMonitoring at 'test\/pg\/Monitoring': alerts\.backups\.backupTooOld = "CNPGBackupTooOld" cannot be derived: the interval of the backup schedule "\$\{CNPG_BACKUP_SCHEDULE\}" is unknown at synth.*Fix: give alerts\.backups\.backupTooOld\.maxAge/);
    const { manifests } = monitoredCluster({ backup, monitoring: { alerts: { backups: { backupTooOld: { maxAge: Duration.hours(27) } } } } });
    expect(alertRules(manifests).find((r) => r.alert === 'CNPGBackupTooOld').expr).toMatch(/> 97200$/);
  });
});

describe('overrides', () => {
  const options: CnpgMonitoringOptions = {
    scrapeInterval: Duration.seconds(15),
    alerts: {
      labels: { team: 'dba' },
      runbookBaseUrl: 'https://runbooks.example.com/cnpg',
      evaluationInterval: Duration.seconds(30),
      replication: { lagHigh: { threshold: 30, forDuration: Duration.minutes(2), severity: AlertSeverity.INFO }, instanceDown: { enabled: false } },
      walArchiving: { enabled: false },
      backups: { backupTooOld: { grace: Duration.hours(1) } },
      poolers: { clientsWaiting: { threshold: 0.5 } },
    },
    dashboards: { namespace: 'observability', sidecarLabels: { grafana_dashboard: 'cnpg' }, folder: 'Databases', folderAnnotation: 'k8s-sidecar-target-directory', poolers: false },
  };
  const { manifests } = monitoredCluster({ backup: dailyBackup(), poolers: TWO_POOLERS, monitoring: options });
  const rules = alertRules(manifests);
  const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));

  test('thresholds, for, severity, extra labels and the runbook base URL land in the rules', () => {
    expect(byName.CNPGReplicationLagHigh).toMatchObject({ for: '2m', labels: { team: 'dba', severity: 'info' } });
    expect(byName.CNPGReplicationLagHigh.expr).toMatch(/> 30$/);
    expect(byName.CNPGReplicationLagHigh.annotations.runbook_url).toBe('https://runbooks.example.com/cnpg/CNPGReplicationLagHigh');
    expect(byName.CNPGBackupTooOld.expr).toMatch(/> 90000$/);
    expect(byName.CNPGPoolerClientsWaiting.expr).toMatch(/> 0\.5$/);
    expect(byName.CNPGInstanceDown).toBeUndefined();
    expect(rules.some((r) => r.alert.startsWith('CNPGWAL'))).toBe(false);
    expect(ruleFile(manifests).groups.every((g) => g.interval === '30s')).toBe(true);
  });

  test('scrape interval and dashboard placement', () => {
    expect(one(manifests, 'PodMonitor').spec.podMetricsEndpoints[0].interval).toBe('15s');
    const cm = one(manifests, 'ConfigMap');
    expect(cm.metadata).toMatchObject({ name: 'pg-dashboard', namespace: 'observability', annotations: { 'k8s-sidecar-target-directory': 'Databases' } });
    expect(cm.metadata.labels.grafana_dashboard).toBe('cnpg');
  });

  test('everything can be turned off', () => {
    const { manifests: none } = monitoredCluster({ monitoring: { podMonitor: false, alerts: { enabled: false }, dashboards: { enabled: false } } });
    expect(none.filter((m) => ['PodMonitor', 'PrometheusRule', 'ConfigMap'].includes(m.kind))).toEqual([]);
  });
});

describe('bad input names path, field, value and fix', () => {
  const cases: Array<[string, CnpgMonitoringOptions, RegExp, { backup?: boolean; poolers?: boolean }?]> = [
    ['threshold out of range', { alerts: { cluster: { connectionsNearMax: { threshold: 80 } } } },
      /alerts\.cluster\.connectionsNearMax\.threshold = 80 must be a share between 0 \(excluded\) and 1\. Fix: e\.g\. 0\.8/],
    ['xid threshold past wraparound', { alerts: { cluster: { transactionIdWraparound: { threshold: 3e9 } } } },
      /transactionIdWraparound\.threshold = 3000000000 must be a whole number of transactions below 2\^31/],
    ['negative lag', { alerts: { replication: { lagHigh: { threshold: -1 } } } }, /lagHigh\.threshold = -1 must be a positive number/],
    ['threshold on an alert without one', { alerts: { cluster: { fencingOn: { threshold: 1 } } as any } },
      /alerts\.cluster\.fencingOn\.threshold = 1 is not a prop of AlertOptions \(it would be ignored\)\. Fix: use the props of AlertOptions: enabled, forDuration, severity/],
    ['grace on an alert that is not about backup age', { alerts: { replication: { lagHigh: { grace: Duration.hours(1) } as any } } },
      /alerts\.replication\.lagHigh\.grace = "\(a Duration\)" is not a prop of ThresholdAlertOptions \(it would be ignored\)\. Fix: use the props of ThresholdAlertOptions/],
    ['for in milliseconds', { alerts: { replication: { lagHigh: { forDuration: Duration.millis(1500) } } } },
      /alerts\.replication\.lagHigh\.forDuration = "1 second 500 millis" is not a whole number of seconds\. Fix: use whole seconds/],
    ['severity label among extra labels', { alerts: { labels: { severity: 'page' } } }, /alerts\.labels\.severity = "page" would override every alert's own severity/],
    ['bad label name', { alerts: { labels: { 'team-name': 'x' } } }, /alerts\.labels\.team-name = "x" has a key that is not a Prometheus label name/],
    ['runbook URL', { alerts: { runbookBaseUrl: 'docs/runbooks' } }, /alerts\.runbookBaseUrl = "docs\/runbooks" is not an http\(s\) URL/],
    ['backup alerts without backup', { alerts: { backups: { enabled: true } } },
      /alerts\.backups\.enabled = true asks for backup alerts, but no backup is attached to the cluster\. Fix: attach a backup/],
    ['pooler alerts without poolers', { alerts: { poolers: { enabled: true } } }, /alerts\.poolers\.enabled = true asks for pooler alerts, but no pooler is attached/],
    ['validation alert without a validation job', { alerts: { backups: { validationFailed: { enabled: true } } } },
      /alerts\.backups\.validationFailed\.enabled = true cannot apply: the backup has no validation CronJob/, { backup: true }],
    ['scrape interval without PodMonitor', { podMonitor: false, scrapeInterval: Duration.seconds(30) }, /scrapeInterval = "30 seconds" is set but the PodMonitor is off/],
    ['dashboard namespace', { dashboards: { namespace: 'Observability' } }, /dashboards\.namespace = "Observability"/],
    ['no sidecar label', { dashboards: { sidecarLabels: {} } }, /dashboards\.sidecarLabels = \{\} is empty: the sidecar would not find the dashboards/],
  ];
  test.each(cases.map((c) => [c[0], c] as const))('%s', (_name, [, monitoring, message, attach]) => {
    expect(() => monitoredCluster({ monitoring, backup: attach?.backup ? { method: BackupMethod.PLUGIN } : undefined })).toThrow(message);
  });

  test('addMonitoring twice', () => {
    const db = new CnpgSharedCluster(chart(), 'db');
    db.addMonitoring();
    expect(() => db.addMonitoring()).toThrow(/CnpgSharedCluster at 'test\/db': monitoring = "addMonitoring\(\)" is called twice\. Fix: call addMonitoring once per cluster/);
  });

  test('errors that need the attached backup surface at synth with the construct path', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.addMonitoring({ alerts: { poolers: { enabled: true } } });
    expect(() => synth(c)).toThrow(/CnpgMonitoring at 'test\/db\/Monitoring': alerts\.poolers\.enabled = true/);
  });
});
