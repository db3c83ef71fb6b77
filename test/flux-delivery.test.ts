import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { parse } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';
import { ClusterSettings, CnpgHealthChecks, CnpgSharedCluster, FluxDelivery, SettingsMode } from '../src';

const settings = () => ClusterSettings.fromFile(REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES });

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

/** An app writing a folder per chart, in a fresh directory. */
const newApp = (props: { outputFileExtension?: string } = {}) => new App({
  outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-flux-delivery-')), yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, ...props,
});
/** A bare object of a kind (FluxDelivery reads kinds and names, not specs). */
const object = (chart: Chart, apiVersion: string, kind: string, name: string, namespace = 'db', data?: Record<string, string>) =>
  new ApiObject(chart, `${kind}-${name}-${namespace}`, { apiVersion, kind, metadata: { name, namespace }, ...(data ? { data } : {}) });
const cnpg = (chart: Chart, kind: string, name: string, namespace = 'db') => object(chart, 'postgresql.cnpg.io/v1', kind, name, namespace);
const specOf = (d: FluxDelivery) => d.toJson()[0].spec;
const settingsOf = (data: Record<string, string>) => ClusterSettings.fromData(data, { mode: SettingsMode.FLUX_VARIABLES });

describe('FluxDelivery: the Flux Kustomization', () => {
  test('the documented defaults: named after the id, cluster-settings substituted, 15 minutes timeout, no wait', () => {
    const app = newApp();
    cnpg(new Chart(app, 'db'), 'Cluster', 'pg');
    const d = new FluxDelivery(app, 'shared-postgres', { path: './x' });
    expect(d.toJson()[0].metadata).toStrictEqual({ name: 'shared-postgres', namespace: 'flux-system' });
    expect(specOf(d)).toStrictEqual({
      interval: '10m',
      timeout: '15m',
      path: './x',
      prune: true,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-settings' }] },
      healthChecks: [{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'pg', namespace: 'db' }],
      healthCheckExprs: [{ ...CnpgHealthChecks.cluster() }],
    });
  });

  test('every prop given is passed on', () => {
    const app = newApp();
    const d = new FluxDelivery(app, 'flux', {
      path: './databases',
      name: 'databases',
      namespace: 'gitops',
      sourceRef: { kind: 'OCIRepository', name: 'platform' },
      dependsOn: [{ name: 'cnpg-operator' }],
      settingsConfigMap: 'platform-settings',
      interval: Duration.minutes(5),
      timeout: Duration.minutes(30),
      prune: false,
    });
    expect(d.toJson()[0].metadata).toStrictEqual({ name: 'databases', namespace: 'gitops' });
    expect(specOf(d)).toStrictEqual({
      interval: '5m',
      timeout: '30m',
      path: './databases',
      prune: false,
      wait: false,
      sourceRef: { kind: 'OCIRepository', name: 'platform' },
      dependsOn: [{ name: 'cnpg-operator' }],
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'platform-settings' }] },
    });
  });

  test('health checks: Clusters and ScheduledBackups, Poolers with their Deployments, of postgresql.cnpg.io only; an expression per kind found', () => {
    const app = newApp();
    const c = new Chart(app, 'db');
    cnpg(c, 'Cluster', 'pg');
    cnpg(c, 'Pooler', 'app-pooler', 'apps');
    cnpg(c, 'ScheduledBackup', 'pg-backup');
    cnpg(c, 'Backup', 'pg-once');
    cnpg(c, 'Database', 'app');
    object(c, 'other.example.com/v1', 'Cluster', 'not-cnpg');
    object(c, 'postgresql.cnpg.io.example.com/v1', 'Pooler', 'not-cnpg');
    object(c, 'apps/v1', 'Deployment', 'web');
    const d = new FluxDelivery(app, 'flux', { path: './x' });
    expect(specOf(d).healthChecks).toStrictEqual([
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'pg', namespace: 'db' },
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', name: 'app-pooler', namespace: 'apps' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-pooler', namespace: 'apps' },
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', name: 'pg-backup', namespace: 'db' },
    ]);
    expect(specOf(d).healthCheckExprs).toStrictEqual(CnpgHealthChecks.all().map((e) => ({ ...e })));
  });

  test.each([
    ['Pooler', [CnpgHealthChecks.pooler()]], ['ScheduledBackup', [CnpgHealthChecks.scheduledBackup()]], ['Backup', undefined],
  ])('only a %s: its expression only', (kind, exprs) => {
    const app = newApp();
    cnpg(new Chart(app, 'db'), kind as string, 'x');
    expect(specOf(new FluxDelivery(app, 'flux', { path: './x' })).healthCheckExprs).toStrictEqual(exprs?.map((e) => ({ ...e })));
  });

  test('wait: true writes no explicit health checks (Flux would ignore them) and keeps the expressions', () => {
    const app = newApp();
    cnpg(new Chart(app, 'db'), 'Pooler', 'p');
    const spec = specOf(new FluxDelivery(app, 'flux', { path: './x', wait: true }));
    expect([spec.wait, spec.healthChecks, spec.healthCheckExprs]).toStrictEqual([true, undefined, [{ ...CnpgHealthChecks.pooler() }]]);
  });

  test('charts: only the charts given are checked and delivered', () => {
    const app = newApp();
    const one = new Chart(app, 'one');
    cnpg(one, 'Cluster', 'a');
    cnpg(new Chart(app, 'two'), 'Cluster', 'b');
    const d = new FluxDelivery(app, 'flux', { path: './x', charts: [one] });
    expect(d.deliveredCharts()).toEqual([one]);
    expect(specOf(d).healthChecks.map((h: any) => h.name)).toEqual(['a']);
    expect(d.synth()).toEqual(['one/kustomization.yaml', 'kustomization.yaml']);
    expect(parse(fs.readFileSync(path.join(app.outdir, 'kustomization.yaml'), 'utf-8')).resources).toEqual(['one']);
  });

  test('by default every chart of the app but its own', () => {
    const app = newApp();
    const charts = [new Chart(app, 'one'), new Chart(app, 'two')];
    expect(new FluxDelivery(app, 'flux', { path: './x' }).deliveredCharts()).toEqual(charts);
  });
});

