import * as fs from 'fs';
import * as path from 'path';
import { isRuleObject, knownCnpgMetrics, unknownMetricProblems } from '../../src/checks/alert-metrics';

const ASSET = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'metrics', 'cnpg-metrics.json'), 'utf-8'));
const promRule = (...rules: unknown[]) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', spec: { groups: [{ name: 'g', rules }] } });
const missing = (kind: 'alert' | 'rule', name: string, metric: string) =>
  `(${kind} ${name}) reads ${metric}, which CloudNativePG ${ASSET.release}, its PgBouncer exporter and the Barman Cloud plugin do not export: `
  + `the series never exists, so ${kind === 'alert' ? 'the alert never fires' : 'the rule records nothing'}`;
const GENERIC_FIX = 'use an exported metric (vendor/metrics lists them), or the library\'s alert presets (CnpgMonitoring)';
const fixWith = (instead: string) => `use ${instead}, or the library's alert presets (CnpgMonitoring), which name only exported metrics`;

describe('knownCnpgMetrics', () => {
  test('the names and release of assets/metrics/cnpg-metrics.json, read once', () => {
    const known = knownCnpgMetrics();
    expect(known.release).toBe(ASSET.release);
    expect([...known.names]).toEqual(ASSET.names);
    expect(known.names.has('cnpg_collector_up')).toBe(true);
    expect(knownCnpgMetrics()).toBe(known);
  });
});

describe('isRuleObject', () => {
  test.each([
    [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' }, true],
    [{ apiVersion: 'operator.victoriametrics.com/v1beta1', kind: 'VMRule' }, true],
    [{ apiVersion: 'operator.victoriametrics.com/v1', kind: 'PrometheusRule' }, false],
    [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'VMRule' }, false],
    [{ apiVersion: 'x.monitoring.coreos.com/v1', kind: 'PrometheusRule' }, false],
    [{ apiVersion: 'x.operator.victoriametrics.com/v1', kind: 'VMRule' }, false],
    [{ kind: 'PrometheusRule' }, false],
    [{ apiVersion: 'v1', kind: 'ConfigMap' }, false],
    [undefined, false],
  ])('%j: %s', (obj, expected) => {
    expect(isRuleObject(obj)).toBe(expected);
  });
});

