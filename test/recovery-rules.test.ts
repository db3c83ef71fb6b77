/**
 * The webhook's recovery and replica-cluster rules (src/cluster/recovery-rules.ts) called on
 * Clusters as written (plain JSON, as an escape hatch leaves them), each problem whole (path,
 * value, problem, fix). test/restore.test.ts and test/replica.test.ts reach them through the
 * typed props and overrides; test/integ/restore-webhook.test.ts runs the same inputs through the
 * real webhooks.
 */
import { recoveryReferenceProblems } from '../src/cluster/recovery-rules';

const problem = (path: string, value: unknown, text: string, fix: string) => ({ path, value, problem: text, fix });
const cluster = (spec: Record<string, unknown>, name = 'db') => ({ metadata: { name }, spec });
const ARCHIVE = { name: 'origin', barmanObjectStore: { destinationPath: 's3://x' } };
const PRIMARY = { name: 'primary', connectionParameters: { host: 'p' } };
const PLUGIN = { name: 'plugin', plugin: { name: 'barman-cloud.cloudnative-pg.io' } };
const unknown = (path: string, value: string, known: string) => problem(path, value, `names an unknown external cluster (externalClusters names ${known})`,
  'name one of the externalClusters, or add the external cluster');

describe('external clusters', () => {
  test('valid: each named once, each with a way to reach it', () => {
    expect(recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE, PRIMARY, PLUGIN] }))).toEqual([]);
    expect(recoveryReferenceProblems(cluster({}))).toEqual([]);
    expect(recoveryReferenceProblems({})).toEqual([]);
    expect(recoveryReferenceProblems(undefined)).toEqual([]);
    expect(recoveryReferenceProblems(cluster({ externalClusters: ARCHIVE }))).toEqual([]);
  });

  test('a name listed twice', () => {
    expect(recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE, PRIMARY, { ...PLUGIN, name: 'origin' }] }))).toEqual([
      problem('spec.externalClusters[2].name', 'origin', 'is listed twice (the webhook refuses duplicate external clusters)', 'give each external cluster its own name'),
    ]);
  });

  test('one without connection parameters, plugin or archive', () => {
    expect(recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE, { name: 'bare' }, null] }))).toEqual([
      problem('spec.externalClusters[1]', 'bare', 'has neither connectionParameters, plugin nor barmanObjectStore', 'say how to reach the cluster: its archive or its primary'),
    ]);
  });
});