describe('FluxDelivery.synth: the files', () => {
  test('a kustomization.yaml per chart folder listing its files as cdk8s names them (sorted), and one at the top listing the folders', () => {
    const app = newApp();
    const db = new Chart(app, 'db');
    cnpg(db, 'Pooler', 'b-pooler');
    cnpg(db, 'Cluster', 'pg');
    object(db, 'v1', 'ConfigMap', 'a:b');
    cnpg(new Chart(app, 'apps'), 'Cluster', 'app');
    const d = new FluxDelivery(app, 'flux', { path: './x' });
    expect(d.synth()).toEqual(['db/kustomization.yaml', 'apps/kustomization.yaml', 'kustomization.yaml']);
    const files = fs.readdirSync(path.join(app.outdir, 'db')).filter((f) => f !== 'kustomization.yaml').sort();
    expect(files).toEqual(['Cluster.pg.k8s.yaml', 'ConfigMap.ab.k8s.yaml', 'Pooler.b-pooler.k8s.yaml']);
    expect(fs.readFileSync(path.join(app.outdir, 'db', 'kustomization.yaml'), 'utf-8')).toBe([
      '# Generated by @platform/cnpg-constructs (FluxDelivery): the db chart.',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      ...files.map((f) => `  - ${f}`),
      '',
    ].join('\n'));
    expect(fs.readFileSync(path.join(app.outdir, 'kustomization.yaml'), 'utf-8')).toBe([
      '# Generated by @platform/cnpg-constructs (FluxDelivery): the delivered charts; the Flux Kustomization itself is applied from the cluster\'s Flux tree.',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - apps',
      '  - db',
      '',
    ].join('\n'));
  });

  test('the app\'s file extension', () => {
    const app = newApp({ outputFileExtension: '.yml' });
    cnpg(new Chart(app, 'db'), 'Cluster', 'pg');
    new FluxDelivery(app, 'flux', { path: './x' }).synth();
    expect(parse(fs.readFileSync(path.join(app.outdir, 'db', 'kustomization.yaml'), 'utf-8')).resources).toEqual(['Cluster.pg.yml']);
  });

  test('charts that depend on each other: cdk8s numbers the folders, the kustomization.yaml files follow', () => {
    const app = newApp();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    cnpg(one, 'Cluster', 'a');
    cnpg(two, 'Cluster', 'b');
    two.addDependency(one);
    const d = new FluxDelivery(app, 'flux', { path: './x' });
    const written = d.synth();
    const dirs = fs.readdirSync(app.outdir).filter((f) => fs.statSync(path.join(app.outdir, f)).isDirectory()).sort();
    expect(dirs).toEqual(['0000-one', '0001-two', '0002-flux']);
    expect(written).toEqual(['0000-one/kustomization.yaml', '0001-two/kustomization.yaml', 'kustomization.yaml']);
    expect(parse(fs.readFileSync(path.join(app.outdir, 'kustomization.yaml'), 'utf-8')).resources).toEqual(['0000-one', '0001-two']);
    expect(parse(fs.readFileSync(path.join(app.outdir, '0001-two', 'kustomization.yaml'), 'utf-8')).resources).toEqual(['Cluster.b.k8s.yaml']);
  });

  test('a chart inside a chart: each lists its own objects, in the folder cdk8s gives it', () => {
    const app = newApp();
    const parent = new Chart(app, 'parent');
    object(parent, 'v1', 'ConfigMap', 'a');
    object(new Chart(parent, 'inner'), 'v1', 'ConfigMap', 'b');
    const written = new FluxDelivery(app, 'flux', { path: './x' }).synth();
    expect(written).toEqual(['0001-parent/kustomization.yaml', '0000-parent-inner-c89029d8/kustomization.yaml', 'kustomization.yaml']);
    const resources = (f: string) => parse(fs.readFileSync(path.join(app.outdir, f), 'utf-8')).resources;
    expect([resources(written[0]), resources(written[1]), resources(written[2])]).toEqual([
      ['ConfigMap.a.k8s.yaml'], ['ConfigMap.b.k8s.yaml'], ['0000-parent-inner-c89029d8', '0001-parent'],
    ]);
  });

  test('a file named as a chart in the output directory is not its folder', () => {
    const app = newApp();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    object(one, 'v1', 'ConfigMap', 'a');
    two.addDependency(one);
    fs.writeFileSync(path.join(app.outdir, 'one'), 'left by something else\n');
    expect(new FluxDelivery(app, 'flux', { path: './x' }).synth()).toEqual(['0000-one/kustomization.yaml', '0001-two/kustomization.yaml', 'kustomization.yaml']);
  });

  test('two objects of one kind and name in one chart: the whole message', () => {
    const app = newApp();
    const c = new Chart(app, 'db');
    cnpg(c, 'Cluster', 'pg', 'one');
    cnpg(c, 'Cluster', 'pg', 'two');
    expect(() => new FluxDelivery(app, 'flux', { path: './x' }).synth()).toThrow(new Error('FluxDelivery at \'flux\': charts = "db" has two objects written to '
      + 'the file Cluster.pg.k8s.yaml (same kind and name in two namespaces): cdk8s would keep only one. Fix: put objects of the same kind and name into different charts'));
  });

  test('a chart of another app: its folder is not written, said with the chart and the directory', () => {
    const app = newApp();
    const other = new Chart(new App(), 'elsewhere');
    const d = new FluxDelivery(app, 'flux', { path: './x', charts: [other] });
    expect(() => d.synth()).toThrow(new Error(`FluxDelivery: the folder of chart elsewhere was not written under ${app.outdir}`));
  });
});

