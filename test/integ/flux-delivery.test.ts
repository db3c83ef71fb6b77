/**
 * FluxDelivery and the audit against the real tools, built from the Go module proxy by
 * .ci/install/{kustomize,kubeconform,flux-substitute}.sh into .cache/bin:
 *
 * - `kustomize build` (sigs.k8s.io/kustomize/kustomize/v5 v5.8.1) of the delivered directory gives
 *   exactly the synthesized objects, namespaces untouched (the dashboards stay in observability);
 * - Flux's own post-build substitution (tools/flux-substitute: github.com/fluxcd/pkg/kustomize
 *   v1.41.0 `SubstituteVariables`, the code kustomize-controller runs) with the reference
 *   cluster-settings gives the same objects as the library's substitution (src/flux/substitution.ts),
 *   on the delivered platform and on the reference manifests;
 * - kubeconform v0.7.0, strict, against Kubernetes' v1.30 schemas and JSON schemas converted from
 *   the vendored CRDs (CloudNativePG 1.27.1 and 1.30.1, Barman Cloud, prometheus-operator,
 *   external-secrets, Flux), accepts every delivered object and the Flux Kustomization, and refuses
 *   the same 7 reference objects as the audit's schema rules.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../../examples/platform/platform';
import { ClusterSettings, FluxDelivery, ManifestAudit, SettingsMode } from '../../src';
import { writeCrdJsonSchemas } from './support/crd-json-schemas';
import { fluxVariables, substituteObject } from '../../src/flux/substitution';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.CNPG_CACHE_DIR ?? path.join(ROOT, '.cache');
const BIN = path.join(CACHE, 'bin');
const REFERENCE = path.join(ROOT, 'vendor', 'reference', 'k8s-gitops', 'kubernetes');
const WORKLOADS = path.join(REFERENCE, 'workloads', 'platform', 'databases', 'cloudnative-pg');
const CRDS = path.join(ROOT, 'vendor', 'crds');

function tool(name: string, args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const bin = path.join(BIN, name);
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run bash .ci/install/${name}.sh (or .ci/deps.sh)`);
  const r = spawnSync(bin, args, { input, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function kustomizeBuild(dir: string): any[] {
  const r = tool('kustomize', ['build', dir]);
  if (r.status !== 0) throw new Error(`kustomize build ${dir}: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((d) => d);
}

/** Flux's own substitution of each object (JSON in, JSON out). */
function fluxSubstitute(objects: any[], strict = false, settingsFile = REFERENCE_SETTINGS_FILE): any[] {
  const stream = objects.map((o) => JSON.stringify(o)).join('\n---\n');
  const r = tool('flux-substitute', [...(strict ? ['-strict'] : []), '-settings', settingsFile], stream);
  if (r.status !== 0) throw new Error(`flux-substitute: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Kubernetes' v1.30 strict schemas (kubernetes-validate) with their references made local for kubeconform. */
function k8sSchemas(tmp: string): string {
  const src = path.join(CACHE, 'k8s-schemas', 'v1.30.0-local-strict');
  if (!fs.existsSync(src)) throw new Error(`${src} is missing: run bash .ci/install/k8s-schemas.sh`);
  const out = path.join(tmp, 'k8s', 'v1.30.0-local-strict');
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(src).filter((x) => x.endsWith('.json'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(src, f), 'utf-8'));
    delete schema.$id; // an https $id would make kubeconform resolve _definitions.json remotely
    fs.writeFileSync(path.join(out, f), JSON.stringify(schema).split('"/api/_definitions.json#').join('"_definitions.json#'));
  }
  return path.join(tmp, 'k8s');
}

function crdSchemas(tmp: string, cnpgRelease: string): string {
  const out = path.join(tmp, `crds-${cnpgRelease}`);
  const dirs = [`cnpg-${cnpgRelease}`, 'barman-cloud-0.14.0', 'prometheus-operator-0.93.0', 'external-secrets-2.9.0', 'flux-kustomize-controller-1.9.6'];
  writeCrdJsonSchemas(dirs.flatMap((d) => fs.readdirSync(path.join(CRDS, d)).filter((f) => f.endsWith('.yaml')).map((f) => path.join(CRDS, d, f))), out);
  return out;
}

interface KubeconformResult { readonly valid: number; readonly invalid: string[]; readonly errors: string[]; readonly skipped: number }

function kubeconform(tmp: string, cnpgRelease: string, objects: any[]): KubeconformResult {
  const file = path.join(tmp, `objects-${Math.random().toString(36).slice(2)}.yaml`);
  // JSON documents: YAML 1.1 readers take a plain `off` for false, JSON keeps strings strings.
  fs.writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  const r = tool('kubeconform', ['-strict', '-summary', '-output', 'json', '-kubernetes-version', '1.30.0',
    '-schema-location', `${k8sSchemas(tmp)}/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location', `${crdSchemas(tmp, cnpgRelease)}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
    file]);
  const report = JSON.parse(r.stdout);
  const resources: any[] = report.resources ?? [];
  const name = (x: any) => `${x.kind}/${x.name}`;
  return {
    valid: report.summary.valid,
    invalid: resources.filter((x) => x.status === 'statusInvalid').map(name).sort(),
    errors: resources.filter((x) => x.status === 'statusError').map((x) => `${name(x)}: ${x.msg}`).sort(),
    skipped: report.summary.skipped,
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-integ-'));
const outdir = path.join(tmp, 'flux');
const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
const chart = buildPlatform(app);
const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES });
const delivery = new FluxDelivery(app, 'flux-system', {
  name: 'shared-postgres', path: './kubernetes/workloads/platform/databases/shared-postgres', dependsOn: [{ name: 'cnpg-operator' }], settings,
});
delivery.synth();
const fluxKustomization = parse(fs.readFileSync(path.join(outdir, 'flux-system', 'Kustomization.shared-postgres.k8s.yaml'), 'utf-8'));
const VARS = fluxVariables(parse(fs.readFileSync(REFERENCE_SETTINGS_FILE, 'utf-8')).data);

