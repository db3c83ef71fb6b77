/**
 * The recovery and replica rules the library re-implements (src/cluster/recovery-target.ts,
 * bootstrap.ts, replica-cluster.ts, recovery-rules.ts), tested against the code they copy: the
 * Cluster webhook (defaulter + ValidateCreate of internal/webhook/v1) of each targeted
 * CloudNativePG release, built from the release's module (test/integ/restore/webhook/build.sh).
 *
 * - every Cluster the library writes for a recovery, a volume-snapshot recovery, a replica
 *   cluster or an initdb with options is accepted by the webhook of each release;
 * - every bad input the library refuses at synth that the webhook also judges is refused by the
 *   webhook, for the same reason;
 * - the rules where the library is stricter than the webhook are listed, and the webhook is shown
 *   to accept those inputs (the reason is PostgreSQL's, given in each).
 */
import { Duration } from 'cdk8s';
import {
  ApplicationProfile, BackupCredentials, BackupMethod, BackupSource, ClusterBootstrap, CnpgSharedCluster, CnpgVersion, LocaleProvider,
  Quantity, RecoveryTarget, ReplicaCluster,
} from '../../src';
import { judge, webhook, WEBHOOK_RELEASES } from './restore/webhook';
import { recoveryReferenceProblems } from '../../src/cluster/recovery-rules';
import { chart, one, synth } from '../util/synth';

jest.setTimeout(1_800_000);

const STORE = { name: 'store' };
const S3 = { bucket: 'backups', endpointUrl: 'https://minio:9000', credentials: BackupCredentials.fromSecret('s3') };
const source = () => BackupSource.objectStore({ clusterName: 'pg-old', ...S3 });

/** Every mode, as the library writes it: name → the Cluster objects. */
function libraryClusters(version: CnpgVersion): Array<[string, any]> {
  const out: Array<[string, any]> = [];
  const add = (name: string, build: (c: ReturnType<typeof chart>) => void) => {
    const c = chart();
    build(c);
    for (const m of synth(c).filter((o) => o.kind === 'Cluster')) out.push([`${name}: ${m.metadata.name}`, m]);
  };
  const targets: Array<[string, RecoveryTarget]> = [
    ['latest', RecoveryTarget.latest()],
    ['time', RecoveryTarget.time('2026-03-01T12:15:00+02:00', { exclusive: true })],
    ['lsn', RecoveryTarget.lsn('0/3000060')],
    ['restore point', RecoveryTarget.restorePoint('before-upgrade', { backupId: '20260301T020000' })],
    ['transaction id', RecoveryTarget.transactionId(4242, { backupId: '20260301T020000' })],
    ['immediate', RecoveryTarget.immediate({ backupId: '20260301T020000', timeline: '1' })],
  ];
  for (const method of [BackupMethod.PLUGIN, BackupMethod.BARMAN_OBJECT_STORE]) {
    for (const [kind, target] of targets) {
      add(`recovery ${method} ${kind}`, (c) => {
        const src = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: version, secretStore: STORE });
        const backup = src.addBackup({ ...S3, method });
        const restored = new CnpgSharedCluster(c, 'pitr', {
          clusterName: 'shared-postgres',
          namespace: 'restore',
          operatorVersion: version,
          secretStore: STORE,
          bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup(backup), { target }),
        });
        restored.addBackup({ ...S3, method });
        restored.addApplication('harbor', { profile: ApplicationProfile.HARBOR, credentials: { remoteKey: 'k/harbor' } });
      });
    }
  }
  add('volume snapshots with a WAL archive', (c) => {
    new CnpgSharedCluster(c, 'snap', {
      operatorVersion: version,
      secretStore: STORE,
      walStorage: { size: Quantity.gibibytes(5) },
      bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 'snap-data', walStorage: 'snap-wal', walSource: source(), target: RecoveryTarget.time('2026-03-01T10:00:00Z') }),
    });
  });
  add('volume snapshots alone', (c) => {
    new CnpgSharedCluster(c, 'snap', { operatorVersion: version, bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 'snap-data', target: RecoveryTarget.immediate() }) });
  });
  add('initdb with options', (c) => {
    new CnpgSharedCluster(c, 'fresh', {
      operatorVersion: version,
      bootstrap: ClusterBootstrap.initdb({
        postInitSql: ['select 1'],
        postInitTemplateSql: ['select 2'],
        postInitApplicationSql: ['select 3'],
        postInitApplicationSqlRefs: { secrets: [{ name: 's', key: 'a.sql' }], configMaps: [{ name: 'c', key: 'b.sql' }] },
        encoding: 'UTF8',
        localeProvider: LocaleProvider.ICU,
        icuLocale: 'en-US',
        dataChecksums: true,
        walSegmentSize: 32,
      }),
    });
  });
  for (const [role, replica] of [
    ['replica', () => ReplicaCluster.of(source(), { minApplyDelay: Duration.minutes(30) })],
    ['primary', () => ReplicaCluster.primary(source())],
    ['standalone', () => ReplicaCluster.standalone(source())],
    ['hybrid', () => ReplicaCluster.of(BackupSource.objectStore({ clusterName: 'pg-old', ...S3, streaming: { host: 'pg-old-rw.example' } }))],
    ['streaming', () => ReplicaCluster.of(BackupSource.streaming({ clusterName: 'pg-old', host: 'pg-old-rw.example' }))],
  ] as const) {
    add(`topology ${role}`, (c) => {
      const db = new CnpgSharedCluster(c, 'pg-new', { operatorVersion: version, secretStore: STORE, replica: replica() });
      db.addBackup(S3);
    });
  }
  return out;
}

