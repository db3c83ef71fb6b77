import { CnpgSharedCluster, CnpgVersion, PgBouncerPooler, SslMode } from '../src';
import { chart, one, synth } from './util/synth';
import { checkPgBouncerParameter, PGBOUNCER_PARAMETERS_SINCE, pgbouncerParameterProblems } from '../src/pooler/pgbouncer-parameters';
import { BARMAN_CLOUD_PLUGIN, CNPG_FIELDS, releasesWith, requireBarmanCloudPlugin, requireCnpgVersion } from '../src/versions/features';

// Every version gate on both sides of its release (issue #17): the last supported release
// without the feature refuses it, the first with it accepts it. The first releases are written
// here by hand, from the vendored CRDs (vendor/crds/cnpg-*) and the operator's webhook
// (src/pooler/pgbouncer-parameters.ts cites the tags), not read back from the tables under test.

const SUPPORTED = CnpgVersion.supported();

/** The supported release just before `v`. */
function previous(v: CnpgVersion): CnpgVersion {
  const i = SUPPORTED.findIndex((r) => r.release === v.release);
  expect(i).toBeGreaterThan(0);
  return SUPPORTED[i - 1];
}

test('the supported releases, oldest first', () => {
  expect(SUPPORTED.map((v) => v.version)).toEqual(['1.27.0', '1.27.1', '1.28.0', '1.28.1', '1.28.2', '1.29.0', '1.29.1', '1.30.0', '1.30.1']);
});

describe('CRD fields (CNPG_FIELDS): the first release whose CRD has each', () => {
  const FIRST: Record<keyof typeof CNPG_FIELDS, string> = {
    clusterFailoverQuorum: '1.28.0',
    barmanLz4Compression: '1.30.0',
    poolerClientTls: '1.28.0',
    poolerServerTls: '1.28.0',
    poolerImage: '1.30.0',
  };

  test('every entry has a first release here', () => {
    expect(Object.keys(FIRST).sort()).toEqual(Object.keys(CNPG_FIELDS).sort());
  });

  test.each(Object.entries(FIRST))('%s: every release from %s on has it, none before', (name, first) => {
    const field = CNPG_FIELDS[name as keyof typeof CNPG_FIELDS];
    expect(releasesWith(field).map((v) => v.version)).toEqual(SUPPORTED.filter((v) => v.isAtLeast(CnpgVersion.of(first))).map((v) => v.version));
  });

  test.each(Object.entries(FIRST))('%s: refused on the release before %s, accepted on it', (name, first) => {
    const field = CNPG_FIELDS[name as keyof typeof CNPG_FIELDS];
    const firstV = CnpgVersion.of(first);
    const before = previous(firstV);
    const what = `${field.kind} ${field.field}${'value' in field ? ` "${field.value}"` : ''}`;
    expect(() => requireCnpgVersion('Test', before, 'theProp', 'x', field)).toThrow(
      `Test: theProp = "x" needs CloudNativePG ${first} or newer (${what}), but the manifests target operatorVersion ${before.version}, whose CRD does not have it. `
      + `Fix: upgrade the operator and set operatorVersion: CnpgVersion.V${first.replace(/\./g, '_')} (or the settings' CNPG_OPERATOR_VERSION), or leave theProp unset`);
    expect(() => requireCnpgVersion('Test', firstV, 'theProp', 'x', field)).not.toThrow();
    // The oldest release names the same first release (not the next one after it).
    expect(() => requireCnpgVersion('Test', SUPPORTED[0], 'theProp', 'x', field)).toThrow(`needs CloudNativePG ${first} or newer`);
  });
});

