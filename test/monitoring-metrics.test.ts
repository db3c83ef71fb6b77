import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { BackupMethod } from '../src';
import { VENDOR_DIR } from './util/conformance';
import { alertRules, dailyBackup, dashboards, monitoredCluster, TWO_POOLERS } from './util/monitoring-fixture';
import { knownCnpgMetrics, parsePromql, withoutGrafanaVariables } from './util/promql';
import { dashboardExpressions } from '../src/monitoring/dashboards';
import {
  COLLECTOR, EXTERNAL_METRICS, IN_TREE_BACKUP_METRICS, KUBE, PGBOUNCER, PLUGIN_BACKUP_METRICS, QUERIES,
} from '../src/monitoring/metric-names';

const KNOWN = knownCnpgMetrics();
const isCnpg = (name: string) => name.startsWith('cnpg_') || name.startsWith('barman_');

/** Every expression the monitoring of a fully attached cluster emits, by where it comes from. */
function expressions(method: BackupMethod): Array<[string, string]> {
  const { manifests } = monitoredCluster({ backup: dailyBackup(method), poolers: TWO_POOLERS });
  return [
    ...alertRules(manifests).map((r) => [`alert ${r.alert}`, r.expr] as [string, string]),
    ...dashboards(manifests).flatMap((d) => dashboardExpressions(d).map((e) => [`dashboard "${d.title}"`, withoutGrafanaVariables(e)] as [string, string])),
  ];
}

describe.each([BackupMethod.PLUGIN, BackupMethod.BARMAN_OBJECT_STORE])('every metric the rules and dashboards name exists (%s backups)', (method) => {
  const exprs = expressions(method);

  test('every expression parses with Prometheus\' PromQL grammar', () => {
    expect(exprs.length).toBeGreaterThan(50);
    const errors = exprs.flatMap(([where, e]) => parsePromql(e).errors.map((err) => `${where}: ${err}`));
    expect(errors).toEqual([]);
  });

  test('cnpg_/barman_ metrics are in vendor/metrics/cnpg-1.30.0.txt; every other is a documented kube-state-metrics/kubelet series', () => {
    const unknown = exprs.flatMap(([where, e]) => parsePromql(e).metrics
      .filter((m) => (isCnpg(m) ? !KNOWN.has(m) : !(m in EXTERNAL_METRICS)))
      .map((m) => `${where}: ${m}`));
    expect(unknown).toEqual([]);
  });

  test('the backup metrics are the method\'s', () => {
    const names = new Set(exprs.flatMap(([, e]) => parsePromql(e).metrics));
    const own = method === BackupMethod.PLUGIN ? PLUGIN_BACKUP_METRICS : IN_TREE_BACKUP_METRICS;
    const other = method === BackupMethod.PLUGIN ? IN_TREE_BACKUP_METRICS : PLUGIN_BACKUP_METRICS;
    for (const n of Object.values(own)) expect(names.has(n)).toBe(true);
    for (const n of Object.values(other)) expect(names.has(n)).toBe(false);
  });
});

test('the catalogue\'s metric names are all real, and the allow-list documents each external series', () => {
  const all = [COLLECTOR, QUERIES, PGBOUNCER, IN_TREE_BACKUP_METRICS, PLUGIN_BACKUP_METRICS].flatMap((o) => Object.values(o));
  expect(all.filter((n) => !KNOWN.has(n))).toEqual([]);
  expect(Object.keys(EXTERNAL_METRICS).sort()).toEqual(Object.values(KUBE).sort());
  for (const [name, doc] of Object.entries(EXTERNAL_METRICS)) {
    expect(name).toMatch(/^(kube_|kubelet_)/);
    expect(doc).toMatch(/^https:\/\/(github\.com\/kubernetes\/kube-state-metrics\/|kubernetes\.io\/docs\/reference\/instrumentation\/metrics\/)/);
  }
});

test('the hand-written rules this replaces: 16 cnpg_ metric names, 11 of which CNPG 1.30 does not export', () => {
  const file = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/workloads/platform/databases/cloudnative-pg/shared-cluster/prometheusrule.yaml');
  const vmrule = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJSON()).find((d) => d?.kind === 'VMRule');
  const names = new Set<string>();
  for (const g of vmrule.spec.groups) {
    for (const r of g.rules) for (const m of parsePromql(String(r.expr).replace(/\$\{[A-Z_]+\}/g, 'x')).metrics) names.add(m);
  }
  const cnpg = [...names].filter(isCnpg);
  const missing = cnpg.filter((n) => !KNOWN.has(n));
  expect({ total: names.size, cnpg: cnpg.length, missing: missing.length }).toEqual({ total: 17, cnpg: 16, missing: 11 });
  // Every backup, readiness and primary alert reads a metric that does not exist.
  expect(missing).toEqual(expect.arrayContaining([
    'cnpg_pg_backup_last_status', 'cnpg_pg_backup_last_successful_timestamp', 'cnpg_pg_cluster_ready', 'cnpg_pg_cluster_role',
  ]));
});
