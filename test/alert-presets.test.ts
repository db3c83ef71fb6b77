import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { BackupMethod, CnpgMetricCatalogue, CnpgSharedCluster, DataDurability, SynchronousReplication } from '../src';
import { DOCUMENTED_ALERTS, docDuration, documentedRule } from './util/alert-defaults';
import { alertRules, dailyBackup, monitoredCluster, TWO_POOLERS } from './util/monitoring-fixture';
import { ALERT_GROUPS, ALERT_NAMES, DEFAULT_RUNBOOK_BASE_URL } from '../src/monitoring/alert-presets';

// The alert presets against their documented defaults (issue #17): severity, `for`, threshold and
// the expression's comparison, from a table written by hand (test/util/alert-defaults.ts) and an
// expression built here from the metric catalogue, never read back from the rule under test.

const RUNBOOKS = path.join(__dirname, '..', 'docs', 'runbooks');

describe('the documented defaults (test/util/alert-defaults.ts) are the docs\'', () => {
  const index = fs.readFileSync(path.join(RUNBOOKS, 'index.md'), 'utf8');

  test('one row per alert, in the presets\' order', () => {
    expect(Object.keys(DOCUMENTED_ALERTS)).toEqual(ALERT_NAMES);
    expect([...index.matchAll(/^\| \[(CNPG\w+)\]/gm)].map((m) => m[1])).toEqual(ALERT_NAMES);
  });

  test.each(Object.entries(DOCUMENTED_ALERTS))('%s: its runbook\'s group, severity and for; the index\'s threshold', (alert, d) => {
    const header = fs.readFileSync(path.join(RUNBOOKS, `${alert}.md`), 'utf8').split('\n')[4];
    const [, group, severity, forText] = header.split('|').map((s) => s.trim());
    expect([group, severity.split(' ')[0], forText]).toEqual([d.docGroup, d.severity, docDuration(d.forSeconds)]);
    const row = index.split('\n').find((l) => l.startsWith(`| [${alert}]`))!;
    expect(row).toContain(`| ${d.docGroup} |`);
    if (d.documented) expect(row).toContain(d.documented);
  });
});