describe('kustomize build of the delivered directory', () => {
  const built = kustomizeBuild(outdir);

  test('gives every synthesized object once, namespaces untouched (dashboards in observability)', () => {
    const synthesized = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    expect(built.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual(synthesized);
    const dashboards = built.filter((o) => o.metadata.labels?.grafana_dashboard);
    expect(dashboards.map((d) => d.metadata.namespace)).toEqual(['observability', 'observability']);
    // The Flux Kustomization is not part of what it builds.
    expect(built.some((o) => o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))).toBe(false);
  });

  test('Flux\'s substitution with the reference cluster-settings gives the library\'s objects', () => {
    const flux = fluxSubstitute(built);
    expect(flux.filter((o) => o.error)).toEqual([]);
    const ours = built.map((o) => substituteObject(o, VARS).object);
    expect(flux).toEqual(ours);
    // and no ${...} is left (strict mode passes too).
    expect(JSON.stringify(flux)).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(fluxSubstitute(built, true).filter((o) => o.error)).toEqual([]);
  });

  test.each([['1.27.1'], ['1.30.1']])('kubeconform -strict accepts every substituted object and the Flux Kustomization (CloudNativePG %s CRDs)', (release) => {
    const objects = [...fluxSubstitute(built), fluxKustomization];
    const r = kubeconform(tmp, release, objects);
    expect({ invalid: r.invalid, errors: r.errors, skipped: r.skipped }).toEqual({ invalid: [], errors: [], skipped: 0 });
    expect(r.valid).toBe(objects.length);
  });

  test('kubeconform is strict: a misspelt field is refused', () => {
    const objects = fluxSubstitute(built);
    const cluster = objects.find((o) => o.kind === 'Cluster');
    cluster.spec.enablePdbs = true;
    expect(kubeconform(tmp, '1.27.1', [cluster]).invalid).toEqual(['Cluster/shared-postgres']);
  });

  test('the delivered directory audits clean', () => {
    expect(ManifestAudit.ofPaths([outdir], { settingsFile: REFERENCE_SETTINGS_FILE }).findings).toEqual([]);
  });
});