describe('bootstrap', () => {
  test('one method', () => {
    expect(recoveryReferenceProblems(cluster({ bootstrap: { initdb: {}, recovery: null, pg_basebackup: undefined } }))).toEqual([]);
    expect(recoveryReferenceProblems(cluster({ bootstrap: { initdb: {}, recovery: { backup: { name: 'b' } } } }))).toEqual([
      problem('spec.bootstrap', ['initdb', 'recovery'], 'has more than one bootstrap method', 'keep one of initdb, recovery and pg_basebackup'),
    ]);
    expect(recoveryReferenceProblems(cluster({ externalClusters: [PRIMARY], bootstrap: { initdb: {}, pg_basebackup: { source: 'primary' } } }))[0].value)
      .toEqual(['initdb', 'pg_basebackup']);
  });

  test('recovery: its source is an external cluster', () => {
    const recovery = (r: Record<string, unknown>, externalClusters: unknown[] = [ARCHIVE]) =>
      recoveryReferenceProblems(cluster({ externalClusters, bootstrap: { recovery: r } }));
    expect(recovery({ source: 'origin' })).toEqual([]);
    expect(recovery({ source: 'other' })).toEqual([unknown('spec.bootstrap.recovery.source', 'other', '"origin"')]);
    expect(recovery({ source: 'other' }, [ARCHIVE, PRIMARY])).toEqual([unknown('spec.bootstrap.recovery.source', 'other', '"origin", "primary"')]);
    expect(recovery({ source: 'other' }, [])).toEqual([unknown('spec.bootstrap.recovery.source', 'other', '(none)')]);
    expect(recovery({ source: '' })).toEqual([]);
    expect(recovery({ source: 1 })).toEqual([]);
  });

  test('recovery: a backup, or a source or snapshots', () => {
    const recovery = (r: Record<string, unknown>) => recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE], bootstrap: { recovery: r } }));
    const backup = { name: 'b' };
    expect(recovery({ backup })).toEqual([]);
    expect(recovery({ volumeSnapshots: { storage: { name: 's' } } })).toEqual([]);
    for (const other of [{ source: 'origin' }, { volumeSnapshots: { storage: { name: 's' } } }]) {
      expect(recovery({ backup, ...other })).toEqual([problem('spec.bootstrap.recovery.backup', backup, 'is mutually exclusive with source and volumeSnapshots',
        'keep one way to find the base backup')]);
    }
  });

  test('recovery targets: one at a time; a backup ID with a label-based target, not with snapshots', () => {
    const target = (recoveryTarget: Record<string, unknown>, extra: Record<string, unknown> = { source: 'origin' }) =>
      recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE], bootstrap: { recovery: { ...extra, recoveryTarget } } }));
    expect(target({ targetTime: '2026-01-01 00:00:00' })).toEqual([]);
    expect(target({ targetLSN: '0/3000060', targetTime: '', targetName: null, targetXID: undefined })).toEqual([]);
    expect(target({ targetTime: '2026-01-01 00:00:00', targetLSN: '0/3000060' })).toEqual([problem('spec.bootstrap.recovery.recoveryTarget', ['targetTime', 'targetLSN'],
      'sets two recovery targets at once (the webhook: "Recovery target options are mutually exclusive")',
      'keep one target: a time, an LSN, a restore point, a transaction ID or immediate')]);
    expect(target({ targetImmediate: false, targetName: 'p', backupID: 'b' })[0].value).toEqual(['targetName', 'targetImmediate']);
    expect(target({ targetXID: '10', backupID: 'b' })).toEqual([]);
    const backupId = problem('spec.bootstrap.recovery.recoveryTarget.backupID', undefined,
      'is required with a restore point, a transaction ID or an immediate target (the webhook: "BackupID is missing")', 'give the ID of the base backup to start from');
    for (const t of [{ targetName: 'p' }, { targetXID: '10' }, { targetImmediate: true }]) expect(target(t)).toEqual([backupId]);
    expect(target({ targetTime: '2026-01-01 00:00:00' })).toEqual([]);
    expect(target({ targetLSN: '0/3000060' })).toEqual([]);
    const snapshots = { volumeSnapshots: { storage: { name: 's' } } };
    expect(target({ targetName: 'p' }, snapshots)).toEqual([]);
    expect(target({ targetTime: '2026-01-01 00:00:00', backupID: 'b' }, snapshots)).toEqual([problem('spec.bootstrap.recovery.recoveryTarget.backupID', 'b',
      'cannot be used with volumeSnapshots', 'drop backupID: the snapshots are the base backup')]);
    expect(target({ backupID: 'b' })).toEqual([]);
  });

  test('pg_basebackup: a source, an external cluster', () => {
    const basebackup = (b: Record<string, unknown>) =>
      recoveryReferenceProblems(cluster({ externalClusters: [PRIMARY], bootstrap: { pg_basebackup: b } }));
    expect(basebackup({ source: 'primary' })).toEqual([]);
    expect(basebackup({ source: 'other' })).toEqual([unknown('spec.bootstrap.pg_basebackup.source', 'other', '"primary"')]);
    for (const b of [{}, { source: '' }]) {
      expect(basebackup(b)).toEqual([problem('spec.bootstrap.pg_basebackup.source', undefined, 'is required', 'name the external cluster to copy')]);
    }
  });
});