describe('the presets\' defaults and expressions', () => {
  const f = monitoredCluster({
    backup: dailyBackup(),
    poolers: TWO_POOLERS,
    replication: SynchronousReplication.any({ number: 1, dataDurability: DataDurability.REQUIRED }),
  });
  const rules = new Map(f.monitoring._alertRules().map((r) => [r.alert, r]));
  const cat = new CnpgMetricCatalogue({ namespace: 'databases', clusterName: 'pg', backupMethod: BackupMethod.PLUGIN, poolerNames: TWO_POOLERS.map((p) => p.name) });

  test('every preset but the replica cluster\'s is built for a primary cluster with backups, poolers and synchronous standbys', () => {
    expect([...rules.keys()]).toEqual(ALERT_NAMES.filter((a) => a !== 'CNPGReplicaClusterLagging'));
  });

  test.each(ALERT_NAMES.filter((a) => a !== 'CNPGReplicaClusterLagging'))('%s: group, severity, for and threshold as documented', (alert) => {
    const r = rules.get(alert)!;
    const d = DOCUMENTED_ALERTS[alert];
    expect({ group: r.group, severity: r.severity, forSeconds: r.forSeconds })
      .toEqual({ group: d.group, severity: d.severity, forSeconds: d.forSeconds });
    if (d.threshold !== undefined) expect(r.threshold).toBe(d.threshold);
    expect(r.labels).toEqual({ severity: d.severity });
    expect(r.annotations.runbook_url).toBe(`${DEFAULT_RUNBOOK_BASE_URL}${alert}`);
    expect(ALERT_GROUPS).toContain(r.group);
  });

  /** The expected expression of each alert, from the catalogue and the documented threshold (or the one derived from the fixture). */
  const expected: { [alert: string]: string } = {
    CNPGBackupFailed: `${cat.lastFailedBackupTimestamp()} > ${cat.lastAvailableBackupTimestamp()}`,
    // Daily backups + 3 h of grace.
    CNPGBackupTooOld: `${cat.lastBackupAgeSeconds()} > ${86_400 + 3 * 3600}`,
    // 30 days of retention + one daily interval + 1 day of grace.
    CNPGRecoverabilityPointTooOld: `${cat.recoverabilityWindowSeconds()} > ${30 * 86_400 + 86_400 + 86_400}`,
    CNPGBackupValidationFailed: (() => {
      const failed = cat.cronJobLastFailedJobStartTime('pg-backup-validation');
      const ok = cat.cronJobLastSuccessfulTime('pg-backup-validation');
      return `(${failed} > ${ok}) or (${failed} unless ${ok})`;
    })(),
    CNPGWALArchivingFailing: `${cat.walArchiveLastFailedTime()} > ${cat.walArchiveLastArchivedTime()}`,
    CNPGWALArchivingStalled: `${cat.walSegmentsReadyToArchive()} > 10`,
    CNPGReplicationLagHigh: `${cat.replicationLagSeconds()} > 60`,
    CNPGReplicationLagCritical: `${cat.replicationLagSeconds()} > 300`,
    // 3 instances: 2 standbys.
    CNPGStreamingReplicasMissing: `${cat.streamingReplicas()} < 2`,
    CNPGSyncReplicasMissing: `(${cat.synchronousStandbysRequired()} < 1) or (${cat.streamingReplicas()} < 1)`,
    CNPGReplicationSlotLagging: `${cat.replicationSlotLagBytes()} > ${1024 ** 3}`,
    CNPGInstanceDown: `${cat.postgresUp()} == 0`,
    CNPGInstanceMetricsAbsent: `(${cat.instancesReporting()} < 3) or (${cat.instancesAbsent()} * 0)`,
    CNPGPrimaryMissing: `${cat.everyInstanceInRecovery()} == 1`,
    CNPGCollectorErrors: `${cat.collectionErrors()} == 1`,
    CNPGInstanceFenced: `${cat.fencingOn()} == 1`,
    CNPGManualSwitchoverRequired: `${cat.manualSwitchoverRequired()} == 1`,
    CNPGConnectionsNearMax: `${cat.connectionsUsedRatio()} > 0.8`,
    CNPGTransactionIdWraparound: `${cat.transactionIdAge()} > 1000000000`,
    CNPGPoolerExporterDown: `(${cat.poolerUp()} == 0) or ${cat.poolerAbsent('harbor-pooler')} or ${cat.poolerAbsent('keycloak-pooler')}`,
    CNPGPoolerClientsWaiting: `${cat.poolerMaxWaitSeconds()} > 5`,
    CNPGPoolerServerPoolSaturated: cat.poolerSaturatedPools(),
    CNPGPoolerReplicasUnavailable: `(${cat.poolerAvailableReplicas('harbor-pooler')} < 3) or (${cat.poolerAvailableReplicas('keycloak-pooler')} < 2)`,
  };

  test.each(Object.entries(expected))('%s: the expression compares what the runbook says', (alert, expr) => {
    expect(rules.get(alert)!.expr).toBe(expr);
  });

  test('the derived thresholds: backup ages from the schedule and retention, replica counts from the cluster', () => {
    const t = (a: string) => rules.get(a)!.threshold;
    expect([t('CNPGBackupTooOld'), t('CNPGRecoverabilityPointTooOld'), t('CNPGStreamingReplicasMissing'), t('CNPGSyncReplicasMissing'), t('CNPGInstanceMetricsAbsent')])
      .toEqual([97_200, 32 * 86_400, 2, 1, 3]);
  });

  test('dataDurability preferred: the synchronous-standby alert is a warning', () => {
    const p = monitoredCluster({ replication: SynchronousReplication.any({ number: 2, dataDurability: DataDurability.PREFERRED }) });
    const r = p.monitoring._alertRules().find((x) => x.alert === 'CNPGSyncReplicasMissing')!;
    expect([r.severity, r.threshold]).toEqual(['warning', 2]);
    expect(r.annotations.description).toContain('with dataDurability preferred, commits go on with less redundancy than promised.');
  });

  test('a replica cluster: the replica-cluster lag alert with its documented default, and no primary-only alert', () => {
    const rc = monitoredCluster({ replicaOf: 'pg-eu-south' });
    const r = new Map(rc.monitoring._alertRules().map((x) => [x.alert, x]));
    const d = DOCUMENTED_ALERTS.CNPGReplicaClusterLagging;
    expect({ severity: r.get('CNPGReplicaClusterLagging')!.severity, forSeconds: r.get('CNPGReplicaClusterLagging')!.forSeconds, threshold: r.get('CNPGReplicaClusterLagging')!.threshold })
      .toEqual({ severity: d.severity, forSeconds: d.forSeconds, threshold: d.threshold });
    const rcat = new CnpgMetricCatalogue({ namespace: 'databases', clusterName: 'pg', backupMethod: BackupMethod.PLUGIN, replicaOf: 'pg-eu-south' });
    expect(r.get('CNPGReplicaClusterLagging')!.expr).toBe(`${rcat.replicaClusterLagSeconds()} > 900`);
    for (const a of ['CNPGReplicationLagHigh', 'CNPGReplicationLagCritical', 'CNPGSyncReplicasMissing', 'CNPGPrimaryMissing']) expect(r.has(a)).toBe(false);
  });

  test('a single instance has no streaming-replica alert; without a schedule the backup-age alert is skipped unless maxAge is given', () => {
    const unscheduled = { ...dailyBackup(), schedule: undefined, maxIntervalSeconds: undefined };
    const single = monitoredCluster({ instances: 1, replication: SynchronousReplication.asynchronous(), backup: unscheduled });
    const names = single.monitoring._alertRules().map((r) => r.alert);
    expect(names).not.toContain('CNPGStreamingReplicasMissing');
    expect(names).not.toContain('CNPGBackupTooOld');
    const monitoring = { alerts: { backups: { backupTooOld: { maxAge: Duration.hours(5) } } } };
    const withMaxAge = monitoredCluster({ backup: unscheduled, monitoring });
    expect(withMaxAge.monitoring._alertRules().find((r) => r.alert === 'CNPGBackupTooOld')!.threshold).toBe(5 * 3600);
  });
});

