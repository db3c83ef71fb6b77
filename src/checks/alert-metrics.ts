import * as fs from 'fs';
import * as path from 'path';
import { promqlMetricNames } from './promql-metrics';
import type { SchemaProblem } from './schema';
import { nearest } from './schema';

/**
 * Alert and recording rules that read metrics CloudNativePG does not export: a `cnpg_*` or
 * `barman_cloud_cloudnative_pg_io_*` name that is not in the list read from CloudNativePG's,
 * its PgBouncer exporter's and the Barman Cloud plugin's sources (vendor/metrics, shipped as
 * assets/metrics/cnpg-metrics.json, the list the monitoring tests check the library's own rules
 * with). Such an alert never fires: its series never exists. For prometheus-operator
 * PrometheusRules and VictoriaMetrics VMRules, in `ManifestAudit`.
 */

const METRICS_FILE = path.join(__dirname, '..', '..', 'assets', 'metrics', 'cnpg-metrics.json');
let known: { release: string; names: Set<string> } | undefined;

/** The exported metric names (and the release they were read from). @internal */
export function knownCnpgMetrics(): { release: string; names: Set<string> } {
  if (!known) {
    const data = JSON.parse(fs.readFileSync(METRICS_FILE, 'utf-8')) as { release: string; names: string[] };
    known = { release: data.release, names: new Set(data.names) };
  }
  return known;
}

/** Names this library's catalogue uses instead of names that do not exist (the common mistakes). */
const REPLACEMENTS: Record<string, string> = {
  cnpg_pg_cluster_ready: 'cnpg_collector_up (1 per reachable instance; compare its count with the instances)',
  cnpg_pg_cluster_role: 'cnpg_pg_replication_in_recovery (0 on the primary)',
  cnpg_pg_cluster_instances: 'count(cnpg_collector_up{cluster="..."})',
  cnpg_pg_backup_last_status: 'cnpg_collector_last_failed_backup_timestamp > cnpg_collector_last_available_backup_timestamp (in-tree) or the barman_cloud_cloudnative_pg_io_* pair (plugin)',
  cnpg_pg_backup_last_successful_timestamp: 'cnpg_collector_last_available_backup_timestamp (in-tree) or barman_cloud_cloudnative_pg_io_last_available_backup_timestamp (plugin)',
  cnpg_pg_stat_replication_sync_state: 'cnpg_collector_sync_replicas{value="observed"} against {value="expected"}',
  cnpg_pg_wal_generated_bytes_total: 'cnpg_collector_wal_bytes',
  cnpg_pg_stat_user_tables_n_dead_tup: 'a custom monitoring query (CloudNativePG exports no per-table statistics by default)',
  cnpg_pg_stat_database_numbackends: 'cnpg_backends_total',
  cnpg_pgbouncer_config_max_client_conn: 'the Pooler\'s max_client_conn as a constant (the exporter does not export SHOW CONFIG)',
  cnpg_pgbouncer_config_default_pool_size: 'the Pooler\'s default_pool_size as a constant (the exporter does not export SHOW CONFIG)',
};

/** The rules of a PrometheusRule or VMRule: `spec.groups[].rules[]` with their paths. */
function rulesOf(obj: any): Array<{ rule: any; path: string }> {
  const out: Array<{ rule: any; path: string }> = [];
  (Array.isArray(obj?.spec?.groups) ? obj.spec.groups : []).forEach((g: any, gi: number) => {
    (Array.isArray(g?.rules) ? g.rules : []).forEach((r: any, ri: number) => out.push({ rule: r, path: `spec.groups[${gi}].rules[${ri}]` }));
  });
  return out;
}

/** Whether an object holds Prometheus rules the audit reads. @internal */
export function isRuleObject(obj: any): boolean {
  return (obj?.kind === 'PrometheusRule' && String(obj?.apiVersion).startsWith('monitoring.coreos.com/'))
    || (obj?.kind === 'VMRule' && String(obj?.apiVersion).startsWith('operator.victoriametrics.com/'));
}

/**
 * The rules of an object that name CloudNativePG metrics that do not exist.
 *
 * @internal
 */
export function unknownMetricProblems(obj: any): SchemaProblem[] {
  if (!isRuleObject(obj)) return [];
  const { release, names } = knownCnpgMetrics();
  const problems: SchemaProblem[] = [];
  for (const { rule, path: at } of rulesOf(obj)) {
    if (typeof rule?.expr !== 'string') continue;
    const { metrics } = promqlMetricNames(rule.expr);
    const missing = metrics.filter((m) => (m.startsWith('cnpg_') || m.startsWith('barman_cloud_cloudnative_pg_io_')) && !names.has(m));
    for (const m of missing) {
      const name = rule.alert ?? rule.record;
      const instead = REPLACEMENTS[m] ?? nearest(m, [...names]);
      problems.push({
        path: `${at}.expr`,
        value: undefined,
        problem: `(${rule.alert ? 'alert' : 'rule'} ${name}) reads ${m}, which CloudNativePG ${release}, its PgBouncer exporter and the Barman Cloud plugin do not export: the series never exists, so ${rule.alert ? 'the alert never fires' : 'the rule records nothing'}`,
        fix: instead ? `use ${instead}, or the library's alert presets (CnpgMonitoring), which name only exported metrics` : 'use an exported metric (vendor/metrics lists them), or the library\'s alert presets (CnpgMonitoring)',
      });
    }
  }
  return problems;
}
