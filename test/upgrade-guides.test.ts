import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { ClusterSettings, CnpgSharedCluster, CnpgVersion } from '../src';
import { VENDOR_DIR } from './util/conformance';
import { chart, one, synth, targetReleases } from './util/synth';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');

// The snippet of docs/guides/upgrade-namespace.md ("The new cluster, restored from the old one's
// backups"), built as written and validated against every CNPG release's CRDs by synth().
describe('docs/guides/upgrade-namespace.md: the one-time recovery bootstrap', () => {
  const c = chart();
  const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS);
  const db = new CnpgSharedCluster(c, 'shared-postgres', { settings, operatorVersion: settings.operatorVersion });
  new ApiObject(c, 'origin-archive', {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: { name: 'shared-postgres-origin', namespace: db.namespace },
    spec: {
      configuration: {
        destinationPath: 's3://monosense-cnpg/shared-postgres',
        endpointURL: 'http://10.25.11.3:9000',
        s3Credentials: {
          accessKeyId: { name: 'cnpg-backup-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'cnpg-backup-s3', key: 'SECRET_ACCESS_KEY' },
        },
      },
    },
  });
  db.apiObject.addJsonPatch(
    JsonPatch.add('/spec/bootstrap', { recovery: { source: 'origin' } }),
    JsonPatch.add('/spec/externalClusters', [{
      name: 'origin',
      plugin: {
        name: 'barman-cloud.cloudnative-pg.io',
        parameters: { barmanObjectName: 'shared-postgres-origin', serverName: 'shared-postgres' },
      },
    }]),
  );

  test('targets the platform\'s 1.27.1 and is valid against the 1.27.1 and newest CRDs', () => {
    expect(db.operatorVersion).toBe(CnpgVersion.V1_27_1);
    expect(targetReleases(c).map((r) => r.cnpg)).toEqual(['cnpg-1.27.1', 'cnpg-1.30.1']);
    const cluster = one(synth(c), 'Cluster', 'shared-postgres');
    expect(cluster.metadata.namespace).toBe('databases');
    expect(cluster.spec.bootstrap).toEqual({ recovery: { source: 'origin' } });
    expect(cluster.spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 'shared-postgres-origin', serverName: 'shared-postgres' });
  });
});

// docs/guides/upgrade-barman-plugin.md: primaryUpdateMethod restart for the in-place switch on CNPG < 1.28.4.
test('docs/guides/upgrade-barman-plugin.md: the primaryUpdateMethod escape hatch reaches the Cluster', () => {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'shared-postgres');
  db.apiObject.addJsonPatch(JsonPatch.add('/spec/primaryUpdateMethod', 'restart'));
  expect(one(synth(c), 'Cluster').spec.primaryUpdateMethod).toBe('restart');
});
