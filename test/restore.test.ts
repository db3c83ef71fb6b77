import { Chart } from 'cdk8s';
import {
  ApplicationProfile, BackupCredentials, BackupMethod, BackupSource, ClusterBackup, ClusterBootstrap, CnpgSharedCluster, CnpgVersion,
  LocaleProvider, PostgresImage, Quantity, RecoveryTarget,
} from '../src';
import { chart, one, ofKind, synth } from './util/synth';

const STORE = { name: 'store' };
const S3 = { bucket: 'backups', endpointUrl: 'https://minio.storage:9000', credentials: BackupCredentials.fromSecretStore('k/minio', { secretName: 'minio-s3' }) };

/** The reference-like source: shared-postgres in databases, backed up through the plugin. */
function source(c: Chart, method: BackupMethod = BackupMethod.PLUGIN, version: CnpgVersion = CnpgVersion.V1_30_0) {
  const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: version, secretStore: STORE });
  const backup = db.addBackup({ ...S3, method });
  return { db, backup };
}

const clusterOf = (m: any[], name: string) => one(m, 'Cluster', name);

describe.each([CnpgVersion.V1_27_1, CnpgVersion.V1_30_0])('recovery from an object store (CloudNativePG %s)', (version) => {
  test('BackupSource.fromBackup, plugin: the source\'s ObjectStore and serverName; a new serverName for the restored cluster\'s own archive', () => {
    const c = chart();
    const { backup } = source(c, BackupMethod.PLUGIN, version);
    const restored = new CnpgSharedCluster(c, 'restored', {
      clusterName: 'shared-postgres-pitr',
      operatorVersion: version,
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup(backup), { target: RecoveryTarget.time('2026-03-01T12:15:00.250+02:00') }),
    });
    const own = restored.addBackup(S3);
    const m = synth(c);
    const spec = clusterOf(m, 'shared-postgres-pitr').spec;
    expect(spec.bootstrap).toEqual({ recovery: { source: 'shared-postgres', recoveryTarget: { targetTime: '2026-03-01 10:15:00.25+00:00' } } });
    expect(spec.externalClusters).toEqual([{
      name: 'shared-postgres',
      plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'shared-postgres-object-store', serverName: 'shared-postgres' } },
    }]);
    // Its own archive: another folder, never the source's.
    expect(own.destinationPath).toBe('s3://backups/shared-postgres-pitr');
    expect(own.serverName).toBe('shared-postgres-pitr');
    expect(spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'shared-postgres-pitr-object-store' } }]);
    // Same namespace: no copy of the source's ObjectStore, no second Secret for it.
    expect(ofKind(m, 'ObjectStore').map((o) => o.metadata.name)).toEqual(['shared-postgres-object-store', 'shared-postgres-pitr-object-store']);
    expect(ofKind(m, 'ExternalSecret').map((o) => o.metadata.name)).toEqual(['minio-s3']);
    expect(restored.sourceObjects).toEqual([]);
  });

  test('a cluster rebuilt under its source\'s name archives as <cluster>-2 (and <cluster>-3 after that); the source keeps its folder', () => {
    const c = chart();
    const rebuilt = new CnpgSharedCluster(c, 'rebuilt', {
      clusterName: 'shared-postgres',
      namespace: 'databases',
      operatorVersion: version,
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'shared-postgres', ...S3 })),
    });
    const own = rebuilt.addBackup(S3);
    const m = synth(c);
    expect(own.destinationPath).toBe('s3://backups/shared-postgres');
    expect(own.serverName).toBe('shared-postgres-2');
    const spec = clusterOf(m, 'shared-postgres').spec;
    expect(spec.plugins[0].parameters).toEqual({ barmanObjectName: 'shared-postgres-object-store', serverName: 'shared-postgres-2' });
    expect(spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 'shared-postgres-source', serverName: 'shared-postgres' });
    // No skipEmptyWalArchiveCheck: the new folder is empty.
    expect(one(m, 'Cluster').metadata.annotations).toBeUndefined();

    const c3 = chart();
    const third = new CnpgSharedCluster(c3, 'again', {
      clusterName: 'shared-postgres',
      operatorVersion: version,
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'shared-postgres', serverName: 'shared-postgres-2', ...S3 })),
    });
    expect(third.addBackup(S3).serverName).toBe('shared-postgres-3');
  });

  test('BackupSource.objectStore in another Kubernetes cluster: a read-only ObjectStore (no retention), the credentials from the store, IRSA', () => {
    const c = chart();
    const dr = new CnpgSharedCluster(c, 'dr', {
      clusterName: 'shared-postgres',
      namespace: 'databases-dr',
      operatorVersion: version,
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({
        clusterName: 'shared-postgres',
        bucket: 'backups',
        endpointUrl: 'https://minio.eu-south:9000',
        endpointCa: { secretName: 'minio-ca' },
        credentials: BackupCredentials.fromSecretStore('k/minio', { regionKey: 'REGION' }),
        walMaxParallel: 4,
      }), { target: RecoveryTarget.lsn('0/3000060', { exclusive: true }) }),
    });
    const m = synth(c);
    const store = one(m, 'ObjectStore', 'shared-postgres-source');
    expect(store.metadata.namespace).toBe('databases-dr');
    expect(store.spec).toEqual({
      configuration: {
        destinationPath: 's3://backups/shared-postgres',
        endpointURL: 'https://minio.eu-south:9000',
        endpointCA: { name: 'minio-ca', key: 'ca.crt' },
        s3Credentials: {
          accessKeyId: { name: 'shared-postgres-backup-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'shared-postgres-backup-s3', key: 'SECRET_ACCESS_KEY' },
          region: { name: 'shared-postgres-backup-s3', key: 'REGION' },
        },
        wal: { maxParallel: 4 },
      },
    });
    const secret = one(m, 'ExternalSecret', 'shared-postgres-backup-s3');
    expect(secret.spec.data.map((d: any) => d.secretKey)).toEqual(['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'REGION']);
    expect(clusterOf(m, 'shared-postgres').spec.bootstrap.recovery.recoveryTarget).toEqual({ targetLSN: '0/3000060', exclusive: true });
    expect(dr.sourceObjects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ObjectStore/shared-postgres-source', 'ExternalSecret/shared-postgres-backup-s3']);
  });

  test('the in-tree method: externalClusters[].barmanObjectStore reads the backup\'s configuration and server name', () => {
    const c = chart();
    const { backup } = source(c, BackupMethod.BARMAN_OBJECT_STORE, version);
    new CnpgSharedCluster(c, 'restored', {
      clusterName: 'pg-restored',
      operatorVersion: version,
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup(backup), { target: RecoveryTarget.restorePoint('before-upgrade', { backupId: '20260301T020000' }) }),
    });
    const m = synth(c);
    const spec = clusterOf(m, 'pg-restored').spec;
    expect(spec.bootstrap.recovery.recoveryTarget).toEqual({ targetName: 'before-upgrade', backupID: '20260301T020000' });
    const bos = spec.externalClusters[0].barmanObjectStore;
    expect(bos).toMatchObject({
      destinationPath: 's3://backups/shared-postgres',
      serverName: 'shared-postgres',
      endpointURL: 'https://minio.storage:9000',
      s3Credentials: { accessKeyId: { name: 'minio-s3', key: 'ACCESS_KEY_ID' } },
    });
    // The source's backup section, verbatim, is what the recovery reads.
    const written = clusterOf(m, 'shared-postgres').spec.backup.barmanObjectStore;
    expect({ ...bos, serverName: undefined }).toEqual({ ...written, serverName: undefined });
  });

  test('every kind of target', () => {
    const targets: Array<[RecoveryTarget, object | undefined]> = [
      [RecoveryTarget.latest(), undefined],
      [RecoveryTarget.latest({ timeline: '2' }), { targetTLI: '2' }],
      [RecoveryTarget.time('2026-03-01T10:15:00Z'), { targetTime: '2026-03-01 10:15:00+00:00' }],
      [RecoveryTarget.time('2026-03-01 10:15:00.123456-01:30'), { targetTime: '2026-03-01 11:45:00.123456+00:00' }],
      [RecoveryTarget.at(new Date(Date.UTC(2026, 2, 1, 10, 15, 0, 5))), { targetTime: '2026-03-01 10:15:00.005+00:00' }],
      [RecoveryTarget.lsn('1a/ff000028'), { targetLSN: '1A/FF000028' }],
      [RecoveryTarget.restorePoint('nightly', { backupId: '20260301T020000' }), { targetName: 'nightly', backupID: '20260301T020000' }],
      [RecoveryTarget.transactionId(4242, { backupId: '20260301T020000', exclusive: true }), { targetXID: '4242', backupID: '20260301T020000', exclusive: true }],
      [RecoveryTarget.immediate({ backupId: '20260301T020000' }), { targetImmediate: true, backupID: '20260301T020000' }],
    ];
    for (const [target, expected] of targets) {
      const c = chart();
      new CnpgSharedCluster(c, 'restored', {
        operatorVersion: version,
        secretStore: STORE,
        bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', ...S3 }), { target }),
      });
      expect(one(synth(c), 'Cluster').spec.bootstrap.recovery.recoveryTarget).toEqual(expected);
    }
  });

  test('applications of a restored cluster are written as on a fresh one (roles, passwords from the same store, Databases)', () => {
    const build = (bootstrap?: ClusterBootstrap) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: version, secretStore: STORE, bootstrap, parameters: { maxConnections: 200 } });
      db.addApplication('harbor', { profile: ApplicationProfile.HARBOR, credentials: { remoteKey: 'k/harbor' } });
      db.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, credentials: { remoteKey: 'k/keycloak' } });
      const m = synth(c);
      return {
        roles: one(m, 'Cluster').spec.managed,
        rest: m.filter((o) => o.kind !== 'Cluster').map((o) => JSON.stringify(o)).sort(),
      };
    };
    const fresh = build();
    const restored = build(ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'shared-postgres-old', ...S3 })));
    expect(restored.roles).toEqual(fresh.roles);
    // The same Databases, poolers and role secrets; only the source's ObjectStore and Secret are added.
    const extra = restored.rest.filter((o) => !fresh.rest.includes(o)).map((o) => `${JSON.parse(o).kind}/${JSON.parse(o).metadata.name}`);
    expect(extra).toEqual(expect.arrayContaining(['ObjectStore/shared-postgres-old-source']));
    expect(fresh.rest.filter((o) => !restored.rest.includes(o))).toEqual([]);
  });
});

