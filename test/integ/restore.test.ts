/**
 * Restore proven on real components: a PostgreSQL 15 server backed up with barman-cloud 3.19.1
 * (PyPI) into a versitygw S3 server, restored to a point in time the way CloudNativePG does it
 * (barman-cloud-restore, then PostgreSQL in recovery with barman-cloud-wal-restore), reading the
 * bucket, path, server name and target **from the Cluster the library synthesized** for the
 * recovery, and archiving afterwards into the new server name the library chose.
 *
 * For each backup method (the Barman Cloud plugin's ObjectStore, the in-tree barmanObjectStore),
 * each kind of target (a time, an LSN, a named restore point with its backupID) and each targeted
 * CloudNativePG release (whose own code renders the Cluster's recoveryTarget into PostgreSQL
 * settings: restore/webhook.ts): the rows committed before the target are there, the rows after
 * it are not. Then: the restored server's
 * WAL lands under the new server name, the source's folder is untouched, and
 * barman-cloud-check-wal-archive (CloudNativePG's "Expected empty archive" check) refuses the
 * source's folder and accepts the new one, so no cnpg.io/skipEmptyWalArchiveCheck is needed.
 *
 * Install the tools with `bash .ci/deps.sh`; a missing tool fails the suite. The figures (rows,
 * time to restore) are printed, not asserted.
 */
import { Chart, Testing } from 'cdk8s';
import { assertToolsInstalled } from './backup-validation/lab';
import { Archive, ownArchiveOf, RecoveryPlan, recoveryPlanOf, RestoreLab, Server } from './restore/lab';
import { judge, webhook, WEBHOOK_RELEASES } from './restore/webhook';
import {
  BackupCredentials, BackupMethod, BackupSource, ClusterBackup, ClusterBootstrap, CnpgSharedCluster, CnpgVersion, RecoveryTarget,
} from '../../src';

jest.setTimeout(600_000);

const SOURCE = 'shared-postgres';
const figures: string[] = [];
const releases: Record<string, string> = {};

beforeAll(() => {
  for (const v of WEBHOOK_RELEASES) releases[v] = webhook(v);
});

/** The source cluster and its backup, as the platform declares them (pointed at the lab's S3). */
function sourceChart(lab: RestoreLab, method: BackupMethod): { chart: Chart; backup: ClusterBackup } {
  const chart = Testing.chart();
  const db = new CnpgSharedCluster(chart, SOURCE, { operatorVersion: CnpgVersion.V1_30_0, parameters: { maxConnections: 100 } });
  const backup = db.addBackup({
    method, bucket: lab.bucket, endpointUrl: lab.endpoint, credentials: BackupCredentials.fromSecret('lab-s3'),
    // The lab's versitygw serves SSE-S3 headers: the library's default (AES256) is exercised.
  });
  return { chart, backup };
}

/**
 * The recovery Cluster the library writes for `target` (in the same chart as the source), and the
 * PostgreSQL recovery settings the release's instance manager renders from it.
 */
function recoveryChart(lab: RestoreLab, method: BackupMethod, name: string, target: RecoveryTarget, release = '1.30.0',
  namespace = 'databases'): { plan: RecoveryPlan; options: string } {
  const { chart, backup } = sourceChart(lab, method);
  const restored = new CnpgSharedCluster(chart, `${name}-restored`, {
    clusterName: name,
    namespace,
    operatorVersion: CnpgVersion.of(release),
    parameters: { maxConnections: 100 },
    bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup(backup), { target }),
  });
  restored.addBackup({ method, bucket: lab.bucket, endpointUrl: lab.endpoint, credentials: BackupCredentials.fromSecret('lab-s3') });
  const manifests = Testing.synth(chart);
  const cluster = manifests.find((m) => m.kind === 'Cluster' && m.metadata.name === name && m.metadata.namespace === namespace);
  const [answer] = judge(releases[release], [cluster]);
  if (!answer.ok || !answer.recoveryOptions) throw new Error(`CloudNativePG ${release} refuses the recovery Cluster: ${answer.error}`);
  return { plan: recoveryPlanOf(manifests, name, namespace), options: answer.recoveryOptions };
}