describe('unknownMetricProblems', () => {
  test('a name the library knows a replacement for: that replacement', () => {
    expect(unknownMetricProblems(promRule({ alert: 'Down', expr: 'cnpg_pg_cluster_ready == 0' }))).toEqual([{
      path: 'spec.groups[0].rules[0].expr',
      value: undefined,
      problem: missing('alert', 'Down', 'cnpg_pg_cluster_ready'),
      fix: fixWith('cnpg_collector_up (1 per reachable instance; compare its count with the instances)'),
    }]);
  });

  test.each([
    ['cnpg_pg_cluster_role', 'cnpg_pg_replication_in_recovery (0 on the primary)'],
    ['cnpg_pg_cluster_instances', 'count(cnpg_collector_up{cluster="..."})'],
    ['cnpg_pg_backup_last_status', 'cnpg_collector_last_failed_backup_timestamp > cnpg_collector_last_available_backup_timestamp (in-tree) '
      + 'or the barman_cloud_cloudnative_pg_io_* pair (plugin)'],
    ['cnpg_pg_backup_last_successful_timestamp', 'cnpg_collector_last_available_backup_timestamp (in-tree) '
      + 'or barman_cloud_cloudnative_pg_io_last_available_backup_timestamp (plugin)'],
    ['cnpg_pg_stat_replication_sync_state', 'cnpg_collector_sync_replicas{value="observed"} against {value="expected"}'],
    ['cnpg_pg_wal_generated_bytes_total', 'cnpg_collector_wal_bytes'],
    ['cnpg_pg_stat_user_tables_n_dead_tup', 'a custom monitoring query (CloudNativePG exports no per-table statistics by default)'],
    ['cnpg_pg_stat_database_numbackends', 'cnpg_backends_total'],
    ['cnpg_pgbouncer_config_max_client_conn', 'the Pooler\'s max_client_conn as a constant (the exporter does not export SHOW CONFIG)'],
    ['cnpg_pgbouncer_config_default_pool_size', 'the Pooler\'s default_pool_size as a constant (the exporter does not export SHOW CONFIG)'],
  ])('the replacement of %s', (metric, instead) => {
    expect(unknownMetricProblems(promRule({ alert: 'X', expr: `${metric} > 0` })).map((p) => p.fix)).toEqual([fixWith(instead)]);
  });

  test('a misspelt name: the nearest exported one; a recording rule records nothing', () => {
    expect(unknownMetricProblems(promRule({ record: 'wal:rate', expr: 'rate(cnpg_collector_wal_bytez[5m])' }))).toEqual([{
      path: 'spec.groups[0].rules[0].expr',
      value: undefined,
      problem: missing('rule', 'wal:rate', 'cnpg_collector_wal_bytez'),
      fix: fixWith('cnpg_collector_wal_bytes'),
    }]);
  });

  test('a name near none: the general fix; plugin names are checked too', () => {
    expect(unknownMetricProblems({
      apiVersion: 'operator.victoriametrics.com/v1beta1',
      kind: 'VMRule',
      spec: { groups: [{ rules: [{ alert: 'A', expr: 'up' }] }, { rules: [{ alert: 'B', expr: 'cnpg_qqqqqqqqqqqqqqqqqqqqqqqqq + barman_cloud_cloudnative_pg_io_zzzzzzzzzzzzzzzz' }] }] },
    })).toEqual([
      { path: 'spec.groups[1].rules[0].expr', value: undefined, problem: missing('alert', 'B', 'cnpg_qqqqqqqqqqqqqqqqqqqqqqqqq'), fix: GENERIC_FIX },
      { path: 'spec.groups[1].rules[0].expr', value: undefined, problem: missing('alert', 'B', 'barman_cloud_cloudnative_pg_io_zzzzzzzzzzzzzzzz'), fix: GENERIC_FIX },
    ]);
  });

  test('exported names, names of other exporters, and names in strings or label values are no problem', () => {
    expect(unknownMetricProblems(promRule(
      { alert: 'A', expr: 'cnpg_collector_up == 0 and up{job="cnpg_nope"} == 0' },
      { alert: 'B', expr: 'node_cnpg_nope > 0 or kube_pod_info{pod=~"cnpg_x.*"} or barman_cloud_nope' },
      { alert: 'C', expr: 'label_replace(cnpg_backends_total, "x", "cnpg_nope", "", "")' },
    ))).toEqual([]);
  });

  test('rules without a string expression, groups or rules that are not lists, objects that hold no rules: nothing', () => {
    expect(unknownMetricProblems(promRule({ alert: 'A' }, { alert: 'B', expr: 5 }, null, { alert: 'C', expr: 'cnpg_nope' }))).toHaveLength(1);
    expect(unknownMetricProblems(promRule({ alert: 'C', expr: 'cnpg_nope' }))[0].path).toBe('spec.groups[0].rules[0].expr');
    expect(unknownMetricProblems(promRule(null, { alert: 'C', expr: 'cnpg_nope' }))[0].path).toBe('spec.groups[0].rules[1].expr');
    expect(unknownMetricProblems({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', spec: { groups: [{ rules: 'x' }, null] } })).toEqual([]);
    expect(unknownMetricProblems({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', spec: { groups: {} } })).toEqual([]);
    expect(unknownMetricProblems({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' })).toEqual([]);
    expect(unknownMetricProblems({ apiVersion: 'v1', kind: 'ConfigMap', spec: { groups: [{ rules: [{ alert: 'C', expr: 'cnpg_nope' }] }] } })).toEqual([]);
  });

  test('an alert is named as an alert even when it also has a record field', () => {
    expect(unknownMetricProblems(promRule({ alert: 'A', record: 'r', expr: 'cnpg_qqqqqqqqqqqqqqqqqqqqqqqqq' }))[0].problem)
      .toBe(missing('alert', 'A', 'cnpg_qqqqqqqqqqqqqqqqqqqqqqqqq'));
  });
});
