import * as path from 'path';
import { JsonPatch } from 'cdk8s';
import { ClusterSettings, CnpgSharedCluster, CnpgVersion, PgBouncerPooler, SynchronousReplication } from '../src';
import { CNPG_1_27, CNPG_1_30, crdReleases, VENDOR_DIR, validatorFor } from './util/conformance';
import { specChanges } from './util/crd-diff';
import { chart, one, synth, targetReleases } from './util/synth';
import * as cnpg from '../src/imports/cnpg-cluster-postgresql.cnpg.io';
import { checkSpecFields, CNPG_FIELDS, requireBarmanCloudPlugin } from '../src/versions/features';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');

describe('CnpgVersion', () => {
  test('the supported releases are 1.27 to 1.30, oldest first; the default is the oldest', () => {
    expect(CnpgVersion.supported().map((v) => v.version)).toEqual(['1.27', '1.28', '1.29', '1.30']);
    expect(CnpgVersion.DEFAULT).toBe(CnpgVersion.V1_27);
    expect(CnpgVersion.OLDEST_SUPPORTED).toBe(CnpgVersion.V1_27);
    expect(CnpgVersion.LATEST_SUPPORTED).toBe(CnpgVersion.V1_30);
  });

  test('of() reads operator versions, with or without patch and v', () => {
    expect(CnpgVersion.of('1.27')).toBe(CnpgVersion.V1_27);
    expect(CnpgVersion.of('1.27.1')).toBe(CnpgVersion.V1_27);
    expect(CnpgVersion.of('v1.30.0')).toBe(CnpgVersion.V1_30);
    expect(CnpgVersion.V1_30.isAtLeast(CnpgVersion.V1_28)).toBe(true);
    expect(CnpgVersion.V1_27.isAtLeast(CnpgVersion.V1_28)).toBe(false);
    expect(String(CnpgVersion.V1_29)).toBe('1.29');
  });

  test('fromHelmChart() maps the cloudnative-pg chart to the operator it ships', () => {
    expect(CnpgVersion.fromHelmChart('0.26.1')).toBe(CnpgVersion.V1_27); // ships 1.27.1
    expect(CnpgVersion.fromHelmChart('0.26.0')).toBe(CnpgVersion.V1_27);
    expect(CnpgVersion.fromHelmChart('0.27.0')).toBe(CnpgVersion.V1_28);
    expect(CnpgVersion.fromHelmChart('0.28.0')).toBe(CnpgVersion.V1_29);
    expect(CnpgVersion.fromHelmChart('0.29.0')).toBe(CnpgVersion.V1_30);
  });

  test.each([
    ['of', '1.26', /"1.26" is not a supported CloudNativePG release. Fix: use one of 1.27 to 1.30/],
    ['of', '1.31.0', /is not a supported CloudNativePG release/],
    ['of', '0.26.1', /looks like a Helm chart version: use CnpgVersion.fromHelmChart/],
    ['of', 'latest', /is not a CloudNativePG operator version. Fix: write major.minor/],
    ['fromHelmChart', '1.27.1', /looks like an operator version: use CnpgVersion.of/],
    ['fromHelmChart', '0.25.0', /not a cloudnative-pg chart of a supported operator release.*Fix: use a chart of 0.26.x/],
    ['fromHelmChart', '0.26', /is not a Helm chart version/],
    ['fromHelmChart', '${CNPG_OPERATOR_VERSION}', /is a Flux variable/],
  ])('%s(%j) is refused with the fix', (fn, value, message) => {
    expect(() => (CnpgVersion as any)[fn](value)).toThrow(message);
  });
});

describe('the operator version of a cluster', () => {
  test('defaults to 1.27, and comes from props or from the settings\' CNPG_OPERATOR_VERSION', () => {
    expect(new CnpgSharedCluster(chart(), 'db').operatorVersion).toBe(CnpgVersion.V1_27);
    const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS);
    expect(settings.operatorChartVersion).toBe('0.26.1');
    expect(settings.operatorVersion).toBe(CnpgVersion.V1_27);
    expect(new CnpgSharedCluster(chart(), 'db', { settings }).operatorVersion).toBe(CnpgVersion.V1_27);
    expect(new CnpgSharedCluster(chart(), 'db', { settings, operatorVersion: CnpgVersion.V1_30 }).operatorVersion).toBe(CnpgVersion.V1_30);
    expect(ClusterSettings.fromData({ CNPG_OPERATOR_VERSION: '0.29.0' }).operatorVersion).toBe(CnpgVersion.V1_30);
    expect(ClusterSettings.fromData({}).operatorVersion).toBeUndefined();
  });

  test('a chart of an unsupported release in the settings is an error only when the version is needed', () => {
    const settings = ClusterSettings.fromData({ CNPG_OPERATOR_VERSION: '0.23.1' });
    expect(() => new CnpgSharedCluster(chart(), 'db', { settings }))
      .toThrow(/ClusterSettings\(data\): CNPG_OPERATOR_VERSION = "0.23.1" cannot give the operator release.*Fix: .*operatorVersion explicitly/);
    expect(new CnpgSharedCluster(chart(), 'db', { settings, operatorVersion: CnpgVersion.V1_27 }).operatorVersion).toBe(CnpgVersion.V1_27);
  });
});