async function count(server: Server, batch: string): Promise<number> {
  const [r] = await server.sql('select count(*)::int as n from ledger where batch = $1', [batch]);
  return r.n;
}

describe.each([BackupMethod.PLUGIN, BackupMethod.BARMAN_OBJECT_STORE])('restore to a point in time (%s)', (method) => {
  let lab: RestoreLab | undefined;
  let primary: Server;
  let sourceArchive: Archive;
  let backupId = '';
  let targetTime = '';
  let targetLsn = '';
  let sourceListing = '';
  const theLab = () => {
    if (!lab) throw new Error('the lab did not start');
    return lab;
  };

  beforeAll(async () => {
    assertToolsInstalled();
    RestoreLab.assertToolsInstalled();
    lab = new RestoreLab();
    await lab.startS3();
    // Where the source archives: read from its synthesized ObjectStore / barmanObjectStore.
    const { chart } = sourceChart(lab, method);
    sourceArchive = ownArchiveOf(Testing.synth(chart), SOURCE);
    expect(sourceArchive).toMatchObject({ destinationPath: `s3://${lab.bucket}/${SOURCE}`, serverName: SOURCE, endpointUrl: lab.endpoint });
    primary = await lab.startPrimary('source', sourceArchive);
    await primary.sql('create table ledger (id bigserial primary key, batch text not null, written_at timestamptz not null default clock_timestamp())');
    await primary.sql("insert into ledger (batch) select 'before' from generate_series(1, 1000)");
    backupId = await lab.backupTo(primary, sourceArchive);
    // After the base backup: only WAL replay brings these back.
    await primary.sql("insert into ledger (batch) select 'before' from generate_series(1, 2000)");
    await primary.sql("select pg_create_restore_point('before-after')");
    const [t] = await primary.sql("select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as t, pg_current_wal_lsn()::text as lsn");
    targetTime = t.t;
    targetLsn = t.lsn;
    await new Promise((r) => setTimeout(r, 1_100));
    await primary.sql("insert into ledger (batch) select 'after' from generate_series(1, 500)");
    await primary.switchWalAndWaitArchived();
    await primary.sql("insert into ledger (batch) select 'after' from generate_series(1, 500)");
    await primary.switchWalAndWaitArchived();
    sourceListing = JSON.stringify(await lab.list(lab.prefixOf(sourceArchive)));
  });

  afterAll(async () => {
    await lab?.stop();
  });

  const targets: Array<[string, () => RecoveryTarget]> = [
    ['a time (RFC 3339, UTC)', () => RecoveryTarget.time(targetTime)],
    ['an LSN', () => RecoveryTarget.lsn(targetLsn)],
    ['a named restore point with its backupID', () => RecoveryTarget.restorePoint('before-after', { backupId })],
  ];

  const cases = WEBHOOK_RELEASES.flatMap((release) => targets.map(([kind, target], i) => [kind, release, target, `pitr-${release.replace(/\./g, '')}-${i + 1}`] as const));
  test.each(cases)('%s, as CloudNativePG %s writes it: the rows before the target are there, the rows after it are not', async (kind, release, target, name) => {
    const l = theLab();
    const { plan, options } = recoveryChart(l, method, name, target(), release);
    // What the recovery reads is what the source wrote, and the target is the one asked for.
    expect(plan.source).toEqual(sourceArchive);
    expect(Object.keys(plan.target).length).toBeGreaterThan(0);
    const started = Date.now();
    const { server, backupId: used } = await l.recover(name, plan, options);
    const seconds = (Date.now() - started) / 1000;
    expect(used).toBe(backupId);
    const before = await count(server, 'before');
    const after = await count(server, 'after');
    expect({ before, after }).toEqual({ before: 3000, after: 0 });
    figures.push(`${method}, CloudNativePG ${release}, ${kind} ${JSON.stringify(plan.target)}: ${before} rows before the target restored, ${after} after it; `
      + `restore (base backup ${used} + WAL replay to the target + promotion) ${seconds.toFixed(1)} s`);
    await server.stop();
  });

  test('rebuilt under its source\'s name, the cluster archives under a new server name beside the source\'s folder, which stays untouched', async () => {
    const l = theLab();
    // The same cluster name in another namespace (or Kubernetes cluster): the same default path.
    const { plan, options } = recoveryChart(l, method, SOURCE, RecoveryTarget.time(targetTime), '1.30.0', 'rebuilt');
    expect(plan.own.destinationPath).toBe(plan.source.destinationPath);
    // The new server name, chosen by the library: the next generation, not the source's folder.
    expect(plan.own.serverName).toBe(`${SOURCE}-2`);
    // CloudNativePG's check before a new cluster archives: the source's folder is not empty (a
    // cluster archiving there would stop with "Expected empty archive"), the new one is.
    const sourceCheck = await l.checkWalArchiveEmpty(plan.source);
    expect(sourceCheck.code).not.toBe(0);
    const ownCheck = await l.checkWalArchiveEmpty(plan.own);
    expect({ code: ownCheck.code, output: ownCheck.output }).toMatchObject({ code: 0 });

    const { server } = await l.recover('rebuilt', plan, options);
    await server.sql("insert into ledger (batch) select 'restored' from generate_series(1, 100)");
    await server.switchWalAndWaitArchived();
    const own = await l.list(l.prefixOf(plan.own));
    // barman names objects after the WAL files, plus the compression's suffix (the ObjectStore's gzip).
    const wals = own.filter((o) => o.key.includes('/wals/')).map((o) => o.key.split('/').pop()!.replace(/\.(gz|bz2|snappy|xz|zst|lz4)$/, ''));
    // A new timeline: its history file and its segments, under the new folder only.
    expect(wals).toContain('00000002.history');
    expect(wals.some((w) => /^00000002[0-9A-F]{16}/.test(w))).toBe(true);
    expect(JSON.stringify(await l.list(l.prefixOf(sourceArchive)))).toBe(sourceListing);
    figures.push(`${method}: after the restore, ${wals.length} WAL objects under ${plan.own.destinationPath}/${plan.own.serverName}/wals; `
      + `${JSON.parse(sourceListing).length} objects under the source's ${sourceArchive.destinationPath}/${sourceArchive.serverName}/ unchanged`);
    await server.stop();
  });
});

