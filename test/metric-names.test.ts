import * as fs from 'fs';
import * as path from 'path';
import { knownCnpgMetrics } from './util/promql';
import {
  BackupMetricNames, COLLECTOR, EXTERNAL_METRICS, IN_TREE_BACKUP_METRICS, KUBE, PGBOUNCER, PLUGIN_BACKUP_METRICS, QUERIES,
} from '../src/monitoring/metric-names';

/**
 * The metric-name tables (src/monitoring/metric-names.ts) against their sources: CloudNativePG's
 * names against vendor/metrics/cnpg-1.30.0.txt, the others against the pages that document them,
 * and every entry against the code that reads it (src/). Nothing is synthesized: the tables are
 * module constants, so each of their mutants reruns this whole file.
 */

const KNOWN = knownCnpgMetrics();
const SRC = path.resolve(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const TABLES: Record<string, Record<string, string>> = { COLLECTOR, QUERIES, PGBOUNCER, KUBE };

test('every CloudNativePG name is one CloudNativePG 1.30.0 or the Barman Cloud plugin 0.14.0 exports, under its table\'s prefix', () => {
  const prefixed = (table: Record<string, string>, prefix: RegExp) => Object.entries(table).filter(([, n]) => !KNOWN.has(n) || !prefix.test(n));
  expect(prefixed(COLLECTOR, /^cnpg_collector_/)).toStrictEqual([]);
  expect(prefixed(QUERIES, /^cnpg_(?!collector_|pgbouncer_)/)).toStrictEqual([]);
  expect(prefixed(PGBOUNCER, /^cnpg_pgbouncer_/)).toStrictEqual([]);
  expect(prefixed({ ...IN_TREE_BACKUP_METRICS }, /^cnpg_collector_/)).toStrictEqual([]);
  expect(prefixed({ ...PLUGIN_BACKUP_METRICS }, /^barman_cloud_cloudnative_pg_io_/)).toStrictEqual([]);
});

test('the two backup tables name the same three series, by the method\'s prefix', () => {
  const keys: Array<keyof BackupMetricNames> = ['lastAvailableBackupTimestamp', 'lastFailedBackupTimestamp', 'firstRecoverabilityPoint'];
  expect(Object.keys(IN_TREE_BACKUP_METRICS).sort()).toStrictEqual([...keys].sort());
  expect(Object.keys(PLUGIN_BACKUP_METRICS).sort()).toStrictEqual([...keys].sort());
  for (const k of keys) {
    expect(IN_TREE_BACKUP_METRICS[k].replace(/^cnpg_collector_/, '')).toBe(PLUGIN_BACKUP_METRICS[k].replace(/^barman_cloud_cloudnative_pg_io_/, ''));
    expect(IN_TREE_BACKUP_METRICS[k]).toMatch(/_(timestamp|point)$/);
  }
});

test('no name twice', () => {
  const all = [COLLECTOR, QUERIES, PGBOUNCER, KUBE, IN_TREE_BACKUP_METRICS, PLUGIN_BACKUP_METRICS].flatMap((t) => Object.values(t));
  expect(all.length).toBeGreaterThan(50);
  expect(new Set(all).size).toBe(all.length);
});

test('every series that is not CloudNativePG\'s has the page that documents it, with its labels', () => {
  expect(Object.keys(EXTERNAL_METRICS).sort()).toStrictEqual(Object.values(KUBE).sort());
  const ksm = 'https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/';
  const page = (name: string) => {
    if (name.startsWith('kube_job_')) return `${ksm}job-metrics.md (labels job_name, namespace`;
    if (name.startsWith('kube_cronjob_')) return `${ksm}cronjob-metrics.md (labels cronjob, namespace`;
    if (name.startsWith('kube_deployment_')) return `${ksm}deployment-metrics.md (labels deployment, namespace`;
    if (name.startsWith('kubelet_volume_stats_')) return 'https://kubernetes.io/docs/reference/instrumentation/metrics/ (kubelet, labels namespace, persistentvolumeclaim';
    throw new Error(`no documentation page known for ${name}`);
  };
  for (const [name, doc] of Object.entries(EXTERNAL_METRICS)) {
    expect(`${name}: ${doc}`).toMatch(new RegExp(`^${name}: ${page(name).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(, [a-z_]+)*\\)$`));
  }
  expect(EXTERNAL_METRICS[KUBE.jobOwner]).toContain('owner_kind, owner_name');
  expect(EXTERNAL_METRICS[KUBE.jobFailed]).toContain('condition');
});

test('every entry is read by the library, and every name the library reads from a table is there', () => {
  const refs = new Set(sourceFiles(SRC).flatMap((f) => [...fs.readFileSync(f, 'utf-8').matchAll(/\b(COLLECTOR|QUERIES|PGBOUNCER|KUBE)\.([A-Za-z]+)/g)].map((m) => `${m[1]}.${m[2]}`)));
  const entries = Object.entries(TABLES).flatMap(([t, table]) => Object.keys(table).map((k) => `${t}.${k}`));
  expect([...refs].filter((r) => !entries.includes(r))).toStrictEqual([]);
  expect(entries.filter((e) => !refs.has(e))).toStrictEqual([]);
  for (const e of entries) {
    const [t, k] = e.split('.');
    expect(typeof TABLES[t][k]).toBe('string');
  }
});
