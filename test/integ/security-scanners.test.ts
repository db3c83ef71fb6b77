/**
 * Gate: real security scanners on the synthesized reference platform.
 *
 * - checkov (PyPI, pinned in .ci/install/checkov.sh) and kube-score (Go module proxy, pinned in
 *   .ci/install/kube-score.sh; kube-linter's module path is not served by the proxy) scan the
 *   platform as Flux applies it (the reference cluster-settings substituted), with every Pooler
 *   also projected into the Deployment the operator builds from it (test/util/operator-pods.ts).
 * - Zero failed checks, except those skipped in test/integ/security/scanner-skips.yaml, each with
 *   its one-line reason. A skip that matches nothing is printed, so the list can be kept true.
 * - Pod Security Admission `restricted` holds for every pod spec (test/util/pod-security.ts).
 * - What `npx projen synth:example` wrote to dist/example is byte-identical to a fresh synth.
 *
 * A missing scanner fails the test (never skips it): .ci/deps.sh installs both.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../../examples/platform/platform';
import { REPO_ROOT } from '../util/conformance';
import { fluxSubstitute, readSettingsData } from '../util/flux';
import { withOperatorWorkloads } from '../util/operator-pods';
import { formatViolations, podSecurityViolations } from '../util/pod-security';

const CACHE = process.env.CNPG_CACHE_DIR ?? path.join(REPO_ROOT, '.cache');
const CHECKOV = path.join(CACHE, 'checkov', 'bin', 'checkov');
const KUBE_SCORE = path.join(CACHE, 'kube-score', 'bin', 'kube-score');

interface Skip {
  readonly check: string;
  readonly reason: string;
  readonly on?: 'pooler-deployments' | 'instance-policies';
  readonly resources?: string;
}
interface SkipConfig {
  readonly 'checkov': Skip[];
  readonly 'kube-score': Skip[];
  readonly 'kube-score-flags': Array<{ flag: string; reason: string }>;
}
const SKIPS: SkipConfig = parse(fs.readFileSync(path.join(__dirname, 'security', 'scanner-skips.yaml'), 'utf-8'));

/** One check result of a scanner on one object. */
interface Result {
  readonly check: string;
  readonly resource: string; // Kind/namespace/name
  readonly passed: boolean;
  readonly detail: string;
}

function platformYaml(): string {
  const app = Testing.app();
  buildPlatform(app);
  return (app as App).synthYaml();
}

const yamlText = platformYaml();
const applied = parseAllDocuments(fluxSubstitute(yamlText, readSettingsData(REFERENCE_SETTINGS_FILE))).map((d) => d.toJSON());
const scanned = withOperatorWorkloads(applied);
const objectId = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
const poolerDeployments = new Set(applied.filter((m) => m.kind === 'Pooler').map((m) => objectId('Deployment', m.metadata.namespace, m.metadata.name)));
const instancePolicies = new Set(applied
  .filter((m) => m.kind === 'NetworkPolicy' && m.spec?.podSelector?.matchLabels?.['cnpg.io/cluster'] && !m.spec.podSelector.matchLabels['cnpg.io/poolerName'])
  .map((m) => objectId('NetworkPolicy', m.metadata.namespace, m.metadata.name)));

function skipFor(skips: Skip[], r: Result): Skip | undefined {
  return skips.find((s) => s.check === r.check
    && (s.on !== 'pooler-deployments' || poolerDeployments.has(r.resource))
    && (s.on !== 'instance-policies' || instancePolicies.has(r.resource))
    && (s.resources === undefined || new RegExp(s.resources).test(r.resource)));
}

/** Applies the skips; returns the failures left and the skips that matched nothing. */
function judge(skips: Skip[], results: Result[]): { failures: string[]; unused: Skip[]; skipped: number } {
  const used = new Set<Skip>();
  const failures: string[] = [];
  let skipped = 0;
  for (const r of results.filter((x) => !x.passed)) {
    const s = skipFor(skips, r);
    if (s) {
      used.add(s);
      skipped++;
    } else {
      failures.push(`${r.check} on ${r.resource}: ${r.detail}`);
    }
  }
  return { failures, unused: skips.filter((s) => !used.has(s)), skipped };
}

function reportUnused(unused: Skip[]): void {
  // eslint-disable-next-line no-console
  if (unused.length) console.log(`skips that matched nothing in this output: ${unused.map((u) => `${u.check}${u.on ? ` (${u.on})` : ''}`).join(', ')}`);
}