describe('PgBouncer parameters (PGBOUNCER_PARAMETERS_SINCE): the first release whose webhook allows each', () => {
  const SINCE: Record<string, [string, string]> = {
    auth_type: ['1.27.1', 'hba'],
    client_tls_sslmode: ['1.27.1', 'require'],
    server_tls_sslmode: ['1.27.1', 'verify-full'],
    client_tls_ciphers: ['1.28.2', 'secure'],
    client_tls13_ciphers: ['1.28.2', 'TLS_AES_256_GCM_SHA384'],
    server_tls13_ciphers: ['1.28.2', 'TLS_AES_256_GCM_SHA384'],
  };

  test('every entry has a first release here', () => {
    expect(Object.fromEntries(Object.entries(PGBOUNCER_PARAMETERS_SINCE).map(([k, v]) => [k, v.version]))).toEqual(
      Object.fromEntries(Object.entries(SINCE).map(([k, [v]]) => [k, v])));
  });

  test.each(Object.entries(SINCE))('%s: refused on the release before %s, not for its release on it', (key, [since, value]) => {
    const sinceV = CnpgVersion.of(since);
    const before = previous(sinceV);
    expect(checkPgBouncerParameter(key, value, before)).toEqual({
      problem: `is allowed only since CloudNativePG ${since}; the manifests target operatorVersion ${before.version}, whose webhook rejects it ("Invalid or reserved parameter")`,
      fix: `remove ${key}, or target CloudNativePG ${since} or newer`,
    });
    expect(checkPgBouncerParameter(key, value, sinceV)?.problem ?? '').not.toMatch(/allowed only since/);
    // The operator's rules for a Pooler as written (escape hatches): the same gate.
    expect(pgbouncerParameterProblems({ [key]: value }, before).map((p) => [p.path, p.problem])).toEqual([
      [`spec.pgbouncer.parameters.${key}`, expect.stringMatching(/^is allowed only since CloudNativePG /)],
    ]);
    expect(pgbouncerParameterProblems({ [key]: value }, sinceV)).toEqual([]);
  });
});