/** A Cluster as the library would write it, for the raw cases. */
function raw(spec: Record<string, unknown>, name = 'pg'): any {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'db' },
    spec: { instances: 1, storage: { size: '1Gi' }, ...spec },
  };
}
const PLUGIN = { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-old-source', serverName: 'pg-old' } };
const EXTERNAL = [{ name: 'pg-old', plugin: PLUGIN }];
const recovering = (recoveryTarget: Record<string, unknown>) => raw({ bootstrap: { recovery: { source: 'pg-old', recoveryTarget } }, externalClusters: EXTERNAL });
const build = (props: Record<string, unknown>, backup = false) => () => {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { secretStore: STORE, ...props });
  if (backup) db.addBackup({ ...S3, bucket: 'backups-new' });
  return synth(c);
};
const ruleRefuses = (cluster: any) => () => {
  const problems = recoveryReferenceProblems(cluster);
  if (problems.length) throw new Error(problems.map((p) => `${p.path}: ${p.problem}`).join('; '));
};

/** [case, what the library does with it (must throw), the Cluster it would have written, the webhook's reason]. */
const REFUSED: Array<[string, () => unknown, any, RegExp]> = [
  ['a time that does not parse', build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.time('yesterday at noon') }) }),
    recovering({ targetTime: 'yesterday at noon' }), /The format of TargetTime is invalid/],
  ['two targets at once', ruleRefuses(recovering({ targetTime: '2026-03-01T10:00:00Z', targetLSN: '0/3000060' })),
    recovering({ targetTime: '2026-03-01T10:00:00Z', targetLSN: '0/3000060' }), /Recovery target options are mutually exclusive/],
  ['an LSN that does not parse', build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.lsn('0/ZZ') }) }),
    recovering({ targetLSN: '0/ZZ' }), /Invalid TargetLSN/],
  ['a restore point without backupID', build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.restorePoint('p') }) }),
    recovering({ targetName: 'p' }), /BackupID is missing/],
  ['a transaction ID without backupID', build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.transactionId(4242) }) }),
    recovering({ targetXID: '4242' }), /BackupID is missing/],
  ['immediate without backupID', build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.immediate() }) }),
    recovering({ targetImmediate: true }), /BackupID is missing/],
  ['a timeline that is not latest or a number', build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.latest({ timeline: 'current' }) }) }),
    recovering({ targetTLI: 'current' }), /recovery target timeline can be set to 'latest' or a positive integer/],
  ['a source naming an unknown external cluster', ruleRefuses(raw({ bootstrap: { recovery: { source: 'pg-x' } }, externalClusters: EXTERNAL })),
    raw({ bootstrap: { recovery: { source: 'pg-x' } }, externalClusters: EXTERNAL }), /External cluster pg-x not found/],
  ['a replica source naming an unknown external cluster', ruleRefuses(raw({ bootstrap: { recovery: { source: 'pg-old' } }, replica: { primary: 'pg-old', source: 'pg-x' }, externalClusters: EXTERNAL })),
    raw({ bootstrap: { recovery: { source: 'pg-old' } }, replica: { primary: 'pg-old', source: 'pg-x' }, externalClusters: EXTERNAL }), /External cluster pg-x not found/],
  // ReplicaCluster.of refuses a missing source when called (the run-time argument check).
  ['a replica cluster without a source', () => build({ replica: ReplicaCluster.of(undefined as any) })(),
    raw({ bootstrap: { recovery: { source: 'pg-old' } }, replica: { enabled: true, source: '' }, externalClusters: EXTERNAL }), /External cluster {2}not found/],
  ['an empty replica cluster (initdb)', build({ replica: ReplicaCluster.of(source()), bootstrap: ClusterBootstrap.initdb() }),
    raw({ bootstrap: { initdb: { database: 'app', owner: 'app' } }, replica: { primary: 'pg-old', source: 'pg-old' }, externalClusters: EXTERNAL }),
    /replica mode bootstrap is compatible only with pg_basebackup or recovery/],
  ['enabled together with primary', ruleRefuses(raw({ bootstrap: { recovery: { source: 'pg-old' } }, replica: { enabled: true, primary: 'pg-old', source: 'pg-old' }, externalClusters: EXTERNAL })),
    raw({ bootstrap: { recovery: { source: 'pg-old' } }, replica: { enabled: true, primary: 'pg-old', source: 'pg-old' }, externalClusters: EXTERNAL }),
    /replica mode enabled is not compatible with the primary field/],
  ['a promotion token with minApplyDelay', ruleRefuses(raw({ replica: { primary: 'pg', source: 'pg-old', promotionToken: 'abc', minApplyDelay: '1h' }, externalClusters: [...EXTERNAL, { name: 'pg', plugin: PLUGIN }] })),
    raw({ replica: { primary: 'pg', source: 'pg-old', promotionToken: 'abc', minApplyDelay: '1h' }, externalClusters: [...EXTERNAL, { name: 'pg', plugin: PLUGIN }] }),
    /minApplyDelay cannot be applied with a promotion token/],
  ['duplicate external clusters', ruleRefuses(raw({ externalClusters: [...EXTERNAL, ...EXTERNAL] })),
    raw({ externalClusters: [...EXTERNAL, ...EXTERNAL] }), /the list of external clusters contains duplicate values/],
  ['a backupID with volume snapshots', build({ bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 's', walSource: source(), target: RecoveryTarget.time('2026-03-01T10:00:00Z', { backupId: '20260301T020000' }) }) }),
    raw({ bootstrap: { recovery: { source: 'pg-old', volumeSnapshots: { storage: { name: 's', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } }, recoveryTarget: { targetTime: '2026-03-01T10:00:00Z', backupID: '20260301T020000' } } }, externalClusters: EXTERNAL }),
    /Cannot specify a backupID when recovering using a DataSource/],
  ['a WAL snapshot on a cluster without walStorage', build({ bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 's', walStorage: 'w' }) }),
    raw({ bootstrap: { recovery: { volumeSnapshots: { storage: { name: 's', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' }, walStorage: { name: 'w', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } } } } }),
    /A WAL storage configuration is required when recovering using a DataSource for WALs/],
  ['a WAL segment size that is not a power of two', build({ bootstrap: ClusterBootstrap.initdb({ walSegmentSize: 48 }) }),
    raw({ bootstrap: { initdb: { walSegmentSize: 48 } } }), /WAL segment size must be a power of 2/],
];

/** Stricter than the webhook (PostgreSQL's reasons): the library refuses, the webhook lets them through. */
const STRICTER: Array<[string, () => unknown, any]> = [
  ['a time without a zone (PostgreSQL would read it in its own zone; CloudNativePG as UTC)',
    build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.time('2026-03-01 10:00:00') }) }), recovering({ targetTime: '2026-03-01 10:00:00' })],
  ['a transaction ID below 3 (never assigned to a transaction)',
    build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.transactionId(2, { backupId: '20260301T020000' }) }) }),
    recovering({ targetXID: '2', backupID: '20260301T020000' })],
  ['exclusive with a restore point (PostgreSQL ignores recovery_target_inclusive there)',
    build({ bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.restorePoint('p', { backupId: '20260301T020000', exclusive: true }) }) }),
    recovering({ targetName: 'p', backupID: '20260301T020000', exclusive: true })],
  ['a point-in-time target without a WAL archive (a snapshot holds only its own consistent point)',
    build({ bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 's', target: RecoveryTarget.time('2026-03-01T10:00:00Z') }) }),
    raw({ bootstrap: { recovery: { volumeSnapshots: { storage: { name: 's', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } }, recoveryTarget: { targetTime: '2026-03-01T10:00:00Z' } } } })],
];

