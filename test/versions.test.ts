import * as path from 'path';
import { JsonPatch } from 'cdk8s';
import { ClusterSettings, CnpgSharedCluster, CnpgVersion, PgBouncerPooler, SynchronousReplication } from '../src';
import { CNPG_1_27, CNPG_1_30, crdReleases, VENDOR_DIR, validatorFor } from './util/conformance';
import { specChanges } from './util/crd-diff';
import { chart, one, synth, targetReleases } from './util/synth';
import { checkObjectSchema } from '../src/checks/schema';
import * as cnpg from '../src/imports/cnpg-cluster-postgresql.cnpg.io';
import { CNPG_FIELDS, releasesWith, requireBarmanCloudPlugin } from '../src/versions/features';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');

describe('CnpgVersion', () => {
  const ALL = ['1.27.0', '1.27.1', '1.28.0', '1.28.1', '1.28.2', '1.29.0', '1.29.1', '1.30.0', '1.30.1'];

  test('the supported releases are the vendored CRD releases, oldest first; the default is the oldest', () => {
    expect(CnpgVersion.supported().map((v) => v.version)).toEqual(ALL);
    expect(crdReleases().map((r) => r.cnpg)).toEqual(ALL.map((v) => `cnpg-${v}`));
    expect(CnpgVersion.DEFAULT).toBe(CnpgVersion.V1_27_0);
    expect(CnpgVersion.OLDEST_SUPPORTED).toBe(CnpgVersion.V1_27_0);
    expect(CnpgVersion.LATEST_SUPPORTED).toBe(CnpgVersion.V1_30_1);
  });

  test('of() knows patch releases: 1.27.0 and 1.27.1 differ', () => {
    expect(CnpgVersion.of('1.27.1')).toBe(CnpgVersion.V1_27_1);
    expect(CnpgVersion.of('v1.27.0')).toBe(CnpgVersion.V1_27_0);
    expect(CnpgVersion.of('1.27.1')).not.toBe(CnpgVersion.of('1.27.0'));
    expect(CnpgVersion.V1_27_1.isAtLeast(CnpgVersion.V1_27_0)).toBe(true);
    expect(CnpgVersion.V1_27_0.isAtLeast(CnpgVersion.V1_27_1)).toBe(false);
    expect(CnpgVersion.V1_30_0.isAtLeast(CnpgVersion.V1_28_2)).toBe(true);
    expect(CnpgVersion.V1_28_2.isAtLeast(CnpgVersion.V1_29_0)).toBe(false);
    expect(String(CnpgVersion.V1_29_1)).toBe('1.29.1');
    expect([CnpgVersion.V1_28_2.major, CnpgVersion.V1_28_2.minor, CnpgVersion.V1_28_2.patch]).toEqual([1, 28, 2]);
  });

  test('a minor version alone (and the V1_27..V1_30 constants) means its first patch: valid on every patch of it', () => {
    expect(CnpgVersion.of('1.27')).toBe(CnpgVersion.V1_27_0);
    expect(CnpgVersion.V1_27).toBe(CnpgVersion.V1_27_0);
    expect(CnpgVersion.V1_28).toBe(CnpgVersion.V1_28_0);
    expect(CnpgVersion.V1_30).toBe(CnpgVersion.V1_30_0);
  });

  test('an unknown later patch is written for the newest known patch of its minor before it', () => {
    const v = CnpgVersion.of('1.27.2');
    expect(v.version).toBe('1.27.2');
    expect(v.release).toBe('1.27.1');
    expect(v.isAtLeast(CnpgVersion.V1_27_1)).toBe(true);
    expect(v.isAtLeast(CnpgVersion.V1_28_0)).toBe(false);
    expect(CnpgVersion.of('1.29.7').release).toBe('1.29.1');
  });

  test('fromHelmChart() maps the cloudnative-pg chart to the operator it ships, patch aligned', () => {
    expect(CnpgVersion.fromHelmChart('0.26.1')).toBe(CnpgVersion.V1_27_1);
    expect(CnpgVersion.fromHelmChart('0.26.0')).toBe(CnpgVersion.V1_27_0);
    expect(CnpgVersion.fromHelmChart('0.27.0')).toBe(CnpgVersion.V1_28_0);
    expect(CnpgVersion.fromHelmChart('0.28.1')).toBe(CnpgVersion.V1_29_1);
    expect(CnpgVersion.fromHelmChart('0.29.0')).toBe(CnpgVersion.V1_30_0);
  });

  test.each([
    ['of', '1.26', /"1.26" is not a supported CloudNativePG release. Fix: use one of 1.27.0 to 1.30.1/],
    ['of', '1.31.0', /is not a supported CloudNativePG release/],
    ['of', '0.26.1', /looks like a Helm chart version: use CnpgVersion.fromHelmChart/],
    ['of', 'latest', /is not a CloudNativePG operator version. Fix: write major.minor.patch/],
    ['of', 42, /version = 42 is a number, where a string goes\. Fix: write the value as a string, in quotes/],
    ['fromHelmChart', '1.27.1', /looks like an operator version: use CnpgVersion.of/],
    ['fromHelmChart', '0.25.0', /not a cloudnative-pg chart of a supported operator release.*Fix: use a chart of 0.26.x/],
    ['fromHelmChart', '0.26', /is not a Helm chart version/],
    ['fromHelmChart', '${CNPG_OPERATOR_VERSION}', /is a Flux variable/],
  ])('%s(%j) is refused with the fix', (fn, value, message) => {
    expect(() => (CnpgVersion as any)[fn](value)).toThrow(message);
  });
});

