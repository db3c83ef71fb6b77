/**
 * ClusterBootstrap (src/cluster/bootstrap.ts) bound directly to a cluster, nothing synthesized
 * (issue #17: per-test coverage runs only the tests a mutant reaches): the `spec.bootstrap` stanza
 * of each method, the initdb options with each limit at the limit and one past (WAL segment size,
 * PostgreSQL releases of the locale providers, snapshot and reference names), every refusal with
 * its whole message.
 */
import { Construct } from 'constructs';
import {
  BackupCredentials, BackupSource, ClusterBootstrap, CnpgSharedCluster, CnpgSharedClusterProps, InitdbOptions, LocaleProvider, PostgresImage,
  RecoveryTarget,
} from '../../src';
import { clusterHooks } from '../../src/cluster/cluster-hooks';
import { thrown } from '../util/errors';
import { BOX_PATH, chart } from '../util/synth';

const BID = '20260301T020000';
const S3 = { bucket: 'backups', endpointUrl: 'https://minio.storage:9000', credentials: BackupCredentials.fromSecret('minio-s3') };
const archive = () => BackupSource.objectStore({ clusterName: 'old', ...S3 });
const streaming = () => BackupSource.streaming({ clusterName: 'old', host: 'pg-old-rw.example.com' });
const both = () => BackupSource.objectStore({ clusterName: 'old', ...S3, streaming: { host: 'pg-old-rw.example.com' } });

/** Binds `b` to a fresh cluster (props `props`) in a box construct of its own chart. */
function bind(b: ClusterBootstrap, info: { hasWalStorage?: boolean; replica?: boolean } = {}, props: CnpgSharedClusterProps = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { secretStore: { name: 'store' }, ...props });
  const box = new Construct(c, 'box');
  return b._bind(box, db, clusterHooks(box, 'cluster', db), { hasWalStorage: info.hasWalStorage ?? false, replica: info.replica ?? false });
}
const bindError = (b: () => ClusterBootstrap, info: { hasWalStorage?: boolean; replica?: boolean } = {}, props: CnpgSharedClusterProps = {}) =>
  thrown(() => bind(b(), info, props));

/** renderInitdb reads only the cluster's PostgreSQL major version. */
const initdb = (o: InitdbOptions, major: number | undefined = 17) => {
  const c = chart();
  const box = new Construct(c, 'box');
  return ClusterBootstrap.initdb(o)._bind(box, { postgres: { majorVersion: major } } as any, {} as any, { hasWalStorage: false, replica: false });
};
const initdbOut = (o: InitdbOptions, major?: number) => initdb(o, major).bootstrap?.initdb;
const initdbError = (o: InitdbOptions, major: number | undefined = 17) => thrown(() => initdb(o, major));
const err = (field: string, value: string, problem: string, fix: string, hint = '') => `${BOX_PATH}: bootstrap.${field} = ${value} ${problem}. Fix: ${fix}${hint}`;

describe('the factories', () => {
  test('method, source, target; copiesData for every method but initdb', () => {
    const i = ClusterBootstrap.initdb();
    expect([i.method, i.source, i.target, i.copiesData]).toEqual(['initdb', undefined, undefined, false]);
    const src = archive();
    const target = RecoveryTarget.time('2026-03-01T10:15:00Z');
    const r = ClusterBootstrap.recovery(src, { target });
    expect([r.method, r.source, r.target, r.copiesData]).toEqual(['recovery', src, target, true]);
    expect(ClusterBootstrap.recovery(src).target).toBeUndefined();
    const v = ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: src, target });
    expect([v.method, v.source, v.target, v.copiesData]).toEqual(['volumeSnapshots', src, target, true]);
    const s = streaming();
    const p = ClusterBootstrap.pgBaseBackup(s);
    expect([p.method, p.source, p.target, p.copiesData]).toEqual(['pgBaseBackup', s, undefined, true]);
  });

  test('the argument checks refuse what is no source, target or snapshot options, naming the factory', () => {
    expect(thrown(() => ClusterBootstrap.recovery({} as any))).toMatch(/^ClusterBootstrap\.recovery: source = \{\} is an object, where a BackupSource goes\. /);
    expect(thrown(() => ClusterBootstrap.pgBaseBackup(undefined as any))).toMatch(/^ClusterBootstrap\.pgBaseBackup: source = \(unset\) is required\. /);
    expect(thrown(() => ClusterBootstrap.recovery(archive(), { target: 'latest' as any }))).toMatch(/^ClusterBootstrap\.recovery: target = "latest" is a string, where a RecoveryTarget goes\. /);
    expect(thrown(() => ClusterBootstrap.volumeSnapshots(undefined as any))).toMatch(/^ClusterBootstrap\.volumeSnapshots: options = \(unset\) is required\. /);
    expect(thrown(() => ClusterBootstrap.initdb({ walSegmentSize: '16' } as any))).toMatch(/^ClusterBootstrap\.initdb: walSegmentSize = "16" is a string, where a number goes\. /);
    expect(thrown(() => ClusterBootstrap.volumeSnapshots({ storage: 5 } as any))).toMatch(/^ClusterBootstrap\.volumeSnapshots: storage = 5 is a number, where a string goes\. /);
  });
});