describe('replica clusters', () => {
  const replica = (r: Record<string, unknown>, bootstrap: Record<string, unknown> = { recovery: { source: 'origin' } }, name = 'db') =>
    recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE, PRIMARY], bootstrap, replica: r }, name));
  const mustRecover = (methods: string[]) => problem('spec.bootstrap', methods, 'must be recovery or pg_basebackup for a replica cluster', 'bootstrap the replica from its source');

  test('a standalone replica: a source, bootstrapped from it', () => {
    expect(replica({ enabled: true, source: 'origin' })).toEqual([]);
    expect(replica({ enabled: true, source: 'primary' }, { pg_basebackup: { source: 'primary' } })).toEqual([]);
    expect(replica({ enabled: true })).toEqual([problem('spec.replica.source', undefined, 'is required: a replica cluster replays a source',
      'name the external cluster to replicate')]);
    expect(replica({ enabled: true, source: 'nowhere' })).toEqual([unknown('spec.replica.source', 'nowhere', '"origin", "primary"')]);
    expect(replica({ enabled: true, source: 'origin' }, { initdb: {} })).toEqual([mustRecover(['initdb'])]);
    expect(replica({ enabled: true, source: 'origin' }, {})).toEqual([mustRecover([])]);
    expect(replica({ enabled: false, source: 'origin' }, { initdb: {} })).toEqual([]);
    expect(replica({ enabled: 'true', source: 'origin' }, { initdb: {} })).toEqual([]);
    expect(recoveryReferenceProblems(cluster({ externalClusters: [ARCHIVE], replica: { enabled: true, source: 'origin' } }))).toEqual([mustRecover([])]);
  });

  test('a distributed topology: primary and self name external clusters; this cluster is a replica unless it is the primary', () => {
    const topology = { source: 'origin', primary: 'primary', self: 'origin' };
    expect(replica(topology)).toEqual([]);
    expect(replica(topology, { initdb: {} })).toEqual([mustRecover(['initdb'])]);
    // The primary itself needs no recovery.
    expect(replica({ ...topology, self: 'primary' }, { initdb: {} })).toEqual([]);
    expect(replica({ source: 'origin', primary: 'primary' }, { initdb: {} }, 'primary')).toEqual([]);
    expect(replica({ source: 'origin', primary: 'primary' }, { initdb: {} }, 'db')).toEqual([mustRecover(['initdb'])]);
    // A Cluster without metadata: no name to compare with the primary.
    expect(recoveryReferenceProblems({ spec: { externalClusters: [ARCHIVE, PRIMARY], bootstrap: { initdb: {} }, replica: { source: 'origin', primary: 'primary' } } }))
      .toEqual([mustRecover(['initdb'])]);
    expect(replica({ source: 'origin', primary: 'elsewhere', self: 'somewhere' })).toEqual([
      unknown('spec.replica.primary', 'elsewhere', '"origin", "primary"'),
      unknown('spec.replica.self', 'somewhere', '"origin", "primary"'),
    ]);
    expect(replica({ ...topology, enabled: false })).toEqual([problem('spec.replica.enabled', false,
      'cannot be combined with primary (the webhook: "replica mode enabled is not compatible with the primary field")',
      'use primary/source (a topology) or enabled/source (a standalone replica)')]);
  });

  test('a promotion token: not with minApplyDelay, only on the cluster being promoted', () => {
    const promote = { source: 'origin', primary: 'primary', self: 'primary', promotionToken: 'tok' };
    expect(replica(promote)).toEqual([]);
    expect(replica({ ...promote, minApplyDelay: '1h' })).toEqual([problem('spec.replica.minApplyDelay', '1h', 'cannot be combined with a promotion token',
      'drop minApplyDelay to promote with the token')]);
    expect(replica({ ...promote, self: 'origin' })).toEqual([problem('spec.replica.promotionToken', 'tok',
      'is only for the cluster being promoted (replica.primary must name this cluster)', 'set primary to this cluster with the token, or drop the token')]);
    expect(replica({ enabled: true, source: 'origin', promotionToken: 'tok' })[0].path).toBe('spec.replica.promotionToken');
    expect(replica({ source: 'origin', primary: 'primary', self: 'primary', minApplyDelay: '1h' })).toEqual([]);
  });
});
