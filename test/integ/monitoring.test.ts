/**
 * The alert presets and dashboards against promtool (Debian's `prometheus` 2.42, installed by
 * .ci/install/promtool.sh): every synthesized rule file passes `promtool check rules`, every
 * dashboard query parses as PromQL, and `promtool test rules` proves, with synthetic series under
 * the real metric names, that each alert fires on the failure it exists for (not before its
 * `for`) and stays silent on healthy series, with the default thresholds and with overrides, for
 * both backup methods.
 *
 * Fails (never skips) without promtool.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../../examples/platform/platform';
import { AlertSeverity, BackupInfo, BackupMethod, CnpgMetricCatalogue, CnpgMonitoringOptions, DataDurability, SynchronousReplication } from '../../src';
import { assertPromtool, promtool, removeTempDirs, Scenario, tempDir, unitTestFile, writeYaml } from './monitoring/promtool';
import { scenarios } from './monitoring/scenarios';
import { ALERT_NAMES } from '../../src/monitoring/alert-presets';
import { dashboardExpressions } from '../../src/monitoring/dashboards';
import { documentedRule } from '../util/alert-defaults';
import { fluxSubstitute, readSettingsData } from '../util/flux';
import { dashboards, monitoredCluster, ruleFile, TWO_POOLERS } from '../util/monitoring-fixture';
import { withoutGrafanaVariables } from '../util/promql';

jest.setTimeout(300_000);

/** Backups every 6 h, 1 day of retention: short enough windows for promtool to evaluate minute by minute. */
const backup = (method: BackupMethod): BackupInfo => ({
  method, schedule: '0 0 */6 * * *', maxIntervalSeconds: 6 * 3600, retentionDays: 1, validationCronJobName: 'pg-backup-validation',
});

const OVERRIDES: CnpgMonitoringOptions = {
  alerts: {
    labels: { team: 'dba' },
    backups: {
      backupFailed: { forDuration: Duration.minutes(1) },
      backupTooOld: { maxAge: Duration.hours(2), forDuration: Duration.minutes(3) },
      recoverabilityPointTooOld: { grace: Duration.hours(2), forDuration: Duration.minutes(10) },
      validationFailed: { forDuration: Duration.minutes(15), severity: AlertSeverity.CRITICAL },
    },
    walArchiving: { archivingFailing: { forDuration: Duration.minutes(2) }, archivingStalled: { threshold: 3, forDuration: Duration.minutes(3) } },
    replication: {
      lagHigh: { threshold: 30, forDuration: Duration.minutes(2) },
      lagCritical: { threshold: 120, forDuration: Duration.minutes(1) },
      slotLagging: { threshold: 100 * 1024 ** 2, forDuration: Duration.minutes(2) },
      instanceDown: { forDuration: Duration.minutes(1) },
      syncReplicasMissing: { forDuration: Duration.minutes(4) },
    },
    cluster: {
      connectionsNearMax: { threshold: 0.5, forDuration: Duration.minutes(1) },
      transactionIdWraparound: { threshold: 200_000_000, forDuration: Duration.minutes(5) },
      metricsAbsent: { forDuration: Duration.minutes(3) },
      collectorErrors: { forDuration: Duration.minutes(5) },
    },
    poolers: {
      clientsWaiting: { threshold: 0.5, forDuration: Duration.minutes(1) },
      serverPoolSaturated: { forDuration: Duration.minutes(2) },
      replicasUnavailable: { forDuration: Duration.minutes(3) },
      exporterDown: { forDuration: Duration.minutes(1) },
    },
  },
};

interface Variant {
  name: string;
  method: BackupMethod;
  monitoring: CnpgMonitoringOptions;
  replication?: SynchronousReplication;
  replicaOf?: string;
  /** The synchronous standbys `replication` needs (CNPGSyncReplicasMissing); `SynchronousReplication.any()`'s documented default is 1. */
  synchronousStandbys?: number;
}
const VARIANTS: Variant[] = [
  { name: 'Barman Cloud plugin backups, default thresholds', method: BackupMethod.PLUGIN, monitoring: {} },
  { name: 'a replica cluster (of pg-eu-south), default thresholds', method: BackupMethod.PLUGIN, monitoring: {}, replicaOf: 'pg-eu-south' },
  {
    name: 'a replica cluster, overridden thresholds',
    method: BackupMethod.PLUGIN,
    monitoring: { alerts: { replication: { replicaClusterLagging: { threshold: 300, forDuration: Duration.minutes(3) } } } },
    replicaOf: 'pg-eu-south',
  },
  { name: 'in-tree barmanObjectStore backups, default thresholds', method: BackupMethod.BARMAN_OBJECT_STORE, monitoring: {} },
  {
    name: 'overridden thresholds and for, preferred durability with 2 synchronous standbys',
    method: BackupMethod.PLUGIN,
    monitoring: OVERRIDES,
    replication: SynchronousReplication.any({ number: 2, dataDurability: DataDurability.PREFERRED }),
    synchronousStandbys: 2,
  },
];

let version = '';
beforeAll(() => {
  version = assertPromtool();
});