let workdir: string;
let scanFile: string;
beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-scan-'));
  scanFile = path.join(workdir, 'platform.yaml');
  fs.writeFileSync(scanFile, scanned.map((o) => stringify(o)).join('---\n'));
});
afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

describe('security scanners on the reference platform', () => {
  test('the scan covers the library\'s workloads: namespaces, network policies, PDBs and every pooler template', () => {
    const kinds = new Set(scanned.map((m) => m.kind));
    for (const k of ['Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Deployment']) expect(kinds).toContain(k);
    expect(poolerDeployments.size).toBeGreaterThan(0);
    // Whatever native workload the library writes (the backup-validation CronJob, the restore
    // probe...) is in the scan as it is.
    // eslint-disable-next-line no-console
    console.log(`scanned: ${[...kinds].sort().map((k) => `${scanned.filter((m) => m.kind === k).length} ${k}`).join(', ')}`);
  });

  test('checkov: zero failed checks', () => {
    expect(fs.existsSync(CHECKOV)).toBe(true); // installed by .ci/install/checkov.sh
    const run = spawnSync(CHECKOV, ['-f', scanFile, '--framework', 'kubernetes', '--skip-download', '--compact', '-o', 'json'], {
      encoding: 'utf-8', timeout: 300_000, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false' },
    });
    expect(run.error).toBeUndefined();
    const report = JSON.parse(run.stdout);
    const reports: any[] = Array.isArray(report) ? report : [report];
    const results: Result[] = reports.flatMap((rep) => [
      ...(rep.results?.passed_checks ?? []).map((c: any) => ({ c, passed: true })),
      ...(rep.results?.failed_checks ?? []).map((c: any) => ({ c, passed: false })),
    ]).map(({ c, passed }) => {
      const [kind, ns, ...name] = String(c.resource).split('.');
      return { check: c.check_id, resource: objectId(kind, ns, name.join('.')), passed, detail: c.check_name };
    });
    const { failures, unused, skipped } = judge(SKIPS.checkov, results);
    // eslint-disable-next-line no-console
    console.log(`checkov ${spawnSync(CHECKOV, ['--version'], { encoding: 'utf-8' }).stdout.trim()}: ${results.length} checks, `
      + `${results.filter((r) => r.passed).length} passed, ${skipped} skipped by configuration, ${failures.length} failed`);
    expect(results.filter((r) => r.passed).length).toBeGreaterThan(100);
    expect(failures).toEqual([]);
    reportUnused(unused);
  });

  test('kube-score: zero failed checks', () => {
    expect(fs.existsSync(KUBE_SCORE)).toBe(true); // installed by .ci/install/kube-score.sh
    const flags = SKIPS['kube-score-flags'].map((f) => f.flag);
    const run = spawnSync(KUBE_SCORE, ['score', ...flags, '-o', 'json', scanFile], { encoding: 'utf-8', timeout: 120_000 });
    expect(run.error).toBeUndefined();
    const objects: any[] = JSON.parse(run.stdout);
    const results: Result[] = objects.flatMap((o) => (o.checks ?? [])
      .filter((c: any) => !c.skipped)
      .map((c: any) => ({
        check: c.check.id,
        resource: objectId(o.type_meta.kind, o.object_meta.namespace, o.object_meta.name),
        // kube-score grades: 10 all OK, 7 almost OK, 5 warning, 1 critical.
        passed: c.grade >= 10,
        detail: (c.comments ?? []).map((x: any) => `${x.path ? `(${x.path}) ` : ''}${x.summary}`).join('; '),
      })));
    const { failures, unused, skipped } = judge(SKIPS['kube-score'], results);
    // eslint-disable-next-line no-console
    console.log(`kube-score: ${results.length} checks on ${objects.length} objects, ${results.filter((r) => r.passed).length} passed, `
      + `${skipped} skipped by configuration, ${failures.length} failed`);
    expect(results.filter((r) => r.passed).length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    reportUnused(unused);
  });

  test('Pod Security Admission restricted holds for every pod spec', () => {
    expect(formatViolations(podSecurityViolations(scanned))).toEqual([]);
  });

  test('dist/example (synth:example) is byte-identical to a fresh synth', () => {
    const dir = path.join(REPO_ROOT, 'dist', 'example');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf-8')).join('')).toBe(yamlText);
    expect(platformYaml()).toBe(yamlText);
  });
});