describe('features of newer releases', () => {
  const quorum = () => SynchronousReplication.any({ failoverQuorum: true });

  test('a 1.28+ field (synchronous.failoverQuorum) is rejected for 1.27, naming the release and the fix', () => {
    expect(() => new CnpgSharedCluster(chart(), 'db', { replication: quorum() })).toThrow(
      /CnpgSharedCluster at '.*db': replication.failoverQuorum = true needs CloudNativePG 1.28 or newer \(Cluster spec.postgresql.synchronous.failoverQuorum\), but the manifests target operatorVersion 1.27.*Fix: upgrade the operator and set operatorVersion: CnpgVersion.V1_28/);
  });

  test('the same field is written for 1.30 and its output is checked against the 1.30 CRDs only', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', { operatorVersion: CnpgVersion.V1_30, replication: quorum() });
    expect(targetReleases(c).map((r) => r.cnpg)).toEqual(['cnpg-1.30.0']);
    const cluster = one(synth(c), 'Cluster');
    expect(cluster.spec.postgresql.synchronous).toMatchObject({ method: 'any', failoverQuorum: true });
    // ... and the 1.27.1 API server would reject it: the field is not in its CRD.
    expect(validatorFor(CNPG_1_27).validate(cluster).join('\n')).toMatch(/unknown field "failoverQuorum"/);
  });

  test('the output of a 1.27 chart is validated against every release in vendor/crds', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db');
    expect(targetReleases(c).map((r) => r.cnpg)).toEqual(crdReleases().map((r) => r.cnpg));
    expect(crdReleases().map((r) => r.cnpg)).toEqual(expect.arrayContaining(['cnpg-1.27.1', 'cnpg-1.30.0']));
  });

  test('every 1.30-only Pooler and Cluster field the library could write is unknown to the 1.27.1 CRDs', () => {
    const v127 = validatorFor(CNPG_1_27);
    const v130 = validatorFor(CNPG_1_30);
    const meta = { name: 'p', namespace: 'databases' };
    const pooler = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: meta,
      spec: {
        cluster: { name: 'db' },
        instances: 1,
        type: 'rw',
        pgbouncer: { poolMode: 'transaction', clientTLSSecret: { name: 'tls' }, clientCASecret: { name: 'ca' }, serverTLSSecret: { name: 'stls' }, serverCASecret: { name: 'sca' } },
        monitoring: { tls: { enabled: true } },
      },
    };
    expect(v130.validate(pooler)).toEqual([]);
    const errors = v127.validate(pooler).join('\n');
    for (const f of ['clientTLSSecret', 'clientCASecret', 'serverTLSSecret', 'serverCASecret', 'tls']) expect(errors).toMatch(new RegExp(`unknown field "${f}"`));
    const cluster = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: meta,
      spec: {
        instances: 1, podSecurityContext: { runAsNonRoot: true }, securityContext: { allowPrivilegeEscalation: false },
      },
    };
    expect(v130.validate(cluster)).toEqual([]);
    expect(v127.validate(cluster).join('\n')).toMatch(/unknown field "podSecurityContext"[\s\S]*unknown field "securityContext"|unknown field "securityContext"[\s\S]*unknown field "podSecurityContext"/);
    expect(v127.hasKind('postgresql.cnpg.io/v1', 'DatabaseRole')).toBe(false);
    expect(v130.hasKind('postgresql.cnpg.io/v1', 'DatabaseRole')).toBe(true);
  });

  test('a field a hook puts into the Cluster spec is refused at synth when the release lacks it (lz4 via _setBackup)', () => {
    const backup = (v: CnpgVersion) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { operatorVersion: v });
      db._setBackup({ barmanObjectStore: { destinationPath: 's3://b/db', data: { compression: 'lz4' as cnpg.ClusterSpecBackupBarmanObjectStoreDataCompression } } });
      return c;
    };
    expect(() => synth(backup(CnpgVersion.V1_27))).toThrow(
      /CnpgSharedCluster at '.*db': Cluster spec.backup.barmanObjectStore.data.compression = "lz4" is not in the CRD of CloudNativePG 1.27.*needs 1.30 or newer.*Fix: set operatorVersion: CnpgVersion.V1_30/);
    expect(one(synth(backup(CnpgVersion.V1_30)), 'Cluster').spec.backup.barmanObjectStore.data.compression).toBe('lz4');
  });

  test('a Pooler field the release lacks is refused at synth even through an escape hatch', () => {
    const patched = (v: CnpgVersion) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { operatorVersion: v });
      const p = new PgBouncerPooler(db, 'app-pooler', { cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'] });
      // A patch of an imported L1 object is applied before its toJson mapping: it names the TypeScript field.
      (p.node.findChild('Resource') as any).addJsonPatch(JsonPatch.add('/spec/pgbouncer/clientTlsSecret', { name: 'my-tls' }));
      return c;
    };
    expect(() => synth(patched(CnpgVersion.V1_27))).toThrow(/Pooler spec.pgbouncer.clientTLSSecret = \{"name":"my-tls"\} is not in the CRD of CloudNativePG 1.27/);
    expect(one(synth(patched(CnpgVersion.V1_28)), 'Pooler').spec.pgbouncer.clientTLSSecret).toEqual({ name: 'my-tls' });
  });

  test('a Cluster field the release lacks is refused at synth even through an escape hatch', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addJsonPatch(JsonPatch.add('/spec/postgresql/synchronous/failoverQuorum', true));
    expect(() => synth(c)).toThrow(/Cluster spec.postgresql.synchronous.failoverQuorum = true is not in the CRD of CloudNativePG 1.27.*needs 1.28/);
  });

  test('a Database field the release lacks (fdws, 1.28) is refused at synth even through an escape hatch', () => {
    const patched = (v: CnpgVersion) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { operatorVersion: v, secretStore: { name: 'store' } });
      const app = db.addApplication('harbor', { credentials: { remoteKey: 'k' } });
      (app.node.findChild('Database') as any).addJsonPatch(JsonPatch.add('/spec/fdws', [{ name: 'postgres_fdw' }]));
      return c;
    };
    expect(() => synth(patched(CnpgVersion.V1_27))).toThrow(/Database spec.fdws = \[\{"name":"postgres_fdw"\}\] is not in the CRD of CloudNativePG 1.27.*needs 1.28/);
    expect(one(synth(patched(CnpgVersion.V1_30)), 'Database').spec.fdws).toEqual([{ name: 'postgres_fdw' }]);
  });

  test('checkSpecFields finds fields in lists and leaves older releases\' fields alone', () => {
    const pooler = { cluster: { name: 'db' }, pgbouncer: { poolMode: 'session', clientTLSSecret: { name: 'tls' } } };
    expect(() => checkSpecFields('Pooler/p', 'Pooler', pooler, CnpgVersion.V1_27)).toThrow(/Pooler spec.pgbouncer.clientTLSSecret = \{"name":"tls"\} is not in the CRD of CloudNativePG 1.27.*needs 1.28/);
    expect(() => checkSpecFields('Pooler/p', 'Pooler', pooler, CnpgVersion.V1_28)).not.toThrow();
    const cluster = { postgresql: { extensions: [{ name: 'a', image: { reference: 'x' } }, { name: 'b', bin_path: ['bin'] }] } };
    expect(() => checkSpecFields('c', 'Cluster', cluster, CnpgVersion.V1_29)).toThrow(/spec.postgresql.extensions\[\].bin_path/);
    expect(() => checkSpecFields('c', 'Cluster', { backup: { barmanObjectStore: { data: { compression: 'gzip' } } } }, CnpgVersion.V1_27)).not.toThrow();
  });

  test('the gated fields name a release the enum has', () => {
    for (const f of Object.values(CNPG_FIELDS)) expect(CnpgVersion.supported()).toContain(f.since);
  });
});