describe('the pooler\'s TLS modes (client_tls_sslmode, server_tls_sslmode since 1.27.1)', () => {
  function pooler(version: CnpgVersion, props: Record<string, unknown> = {}) {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', { operatorVersion: version });
    new PgBouncerPooler(db, 'app-pooler', { cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'], ...props });
    return c;
  }

  test('1.27.0: not written, and an explicit mode is refused', () => {
    const params = one(synth(pooler(CnpgVersion.V1_27_0)), 'Pooler', 'app-pooler').spec.pgbouncer.parameters ?? {};
    expect([params.client_tls_sslmode, params.server_tls_sslmode]).toEqual([undefined, undefined]);
    expect(() => pooler(CnpgVersion.V1_27_0, { clientTlsMode: SslMode.REQUIRE })).toThrow(/clientTlsMode = "require" needs CloudNativePG 1\.27\.1 or newer/);
    expect(() => pooler(CnpgVersion.V1_27_0, { serverTlsMode: SslMode.VERIFY_CA })).toThrow(/serverTlsMode = "verify-ca" needs CloudNativePG 1\.27\.1 or newer/);
  });

  test.each(SUPPORTED.filter((v) => v.isAtLeast(CnpgVersion.V1_27_1)).map((v) => [v.version, v] as const))('%s: require / verify-full by default, the modes given otherwise', (_name, v) => {
    const params = one(synth(pooler(v)), 'Pooler', 'app-pooler').spec.pgbouncer.parameters;
    expect([params.client_tls_sslmode, params.server_tls_sslmode]).toEqual(['require', 'verify-full']);
    const given = one(synth(pooler(v, { clientTlsMode: SslMode.VERIFY_FULL, serverTlsMode: SslMode.VERIFY_CA })), 'Pooler', 'app-pooler').spec.pgbouncer.parameters;
    expect([given.client_tls_sslmode, given.server_tls_sslmode]).toEqual(['verify-full', 'verify-ca']);
  });

  test('the Pooler TLS Secrets (1.28.0): refused on 1.27.1, written on 1.28.0', () => {
    expect(() => pooler(CnpgVersion.V1_27_1, { clientTlsSecret: 'tls' })).toThrow(/clientTlsSecret = "tls" needs CloudNativePG 1\.28\.0 or newer/);
    expect(() => pooler(CnpgVersion.V1_27_1, { serverTlsSecret: 'tls', serverCaSecret: 'ca', authQuery: 'SELECT 1' })).toThrow(/serverTlsSecret = "tls" needs CloudNativePG 1\.28\.0 or newer/);
    const spec = one(synth(pooler(CnpgVersion.V1_28_0, { clientTlsSecret: 'tls', clientCaSecret: 'ca' })), 'Pooler', 'app-pooler').spec.pgbouncer;
    expect([spec.clientTLSSecret, spec.clientCASecret]).toEqual([{ name: 'tls' }, { name: 'ca' }]);
  });
});

describe('field lookup and the Barman Cloud plugin gate on their edges', () => {
  test('a field inside a list (`[]`) is found; a field no release has is an error of its own', () => {
    expect(releasesWith({ kind: 'Cluster', field: 'spec.managed.roles[].name' })).toHaveLength(SUPPORTED.length);
    expect(releasesWith({ kind: 'Cluster', field: 'spec.managed.roles.name' })).toEqual([]);
    expect(() => requireCnpgVersion('T', SUPPORTED[0], 'p', 1, { kind: 'Cluster', field: 'spec.noSuchField' }))
      .toThrow(new Error('no supported CloudNativePG release has Cluster spec.noSuchField'));
    expect(() => requireCnpgVersion('T', SUPPORTED[0], 'p', 1, { kind: 'Cluster', field: 'spec.instances' })).not.toThrow();
    expect(() => requireCnpgVersion('T', SUPPORTED[0], 'p', 1, { kind: 'NoSuchKind', field: 'spec.x' }))
      .toThrow(new Error('no supported CloudNativePG release has NoSuchKind spec.x'));
  });

  // Enum values some releases lack: the lz4 compression (1.30.0), also inside a list.
  test('an enum value is gated by the releases whose enum has it, also inside a list; a value every release has, or a field without an enum, is not', () => {
    const versions = (field: { kind: string; field: string; value?: string }) => releasesWith(field).map(String);
    expect(versions({ kind: 'Cluster', field: 'spec.externalClusters[].barmanObjectStore.data.compression', value: 'lz4' })).toEqual(['1.30.0', '1.30.1']);
    expect(versions({ kind: 'Cluster', field: 'spec.backup.barmanObjectStore.data.compression', value: 'lz4' })).toEqual(['1.30.0', '1.30.1']);
    expect(versions({ kind: 'Cluster', field: 'spec.externalClusters[].barmanObjectStore.data.compression', value: 'gzip' })).toEqual(SUPPORTED.map(String));
    expect(versions({ kind: 'Cluster', field: 'spec.instances', value: '3' })).toEqual(SUPPORTED.map(String));
    // A value on a path that does not exist (a kind, a list, a field below a scalar): none, and no crash.
    for (const field of ['spec.noSuchList[].x', 'spec.instances.x', 'spec.noSuch.x']) {
      expect(versions({ kind: 'Cluster', field, value: 'a' })).toEqual([]);
    }
    expect(() => requireCnpgVersion('T', SUPPORTED[0], 'p', 1, { kind: 'NoSuchKind', field: 'spec.x', value: 'a' }))
      .toThrow(new Error('no supported CloudNativePG release has NoSuchKind spec.x "a"'));
  });

  test('plugin 0.16 needs 1.30: refused on 1.29.1 with the whole message, accepted on 1.30.0; a "v" prefix is read', () => {
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_29_1, '0.16.0')).toThrow(new Error(
      'Backup: operatorVersion = "1.29.1" is older than the 1.30 the Barman Cloud plugin 0.16.0 requires (plugin docs: requirements). '
      + 'Fix: upgrade the operator to 1.30 or newer and set operatorVersion accordingly, or use the in-tree barmanObjectStore backup'
      + ' (the field is operator_version in Python, OperatorVersion in Go)'));
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30_0, '0.16.0')).not.toThrow();
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30_0, 'v0.16.2')).not.toThrow();
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_29_1, 'v0.16.2')).toThrow(/older than the 1\.30/);
    expect(BARMAN_CLOUD_PLUGIN).toEqual({ name: 'barman-cloud.cloudnative-pg.io', version: '0.14.0', minimumOperator: { 0.14: [1, 26], 0.16: [1, 30] } });
  });

  test('an unknown plugin release names the known ones', () => {
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30_0, '0.15.0')).toThrow(new Error(
      'Backup: barmanCloudPlugin.version = "0.15.0" is not a Barman Cloud plugin release this library knows. Fix: use one of 0.14.x, 0.16.x'
      + ' (the field is barman_cloud_plugin.version in Python, BarmanCloudPlugin.Version in Go)'));
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30_0, 'latest')).toThrow(/barmanCloudPlugin\.version = "latest" is not a Barman Cloud plugin release/);
    // The release is read from the start of the version only.
    expect(() => requireBarmanCloudPlugin('Backup', CnpgVersion.V1_30_0, 'x0.16.0')).toThrow(/barmanCloudPlugin\.version = "x0\.16\.0" is not a Barman Cloud plugin release/);
  });
});