describe('recovery from an object store', () => {
  test('the source and its target; no target writes no recoveryTarget', () => {
    const f = bind(ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.time('2026-03-01T12:15:00+02:00', { exclusive: true }) }));
    expect(f.bootstrap).toEqual({ recovery: { source: 'old', recoveryTarget: { targetTime: '2026-03-01 10:15:00+00:00', exclusive: true } } });
    expect(f.sources.map((s) => s.name)).toEqual(['old']);
    expect(bind(ClusterBootstrap.recovery(archive())).bootstrap).toEqual({ recovery: { source: 'old', recoveryTarget: undefined } });
    expect(bind(ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.latest() })).bootstrap).toEqual({ recovery: { source: 'old', recoveryTarget: undefined } });
    // A source with both an archive and streaming recovers from the archive.
    expect(bind(ClusterBootstrap.recovery(both())).bootstrap).toEqual({ recovery: { source: 'old', recoveryTarget: undefined } });
  });

  test('a streaming-only source: refused, pg_basebackup offered', () => {
    expect(bindError(() => ClusterBootstrap.recovery(streaming()))).toBe(err('source', '"old"', 'has no archive to recover from (a streaming-only source)',
      'bootstrap with ClusterBootstrap.pgBaseBackup(source), or give the source\'s object store (BackupSource.objectStore({...}))'));
  });

  test('the target is validated under bootstrap.target (backup catalogue: backupId required for immediate)', () => {
    expect(bindError(() => ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.immediate() }))).toMatch(
      /^Construct at 'test\/box': bootstrap\.target\.backupId = \(unset\) is required for a immediate target: /);
    expect(bind(ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.immediate({ backupId: BID }) })).bootstrap)
      .toEqual({ recovery: { source: 'old', recoveryTarget: { targetImmediate: true, backupId: BID } } });
    expect(bindError(() => ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.lsn('0/ZZ') }))).toMatch(/^Construct at 'test\/box': bootstrap\.target\.lsn = "0\/ZZ" /);
  });

  test('a replica cluster: latest accepted, a point-in-time target refused', () => {
    expect(bind(ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.latest({ timeline: 'latest' }) }), { replica: true }).bootstrap)
      .toEqual({ recovery: { source: 'old', recoveryTarget: { targetTli: 'latest' } } });
    expect(bindError(() => ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.lsn('0/1') }), { replica: true })).toBe(err('target', '"lsn 0/1"',
      'would stop a replica cluster, which replays its source continuously', 'drop the target (a replica follows its source), or restore without replica'));
    expect(bind(ClusterBootstrap.recovery(archive(), { target: RecoveryTarget.lsn('0/1') }), { replica: false }).bootstrap)
      .toEqual({ recovery: { source: 'old', recoveryTarget: { targetLsn: '0/1' } } });
  });
});