describe('the Barman Cloud plugin\'s minimum operator release', () => {
  test('plugin 0.14 (the ObjectStore CRD the library writes) runs on every supported release (needs 1.26)', () => {
    for (const v of CnpgVersion.supported()) expect(() => requireBarmanCloudPlugin('test', v)).not.toThrow();
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db._addPlugin({ name: 'barman-cloud.cloudnative-pg.io', isWalArchiver: true, parameters: { barmanObjectName: 'store' } } as cnpg.ClusterSpecPlugins);
    expect(one(synth(c), 'Cluster').spec.plugins).toHaveLength(1);
  });

  test('a plugin release that needs a newer operator is an error', () => {
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_27, '0.16.0'))
      .toThrow(/Backup: operatorVersion = "1.27" is older than the 1.30 the Barman Cloud plugin 0.16.0 requires.*Fix: upgrade the operator/);
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30, '0.16.0')).not.toThrow();
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30, '0.9.0')).toThrow(/is not a Barman Cloud plugin release this library knows/);
  });
});

/**
 * Every spec difference between the oldest and newest CNPG CRDs in vendor/crds, classified:
 * a field the library writes or could write is gated (a key of CNPG_FIELDS), anything else says
 * why the library never writes it. A new release folder with new differences fails here until
 * the table (and docs/guides/versioning.md) is updated.
 */