describe('FluxDelivery: Flux variables', () => {
  test('a health check of a variable name or namespace is written with the settings\' value', () => {
    const app = newApp();
    cnpg(new Chart(app, 'db'), 'Cluster', '${CNPG_SHARED_CLUSTER_NAME}', '${CNPG_NAMESPACE_X:=databases}');
    const d = new FluxDelivery(app, 'flux', { path: './x', settings: settingsOf({ CNPG_SHARED_CLUSTER_NAME: 'shared-postgres' }) });
    expect(specOf(d).healthChecks).toStrictEqual([{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'shared-postgres', namespace: 'databases' }]);
  });

  test('an object without namespace: a health check without namespace (the Kustomization\'s), settings or not', () => {
    for (const given of [undefined, settingsOf({})]) {
      const app = newApp();
      new ApiObject(new Chart(app, 'db'), 'pg', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' } });
      expect(specOf(new FluxDelivery(app, 'flux', { path: './x', settings: given })).healthChecks).toStrictEqual([
        { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'pg' },
      ]);
    }
  });

  test.each([
    ['name', '${CNPG_SHARED_CLUSTER_NAME}', 'db', settingsOf({})],
    ['namespace', 'pg', '${CNPG_NS}', settingsOf({ CNPG_SHARED_CLUSTER_NAME: 'x' })],
    ['name', '${CNPG_SHARED_CLUSTER_NAME}', 'db', undefined],
  ])('a health check %s naming a variable the settings do not resolve: the whole message', (field, name, namespace, given) => {
    const app = newApp();
    cnpg(new Chart(app, 'db'), 'Cluster', name, namespace);
    const d = new FluxDelivery(app, 'flux', { path: './x', settings: given });
    const value = field === 'name' ? name : namespace;
    expect(() => d.toJson()).toThrow(new Error('Failed serializing construct at path \'flux/Kustomization/Resource\' with name \'flux\': Error: '
      + `FluxDelivery at 'flux': healthChecks Cluster ${field} = "${value}" is a Flux variable, which the Flux `
      + 'Kustomization\'s own health checks cannot name (its postBuild substitutes the built objects, not itself). Fix: give FluxDelivery the settings '
      + '(settings: ClusterSettings.fromFile(...)) that define it'));
  });

  test('a setting whose value is itself a variable cannot name a health check', () => {
    const app = newApp();
    cnpg(new Chart(app, 'db'), 'Cluster', '${CNPG_SHARED_CLUSTER_NAME}');
    const d = new FluxDelivery(app, 'flux', { path: './x', settings: settingsOf({ CNPG_SHARED_CLUSTER_NAME: '${CLUSTER}' }) });
    expect(() => d.toJson()).toThrow(/healthChecks Cluster name = "\$\{CNPG_SHARED_CLUSTER_NAME\}" is a Flux variable/);
  });

  test('variables of the delivered objects: each must be a key of the settings or have a default; the whole message names object, field and variables', () => {
    const app = newApp();
    const c = new Chart(app, 'db');
    object(c, 'v1', 'ConfigMap', 'ok', 'db', { a: '${CNPG_INSTANCES}', b: '${UNDEFINED:=1}', c: '$${ESCAPED}' });
    object(c, 'v1', 'ConfigMap', 'bad', 'db', { a: 'fine', b: '${TEAM} ${CNPG_INSTANCES} ${OWNER} ${TEAM}' });
    const d = new FluxDelivery(app, 'flux', { path: './x', settings: settingsOf({ CNPG_INSTANCES: '3' }) });
    expect(() => d.synth()).toThrow(new Error('FluxDelivery at \'flux\': ConfigMap bad data.b = "${TEAM} ${OWNER}" names variables the cluster-settings do not '
      + 'define: Flux would write an empty string in their place. Fix: define them in the cluster-settings, or escape a literal "${" as "$${"'));
  });

  test('an expression Flux\'s envsubst cannot parse (Flux would fail the whole Kustomization): the whole message', () => {
    const app = newApp();
    object(new Chart(app, 'db'), 'v1', 'ConfigMap', 'cm', 'db', { a: '${CNPG_INSTANCES:-3}', b: 'x ${CNPG_INSTANCES-3}' });
    const d = new FluxDelivery(app, 'flux', { path: './x', settings: settingsOf({ CNPG_INSTANCES: '3' }) });
    expect(() => d.synth()).toThrow(new Error('FluxDelivery at \'flux\': ConfigMap cm data.b = "${CNPG_INSTANCES-3}" is an expression Flux\'s envsubst cannot parse '
      + '("-" after the name starts none of its functions): Flux would fail the whole Kustomization. '
      + 'Fix: write ${VAR}, ${VAR:=default} or ${VAR:-default} (with a colon), or escape a literal "${" as "$${"'));
  });

  test('the same objects with the variable defined, or without settings (not checked), are delivered', () => {
    const build = (given?: ClusterSettings) => {
      const app = newApp();
      object(new Chart(app, 'db'), 'v1', 'ConfigMap', 'cm', 'db', { b: '${CNPG_TEAM_SECRET_PATH}' });
      return new FluxDelivery(app, 'flux', { path: './x', settings: given }).synth();
    };
    expect(build(undefined)).toEqual(['db/kustomization.yaml', 'kustomization.yaml']);
    expect(build(settingsOf({ CNPG_TEAM_SECRET_PATH: 'x' }))).toEqual(['db/kustomization.yaml', 'kustomization.yaml']);
  });
});
