import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';
import { ClusterSettings, FluxDelivery, ManifestAudit, SettingsMode } from '../src';
import { synth } from './util/synth';

const settings = () => ClusterSettings.fromFile(REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES });

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