describe('the sources\' own checks name their field', () => {
  const bad = (host?: string) => BackupSource.streaming({ clusterName: 'Old_Pg', host: host ?? 'h' });
  test('bootstrap.source (recovery, pg_basebackup) and bootstrap.walSource', () => {
    const badArchive = BackupSource.objectStore({ clusterName: 'Old_Pg', ...S3 });
    expect(bindError(() => ClusterBootstrap.recovery(badArchive))).toMatch(/^Construct at 'test\/box': bootstrap\.source\.name = "Old_Pg" is not a DNS-1123 label /);
    expect(bindError(() => ClusterBootstrap.pgBaseBackup(bad()))).toMatch(/^Construct at 'test\/box': bootstrap\.source\.name = "Old_Pg" is not a DNS-1123 label /);
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: badArchive })))
      .toMatch(/^Construct at 'test\/box': bootstrap\.walSource\.name = "Old_Pg" is not a DNS-1123 label /);
  });
});

describe('pg_basebackup', () => {
  test('a source with streaming: its name; its externalClusters entry', () => {
    const f = bind(ClusterBootstrap.pgBaseBackup(streaming()));
    expect(f.bootstrap).toEqual({ pgBasebackup: { source: 'old' } });
    expect(f.sources.map((s) => [s.name, s.streams])).toEqual([['old', true]]);
    expect(bind(ClusterBootstrap.pgBaseBackup(both())).bootstrap).toEqual({ pgBasebackup: { source: 'old' } });
  });
  test('a source without streaming: refused, recovery offered', () => {
    expect(bindError(() => ClusterBootstrap.pgBaseBackup(archive()))).toBe(err('source', '"old"', 'cannot be streamed from (no streaming options)',
      'give streaming: { host: "<primary host>" } to the source, or recover from its archive with ClusterBootstrap.recovery(source)'));
  });
});