describe('the operator version of a cluster', () => {
  test('defaults to 1.27.0, and comes from props or from the settings\' CNPG_OPERATOR_VERSION (chart 0.26.1: 1.27.1)', () => {
    expect(new CnpgSharedCluster(chart(), 'db').operatorVersion).toBe(CnpgVersion.V1_27_0);
    const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS);
    expect(settings.operatorChartVersion).toBe('0.26.1');
    expect(settings.operatorVersion).toBe(CnpgVersion.V1_27_1);
    expect(new CnpgSharedCluster(chart(), 'db', { settings }).operatorVersion).toBe(CnpgVersion.V1_27_1);
    expect(new CnpgSharedCluster(chart(), 'db', { settings, operatorVersion: CnpgVersion.V1_30_0 }).operatorVersion).toBe(CnpgVersion.V1_30_0);
    expect(ClusterSettings.fromData({ CNPG_OPERATOR_VERSION: '0.29.0' }).operatorVersion).toBe(CnpgVersion.V1_30_0);
    expect(ClusterSettings.fromData({}).operatorVersion).toBeUndefined();
  });

  test('a chart of an unsupported release in the settings is an error only when the version is needed', () => {
    const settings = ClusterSettings.fromData({ CNPG_OPERATOR_VERSION: '0.23.1' });
    expect(() => new CnpgSharedCluster(chart(), 'db', { settings }))
      .toThrow(/ClusterSettings\(data\): CNPG_OPERATOR_VERSION = "0.23.1" cannot give the operator release.*Fix: .*operatorVersion explicitly/);
    expect(new CnpgSharedCluster(chart(), 'db', { settings, operatorVersion: CnpgVersion.V1_27_1 }).operatorVersion).toBe(CnpgVersion.V1_27_1);
  });
});

