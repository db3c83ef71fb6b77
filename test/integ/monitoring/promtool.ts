/**
 * promtool (Debian's `prometheus` package, installed by .ci/install/promtool.sh) for the alert
 * rules and dashboards: `promtool check rules` and `promtool test rules`, with the alert unit
 * tests generated from the scenarios in ./scenarios.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../util/conformance';

const CACHE = process.env.CNPG_CACHE_DIR ?? path.join(REPO_ROOT, '.cache');
export const PROMTOOL = path.join(CACHE, 'promtool', 'bin', 'promtool');

/** Fails (never skips) when promtool is missing, naming the installer. */
export function assertPromtool(): string {
  if (!fs.existsSync(PROMTOOL)) {
    throw new Error(`promtool is missing (${PROMTOOL}). Run \`bash .ci/deps.sh\` (it runs .ci/install/promtool.sh).`);
  }
  const r = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf-8' });
  return `${r.stdout}${r.stderr}`.split('\n')[0];
}

export interface PromtoolResult { code: number | null; output: string }

export function promtool(args: string[], cwd: string): PromtoolResult {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf-8', timeout: 120_000 });
  return { code: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

const tempDirs: string[] = [];

/** A temporary directory, removed by `removeTempDirs()` (kept when CNPG_KEEP_TEST_FILES is set, to debug). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cnpg-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  if (process.env.CNPG_KEEP_TEST_FILES) return;
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a YAML file and returns its name. */
export function writeYaml(dir: string, name: string, value: unknown): string {
  fs.writeFileSync(path.join(dir, name), stringify(value, { lineWidth: 0 }));
  return name;
}

// -------------------------------------------------------------------------------------------
// Scenarios: synthetic series under the real metric names, and what must (not) fire when.
// -------------------------------------------------------------------------------------------

/** An alert expected to be firing: its expression's labels and its value. */
export interface Firing {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Check {
  /** Minutes after the start. */
  readonly at: number;
  /** Firing alerts at that time; empty: the alert must be silent. */
  readonly firing: Firing[];
}

export interface Scenario {
  readonly alert: string;
  /** What is simulated, e.g. "fires when the last failed backup is newer than the last available one". */
  readonly title: string;
  /** Whether this is a failure the alert must catch (for the report) or a healthy series. */
  readonly kind: 'failure' | 'healthy';
  /** Minutes between samples (default 1). */
  readonly intervalMinutes?: number;
  /** Series (PromQL series notation) and their values (promtool expanding notation). */
  readonly series: Array<[string, string]>;
  readonly checks: Check[];
}

/** `n` samples of `v` in promtool's notation (`v` repeated: `vx(n-1)`). */
export function hold(v: number | string, n: number): string {
  return n === 1 ? `${v}` : `${v}x${n - 1}`;
}

/** `n` samples from `start`, stepping by `step`. */
export function ramp(start: number, step: number, n: number): string {
  return n === 1 ? `${start}` : `${start}${step < 0 ? '' : '+'}${step}x${n - 1}`;
}

/** n missing samples. */
export function missing(n: number): string {
  return hold('_', n);
}

export function values(...parts: string[]): string {
  return parts.join(' ');
}

/**
 * The checks around the moment an alert must start firing: the condition first holds at minute
 * `activeAt`; with `for` of `forSeconds` it is pending one minute before and firing at
 * activeAt + for.
 */
export function firesAt(activeAt: number, forSeconds: number, firing: (at: number) => Firing[]): Check[] {
  const at = activeAt + Math.ceil(forSeconds / 60);
  return [{ at: at - 1, firing: [] }, { at, firing: firing(at) }];
}

/** Silent at every given minute. */
export function silentAt(...minutes: number[]): Check[] {
  return minutes.map((at) => ({ at, firing: [] }));
}

// -------------------------------------------------------------------------------------------
// Prometheus' template functions, as promtool renders the annotations (template.go).
// -------------------------------------------------------------------------------------------

function g4(v: number): string {
  // Go's %.4g for the magnitudes used here.
  return String(parseFloat(v.toPrecision(4)));
}

export function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const d = Math.floor(Math.abs(v));
    const s = d % 60;
    const m = Math.floor(d / 60) % 60;
    const h = Math.floor(d / 3600) % 24;
    const days = Math.floor(d / 86400);
    if (days) return `${sign}${days}d ${h}h ${m}m ${s}s`;
    if (h) return `${sign}${h}h ${m}m ${s}s`;
    if (m) return `${sign}${m}m ${s}s`;
    return `${sign}${g4(Math.abs(v))}s`;
  }
  return `${g4(v * 1000)}ms`;
}

export function humanizeTimestamp(v: number): string {
  const iso = new Date(v * 1000).toISOString(); // 1970-01-01T02:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

function humanizeBase(v: number, base: number, prefixes: string[]): string {
  if (v === 0) return g4(v);
  let prefix = '';
  let x = v;
  if (Math.abs(x) >= 1) {
    for (const p of prefixes) {
      if (Math.abs(x) < base) break;
      prefix = p;
      x /= base;
    }
  }
  return `${g4(x)}${prefix}`;
}

export function humanize(v: number): string {
  return humanizeBase(v, 1000, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']);
}

export function humanize1024(v: number): string {
  return humanizeBase(v, 1024, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']);
}

export function humanizePercentage(v: number): string {
  return `${g4(v * 100)}%`;
}

/** Go's %v of a float64 (what `{{ $value }}` prints). */
function plain(v: number): string {
  return String(v);
}

const FUNCTIONS: Record<string, (v: number) => string> = { humanizeDuration, humanizeTimestamp, humanize, humanize1024, humanizePercentage };

/** Renders the subset of Go templates the presets use: `$labels.x`, `$value [| fn]`, `if $labels.x`. */
export function renderTemplate(template: string, labels: Record<string, string>, value: number): string {
  return template
    .replace(/\{\{ if \$labels\.([a-zA-Z_]+) \}\}(.*?)\{\{ end \}\}/g, (_m, name: string, inner: string) => (labels[name] ? inner : ''))
    .replace(/\{\{ \$labels\.([a-zA-Z_]+) \}\}/g, (_m, name: string) => labels[name] ?? '')
    .replace(/\{\{ \$value(?: \| ([a-zA-Z0-9]+))? \}\}/g, (_m, fn?: string) => {
      if (!fn) return plain(value);
      const f = FUNCTIONS[fn];
      if (!f) throw new Error(`template function ${fn} is not modelled by the test harness`);
      return f(value);
    });
}

/** A promtool unit-test file for some scenarios against a rule file. */
export function unitTestFile(ruleFileName: string, rules: any[], scenarios: Scenario[]): object {
  const byAlert = new Map(rules.map((r) => [r.alert, r]));
  return {
    rule_files: [ruleFileName],
    evaluation_interval: '1m',
    tests: scenarios.map((s) => {
      const rule = byAlert.get(s.alert);
      if (!rule) throw new Error(`scenario for ${s.alert}, which the rule file does not have`);
      return {
        interval: `${s.intervalMinutes ?? 1}m`,
        input_series: s.series.map(([series, v]) => ({ series, values: v })),
        alert_rule_test: s.checks.map((c) => ({
          eval_time: `${c.at}m`,
          alertname: s.alert,
          exp_alerts: c.firing.map((f) => {
            const labels = { ...f.labels, ...rule.labels };
            return {
              exp_labels: labels,
              exp_annotations: {
                summary: renderTemplate(rule.annotations.summary, labels, f.value),
                description: renderTemplate(rule.annotations.description, labels, f.value),
                runbook_url: rule.annotations.runbook_url,
              },
            };
          }),
        })),
      };
    }),
  };
}