describe('volume snapshots', () => {
  const snap = (name: string) => ({ name, kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' });
  test('PGDATA alone: no source, the snapshot\'s own point (immediate needs no backupId)', () => {
    const f = bind(ClusterBootstrap.volumeSnapshots({ storage: 'pg-20260301' }));
    expect(f.bootstrap).toEqual({ recovery: { source: undefined, volumeSnapshots: { storage: snap('pg-20260301'), walStorage: undefined }, recoveryTarget: undefined } });
    expect(f.sources).toEqual([]);
    expect(bind(ClusterBootstrap.volumeSnapshots({ storage: 's', target: RecoveryTarget.immediate() })).bootstrap!.recovery!.recoveryTarget).toEqual({ targetImmediate: true });
    expect(bind(ClusterBootstrap.volumeSnapshots({ storage: 's', target: RecoveryTarget.latest() })).bootstrap!.recovery!.recoveryTarget).toBeUndefined();
  });

  test('PGDATA and WAL snapshots, WAL replayed from the archive to a point in time', () => {
    const f = bind(ClusterBootstrap.volumeSnapshots({ storage: 'pg-data', walStorage: 'pg-wal', walSource: archive(), target: RecoveryTarget.lsn('0/3000060') }),
      { hasWalStorage: true });
    expect(f.bootstrap).toEqual({
      recovery: { source: 'old', volumeSnapshots: { storage: snap('pg-data'), walStorage: snap('pg-wal') }, recoveryTarget: { targetLsn: '0/3000060' } },
    });
    expect(f.sources.map((s) => s.name)).toEqual(['old']);
  });

  test('snapshot names: a DNS-1123 subdomain of at most 253 characters, for PGDATA and WAL', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(long).toHaveLength(253);
    for (const name of [long, 'a', '0', 'a-b.c-d', 'a1.b2', 'a.b', 'ab.c.de']) {
      const f = bind(ClusterBootstrap.volumeSnapshots({ storage: name, walStorage: name }), { hasWalStorage: true });
      const written = f.bootstrap!.recovery!.volumeSnapshots!;
      expect([name, written.storage.name, written.walStorage!.name]).toEqual([name, name, name]);
    }
    const refused = (field: string, v: string) => err(`volumeSnapshots.${field}`, JSON.stringify(v), 'is not the name of a VolumeSnapshot (a DNS-1123 subdomain)',
      'give the name kubectl get volumesnapshot -n <namespace> shows', field === 'walStorage' ? ' (the field is bootstrap.volume_snapshots.wal_storage in Python, Bootstrap.VolumeSnapshots.WalStorage in Go)' : ' (the field is bootstrap.volume_snapshots.storage in Python, Bootstrap.VolumeSnapshots.Storage in Go)');
    for (const v of [`${long}e`, 'A', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', 'a b', 'x/y', 'a.-b', 'a-.b']) {
      expect([v, bindError(() => ClusterBootstrap.volumeSnapshots({ storage: v }), { hasWalStorage: true })]).toEqual([v, refused('storage', v)]);
      expect([v, bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 'ok', walStorage: v }), { hasWalStorage: true })]).toEqual([v, refused('walStorage', v)]);
    }
  });

  test('an empty PGDATA snapshot name: refused with its own fix', () => {
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: '' }))).toBe(err('volumeSnapshots.storage', '""', 'names no VolumeSnapshot of the data volume',
      'give the VolumeSnapshot of PGDATA (kubectl get volumesnapshot -n <namespace>), e.g. storage: "shared-postgres-20260301020000"',
      ' (the field is bootstrap.volume_snapshots.storage in Python, Bootstrap.VolumeSnapshots.Storage in Go)'));
  });

  test('a WAL snapshot needs the cluster\'s walStorage', () => {
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', walStorage: 's-wal' }), { hasWalStorage: false })).toBe(err('volumeSnapshots.walStorage', '"s-wal"',
      'restores a WAL volume, but this cluster has no walStorage (CloudNativePG webhook: "A WAL storage configuration is required")',
      'give the cluster walStorage, as the backed-up cluster had', ' (the field is bootstrap.volume_snapshots.wal_storage in Python, Bootstrap.VolumeSnapshots.WalStorage in Go)'));
    // An empty WAL snapshot name is no name: refused by the name check.
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', walStorage: '' }), { hasWalStorage: true })).toMatch(/walStorage = "" is not the name of a VolumeSnapshot/);
  });

  test('a point-in-time target needs the WAL archive (walSource); immediate and latest do not', () => {
    const pitr = (kind: string, t: RecoveryTarget) => [kind, bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', target: t }))];
    const problem = 'is a point-in-time target, but the recovery has no WAL archive: a volume snapshot holds only the WAL of its own consistent point';
    const fix = 'give walSource (the archive of the snapshotted cluster: BackupSource.fromBackup(backup) or BackupSource.objectStore({...})), or drop the target';
    expect(pitr('time', RecoveryTarget.time('2026-03-01T10:00:00Z'))).toEqual(['time', err('target', '"time 2026-03-01T10:00:00Z"', problem, fix)]);
    expect(pitr('xid', RecoveryTarget.transactionId(7))).toEqual(['xid', err('target', '"transactionId 7"', problem, fix)]);
    expect(bind(ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: archive(), target: RecoveryTarget.transactionId(7) })).bootstrap!.recovery!.recoveryTarget)
      .toEqual({ targetXid: '7' });
  });

  test('the target is validated as a snapshot recovery\'s (no backupId), and refused on a replica', () => {
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: archive(), target: RecoveryTarget.time('2026-03-01T10:00:00Z', { backupId: BID }) })))
      .toMatch(/^Construct at 'test\/box': bootstrap\.target\.backupId = "20260301T020000" cannot be used with a recovery from volume snapshots /);
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', target: RecoveryTarget.immediate() }), { replica: true }))
      .toBe(err('target', '"immediate"', 'would stop a replica cluster, which replays its source continuously', 'drop the target (a replica follows its source), or restore without replica'));
  });

  test('a walSource without an archive: refused', () => {
    expect(bindError(() => ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: streaming() }))).toBe(err('walSource', '"old"', 'has no archive (a streaming-only source)',
      'give the snapshotted cluster\'s object store', ' (the field is bootstrap.wal_source in Python, Bootstrap.WalSource in Go)'));
  });
});