describe.each(WEBHOOK_RELEASES)('the Cluster webhook of CloudNativePG %s', (version) => {
  let bin = '';
  beforeAll(() => {
    bin = webhook(version);
  });

  test('accepts every Cluster the library writes for recovery, snapshots, replicas and initdb', () => {
    const clusters = libraryClusters(CnpgVersion.of(version));
    expect(clusters.length).toBeGreaterThan(20);
    const answers = judge(bin, clusters.map(([, c]) => c));
    const refused = clusters.map(([name], i) => ({ name, ...answers[i] })).filter((a) => !a.ok);
    expect(refused).toEqual([]);
  });

  test('recovery_target_time: the library\'s UTC time passes through unchanged; a "Z" one keeps its Z before 1.28.1', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'x', { operatorVersion: CnpgVersion.of(version), bootstrap: ClusterBootstrap.recovery(source(), { target: RecoveryTarget.time('2026-03-01T12:15:00.5+02:00') }) });
    const [ours] = judge(bin, [one(synth(c), 'Cluster')]);
    expect(ours.recoveryOptions).toMatch(/recovery_target_time = '2026-03-01 10:15:00\.5\+00:00'/);
    const [z] = judge(bin, [recovering({ targetTime: '2026-03-01T10:15:00Z' })]);
    // What PostgreSQL refuses at startup (test/integ/restore.test.ts shows it): 1.27.1 writes it.
    expect(z.recoveryOptions).toMatch(version === '1.27.1' ? /'2026-03-01 10:15:00\.000000Z'/ : /'2026-03-01 10:15:00\.000000\+00:00'/);
  });

  test.each(REFUSED)('refuses what the library refuses: %s', (_name, library, cluster, reason) => {
    expect(library).toThrow();
    const [answer] = judge(bin, [cluster]);
    expect(answer.ok).toBe(false);
    expect(answer.error).toMatch(reason);
  });

  test.each(STRICTER)('the library is stricter than the webhook: %s', (_name, library, cluster) => {
    expect(library).toThrow();
    const [answer] = judge(bin, [cluster]);
    expect(answer).toMatchObject({ ok: true });
  });
});

test('the fixture: every library Cluster is one of the objects synth() validated', () => {
  const c = chart();
  new CnpgSharedCluster(c, 'x', { bootstrap: ClusterBootstrap.recovery(source()) });
  expect(one(synth(c), 'Cluster').spec.bootstrap.recovery.source).toBe('pg-old');
});
