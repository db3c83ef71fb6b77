import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';
import { ClusterSettings, CnpgSharedCluster, FluxDelivery, SettingsMode } from '../src';

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