describe('features of newer releases, read from the vendored CRDs of every release', () => {
  const quorum = () => SynchronousReplication.any({ failoverQuorum: true });

  test('which releases have a field comes from the CRDs, not from a hand-written table', () => {
    expect(releasesWith(CNPG_FIELDS.clusterFailoverQuorum).map(String)).toEqual(['1.28.0', '1.28.1', '1.28.2', '1.29.0', '1.29.1', '1.30.0', '1.30.1']);
    expect(releasesWith(CNPG_FIELDS.poolerClientTls)[0]).toBe(CnpgVersion.V1_28_0);
    expect(releasesWith(CNPG_FIELDS.poolerImage)[0]).toBe(CnpgVersion.V1_30_0);
    expect(releasesWith(CNPG_FIELDS.barmanLz4Compression).map(String)).toEqual(['1.30.0', '1.30.1']);
    // A patch release brought a field: bin_path of extensions is in 1.28.2, not in 1.28.1.
    expect(releasesWith({ kind: 'Cluster', field: 'spec.postgresql.extensions[].bin_path' })[0]).toBe(CnpgVersion.V1_28_2);
    for (const f of Object.values(CNPG_FIELDS)) expect(releasesWith(f).length).toBeGreaterThan(0);
  });

  test('a 1.28+ field (synchronous.failoverQuorum) is rejected for 1.27, naming the first release and the fix', () => {
    expect(() => new CnpgSharedCluster(chart(), 'db', { replication: quorum() })).toThrow(
      /CnpgSharedCluster at '.*db': replication.failoverQuorum = true needs CloudNativePG 1.28.0 or newer \(Cluster spec.postgresql.synchronous.failoverQuorum\), but the manifests target operatorVersion 1.27.0.*Fix: upgrade the operator and set operatorVersion: CnpgVersion.V1_28_0/);
  });

  test('the same field is written for 1.30 and its output is checked against the 1.30 CRDs only', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', { operatorVersion: CnpgVersion.V1_30_0, replication: quorum() });
    expect(targetReleases(c).map((r) => r.cnpg)).toEqual(['cnpg-1.30.0', 'cnpg-1.30.1']);
    const cluster = one(synth(c), 'Cluster');
    expect(cluster.spec.postgresql.synchronous).toMatchObject({ method: 'any', failoverQuorum: true });
    // ... and the 1.27.1 API server would reject it: the field is not in its CRD.
    expect(validatorFor(CNPG_1_27).validate(cluster).join('\n')).toMatch(/unknown field "failoverQuorum"/);
  });

  test('the unit tests validate a 1.27.0 chart against its release and the newest', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db');
    expect(targetReleases(c).map((r) => r.cnpg)).toEqual(['cnpg-1.27.0', 'cnpg-1.30.1']);
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
    expect(v127.validate(cluster).join('\n')).toMatch(/unknown field "securityContext"/);
    expect(v127.validate(cluster).join('\n')).toMatch(/unknown field "podSecurityContext"/);
    expect(v127.hasKind('postgresql.cnpg.io/v1', 'DatabaseRole')).toBe(false);
    expect(v130.hasKind('postgresql.cnpg.io/v1', 'DatabaseRole')).toBe(true);
    // The library's own check says the same, with the releases that have the fields.
    const own = checkObjectSchema(pooler, '1.27.1').map((p) => `${p.path}: ${p.problem}`).join('\n');
    expect(own).toMatch(/spec.pgbouncer.clientTLSSecret: is not a field of the Pooler CRD of CloudNativePG 1.27.1: only 1.28.0 and newer have it/);
    expect(own).toMatch(/spec.monitoring.tls: is not a field of the Pooler CRD of CloudNativePG 1.27.1: only 1.30.0 and newer have it/);
    expect(checkObjectSchema(pooler, '1.30.0')).toEqual([]);
  });

  test('a field a hook puts into the Cluster spec is refused at synth when the release lacks it (lz4 via _setBackup)', () => {
    const backup = (v: CnpgVersion) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { operatorVersion: v });
      db._setBackup({ barmanObjectStore: { destinationPath: 's3://b/db', data: { compression: 'lz4' as cnpg.ClusterSpecBackupBarmanObjectStoreDataCompression } } });
      return c;
    };
    expect(() => synth(backup(CnpgVersion.V1_27_1))).toThrow(
      /CheckedApiObject at '.*db\/Resource': Cluster spec.backup.barmanObjectStore.data.compression = "lz4" is not allowed by the Cluster CRD of CloudNativePG 1.27.1: only 1.30.0 and newer accept it. Fix: use one of \["bzip2","gzip","snappy"\]/);
    expect(one(synth(backup(CnpgVersion.V1_30_0)), 'Cluster').spec.backup.barmanObjectStore.data.compression).toBe('lz4');
  });

  test('a Pooler field the release lacks is refused at synth even through an escape hatch (CRD field names, as in YAML)', () => {
    const patched = (v: CnpgVersion, field: string) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { operatorVersion: v });
      const p = new PgBouncerPooler(db, 'app-pooler', { cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'] });
      p.apiObject.addJsonPatch(JsonPatch.add(`/spec/pgbouncer/${field}`, { name: 'my-tls' }));
      return c;
    };
    expect(() => synth(patched(CnpgVersion.V1_27_1, 'clientTLSSecret'))).toThrow(/Pooler spec.pgbouncer.clientTLSSecret = \{"name":"my-tls"\} is not a field of the Pooler CRD of CloudNativePG 1.27.1: only 1.28.0 and newer have it/);
    expect(one(synth(patched(CnpgVersion.V1_28_0, 'clientTLSSecret')), 'Pooler').spec.pgbouncer.clientTLSSecret).toEqual({ name: 'my-tls' });
    // The TypeScript name of the generated L1 class is not the CRD's: refused with the right one.
    expect(() => synth(patched(CnpgVersion.V1_28_0, 'clientTlsSecret'))).toThrow(/Pooler spec.pgbouncer.clientTlsSecret = \{"name":"my-tls"\} is not a field of Pooler spec.pgbouncer .*did you mean spec.pgbouncer.clientTLSSecret\?/);
  });

  test('a Cluster field the release lacks is refused at synth even through an escape hatch', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addJsonPatch(JsonPatch.add('/spec/postgresql/synchronous/failoverQuorum', true));
    expect(() => synth(c)).toThrow(/Cluster spec.postgresql.synchronous.failoverQuorum = true is not a field of the Cluster CRD of CloudNativePG 1.27.0: only 1.28.0 and newer have it/);
  });

  test('a Database field the release lacks (fdws, 1.28) is refused at synth even through an escape hatch', () => {
    const patched = (v: CnpgVersion) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { operatorVersion: v, secretStore: { name: 'store' } });
      const app = db.addApplication('harbor', { credentials: { remoteKey: 'k' } });
      app.database.addJsonPatch(JsonPatch.add('/spec/fdws', [{ name: 'postgres_fdw' }]));
      return c;
    };
    expect(() => synth(patched(CnpgVersion.V1_27_1))).toThrow(/Database spec.fdws = \[\{"name":"postgres_fdw"\}\] is not a field of the Database CRD of CloudNativePG 1.27.1: only 1.28.0 and newer have it/);
    expect(one(synth(patched(CnpgVersion.V1_30_0)), 'Database').spec.fdws).toEqual([{ name: 'postgres_fdw' }]);
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
      .toThrow(/Backup: operatorVersion = "1.27.0" is older than the 1.30 the Barman Cloud plugin 0.16.0 requires.*Fix: upgrade the operator/);
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30, '0.16.0')).not.toThrow();
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30, '0.9.0')).toThrow(/is not a Barman Cloud plugin release this library knows/);
  });
});