describe('the reference manifests through the same tools', () => {
  const built = kustomizeBuild(WORKLOADS);

  test('Flux\'s substitution gives the library\'s objects, and blanks the validation script\'s shell variables', () => {
    const flux = fluxSubstitute(built);
    expect(flux).toEqual(built.map((o) => substituteObject(o, VARS).object));
    const script = flux.find((o) => o.kind === 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].command[2];
    expect(script).toContain('mc alias set s3   \n');
    expect(script).toContain('if [ "" -lt 1 ]; then');
    // StrictPostBuildSubstitutions fails that object, as the audit's strict mode does.
    const strict = fluxSubstitute(built, true);
    expect(strict.filter((o) => o.error).map((o) => o.error)).toEqual([expect.stringContaining('variable not set (strict mode): "S3_ENDPOINT"')]);
    const audit = ManifestAudit.ofPaths([WORKLOADS], { settingsFile: REFERENCE_SETTINGS_FILE, strictSubstitution: true });
    expect(audit.findings.filter((f) => f.ruleId === 'flux-variable' && /strict substitution/.test(f.problem)).map((f) => f.name)).toEqual(['cnpg-backup-validation']);
  });

  test('kubeconform refuses the same 7 objects as the audit\'s schema rules (CloudNativePG 1.27.1)', () => {
    const r = kubeconform(tmp, '1.27.1', fluxSubstitute(built));
    const audit = ManifestAudit.ofPaths([WORKLOADS], { settingsFile: REFERENCE_SETTINGS_FILE });
    const bySchema = [...new Set(audit.findings.filter((f) => f.ruleId === 'crd-schema').map((f) => `${f.kind}/${f.name}`))].sort();
    expect(r.invalid).toEqual(bySchema);
    expect(r.invalid).toHaveLength(7);
    // The VMRule: no schema in either.
    expect(r.errors).toEqual([expect.stringMatching(/^VMRule\/cloudnative-pg-cluster: could not find schema/)]);
  });
});

describe('which expressions Flux\'s envsubst cannot parse', () => {
  // Each expression in a ConfigMap of its own, through Flux's substitution with the reference settings.
  const EXPRESSIONS = [
    // It parses these (evaluated by the library, or reported as not evaluated).
    '${CNPG_INSTANCES}', '${UNDEF:=d}', '${UNDEF:-d}', '${UNDEF=d}', '${UNDEF:+d}', '${UNDEF:?d}', '${1}', '${CNPG_INSTANCES:1}', '${CNPG_INSTANCES:0:1}',
    '${CNPG_INSTANCES:x}', '${#CNPG_INSTANCES}', '${CNPG_INSTANCES/3/4}', '${CNPG_INSTANCES//3/4}', '${CNPG_INSTANCES/#3/4}', '${CNPG_INSTANCES/%3/4}',
    '${CNPG_INSTANCES^}', '${CNPG_INSTANCES^^}', '${CNPG_INSTANCES,}', '${CNPG_INSTANCES,,}', '${CNPG_INSTANCES#3}', '${CNPG_INSTANCES##3}',
    '${CNPG_INSTANCES%3}', '${CNPG_INSTANCES%%3}', '$${UNDEF-x}',
    // In a default, `$$` is no escape.
    '${UNDEF:=$${CNPG_INSTANCES}}', '${UNDEF:=a$$b}', '${UNDEF:=$$}', '${UNDEF:-$$$${CNPG_INSTANCES}}', '$$$${CNPG_INSTANCES}',
    // It refuses these at its first choice (the library says why).
    '${UNDEF-d}', '${UNDEF+d}', '${UNDEF?d}', '${UNDEF.x}', '${UNDEF*}', '${UNDEF@}', '${UNDEF~}', '${UNDEF B}', '${UNDEF-}', '${}', '${!UNDEF}',
    'x ${UNDEF', '${UNDEF:=x', '${', '${#UNDEF', 'a ${UNDEF:-',
    // It refuses these deeper, in a function it reads: the library reports them as not evaluated only.
    '${UNDEF:}', '${UNDEF:1:}', '${UNDEF/x}', '${UNDEF,x}', '${#}',
  ];
  const DEEPER = ['${UNDEF:}', '${UNDEF:1:}', '${UNDEF/x}', '${UNDEF,x}', '${#}'];

  test('the library refuses exactly those Flux fails on at its first choice; the deeper ones it leaves as written and reports', () => {
    const objects = EXPRESSIONS.map((v, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `e${i}` }, data: { v } }));
    const flux = fluxSubstitute(objects);
    const judged = EXPRESSIONS.map((v, i) => {
      const r = substituteObject(objects[i], VARS);
      const refused = r.unsupported.some((u) => u.refused !== undefined);
      const reported = r.unsupported.length > 0;
      return { v, flux: flux[i].error ? 'fails' : 'parses', library: refused ? 'refused' : reported ? 'not evaluated' : 'evaluated' };
    });
    expect(judged.filter((j) => j.flux === 'parses' && j.library === 'refused')).toEqual([]);
    expect(judged.filter((j) => j.flux === 'fails' && j.library !== 'refused').map((j) => j.v)).toEqual(DEEPER);
    expect(judged.filter((j) => j.flux === 'fails' && j.library !== 'refused').every((j) => j.library === 'not evaluated')).toBe(true);
    // What the library evaluates, it evaluates as Flux does.
    for (const [i, j] of judged.entries()) {
      if (j.library === 'evaluated') expect({ v: j.v, out: substituteObject(objects[i], VARS).object }).toEqual({ v: j.v, out: flux[i] });
    }
  });
});