/** What each alert was shown to fire on (printed once, for the record). */
const proven = new Map<string, Set<string>>();

afterAll(() => {
  removeTempDirs();
  if (!proven.size) return;
  const lines = ALERT_NAMES.map((a) => `- ${a}: ${[...(proven.get(a) ?? [])].join('; ') || 'NOT PROVEN'}`);
  console.info(`${version}\nAlerts shown to fire (promtool test rules):\n${lines.join('\n')}`);
});

describe.each(VARIANTS)('$name', (variant) => {
  const { manifests, monitoring } = monitoredCluster({
    backup: backup(variant.method),
    poolers: TWO_POOLERS,
    replication: variant.replication,
    monitoring: variant.monitoring,
    replicaOf: variant.replicaOf,
  });
  const file = ruleFile(manifests);
  const rules = file.groups.flatMap((g) => g.rules);
  const built = new Map(monitoring._alertRules().map((r) => [r.alert, r]));
  // Scenarios exist for every alert; those of alerts this cluster does not have (a replica cluster's,
  // or a primary cluster's) are built against a stand-in rule and dropped.
  const all = scenarios({
    method: variant.method,
    backupMetrics: new CnpgMetricCatalogue({ namespace: 'databases', clusterName: 'pg', backupMethod: variant.method }).backupMetricNames(),
    instances: 3,
    validationCronJob: 'pg-backup-validation',
    poolers: TWO_POOLERS,
    // The thresholds and `for` the scenarios are built around are the documented defaults and the
    // variant's overrides (test/util/alert-defaults.ts), not the rule under test: a preset whose
    // threshold drifted fires or stays silent at the wrong step.
    rule: (alert) => {
      if (!built.has(alert) && !ALERT_NAMES.includes(alert)) throw new Error(`no alert ${alert}`);
      return documentedRule(alert, variant.monitoring, {
        instances: 3, backup: backup(variant.method), synchronousStandbys: variant.synchronousStandbys ?? 1,
      });
    },
  }).filter((s) => built.has(s.alert));
  const dir = tempDir('rules');
  const rulesName = writeYaml(dir, 'rules.yaml', file);

  test('promtool check rules accepts the synthesized rule file', () => {
    const r = promtool(['check', 'rules', rulesName], dir);
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });

  test('every alert has a failure it fires on and a healthy series it stays silent on', () => {
    for (const r of rules) {
      const own = all.filter((s) => s.alert === r.alert);
      expect({ alert: r.alert, failure: own.some((s) => s.kind === 'failure'), healthy: own.some((s) => s.kind === 'healthy') })
        .toEqual({ alert: r.alert, failure: true, healthy: true });
    }
  });

  test.each(ALERT_NAMES.filter((a) => built.has(a)))('promtool test rules: %s', (alert) => {
    const own: Scenario[] = all.filter((s) => s.alert === alert);
    // The alert's rule exactly as synthesized, alone in its group: promtool evaluates every rule of
    // the file at every step, and the backup scenarios span days of minutes.
    const single = { groups: file.groups.map((g) => ({ ...g, rules: g.rules.filter((r: any) => r.alert === alert) })).filter((g) => g.rules.length) };
    const singleName = writeYaml(dir, `${alert}.rules.yaml`, single);
    const testFile = writeYaml(dir, `${alert}.test.yaml`, unitTestFile(singleName, rules, own));
    const r = promtool(['test', 'rules', testFile], dir);
    if (r.code !== 0) {
      throw new Error(`promtool test rules failed for ${alert} (${path.join(dir, testFile)}; CNPG_KEEP_TEST_FILES=1 keeps it):\n${r.output}`);
    }
    expect(r.output).toContain('SUCCESS');
    for (const s of own.filter((x) => x.kind === 'failure')) {
      if (!proven.has(alert)) proven.set(alert, new Set());
      proven.get(alert)!.add(s.title);
    }
  });

  test('every dashboard query parses with promtool (as recording rules, Grafana variables replaced)', () => {
    const exprs = dashboards(manifests).flatMap((d) => dashboardExpressions(d));
    expect(exprs.length).toBeGreaterThan(30);
    const recording = { groups: [{ name: 'dashboards', rules: exprs.map((e, i) => ({ record: `cnpg_dashboard:query_${i}`, expr: withoutGrafanaVariables(e) })) }] };
    const name = writeYaml(dir, 'dashboards.yaml', recording);
    const r = promtool(['check', 'rules', name], dir);
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(r.code).toBe(0);
  });
});

describe('the reference platform', () => {
  test('its PrometheusRules pass promtool check rules after Flux substitutes the cluster-settings', () => {
    const app = Testing.app();
    buildPlatform(app);
    const text = fluxSubstitute((app as App).synthYaml(), readSettingsData(REFERENCE_SETTINGS_FILE));
    const objects = parseAllDocuments(text).map((d) => d.toJSON());
    const file = ruleFile(objects);
    expect(file.groups.length).toBeGreaterThan(0);
    const dir = tempDir('platform');
    fs.writeFileSync(path.join(dir, 'platform.yaml'), JSON.stringify(file));
    const r = promtool(['check', 'rules', 'platform.yaml'], dir);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });
});