describe('documentedRule (what the promtool scenarios are built around) follows overrides as the presets do', () => {
  const monitoring = {
    alerts: {
      backups: {
        backupTooOld: { maxAge: Duration.hours(2) },
        recoverabilityPointTooOld: { grace: Duration.hours(2), forDuration: Duration.minutes(10) },
      },
      replication: { lagHigh: { threshold: 30, forDuration: Duration.minutes(2) } },
      cluster: { connectionsNearMax: { threshold: 0.5 } },
    },
  };
  const f = monitoredCluster({
    backup: dailyBackup(),
    poolers: TWO_POOLERS,
    monitoring,
    replication: SynchronousReplication.any({ number: 2, dataDurability: DataDurability.PREFERRED }),
  });

  test.each(f.monitoring._alertRules().map((r) => [r.alert, r] as const))('%s', (alert, r) => {
    expect(documentedRule(alert, monitoring, { instances: 3, backup: dailyBackup(), synchronousStandbys: 2 }))
      .toEqual({ threshold: r.threshold, forSeconds: r.forSeconds });
  });

  test('the overrides are the ones given (2 h; 30 days + 1 day + 2 h; 30 s for 2 min; 0.5)', () => {
    const by = new Map(f.monitoring._alertRules().map((r) => [r.alert, r]));
    expect([by.get('CNPGBackupTooOld')!.threshold, by.get('CNPGRecoverabilityPointTooOld')!.threshold, by.get('CNPGReplicationLagHigh')!.threshold,
      by.get('CNPGReplicationLagHigh')!.forSeconds, by.get('CNPGConnectionsNearMax')!.threshold]).toEqual([7200, 31 * 86_400 + 7200, 30, 120, 0.5]);
  });
});