describe('recovery from volume snapshots', () => {
  test('the snapshots of PGDATA and WAL, WAL replayed from the archive to a point in time', () => {
    const c = chart();
    const { backup } = source(c);
    new CnpgSharedCluster(c, 'restored', {
      clusterName: 'pg-from-snapshot',
      secretStore: STORE,
      walStorage: { size: Quantity.gibibytes(20) },
      bootstrap: ClusterBootstrap.volumeSnapshots({
        storage: 'shared-postgres-20260301020000',
        walStorage: 'shared-postgres-20260301020000-wal',
        walSource: BackupSource.fromBackup(backup),
        target: RecoveryTarget.time('2026-03-01T10:00:00Z'),
      }),
    });
    const spec = clusterOf(synth(c), 'pg-from-snapshot').spec;
    expect(spec.bootstrap.recovery).toEqual({
      source: 'shared-postgres',
      volumeSnapshots: {
        storage: { name: 'shared-postgres-20260301020000', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
        walStorage: { name: 'shared-postgres-20260301020000-wal', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
      },
      recoveryTarget: { targetTime: '2026-03-01 10:00:00+00:00' },
    });
    expect(spec.externalClusters.map((e: any) => e.name)).toEqual(['shared-postgres']);
  });

  test('a snapshot alone (its own consistent point): no source, immediate needs no backupId', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'restored', {
      bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 'snap-1', target: RecoveryTarget.immediate() }),
    });
    const spec = one(synth(c), 'Cluster').spec;
    expect(spec.bootstrap.recovery).toEqual({
      volumeSnapshots: { storage: { name: 'snap-1', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } },
      recoveryTarget: { targetImmediate: true },
    });
    expect(spec.externalClusters).toBeUndefined();
  });
});

