/**
 * The restore and replica examples as `npx projen synth:example` writes them
 * (dist/examples/<name>/*.k8s.yaml; test:all runs synth:example before the integration tests):
 * every object passes the schema conformance checks of every vendored CloudNativePG release, and
 * every Cluster (after Flux substitutes the reference cluster-settings) passes the Cluster webhook
 * of the targeted releases, 1.27.1 and 1.30.0.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { judge, webhook, WEBHOOK_RELEASES } from './restore/webhook';
import { REFERENCE_SETTINGS_FILE } from '../../examples/platform/platform';
import { crdReleases, releaseVersion, REPO_ROOT, validatorFor } from '../util/conformance';
import { fluxSubstitute, readSettingsData } from '../util/flux';

jest.setTimeout(1_800_000);

const DIR = path.join(REPO_ROOT, 'dist', 'examples');
const EXAMPLES = ['restore', 'replica'];

function read(name: string, substitute: boolean): any[] {
  const dir = path.join(DIR, name);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')) : [];
  if (!files.length) throw new Error(`no ${dir}/*.k8s.yaml: run \`npx projen synth:example\` first`);
  return files.flatMap((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf-8');
    return parseAllDocuments(substitute ? fluxSubstitute(text, readSettingsData(REFERENCE_SETTINGS_FILE)) : text).map((d) => d.toJSON());
  });
}

describe.each(EXAMPLES)('dist/examples/%s', (name) => {
  test.each(crdReleases().map(releaseVersion))('every object passes the schemas of CloudNativePG %s', (version) => {
    const objects = read(name, false);
    expect(objects.filter((o) => o.kind === 'Cluster')).toHaveLength(1);
    expect(validatorFor(crdReleases().find((r) => releaseVersion(r) === version)!).validateAll(objects)).toEqual([]);
  });

  test.each(WEBHOOK_RELEASES)('its Cluster passes the Cluster webhook of CloudNativePG %s', (version) => {
    const clusters = read(name, true).filter((o) => o.kind === 'Cluster');
    const answers = judge(webhook(version), clusters);
    expect(answers.map((a) => a.error ?? 'ok')).toEqual(clusters.map(() => 'ok'));
  });
});

test('the restore example recovers the reference cluster\'s archive to the example\'s time, into a new folder', () => {
  const [cluster] = read('restore', true).filter((o) => o.kind === 'Cluster');
  expect(cluster.spec.bootstrap.recovery).toEqual({ source: 'shared-postgres', recoveryTarget: { targetTime: '2026-11-24 09:30:00+00:00' } });
  expect(cluster.spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 'shared-postgres-object-store', serverName: 'shared-postgres' });
  const own = read('restore', true).find((o) => o.kind === 'ObjectStore');
  expect(own.spec.configuration.destinationPath).toBe('s3://monosense-cnpg/shared-postgres-pitr');
});

test('the replica example replays the reference cluster\'s archive as its backup writes it', () => {
  const objects = read('replica', true);
  const cluster = objects.find((o) => o.kind === 'Cluster');
  expect(cluster.spec.replica).toEqual({ primary: 'shared-postgres', source: 'shared-postgres' });
  const source = objects.find((o) => o.kind === 'ObjectStore' && o.metadata.name === 'shared-postgres-source');
  const reference = parseAllDocuments(fluxSubstitute(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'example', 'shared-postgres.k8s.yaml'), 'utf-8'),
    readSettingsData(REFERENCE_SETTINGS_FILE))).map((d) => d.toJSON()).find((o) => o.kind === 'ObjectStore');
  for (const key of ['destinationPath', 'endpointURL', 's3Credentials']) {
    expect(source.spec.configuration[key]).toEqual(reference.spec.configuration[key]);
  }
});