/**
 * The library's field gate is the vendored CRDs themselves: every field a release added (found by
 * diffing the CRD files of each pair of consecutive releases) is refused by the library's schema
 * check for the release before and accepted from the release that added it, whatever construct
 * or escape hatch writes it.
 */
describe('every field added between two consecutive releases is gated by the schema check', () => {
  const releases = crdReleases();
  const pairs = releases.slice(1).map((r, i) => [releases[i], r] as const);
  const kinds: Record<string, string> = { Cluster: 'postgresql.cnpg.io/v1', Pooler: 'postgresql.cnpg.io/v1', Database: 'postgresql.cnpg.io/v1', ScheduledBackup: 'postgresql.cnpg.io/v1', Backup: 'postgresql.cnpg.io/v1' };
  const cases = pairs.flatMap(([before, after]) => specChanges(before.cnpg, after.cnpg)
    .filter((c) => c.change === 'added' && kinds[c.path.split('.')[0]] && !c.path.includes('{}'))
    .map((c) => [before.cnpg.slice(5), after.cnpg.slice(5), c.path] as const));

  test('the diffs between consecutive releases add fields (1.27.0 → 1.30.1)', () => {
    expect(cases.length).toBeGreaterThan(20);
    expect(cases.map(([, after, p]) => `${after} ${p}`)).toEqual(expect.arrayContaining([
      '1.28.0 Cluster.spec.postgresql.synchronous.failoverQuorum',
      '1.28.0 Pooler.spec.pgbouncer.clientTLSSecret',
      '1.30.0 Cluster.spec.primaryLease',
    ]));
  });

  test.each(cases)('%s → %s: %s', (before, after, fieldPath) => {
    const [kind, ...segments] = fieldPath.split('.');
    // An object with only that field set (to a value of any type: the check is about the name).
    const obj: any = { apiVersion: kinds[kind], kind, metadata: { name: 'x', namespace: 'y' } };
    let node = obj;
    segments.forEach((seg, i) => {
      const list = seg.endsWith('[]');
      const name = list ? seg.slice(0, -2) : seg;
      const last = i === segments.length - 1;
      if (list) {
        const item = {};
        node[name] = [item];
        node = item;
        if (last) node = node;
      } else if (last) {
        node[name] = {};
      } else {
        node[name] = node[name] ?? {};
        node = node[name];
      }
    });
    const at = segments.join('.').replace(/\[\]/g, '[0]');
    const refused = checkObjectSchema(obj, before).filter((p) => p.path === at || p.path === at.replace(/\[0\]$/, ''));
    expect(refused.map((p) => p.problem).join('\n')).toMatch(new RegExp(`is not a field of the ${kind} CRD of CloudNativePG ${before.replace(/\./g, '\\.')}: only .*${after.replace(/\./g, '\\.')}`));
    const unknownAfter = checkObjectSchema(obj, after).filter((p) => /is not a field/.test(p.problem) && (p.path === at || at.startsWith(p.path)));
    expect(unknownAfter).toEqual([]);
  });
});
