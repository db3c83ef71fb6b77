import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { BackupMethod, CnpgMetricCatalogue, DataDurability, SynchronousReplication } from '../src';
import { DOCUMENTED_ALERTS, docDuration, documentedRule } from './util/alert-defaults';
import { dailyBackup, monitoredCluster, TWO_POOLERS } from './util/monitoring-fixture';
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