test('why the library writes "+00:00": CloudNativePG 1.27.1 renders a "Z" target as PostgreSQL refuses it', async () => {
  const lab = new RestoreLab();
  try {
    const data = await lab.initdb('guc');
    const z = judge(releases['1.27.1'], [{
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg', namespace: 'db' },
      spec: {
        instances: 1,
        storage: { size: '1Gi' },
        bootstrap: { recovery: { source: 'x', recoveryTarget: { targetTime: '2026-03-01T10:15:00Z' } } },
        externalClusters: [{ name: 'x', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 's' } } }],
      },
    }])[0];
    const zValue = /recovery_target_time = '([^']+)'/.exec(z.recoveryOptions ?? '')![1];
    expect(zValue).toBe('2026-03-01 10:15:00.000000Z');
    const refused = await lab.checkSetting(data, 'recovery_target_time', zValue);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('invalid value for parameter "recovery_target_time"');
    const ours = RecoveryTarget.time('2026-03-01T10:15:00Z');
    const c = Testing.chart();
    new CnpgSharedCluster(c, 'pg', { operatorVersion: CnpgVersion.V1_27_1, bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'x', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s') }), { target: ours }) });
    const [answer] = judge(releases['1.27.1'], [Testing.synth(c).find((m) => m.kind === 'Cluster')]);
    const value = /recovery_target_time = '([^']+)'/.exec(answer.recoveryOptions ?? '')![1];
    expect(value).toBe('2026-03-01 10:15:00+00:00');
    const accepted = await lab.checkSetting(data, 'recovery_target_time', value);
    expect(accepted).toEqual({ code: 0, output: value });
    figures.push(`recovery_target_time: PostgreSQL 15 refuses "${zValue}" (CloudNativePG 1.27.1's rendering of a Z target) and accepts the library's "${value}"`);
  } finally {
    await lab.stop();
  }
});

afterAll(() => {
  if (figures.length) console.info(`Restore lab (versitygw, barman-cloud 3.19.1, PostgreSQL 15):\n- ${figures.join('\n- ')}`);
});