describe('initdb options (one bootstrap model)', () => {
  test('post-init SQL and its Secret/ConfigMap references, encoding, locale, checksums, WAL segment size', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', {
      postgres: PostgresImage.version('17.6'),
      bootstrap: ClusterBootstrap.initdb({
        postInitSql: ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements'],
        postInitTemplateSql: ['CREATE EXTENSION IF NOT EXISTS pgcrypto'],
        postInitApplicationSql: ['CREATE SCHEMA app'],
        postInitSqlRefs: { secrets: [{ name: 'init-secrets', key: 'roles.sql' }], configMaps: [{ name: 'init-sql', key: 'init.sql' }] },
        postInitApplicationSqlRefs: { configMaps: [{ name: 'app-sql', key: 'schema.sql' }] },
        encoding: 'UTF8',
        localeProvider: LocaleProvider.ICU,
        icuLocale: 'en-US',
        icuRules: '&a < b',
        dataChecksums: true,
        walSegmentSize: 64,
      }),
    });
    expect(one(synth(c), 'Cluster').spec.bootstrap).toEqual({
      initdb: {
        postInitSQL: ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements'],
        postInitTemplateSQL: ['CREATE EXTENSION IF NOT EXISTS pgcrypto'],
        postInitApplicationSQL: ['CREATE SCHEMA app'],
        postInitSQLRefs: { secretRefs: [{ name: 'init-secrets', key: 'roles.sql' }], configMapRefs: [{ name: 'init-sql', key: 'init.sql' }] },
        postInitApplicationSQLRefs: { configMapRefs: [{ name: 'app-sql', key: 'schema.sql' }] },
        encoding: 'UTF8',
        localeProvider: 'icu',
        icuLocale: 'en-US',
        icuRules: '&a < b',
        dataChecksums: true,
        walSegmentSize: 64,
      },
    });
  });

  test('no options, no bootstrap stanza (CloudNativePG\'s initdb defaults)', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', { bootstrap: ClusterBootstrap.initdb() });
    expect(one(synth(c), 'Cluster').spec.bootstrap).toBeUndefined();
  });
});