describe('every limit of the alert overrides, on both sides (issue #17: boundaries)', () => {
  const withAlerts = (alerts: object, extra: Parameters<typeof monitoredCluster>[0] = {}) =>
    () => monitoredCluster({ backup: dailyBackup(), poolers: TWO_POOLERS, ...extra, monitoring: { alerts } as any });
  const rule = (alerts: object, alert: string) => withAlerts(alerts)().monitoring._alertRules().find((r) => r.alert === alert)!;

  test.each([
    // [group, option, accepted, refused, problem]
    ['walArchiving', 'archivingStalled', [1, 2, 10_000], [0, -1, 1.5], 'must be a whole number of WAL segments, at least 1'],
    ['replication', 'lagHigh', [Number.MIN_VALUE, 0.5, 1, 86_400], [0, -1], 'must be a positive number'],
    ['replication', 'lagCritical', [1, 0.001], [0, -0.5], 'must be a positive number'],
    ['replication', 'slotLagging', [1, 1024 ** 4], [0, -1024], 'must be a positive number'],
    ['poolers', 'clientsWaiting', [1], [0], 'must be a positive number'],
    ['cluster', 'connectionsNearMax', [1, 0.001, 0.5], [0, 1.0001, 2, -0.5], 'must be a share between 0 (excluded) and 1'],
    ['cluster', 'transactionIdWraparound', [1, 2 ** 31 - 1], [0, 2 ** 31, 1.5, -1], 'must be a whole number of transactions below 2^31 (2147483648)'],
  ] as Array<[string, string, number[], number[], string]>)('%s.%s: the accepted thresholds are written, the others refused', (group, option, accepted, refused, problem) => {
    for (const t of accepted) {
      const f = withAlerts({ [group]: { [option]: { threshold: t } } })();
      expect(f.monitoring._alertRules().some((r) => r.threshold === t)).toBe(true);
    }
    for (const t of refused) {
      expect(withAlerts({ [group]: { [option]: { threshold: t } } })).toThrow(`alerts.${group}.${option}.threshold = ${t}`);
      expect(withAlerts({ [group]: { [option]: { threshold: t } } })).toThrow(problem);
    }
  });

  test('what the option types do not allow is refused by the argument check, before the presets read it', () => {
    // A threshold, grace or maxAge on an alert that has none; a number that is not finite; a
    // severity outside AlertSeverity (Python and Go pass strings).
    expect(withAlerts({ backups: { backupFailed: { threshold: 1 } } })).toThrow('alerts.backups.backupFailed.threshold = 1 is not a prop of AlertOptions (it would be ignored)');
    expect(withAlerts({ replication: { lagHigh: { grace: Duration.hours(1) } } })).toThrow('alerts.replication.lagHigh.grace');
    expect(withAlerts({ replication: { lagHigh: { maxAge: Duration.hours(2) } } })).toThrow('is not a prop of ThresholdAlertOptions');
    for (const t of [NaN, Infinity, -Infinity]) {
      expect(withAlerts({ replication: { lagHigh: { threshold: t } } })).toThrow(`alerts.replication.lagHigh.threshold = ${t} is not a finite number`);
    }
    expect(withAlerts({ cluster: { fencingOn: { severity: 'page' } } })).toThrow('alerts.cluster.fencingOn.severity = "page" is not one of AlertSeverity\'s values');
  });

  test('durations: forDuration and grace from 0 s, maxAge from 1 s; whole seconds only', () => {
    const zeroFor = withAlerts({ replication: { lagHigh: { forDuration: Duration.seconds(0) } } })();
    expect(zeroFor.monitoring._alertRules().find((r) => r.alert === 'CNPGReplicationLagHigh')!.forSeconds).toBe(0);
    // Written as Prometheus reads it: `for: 0s`.
    const written = alertRules(zeroFor.manifests).find((r: any) => r.alert === 'CNPGReplicationLagHigh');
    expect(written.for).toBe('0s');
    expect(rule({ backups: { backupTooOld: { grace: Duration.seconds(0) } } }, 'CNPGBackupTooOld').threshold).toBe(86_400);
    expect(rule({ backups: { backupTooOld: { maxAge: Duration.seconds(1) } } }, 'CNPGBackupTooOld').threshold).toBe(1);
    expect(withAlerts({ backups: { backupTooOld: { maxAge: Duration.seconds(0) } } })).toThrow('alerts.backups.backupTooOld.maxAge = "0 seconds" must be at least 1 s. Fix: give a longer duration');
    expect(withAlerts({ backups: { backupTooOld: { grace: Duration.millis(1500) } } })).toThrow('alerts.backups.backupTooOld.grace = "1 second 500 millis" is not a whole number');
    expect(withAlerts({ replication: { lagHigh: { forDuration: Duration.millis(1500) } } })).toThrow('alerts.replication.lagHigh.forDuration = "1 second 500 millis" is not a whole number of seconds');
  });

  test('a group enabled explicitly that cannot apply is refused; disabled alerts write no rule', () => {
    expect(() => monitoredCluster({ monitoring: { alerts: { backups: { enabled: true } } } }))
      .toThrow('alerts.backups.enabled = true asks for backup alerts, but no backup is attached to the cluster. Fix: attach a backup to the cluster, or leave the group disabled');
    expect(() => monitoredCluster({ monitoring: { alerts: { poolers: { enabled: true } } } }))
      .toThrow('alerts.poolers.enabled = true asks for pooler alerts, but no pooler is attached to the cluster. Fix: add poolers to the cluster, or leave the group disabled');
    // With a backup and poolers, enabling them explicitly is what they do by default.
    expect(withAlerts({ backups: { enabled: true }, poolers: { enabled: true } })().monitoring._alertRules().length)
      .toBe(withAlerts({})().monitoring._alertRules().length);
    const off = withAlerts({ enabled: false })();
    expect(off.monitoring._alertRules()).toEqual([]);
    expect(alertRules(off.manifests)).toEqual([]);
    const oneOff = withAlerts({ cluster: { fencingOn: { enabled: false } } })().monitoring._alertRules().map((r) => r.alert);
    expect(oneOff).not.toContain('CNPGInstanceFenced');
    expect(oneOff).toContain('CNPGManualSwitchoverRequired');
    const single = { instances: 1, replication: SynchronousReplication.asynchronous() };
    expect(() => monitoredCluster({ ...single, monitoring: { alerts: { replication: { streamingReplicasMissing: { enabled: true } } } } }))
      .toThrow('alerts.replication.streamingReplicasMissing.enabled = true cannot apply: the cluster has a single instance. '
        + 'Fix: leave CNPGStreamingReplicasMissing disabled, or change the cluster so it applies');
  });

  test('each alert is switched off by its own option, alerts.<group>.<option>.enabled (the documented names)', () => {
    const all = withAlerts({})().monitoring._alertRules().map((r) => r.alert);
    for (const [alert, d] of Object.entries(DOCUMENTED_ALERTS)) {
      if (!all.includes(alert)) continue; // the replica cluster's alert: not built for a primary
      const left = withAlerts({ [d.group]: { [d.option]: { enabled: false } } })().monitoring._alertRules().map((r) => r.alert);
      expect([alert, left]).toEqual([alert, all.filter((a) => a !== alert)]);
    }
  });

  test('a bad override fails where it is written (addMonitoring), not only at synth', () => {
    const cluster = () => new CnpgSharedCluster(new Chart(Testing.app(), 'early'), 'pg', { clusterName: 'pg' });
    expect(() => cluster().addMonitoring({ alerts: { replication: { lagHigh: { threshold: -1 } } } })).toThrow('alerts.replication.lagHigh.threshold = -1 must be a positive number');
    expect(() => cluster().addMonitoring({ alerts: { runbookBaseUrl: 'docs' } })).toThrow('alerts.runbookBaseUrl = "docs" is not an http(s) URL');
    expect(() => cluster().addMonitoring({ alerts: { labels: { __x: 'y' } } })).toThrow('alerts.labels.__x = "y" has a key that is not a Prometheus label name');
  });

  test('the runbook URL: http or https, whole, a slash added', () => {
    const url = (runbookBaseUrl: string) => rule({ runbookBaseUrl }, 'CNPGInstanceFenced').annotations.runbook_url;
    expect(url('https://docs.example.com/runbooks')).toBe('https://docs.example.com/runbooks/CNPGInstanceFenced');
    expect(url('http://docs.example.com/runbooks/')).toBe('http://docs.example.com/runbooks/CNPGInstanceFenced');
    for (const bad of ['ftp://docs.example.com/', 'see https://docs.example.com/', 'https://docs.example.com/ runbooks', 'https://', 'docs.example.com']) {
      expect(withAlerts({ runbookBaseUrl: bad })).toThrow(`alerts.runbookBaseUrl = ${JSON.stringify(bad)} is not an http(s) URL. `
        + 'Fix: give the URL of the runbook folder, e.g. "https://docs.example.com/runbooks/"');
    }
  });

  test('extra labels: Prometheus label names, not reserved, not severity', () => {
    expect(rule({ labels: { team: 'db', x__: 'y', _a: 'b' } }, 'CNPGInstanceFenced').labels).toEqual({ team: 'db', x__: 'y', _a: 'b', severity: 'warning' });
    for (const bad of ['__meta', '1team', 'team-name', '']) {
      expect(withAlerts({ labels: { [bad]: 'x' } })).toThrow(`alerts.labels.${bad} = "x" has a key that is not a Prometheus label name. `
        + 'Fix: use letters, digits and underscores, not starting with a digit or "__"');
    }
    expect(withAlerts({ labels: { severity: 'page' } })).toThrow('alerts.labels.severity = "page" would override every alert\'s own severity. Fix: set severity per alert');
  });
});