const CLASSIFIED: Record<string, keyof typeof CNPG_FIELDS | `not written: ${string}`> = {
  'added Cluster.spec.backup.barmanObjectStore.azureCredentials.useDefaultAzureCredentials': 'barmanAzureDefaultCredentials',
  'added Cluster.spec.bootstrap.initdb.import.pgRestoreDataOptions': 'importPgRestoreOptions',
  'added Cluster.spec.bootstrap.initdb.import.pgRestorePostdataOptions': 'importPgRestoreOptions',
  'added Cluster.spec.bootstrap.initdb.import.pgRestorePredataOptions': 'importPgRestoreOptions',
  'added Cluster.spec.externalClusters[].barmanObjectStore.azureCredentials.useDefaultAzureCredentials': 'barmanAzureDefaultCredentials',
  'added Cluster.spec.monitoring.metricsQueriesTTL': 'clusterMetricsQueriesTtl',
  'added Cluster.spec.podSecurityContext': 'clusterPodSecurityContext',
  'added Cluster.spec.podSelectorRefs': 'clusterPodSelectorRefs',
  'added Cluster.spec.postgresql.extensions[].bin_path': 'clusterExtensionBinPathEnv',
  'added Cluster.spec.postgresql.extensions[].env': 'clusterExtensionBinPathEnv',
  'added Cluster.spec.postgresql.synchronous.failoverQuorum': 'clusterFailoverQuorum',
  'added Cluster.spec.primaryLease': 'clusterPrimaryLease',
  'added Cluster.spec.projectedVolumeTemplate.sources[].podCertificate.userAnnotations': 'not written: the library mounts no projected volumes',
  'added Cluster.spec.securityContext': 'clusterSecurityContext',
  'added Cluster.spec.serviceAccountName': 'clusterServiceAccountName',
  'enum Cluster.spec.backup.barmanObjectStore.data.compression': 'barmanLz4Compression',
  'enum Cluster.spec.externalClusters[].barmanObjectStore.data.compression': 'barmanLz4Compression',
  'required Cluster.spec.postgresql.extensions[]': 'clusterExtensionBinPathEnv',
  'added ClusterImageCatalog.spec.componentImages': 'not written: the library pins imageName, it writes no image catalog',
  'added ClusterImageCatalog.spec.images[].extensions': 'not written: the library pins imageName, it writes no image catalog',
  'added ImageCatalog.spec.componentImages': 'not written: the library pins imageName, it writes no image catalog',
  'added ImageCatalog.spec.images[].extensions': 'not written: the library pins imageName, it writes no image catalog',
  'added Database.spec.fdws': 'databaseFdws',
  'added Database.spec.servers': 'databaseServers',
  'kind-added DatabaseRole': 'databaseRoleKind',
  'added Pooler.spec.monitoring.tls': 'poolerMonitoringTls',
  'added Pooler.spec.pgbouncer.clientCASecret': 'poolerClientTls',
  'added Pooler.spec.pgbouncer.clientTLSSecret': 'poolerClientTls',
  'added Pooler.spec.pgbouncer.image': 'poolerImage',
  'added Pooler.spec.pgbouncer.imageCatalogRef': 'poolerImage',
  'added Pooler.spec.pgbouncer.serverCASecret': 'poolerServerTls',
  'added Pooler.spec.pgbouncer.serverTLSSecret': 'poolerServerTls',
  'added Pooler.spec.serviceAccountName': 'poolerServiceAccountName',
  'added Pooler.spec.template.spec.schedulingGroup': 'not written: the pooler template sets no scheduling group',
  'added Pooler.spec.template.spec.volumes[].projected.sources[].podCertificate.userAnnotations': 'not written: the pooler template mounts no projected volumes',
};

test('every spec difference between the oldest and newest CNPG CRDs is gated or never written', () => {
  const releases = crdReleases();
  const changes = specChanges(releases[0].cnpg, releases[releases.length - 1].cnpg).map((c) => `${c.change} ${c.path}`);
  expect(changes.filter((c) => !(c in CLASSIFIED))).toEqual([]);
  expect(Object.keys(CLASSIFIED).filter((c) => !changes.includes(c))).toEqual([]);
  expect(changes.filter((c) => c.startsWith('removed') || c.startsWith('kind-removed'))).toEqual([]);
  for (const v of Object.values(CLASSIFIED)) if (!v.startsWith('not written')) expect(CNPG_FIELDS).toHaveProperty(v);
});
