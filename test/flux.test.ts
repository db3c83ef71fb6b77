import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';
import {
  ClusterSettings, CnpgHealthChecks, CnpgSharedCluster, FluxDelivery, FluxKustomization, FluxSubstituteFrom, ManifestAudit, SettingsMode,
} from '../src';
import { VENDOR_DIR } from './util/conformance';
import { synth } from './util/synth';
import { substituteObject, substituteText } from '../src/flux/substitution';

const ROOT = path.resolve(__dirname, '..');
const settings = () => ClusterSettings.fromFile(REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES });

/** cel-js, bundled for jest by test/util/conformance.ts (imported above). */
function cel(): { evaluate: (expr: string, ctx: Record<string, unknown>) => unknown } {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@marcbachmann', 'cel-js', 'package.json'), 'utf-8')).version;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(ROOT, '.cache', `cel-js-${version}.cjs`));
}

function delivered(props: Partial<ConstructorParameters<typeof FluxDelivery>[2]> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-'));
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
  const chart = buildPlatform(app);
  const delivery = new FluxDelivery(app, 'flux-system', {
    name: 'shared-postgres', path: './kubernetes/workloads/databases', dependsOn: [{ name: 'cnpg-operator' }], settings: settings(), ...props,
  });
  const written = delivery.synth();
  return { outdir, app, chart, delivery, written };
}

const readAll = (dir: string, file: string) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf-8')).map((d) => d.toJS());

describe('FluxDelivery: the platform as a directory Flux reconciles', () => {
  const { outdir, written } = delivered();
  const folder = path.join(outdir, 'shared-postgres');
  const kustomization = parse(fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf-8'));
  const flux = readAll(path.join(outdir, 'flux-system'), 'Kustomization.shared-postgres.k8s.yaml')[0];

  test('one file per object, each listed once in the chart folder\'s kustomization.yaml; the top one lists the folder, not flux-system', () => {
    expect(written).toEqual(['shared-postgres/kustomization.yaml', 'kustomization.yaml']);
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(kustomization.resources).toEqual(files);
    expect(files.every((f) => readAll(folder, f).length === 1)).toBe(true);
    expect(parse(fs.readFileSync(path.join(outdir, 'kustomization.yaml'), 'utf-8')).resources).toEqual(['shared-postgres']);
    // The same objects as the one-file output.
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-')) });
    const objects = synth(buildPlatform(app)).map((o: any) => `${o.kind}/${o.metadata.name}`).sort();
    expect(files.map((f) => readAll(folder, f)[0]).map((o: any) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(objects);
  });

  test('no namespace is forced: the dashboards stay in observability, where the Grafana sidecar looks', () => {
    expect(kustomization.namespace).toBeUndefined();
    const dashboards = kustomization.resources.map((f: string) => readAll(folder, f)[0]).filter((o: any) => o.metadata.labels?.grafana_dashboard);
    expect(dashboards).toHaveLength(2);
    expect(dashboards.every((d: any) => d.metadata.namespace === 'observability')).toBe(true);
  });

  test('the Flux Kustomization: dependsOn the operator, cluster-settings substituted, timeout, health checks of the Cluster, Poolers (and Deployments), ScheduledBackup', () => {
    expect(flux.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
    expect(flux.metadata).toEqual({ name: 'shared-postgres', namespace: 'flux-system' });
    expect(flux.spec).toMatchObject({
      path: './kubernetes/workloads/databases',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      dependsOn: [{ name: 'cnpg-operator' }],
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-settings' }] },
      interval: '10m',
      timeout: '15m',
      prune: true,
      wait: false,
    });
    const checks = flux.spec.healthChecks.map((h: any) => `${h.kind}/${h.namespace}/${h.name}`);
    expect(checks).toEqual(expect.arrayContaining([
      'Cluster/databases/shared-postgres', 'ScheduledBackup/databases/shared-postgres-backup',
      ...['keycloak', 'harbor', 'gitlab', 'synergyflow'].flatMap((a) => [`Pooler/databases/${a}-pooler`, `Deployment/databases/${a}-pooler`]),
    ]));
    expect(checks).toHaveLength(10);
    expect(flux.spec.healthCheckExprs.map((e: any) => e.kind)).toEqual(['Cluster', 'Pooler', 'ScheduledBackup']);
  });

  test('the Flux Kustomization\'s health checks name objects by their value: it is not substituted by its own postBuild', () => {
    expect(JSON.stringify(flux)).not.toContain('${');
  });

  test('the delivered directory audits clean', () => {
    const audit = ManifestAudit.ofPaths([outdir], { settingsFile: REFERENCE_SETTINGS_FILE });
    expect(audit.findings).toEqual([]);
    expect(audit.skipped.map((s) => path.relative(outdir, s.file))).toEqual(['kustomization.yaml', 'shared-postgres/kustomization.yaml']);
  });

  test('wait: true leaves the checks to Flux (explicit ones are ignored by it) and keeps the CEL expressions', () => {
    const w = delivered({ wait: true });
    const k = readAll(path.join(w.outdir, 'flux-system'), 'Kustomization.shared-postgres.k8s.yaml')[0];
    expect(k.spec.wait).toBe(true);
    expect(k.spec.healthChecks).toBeUndefined();
    expect(k.spec.healthCheckExprs).toHaveLength(3);
  });
});

describe('FluxDelivery refuses what Flux would not deliver as written', () => {
  test('an App that does not write a folder per chart and a file per object', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-')) });
    buildPlatform(app);
    const d = new FluxDelivery(app, 'flux-system', { path: './x' });
    expect(() => d.synth()).toThrow(/app\.yamlOutputType = "FILE_PER_CHART" does not write a folder per chart.*Fix: create the App with yamlOutputType: YamlOutputType\.FOLDER_PER_CHART_FILE_PER_RESOURCE/);
  });

  test('a variable the settings do not define (Flux would write an empty string)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const c = buildPlatform(app);
    (c.node.findAll().find((n: any) => n.kind === 'Cluster') as any).addOverride('metadata.annotations.owner', '${TEAM_NAME}');
    const d = new FluxDelivery(app, 'flux-system', { path: './x', settings: settings() });
    expect(() => d.synth()).toThrow(/Cluster \$\{CNPG_SHARED_CLUSTER_NAME\} metadata\.annotations\.owner = "\$\{TEAM_NAME\}" names variables the cluster-settings do not define/);
  });

  test('a health check of a variable name without the settings to resolve it', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    buildPlatform(app);
    const d = new FluxDelivery(app, 'flux-system', { path: './x' });
    expect(() => d.synth()).toThrow(/healthChecks Cluster name = "\$\{CNPG_SHARED_CLUSTER_NAME\}" is a Flux variable/);
  });

  test('two objects of one kind and name in one chart (cdk8s would write one file for both)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const c = new Chart(app, 'two');
    new CnpgSharedCluster(c, 'a', { clusterName: 'pg', namespace: 'one' });
    new CnpgSharedCluster(c, 'b', { clusterName: 'pg', namespace: 'two' });
    const d = new FluxDelivery(app, 'flux-system', { path: './x' });
    expect(() => d.synth()).toThrow(/has two objects written to the file Cluster\.pg\.k8s\.yaml/);
  });
});