describe('the annotations say what the rule checks (the numbers in them are the thresholds, in human units)', () => {
  const SYNC = SynchronousReplication.any({ number: 1, dataDurability: DataDurability.REQUIRED });
  const description = (alert: string, alerts: object = {}, extra: Parameters<typeof monitoredCluster>[0] = {}) =>
    monitoredCluster({ backup: dailyBackup(), poolers: TWO_POOLERS, replication: SYNC, ...extra, monitoring: { alerts } as any })
      .monitoring._alertRules().find((r) => r.alert === alert)!.annotations.description;

  test('bytes in the largest whole unit', () => {
    const slot = (threshold: number) => description('CNPGReplicationSlotLagging', { replication: { slotLagging: { threshold } } });
    expect(description('CNPGReplicationSlotLagging')).toContain('(threshold 1 GiB)');
    expect(slot(1536 * 1024 ** 2)).toContain('(threshold 1536 MiB)');
    expect(slot(2048)).toContain('(threshold 2 KiB)');
    expect(slot(1024)).toContain('(threshold 1 KiB)');
    expect(slot(1000)).toContain('(threshold 1000 bytes)');
    expect(slot(1025)).toContain('(threshold 1025 bytes)');
  });

  test('durations as Prometheus writes them, shares as percentages', () => {
    expect(description('CNPGReplicationLagCritical')).toContain('(threshold 5m)');
    expect(description('CNPGReplicationLagHigh', { replication: { lagHigh: { threshold: 3725 } } })).toContain('(threshold 1h2m5s)');
    expect(description('CNPGPoolerClientsWaiting')).toContain('(threshold 5s)');
    expect(description('CNPGConnectionsNearMax')).toContain('(threshold 80%)');
    expect(description('CNPGConnectionsNearMax', { cluster: { connectionsNearMax: { threshold: 0.555 } } })).toContain('(threshold 56%)');
    expect(description('CNPGTransactionIdWraparound')).toContain('(threshold 1000000000)');
    expect(description('CNPGWALArchivingStalled')).toContain('(more than 10)');
  });

  test('the backup alerts name the schedule, the retention and the backup method', () => {
    expect(description('CNPGBackupTooOld')).toContain('it must be at most 1d3h old (schedule "0 0 2 * * *")');
    expect(description('CNPGRecoverabilityPointTooOld')).toContain('more than 32d (retention 30d plus ');
    expect(description('CNPGBackupFailed')).toContain('(Barman Cloud plugin)');
    expect(description('CNPGBackupFailed', {}, { backup: dailyBackup(BackupMethod.BARMAN_OBJECT_STORE) })).toContain('(in-tree barmanObjectStore)');
    const unscheduled = { ...dailyBackup(), schedule: undefined, maxIntervalSeconds: undefined };
    const noSchedule = description('CNPGBackupTooOld', { backups: { backupTooOld: { maxAge: Duration.hours(5) } } }, { backup: unscheduled });
    expect(noSchedule).toBe('The last successful backup of {{ $labels.namespace }}/{{ $labels.cluster }} is {{ $value | humanizeDuration }} old; '
      + 'it must be at most 5h old.');
    const noRetention = description('CNPGRecoverabilityPointTooOld', { backups: { recoverabilityPointTooOld: { maxAge: Duration.days(10) } } }, { backup: { ...dailyBackup(), retentionDays: undefined } });
    expect(noRetention).toBe('The first recoverability point of {{ $labels.namespace }}/{{ $labels.cluster }} is {{ $value | humanizeDuration }} old, '
      + 'more than 10d: the retention policy is not being applied, and the object store keeps growing.');
  });

  test('every alert\'s summary and description, for the reference fixture (the text on-call engineers read)', () => {
    const f = monitoredCluster({ backup: dailyBackup(), poolers: TWO_POOLERS, replication: SYNC });
    const replica = monitoredCluster({ replicaOf: 'pg-eu-south' });
    const annotations = Object.fromEntries([...f.monitoring._alertRules(), ...replica.monitoring._alertRules().filter((r) => r.alert === 'CNPGReplicaClusterLagging')]
      .map((r) => [r.alert, { summary: r.annotations.summary, description: r.annotations.description }]));
    expect(Object.keys(annotations).sort()).toEqual([...ALERT_NAMES].sort());
    expect(annotations).toMatchSnapshot();
  });
});