describe('strict substitution of the forms the library does not evaluate', () => {
  const FORMS = ['${X^^}', '${#X}', '${X:1}', '${X:0:1}', '${X/a/b}', '${X//a/b}', '${X,}', '${X,,}', '${X#a}', '${X%a}', '${X:x}'];

  test('the library fails exactly where Flux\'s strict mode fails: on an undefined variable, not on a defined one', () => {
    const expressions = FORMS.flatMap((f) => [f.replace('X', 'UNDEF'), f.replace('X', 'CNPG_INSTANCES')]);
    const objects = expressions.map((v, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `s${i}` }, data: { v } }));
    const flux = fluxSubstitute(objects, true);
    const judged = expressions.map((v, i) => {
      let library = 'substitutes';
      try {
        substituteObject(objects[i], VARS, true);
      } catch (e) {
        library = (e as Error).message;
      }
      return { v, flux: flux[i].error ? String(flux[i].error).replace(/^envsubst error: variable substitution failed: /, '') : 'substitutes', library };
    });
    for (const j of judged) expect(j).toEqual({ ...j, library: j.flux });
    expect(judged.filter((j) => j.flux === 'substitutes').map((j) => j.v)).toEqual(expressions.filter((v) => v.includes('CNPG_INSTANCES')));
  });
});

describe('values that are not one YAML value in their field', () => {
  // Each value in a variable of its own, substituted as the whole field and after a word, between two other keys.
  const VALUES = ['a: b', 'a: ', 'a:b', '[1', '{a', '[a]', '{a: 1}', '- x', '? x', '&a', '*a', '!x', '%x', '@x', '`x', '|', '>', 'x #c', 'a #',
    '"a', "'a", "'a: b'", '"quoted" tail', 'on', '0x1F', '~'];

  test('the library reports exactly the fields Flux fails on, and reads the others as Flux does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-unreadable-'));
    const data = Object.fromEntries(VALUES.map((v, i) => [`V${i}`, v]));
    const settingsFile = path.join(dir, 'cluster-settings.yaml');
    fs.writeFileSync(settingsFile, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-settings' }, data }));
    const objects = VALUES.flatMap((_, i) => ['${V' + i + '}', 'pre ${V' + i + '}'].map((field, j) => ({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `v${i}-${j}` }, data: { before: 'b', field, z: 'after' },
    })));
    const flux = fluxSubstitute(objects, false, settingsFile);
    const judged = objects.map((o, i) => {
      const r = substituteObject(o, fluxVariables(data));
      return { field: o.data.field, value: VALUES[Math.floor(i / 2)], flux: flux[i].error ? 'fails' : flux[i], library: r.unreadable.length ? 'fails' : r.object };
    });
    expect(judged.filter((j) => j.flux !== j.library && (j.flux === 'fails' || j.library === 'fails'))).toEqual([]);
    for (const j of judged) if (j.flux !== 'fails') expect(j).toEqual({ ...j, library: j.flux });
    // Both kinds occur: the comparison is not empty on either side.
    expect(judged.filter((j) => j.flux === 'fails').length).toBeGreaterThan(10);
    expect(judged.filter((j) => j.flux !== 'fails').length).toBeGreaterThan(10);
  });
});
