import * as fs from 'fs';
import * as path from 'path';
import { parser } from '@prometheus-io/lezer-promql';
import { VENDOR_DIR } from './conformance';

/** The metric names CNPG 1.30, its PgBouncer exporter and the Barman Cloud plugin export. */
export function knownCnpgMetrics(): Set<string> {
  const file = path.join(VENDOR_DIR, 'metrics', 'cnpg-1.30.0.txt');
  return new Set(fs.readFileSync(file, 'utf-8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
}

/**
 * Grafana's template variables, replaced by values Prometheus accepts, so that a dashboard query
 * can be parsed (and checked by promtool) as the data source would see it.
 */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, '5m')
    .replace(/\$[a-zA-Z_][a-zA-Z0-9_]*/g, '.*');
}

/** A parsed PromQL expression: the metric names it selects and its syntax errors. */
export interface ParsedPromql {
  readonly metrics: string[];
  /** Offsets of syntax errors (empty when the expression parses). */
  readonly errors: string[];
}

/** Parses with Prometheus' own PromQL grammar (the one its web UI uses). */
export function parsePromql(expr: string): ParsedPromql {
  const tree = parser.parse(expr);
  const metrics = new Set<string>();
  const errors: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(`syntax error at ${n.from}: ...${expr.slice(Math.max(0, n.from - 30), n.from + 30)}...`);
      if (n.name === 'Identifier' && n.node.parent?.name === 'VectorSelector') metrics.add(expr.slice(n.from, n.to));
      // `{__name__="x"}` selectors name their metric in a matcher.
      if (n.name === 'LabelName' && expr.slice(n.from, n.to) === '__name__') errors.push('__name__ matchers are not checked: name the metric');
    },
  });
  return { metrics: [...metrics], errors };
}