describe('bad input: the construct path, the field, the value and the fix', () => {
  const recovering = (bootstrap: () => ClusterBootstrap, extra: Record<string, unknown> = {}) => () => {
    const c = chart();
    new CnpgSharedCluster(c, 'restored', { secretStore: STORE, ...extra, bootstrap: bootstrap() });
    return synth(c);
  };
  const store = () => BackupSource.objectStore({ clusterName: 'old', ...S3 });
  const at = "CnpgSharedCluster at 'test/restored'";
  const table: Array<[string, () => ClusterBootstrap, RegExp, Record<string, unknown>]> = [
    ['a time that does not parse', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.time('yesterday at noon') }),
      /bootstrap\.target\.time = "yesterday at noon" is not an RFC 3339 timestamp\. Fix: give e\.g\. "2026-03-01T10:15:00Z"/, {}],
    ['a time without a zone', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.time('2026-03-01 10:15:00') }),
      /bootstrap\.target\.time = "2026-03-01 10:15:00" has no time zone .*Fix: write the offset, e\.g\. "2026-03-01T10:15:00Z"/, {}],
    ['a date that does not exist', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.time('2026-02-30T10:00:00Z') }),
      /time = "2026-02-30T10:00:00Z" is not a real date and time/, {}],
    ['an invalid Date', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.at(new Date('nope')) }), /RecoveryTarget\.at: date = "Invalid Date" is an invalid Date\. Fix: give a valid date/, {}],
    ['an LSN that does not parse', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.lsn('0/ZZ') }),
      /bootstrap\.target\.lsn = "0\/ZZ" is not a PostgreSQL LSN/, {}],
    ['a transaction id above 2^32-1', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.transactionId(2 ** 32, { backupId: '20260301T020000' }) }),
      /transactionId = "4294967296" is not a transaction ID PostgreSQL assigns/, {}],
    ['a restore point of 64 bytes', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.restorePoint('x'.repeat(64), { backupId: '20260301T020000' }) }),
      /restorePoint = "x{64}" is 64 bytes long; PostgreSQL restore point names are shorter than 64 bytes/, {}],
    ['a restore point without backupId', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.restorePoint('nightly') }),
      /bootstrap\.target\.backupId = \(unset\) is required for a restore point target: .*"BackupID is missing".*Fix: give backupId/, {}],
    ['immediate without backupId', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.immediate() }), /backupId = \(unset\) is required for a immediate target/, {}],
    ['a backupId in the wrong form', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.time('2026-03-01T10:00:00Z', { backupId: '2026-03-01' }) }),
      /backupId = "2026-03-01" is not a barman backup ID/, {}],
    ['exclusive with a restore point', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.restorePoint('a', { backupId: '20260301T020000', exclusive: true }) }),
      /exclusive = true has no meaning for a restore point target/, {}],
    ['a timeline that is not latest or a number', () => ClusterBootstrap.recovery(store(), { target: RecoveryTarget.latest({ timeline: 'current' }) }),
      /timeline = "current" is not "latest" or a positive timeline number/, {}],
    ['volume snapshots without snapshot names', () => ClusterBootstrap.volumeSnapshots({ storage: '' }),
      /bootstrap\.volumeSnapshots\.storage = "" names no VolumeSnapshot of the data volume\. Fix: give the VolumeSnapshot of PGDATA/, {}],
    ['a WAL snapshot on a cluster without walStorage', () => ClusterBootstrap.volumeSnapshots({ storage: 's', walStorage: 's-wal' }),
      /volumeSnapshots\.walStorage = "s-wal" restores a WAL volume, but this cluster has no walStorage/, {}],
    ['a PITR target on a recovery without WAL archive', () => ClusterBootstrap.volumeSnapshots({ storage: 's', target: RecoveryTarget.time('2026-03-01T10:00:00Z') }),
      /bootstrap\.target = "time 2026-03-01T10:00:00Z" is a point-in-time target, but the recovery has no WAL archive.*Fix: give walSource/, {}],
    ['a backupId with volume snapshots', () => ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: store(), target: RecoveryTarget.time('2026-03-01T10:00:00Z', { backupId: '20260301T020000' }) }),
      /backupId = "20260301T020000" cannot be used with a recovery from volume snapshots/, {}],
    ['recovery from a streaming-only source', () => ClusterBootstrap.recovery(BackupSource.streaming({ clusterName: 'old', host: 'pg.example.com' })),
      /bootstrap\.source = "old" has no archive to recover from.*Fix: bootstrap with ClusterBootstrap\.pgBaseBackup\(source\)/, {}],
    ['a source without a cluster name', () => ClusterBootstrap.recovery(BackupSource.objectStore({ ...S3 } as any)), /BackupSource\.objectStore: clusterName = \(unset\) is required \(the name of the cluster that wrote the archive\)\. Fix: give clusterName: a string/, {}],
    ['a source bucket that is a URL', () => ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', ...S3, bucket: 's3://backups' })),
      /bootstrap\.source\.bucket = "s3:\/\/backups" is a URL, not a bucket name/, {}],
    ['initdb walSegmentSize not a power of two', () => ClusterBootstrap.initdb({ walSegmentSize: 48 }), /bootstrap\.initdb\.walSegmentSize = 48 is not a power of two from 1 to 1024/, {}],
    ['initdb SQL reference without a key', () => ClusterBootstrap.initdb({ postInitApplicationSqlRefs: { secrets: [{ name: 's' } as any] } }),
      /postInitApplicationSqlRefs\.secrets\[0\]\.key = \(unset\) is required/, {}],
    ['initdb ICU rules without the ICU provider', () => ClusterBootstrap.initdb({ icuRules: '&a < b' }), /icuRules = "&a < b" needs localeProvider icu/, {}],
    ['initdb builtin provider on PostgreSQL 16', () => ClusterBootstrap.initdb({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8' }),
      /localeProvider = "builtin" needs PostgreSQL 17 or newer, but the cluster runs 16/, { postgres: PostgresImage.version('16.8') }],
    ['initdb encoding unknown', () => ClusterBootstrap.initdb({ encoding: 'UTF16' }), /encoding = "UTF16" is not a server encoding/, {}],
  ];
  test.each(table)('%s', (_name, bootstrap, message, extra) => {
    expect(recovering(bootstrap, extra)).toThrow(message);
    // A factory's own argument check names the factory (it has no construct path yet).
    expect(recovering(bootstrap, extra)).toThrow(new RegExp(`${at.replace(/[/.]/g, '\\$&')}|^[A-Z][A-Za-z]+\\.[a-z][A-Za-z]+: `));
  });

  test('a recovery source whose path is the cluster\'s own archive', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'restored', {
      clusterName: 'shared-postgres',
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'shared-postgres', ...S3 })),
    });
    expect(() => db.addBackup({ ...S3, serverName: 'shared-postgres' })).toThrow(
      /ClusterBackup at 'test\/restored\/Backup': serverName = "shared-postgres" with destinationPath "s3:\/\/backups\/shared-postgres" is the archive of shared-postgres, which this cluster recovers or replicates from.*Fix: leave serverName unset for a new one \("shared-postgres-2"\)/);
    // Another destination path is fine.
    const c2 = chart();
    const db2 = new CnpgSharedCluster(c2, 'restored', {
      clusterName: 'shared-postgres',
      secretStore: STORE,
      bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'shared-postgres', ...S3 })),
    });
    expect(db2.addBackup({ ...S3, bucket: undefined, destinationPath: 's3://backups-2026/shared-postgres', serverName: 'shared-postgres' }).serverName).toBe('shared-postgres');
  });

  test('a backup of the cluster itself as its source', () => {
    const c = chart();
    const other = new CnpgSharedCluster(c, 'a', { secretStore: STORE });
    const backup = other.addBackup(S3);
    expect(() => new ClusterBackup(c, 'x', { cluster: other, ...S3 })).toThrow(/configured twice/);
    expect(() => new CnpgSharedCluster(c, 'b', { bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup('nope' as any)) }))
      .toThrow(/BackupSource\.fromBackup: backup = "nope" is a string, where an IClusterBackup goes\. Fix: give a ClusterBackup/);
    void backup;
  });

  test('escape hatches are checked too: two targets at once, a source naming an unknown external cluster', () => {
    const build = () => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'restored', {
        secretStore: STORE,
        bootstrap: ClusterBootstrap.recovery(store(), { target: RecoveryTarget.time('2026-03-01T10:00:00Z') }),
      });
      return { c, db };
    };
    const two = build();
    two.db.apiObject.addOverride('spec.bootstrap.recovery.recoveryTarget.targetLSN', '0/3000060');
    expect(() => synth(two.c)).toThrow(/Cluster spec\.bootstrap\.recovery\.recoveryTarget = \["targetTime","targetLSN"\] sets two recovery targets at once .*Fix: keep one target/);
    const unknown = build();
    unknown.db.apiObject.addOverride('spec.bootstrap.recovery.source', 'shared-postgres-eu');
    expect(() => synth(unknown.c)).toThrow(/Cluster spec\.bootstrap\.recovery\.source = "shared-postgres-eu" names an unknown external cluster \(externalClusters names "old"\)/);
  });
});