describe('initdb', () => {
  test('no options, or options that write nothing: no bootstrap stanza (CloudNativePG\'s defaults)', () => {
    expect(initdb({})).toEqual({ bootstrap: undefined, sources: [] });
    expect(initdb({ postInitSql: [], postInitSqlRefs: {}, postInitTemplateSqlRefs: { secrets: [], configMaps: [] } }))
      .toEqual({ bootstrap: undefined, sources: [] });
    expect(bind(ClusterBootstrap.initdb())).toEqual({ bootstrap: undefined, sources: [] });
  });

  test('every option written to its field, lists copied', () => {
    const sql = ['CREATE ROLE x'];
    const o: InitdbOptions = {
      postInitSql: sql,
      postInitSqlRefs: { secrets: [{ name: 'init', key: 'a.sql' }] },
      postInitApplicationSql: ['SELECT 1'],
      postInitApplicationSqlRefs: { configMaps: [{ name: 'app-init', key: 'b.sql' }] },
      postInitTemplateSql: ['CREATE EXTENSION pg_stat_statements'],
      postInitTemplateSqlRefs: { secrets: [{ name: 's1', key: 'k1' }, { name: 's2', key: 'k2' }], configMaps: [{ name: 'c1', key: 'k3' }] },
      encoding: 'UTF8',
      locale: 'en_US.UTF-8',
      localeCollate: 'C',
      localeCType: 'en_US.UTF-8',
      dataChecksums: true,
      walSegmentSize: 32,
    };
    const out = initdbOut(o);
    expect(out).toEqual({
      postInitSql: ['CREATE ROLE x'],
      postInitSqlRefs: { secretRefs: [{ name: 'init', key: 'a.sql' }], configMapRefs: undefined },
      postInitApplicationSql: ['SELECT 1'],
      postInitApplicationSqlRefs: { secretRefs: undefined, configMapRefs: [{ name: 'app-init', key: 'b.sql' }] },
      postInitTemplateSql: ['CREATE EXTENSION pg_stat_statements'],
      postInitTemplateSqlRefs: { secretRefs: [{ name: 's1', key: 'k1' }, { name: 's2', key: 'k2' }], configMapRefs: [{ name: 'c1', key: 'k3' }] },
      encoding: 'UTF8',
      locale: 'en_US.UTF-8',
      localeCollate: 'C',
      localeCType: 'en_US.UTF-8',
      localeProvider: undefined,
      icuLocale: undefined,
      icuRules: undefined,
      builtinLocale: undefined,
      dataChecksums: true,
      walSegmentSize: 32,
    });
    expect(out!.postInitSql).not.toBe(sql);
    sql.push('DROP ROLE x');
    expect(out!.postInitSql).toEqual(['CREATE ROLE x']);
    // One option alone is enough for a stanza, false included.
    expect(initdbOut({ dataChecksums: false })).toEqual(expect.objectContaining({ dataChecksums: false }));
    expect(initdbOut({ postInitTemplateSqlRefs: { configMaps: [{ name: 'c', key: 'k' }] } })!.postInitTemplateSqlRefs).toEqual({ secretRefs: undefined, configMapRefs: [{ name: 'c', key: 'k' }] });
  });

  test('SQL statements: empty or blank refused, naming the list and index', () => {
    const lists = {
      postInitSql: ['post_init_sql', 'PostInitSql'],
      postInitApplicationSql: ['post_init_application_sql', 'PostInitApplicationSql'],
      postInitTemplateSql: ['post_init_template_sql', 'PostInitTemplateSql'],
    };
    for (const [name, [py, go]] of Object.entries(lists)) {
      for (const stmt of ['', '  \n']) {
        expect([name, initdbError({ [name]: ['SELECT 1', stmt] })]).toEqual([name, err(`initdb.${name}[1]`, JSON.stringify(stmt), 'is not a SQL statement',
          'give the statement as a non-empty string, or remove it', ` (the field is bootstrap.initdb.${py}[1] in Python, Bootstrap.Initdb.${go}[1] in Go)`)]);
      }
    }
    expect(initdbError({ postInitSql: [' '] })).toBe(err('initdb.postInitSql[0]', '" "', 'is not a SQL statement', 'give the statement as a non-empty string, or remove it',
      ' (the field is bootstrap.initdb.post_init_sql[0] in Python, Bootstrap.Initdb.PostInitSql[0] in Go)'));
  });

  test('SQL file references: name and key required, the name a DNS-1123 subdomain of at most 253 characters, the key a Secret key', () => {
    const need = (field: string, ref: string) => err(`initdb.${field}`, ref, 'needs a name and a key (CloudNativePG\'s webhook refuses either missing)', 'give { name: "<object>", key: "<key>" }');
    expect(initdbError({ postInitSqlRefs: { secrets: [{ name: '', key: 'k' }] } })).toBe(`${need('postInitSqlRefs.secrets[0]', '{"name":"","key":"k"}')}`
      + ' (the field is bootstrap.initdb.post_init_sql_refs.secrets[0] in Python, Bootstrap.Initdb.PostInitSqlRefs.Secrets[0] in Go)');
    expect(initdbError({ postInitApplicationSqlRefs: { configMaps: [{ name: 'a', key: 'k' }, { name: 'n', key: '' }] } })).toBe(`${need('postInitApplicationSqlRefs.configMaps[1]', '{"name":"n","key":""}')}`
      + ' (the field is bootstrap.initdb.post_init_application_sql_refs.config_maps[1] in Python, Bootstrap.Initdb.PostInitApplicationSqlRefs.ConfigMaps[1] in Go)');
    // The library's names are DNS-1123 labels (no dots) of up to 253 characters here (src/common/names.ts).
    const long = 'a'.repeat(253);
    expect(initdbOut({ postInitSqlRefs: { secrets: [{ name: long, key: '-._aZ09' }] } })!.postInitSqlRefs).toEqual({ secretRefs: [{ name: long, key: '-._aZ09' }], configMapRefs: undefined });
    expect(initdbError({ postInitSqlRefs: { secrets: [{ name: `${long}a`, key: 'k' }] } })).toBe(err('initdb.postInitSqlRefs.secrets[0].name', `"${long}a"`,
      'is 254 characters long, more than the 253 allowed', 'use a name of at most 253 characters',
      ' (the field is bootstrap.initdb.post_init_sql_refs.secrets[0].name in Python, Bootstrap.Initdb.PostInitSqlRefs.Secrets[0].Name in Go)'));
    expect(initdbError({ postInitTemplateSqlRefs: { configMaps: [{ name: 'Init', key: 'k' }] } })).toMatch(/^Construct at 'test\/box': bootstrap\.initdb\.postInitTemplateSqlRefs\.configMaps\[0\]\.name = "Init" /);
    for (const key of ['a b', 'a/b', 'ü', 'x\n']) {
      expect([key, initdbError({ postInitTemplateSqlRefs: { configMaps: [{ name: 'c', key }] } })]).toEqual([key, err('initdb.postInitTemplateSqlRefs.configMaps[0].key', JSON.stringify(key),
        'is not a valid key', 'use letters, digits, "-", "_" and ".", e.g. "init.sql"',
        ' (the field is bootstrap.initdb.post_init_template_sql_refs.config_maps[0].key in Python, Bootstrap.Initdb.PostInitTemplateSqlRefs.ConfigMaps[0].Key in Go)')]);
    }
  });

  test('every server encoding of PostgreSQL\'s pg_wchar.h (PG_VALID_BE_ENCODING) is accepted as written', () => {
    const server = ['SQL_ASCII', 'EUC_JP', 'EUC_CN', 'EUC_KR', 'EUC_TW', 'EUC_JIS_2004', 'UTF8', 'MULE_INTERNAL', 'LATIN1', 'LATIN2', 'LATIN3', 'LATIN4', 'LATIN5',
      'LATIN6', 'LATIN7', 'LATIN8', 'LATIN9', 'LATIN10', 'WIN1256', 'WIN1258', 'WIN866', 'WIN874', 'KOI8R', 'WIN1251', 'WIN1252', 'ISO_8859_5', 'ISO_8859_6', 'ISO_8859_7',
      'ISO_8859_8', 'WIN1250', 'WIN1253', 'WIN1254', 'WIN1255', 'WIN1257', 'KOI8U'];
    expect(server).toHaveLength(35);
    for (const e of server) expect([e, initdbError({ encoding: e })]).toEqual([e, '(nothing thrown)']);
  });

  test('encodings: PostgreSQL\'s server encodings in any case, with or without "_" and "-"; others refused', () => {
    for (const e of ['UTF8', 'utf-8', 'Utf_8', 'SQL_ASCII', 'sqlascii', 'LATIN1', 'latin10', 'iso-8859-5', 'WIN1252', 'KOI8U', 'EUC_JIS_2004', 'MULE_INTERNAL', 'WIN866']) {
      expect([e, initdbOut({ encoding: e })!.encoding]).toEqual([e, e]);
    }
    for (const e of ['UTF16', 'SJIS', 'BIG5', 'GBK', 'UHC', 'GB18030', 'JOHAB', 'LATIN11', 'UTF', '', 'xUTF8']) {
      expect([e, initdbError({ encoding: e })]).toEqual([e, err('initdb.encoding', JSON.stringify(e), 'is not a server encoding PostgreSQL\'s initdb accepts',
        'use "UTF8" (the default) unless an application needs another')]);
    }
  });

  test('locale names: letters, digits, "_", ".", "@", "-" for each locale option', () => {
    expect(initdbOut({ locale: 'sr_RS.UTF-8@latin', localeCollate: 'C', localeCType: 'POSIX' })).toEqual(expect.objectContaining({ locale: 'sr_RS.UTF-8@latin', localeCollate: 'C', localeCType: 'POSIX' }));
    const hints: Record<string, string> = {
      locale: '',
      localeCollate: ' (the field is bootstrap.initdb.locale_collate in Python, Bootstrap.Initdb.LocaleCollate in Go)',
      localeCType: ' (the field is bootstrap.initdb.locale_c_type in Python, Bootstrap.Initdb.LocaleCType in Go)',
      icuLocale: ' (the field is bootstrap.initdb.icu_locale in Python, Bootstrap.Initdb.IcuLocale in Go)',
      builtinLocale: ' (the field is bootstrap.initdb.builtin_locale in Python, Bootstrap.Initdb.BuiltinLocale in Go)',
    };
    for (const name of Object.keys(hints)) {
      for (const v of ['en US', '', 'de_DE;x', 'x\ny']) {
        expect([name, v, initdbError({ [name]: v })]).toEqual([name, v, err(`initdb.${name}`, JSON.stringify(v), 'is not a locale name',
          'give a locale such as "en_US.UTF-8" (libc), "en-US" (ICU) or "C.UTF-8" (builtin)', hints[name])]);
      }
    }
  });

  test('locale providers: libc on any release, ICU from PostgreSQL 15, builtin from 17; unknown majors unchecked', () => {
    expect(initdbOut({ localeProvider: LocaleProvider.LIBC }, 12)!.localeProvider).toBe('libc');
    expect(initdbOut({ localeProvider: LocaleProvider.ICU, icuLocale: 'en-US' }, 15)).toEqual(expect.objectContaining({ localeProvider: 'icu', icuLocale: 'en-US' }));
    expect(initdbOut({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8' }, 17)).toEqual(expect.objectContaining({ localeProvider: 'builtin', builtinLocale: 'C.UTF-8' }));
    expect(initdbOut({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C' }, undefined)!.localeProvider).toBe('builtin');
    const hint = ' (the field is bootstrap.initdb.locale_provider in Python, Bootstrap.Initdb.LocaleProvider in Go)';
    expect(initdbError({ localeProvider: LocaleProvider.ICU, icuLocale: 'en-US' }, 14)).toBe(err('initdb.localeProvider', '"icu"',
      'needs PostgreSQL 15 or newer, but the cluster runs 14', 'use LocaleProvider.LIBC, or a newer PostgreSQL', hint));
    expect(initdbError({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C' }, 16)).toBe(err('initdb.localeProvider', '"builtin"',
      'needs PostgreSQL 17 or newer, but the cluster runs 16', 'use LocaleProvider.LIBC, or a newer PostgreSQL', hint));
  });

  test('the cluster\'s PostgreSQL image gives the major version', () => {
    expect(bindError(() => ClusterBootstrap.initdb({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C' }), {}, { postgres: PostgresImage.version('16.8') }))
      .toMatch(/^Construct at 'test\/box': bootstrap\.initdb\.localeProvider = "builtin" needs PostgreSQL 17 or newer, but the cluster runs 16\. /);
    expect(bind(ClusterBootstrap.initdb({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C' }), {}, { postgres: PostgresImage.version('17.4') }).bootstrap!.initdb!.localeProvider)
      .toBe('builtin');
  });

  test('the ICU and builtin options need their provider; ICU rules PostgreSQL 16', () => {
    const needs = (name: string, v: string, provider: string, hint: string) => err(`initdb.${name}`, JSON.stringify(v), `needs localeProvider ${provider} (initdb refuses it otherwise)`,
      `set localeProvider: LocaleProvider.${provider.toUpperCase()}, or drop ${name}`, hint);
    const icuHint = ' (the field is bootstrap.initdb.icu_locale in Python, Bootstrap.Initdb.IcuLocale in Go)';
    const rulesHint = ' (the field is bootstrap.initdb.icu_rules in Python, Bootstrap.Initdb.IcuRules in Go)';
    const builtinHint = ' (the field is bootstrap.initdb.builtin_locale in Python, Bootstrap.Initdb.BuiltinLocale in Go)';
    expect(initdbError({ icuLocale: 'en-US' })).toBe(needs('icuLocale', 'en-US', 'icu', icuHint));
    expect(initdbError({ localeProvider: LocaleProvider.LIBC, icuLocale: 'en-US' })).toBe(needs('icuLocale', 'en-US', 'icu', icuHint));
    expect(initdbError({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C', icuRules: '&a < b' })).toBe(needs('icuRules', '&a < b', 'icu', rulesHint));
    expect(initdbError({ localeProvider: LocaleProvider.ICU, builtinLocale: 'C', icuLocale: 'en-US' })).toBe(needs('builtinLocale', 'C', 'builtin', builtinHint));
    expect(initdbError({ localeProvider: LocaleProvider.ICU, icuLocale: 'en-US', icuRules: '&a < b' }, 15)).toBe(err('initdb.icuRules', '"&a < b"',
      'needs PostgreSQL 16 or newer, but the cluster runs 15', 'drop icuRules, or use a newer PostgreSQL', rulesHint));
    expect(initdbOut({ localeProvider: LocaleProvider.ICU, icuLocale: 'en-US', icuRules: '&a < b' }, 16)!.icuRules).toBe('&a < b');
    expect(initdbOut({ localeProvider: LocaleProvider.ICU, icuLocale: 'en-US', icuRules: '&a < b' }, undefined)!.icuRules).toBe('&a < b');
  });

  test('ICU and builtin need their locale, or locale', () => {
    expect(initdbError({ localeProvider: LocaleProvider.ICU })).toBe(err('initdb.icuLocale', '(unset)', 'is required with the ICU provider (initdb: "ICU locale must be specified")',
      'give icuLocale, e.g. "en-US"', ' (the field is bootstrap.initdb.icu_locale in Python, Bootstrap.Initdb.IcuLocale in Go)'));
    expect(initdbError({ localeProvider: LocaleProvider.BUILTIN })).toBe(err('initdb.builtinLocale', '(unset)',
      'is required with the builtin provider (initdb: "locale must be specified if provider is builtin")', 'give builtinLocale, e.g. "C.UTF-8"',
      ' (the field is bootstrap.initdb.builtin_locale in Python, Bootstrap.Initdb.BuiltinLocale in Go)'));
    expect(initdbOut({ localeProvider: LocaleProvider.ICU, locale: 'en-US' })).toEqual(expect.objectContaining({ localeProvider: 'icu', locale: 'en-US' }));
    expect(initdbOut({ localeProvider: LocaleProvider.BUILTIN, locale: 'C.UTF-8' })).toEqual(expect.objectContaining({ localeProvider: 'builtin', locale: 'C.UTF-8' }));
    expect(initdbOut({ localeProvider: LocaleProvider.LIBC })).toEqual(expect.objectContaining({ localeProvider: 'libc', locale: undefined }));
  });

  test('walSegmentSize: a power of two from 1 to 1024', () => {
    for (const n of [1, 2, 16, 64, 1024]) expect([n, initdbOut({ walSegmentSize: n })!.walSegmentSize]).toEqual([n, n]);
    for (const n of [0, 2048, 3, 48, 1023, 1.5, -2, 0.5]) {
      expect([n, initdbError({ walSegmentSize: n })]).toEqual([n, err('initdb.walSegmentSize', String(n), 'is not a power of two from 1 to 1024 (MiB)',
        'give e.g. 16 (PostgreSQL\'s default), 32 or 64', ' (the field is bootstrap.initdb.wal_segment_size in Python, Bootstrap.Initdb.WalSegmentSize in Go)')]);
    }
  });
});
