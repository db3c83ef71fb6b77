// `npx projen synth:example`: every example. The reference platform to dist/example/*.k8s.yaml
// (examples/platform/main.ts, the program a user writes), the same platform as a directory Flux
// reconciles to dist/examples/flux/ (FluxDelivery), and the restore and replica examples to
// dist/examples/restore/ and dist/examples/replica/.
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { ClusterSettings, FluxDelivery, SettingsMode } from '../src';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from './platform/platform';
import { synthReplicaExample } from './replica/main';
import { synthRestoreExample } from './restore/main';

import './platform/main';

// The Flux delivery: one file per object in a folder per chart, kustomization.yaml files, and the
// Flux Kustomization (flux-system/) that reconciles them after the operator's Kustomization, with
// the cluster-settings substituted and health checks of the Cluster, Poolers and ScheduledBackup.
const fluxOutdir = process.env.CNPG_FLUX_OUTDIR ?? path.resolve(__dirname, '..', 'dist', 'examples', 'flux');
const fluxApp = new App({ outdir: fluxOutdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
buildPlatform(fluxApp);
const delivery = new FluxDelivery(fluxApp, 'flux-system', {
  name: 'shared-postgres',
  // Where this directory sits in the platform's repository.
  path: './kubernetes/workloads/platform/databases/shared-postgres',
  // The Kustomization that installs the CloudNativePG operator and its CRDs (and the Barman
  // Cloud plugin), as the platform names it.
  dependsOn: [{ name: 'cnpg-operator' }],
  settings: ClusterSettings.fromFile(REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES }),
});
const written = delivery.synth();
console.log(`wrote ${path.relative(process.cwd(), fluxOutdir)}/ (${written.join(', ')} and one file per object)`);

// The restore and replica examples: dist/examples/<name>/*.k8s.yaml.
const examples = process.env.CNPG_EXAMPLES_OUTDIR ?? path.resolve(__dirname, '..', 'dist', 'examples');
for (const f of [...synthRestoreExample(examples), ...synthReplicaExample(examples)]) console.log(`wrote ${path.relative(process.cwd(), f)}`);