describe('FluxKustomization', () => {
  test('is checked against the kustomize-controller CRD (vendor/crds/flux-kustomize-controller-1.9.6)', () => {
    const c = new Chart(new App(), 'c');
    const k = new FluxKustomization(c, 'apps', {
      path: './apps',
      dependsOn: [{ name: 'infra', namespace: 'flux-system' }],
      substituteFrom: [FluxSubstituteFrom.configMap('cluster-settings'), FluxSubstituteFrom.secret('s', true)],
      interval: Duration.minutes(5),
      retryInterval: Duration.minutes(1),
      timeout: Duration.minutes(3),
    });
    k.addHealthCheck({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' });
    k.addHealthCheckExpression(CnpgHealthChecks.cluster());
    const [obj] = c.toJson();
    expect(obj.spec).toMatchObject({
      interval: '5m',
      retryInterval: '1m',
      timeout: '3m',
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-settings' }, { kind: 'Secret', name: 's', optional: true }] },
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
    });
    k.apiObject.addOverride('spec.sourceRefs', { name: 'x' });
    expect(() => c.toJson()).toThrow(/Kustomization spec\.sourceRefs = \{"name":"x"\} is not a field of Kustomization spec \(Flux kustomize-controller 1\.9\.6\).*did you mean spec\.sourceRef\?/);
  });

  test.each([['/abs'], ['../outside'], ['./a/../../b']])('refuses the path %s', (p) => {
    expect(() => new FluxKustomization(new Chart(new App(), 'c'), 'k', { path: p })).toThrow(/path = .* is not a directory inside the source/);
  });
});

describe('CnpgHealthChecks: the CEL expressions on the statuses CloudNativePG writes (cel-js)', () => {
  const c = cel();
  const status = (expr: { current: string; failed?: string }, obj: any) => {
    if (expr.failed && c.evaluate(expr.failed, obj)) return 'failed';
    return c.evaluate(expr.current, obj) ? 'current' : 'in progress';
  };
  const ready = (s: string) => ({ type: 'Ready', status: s, reason: s === 'True' ? 'ClusterIsReady' : 'ClusterIsNotReady' });

  test.each([
    ['a new Cluster without conditions', { spec: {}, status: { phase: 'Setting up primary' } }, 'in progress'],
    ['a Cluster not ready', { spec: {}, status: { phase: 'Creating a new replica', conditions: [ready('False')] } }, 'in progress'],
    ['a ready Cluster', { spec: {}, status: { phase: 'Cluster in healthy state', conditions: [{ type: 'ContinuousArchiving', status: 'True' }, ready('True')] } }, 'current'],
    ['a Cluster needing an unknown plugin', { spec: {}, status: { phase: 'Cluster cannot proceed to reconciliation due to an unknown plugin being required', conditions: [ready('False')] } }, 'failed'],
  ])('Cluster: %s', (_n, obj, want) => {
    expect(status(CnpgHealthChecks.cluster(), obj)).toBe(want);
  });

  test.each([
    ['1.27: replicas not yet created', { spec: { instances: 3 }, status: { instances: 1 } }, 'in progress'],
    ['1.27: the Deployment has its replicas', { spec: { instances: 3 }, status: { instances: 3 } }, 'current'],
    ['1.30: active', { spec: { instances: 3 }, status: { instances: 3, phase: 'active' } }, 'current'],
    ['1.30: inactive', { spec: { instances: 3 }, status: { instances: 3, phase: 'inactive' } }, 'in progress'],
    ['1.30: failed', { spec: { instances: 3 }, status: { phase: 'failed', phaseReason: 'x' } }, 'failed'],
  ])('Pooler: %s', (_n, obj, want) => {
    expect(status(CnpgHealthChecks.pooler(), obj)).toBe(want);
  });

  test.each([
    ['not yet scheduled', { spec: { schedule: '0 0 2 * * *' }, status: {} }, 'in progress'],
    ['scheduled', { spec: { schedule: '0 0 2 * * *' }, status: { nextScheduleTime: '2026-01-01T02:00:00Z' } }, 'current'],
    ['suspended', { spec: { suspend: true }, status: {} }, 'current'],
    ['refused (1.30)', { spec: {}, status: { error: 'invalid schedule' } }, 'failed'],
  ])('ScheduledBackup: %s', (_n, obj, want) => {
    expect(status(CnpgHealthChecks.scheduledBackup(), obj)).toBe(want);
  });

  test('the phases counted as failed are CloudNativePG\'s own (api/v1/cluster_types.go, as vendored in the CRD\'s printer column source: none is healthy)', () => {
    expect(CnpgHealthChecks.CLUSTER_FAILED_PHASES).not.toContain('Cluster in healthy state');
    expect(new Set(CnpgHealthChecks.CLUSTER_FAILED_PHASES).size).toBe(CnpgHealthChecks.CLUSTER_FAILED_PHASES.length);
  });
});

describe('Flux\'s post-build substitution (the library\'s; test/integ/flux-delivery.test.ts compares it with Flux\'s own code)', () => {
  const vars = { A: '3', ON: 'on', S: 'text', EMPTY: '' };

  test.each([
    ['${A}', '3'], ['x-${S}-y', 'x-text-y'], ['$${A}', '${A}'], ['$$', '$'], ['${UNDEFINED}', ''], ['${UNDEFINED:=d}', 'd'],
    ['${EMPTY:=d}', 'd'], ['${EMPTY:-d}', 'd'], ['${EMPTY=d}', 'd'], ['${UNDEFINED:=${S}}', 'text'], ['$(shell)', '$(shell)'], ['$A', '$A'],
  ])('%s → %s', (text, want) => {
    expect(substituteText(text, vars, false)).toBe(want);
  });

  test('strict mode: an undefined variable without default fails', () => {
    expect(() => substituteText('${UNDEFINED}', vars, true)).toThrow(/variable not set \(strict mode\): "UNDEFINED"/);
    expect(substituteText('${UNDEFINED:=ok}', vars, true)).toBe('ok');
  });

  test('values are read back as YAML 1.1 plain scalars, whatever the source\'s quotes (sigs.k8s.io/yaml)', () => {
    const r = substituteObject({ kind: 'ConfigMap', data: { n: '${A}', b: '${ON}', s: 'x ${A}', script: 'echo ${A}\necho' } }, vars);
    expect(r.object.data).toEqual({ n: 3, b: true, s: 'x 3', script: 'echo 3\necho' });
    expect(r.references.map((x) => `${x.path} ${x.name}`)).toEqual(['data.n A', 'data.b ON', 'data.s A', 'data.script A']);
  });

  test('kustomize.toolkit.fluxcd.io/substitute: disabled leaves the object alone', () => {
    const obj = { kind: 'ConfigMap', metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }, data: { n: '${A}' } };
    expect(substituteObject(obj, vars)).toMatchObject({ disabled: true, object: obj });
  });

  test('the forms it does not evaluate are reported and left as written', () => {
    const r = substituteObject({ kind: 'ConfigMap', data: { n: '${A^^}', l: '${#S}' } }, vars);
    expect(r.object.data).toEqual({ n: '${A^^}', l: '${#S}' });
    expect(r.unsupported.map((u) => u.expression)).toEqual(['${A^^}', '${#S}']);
  });

  test('the reference settings substituted into the reference ScheduledBackup give its six-field schedule', () => {
    const data = parse(fs.readFileSync(path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml'), 'utf-8')).data;
    const sb = parse(fs.readFileSync(path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes', 'workloads', 'platform', 'databases', 'cloudnative-pg', 'shared-cluster', 'scheduledbackup.yaml'), 'utf-8'));
    const r = substituteObject(sb, data);
    expect(r.object.spec.schedule).toBe('0 0 2 * * *');
    expect(r.object.metadata.name).toBe('shared-postgres-backup');
  });
});
