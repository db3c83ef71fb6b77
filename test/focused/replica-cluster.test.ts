/**
 * ReplicaCluster (src/cluster/replica-cluster.ts) bound directly to a cluster, nothing synthesized
 * (issue #17: per-test coverage runs only the tests a mutant reaches): `spec.replica` and the
 * cluster's own `externalClusters` entry for each role, the delay at its limit and one past, as a
 * Go duration, the promotion token, every refusal with its whole message.
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BackupCredentials, BackupSource, CnpgSharedCluster, ReplicaCluster } from '../../src';
import { clusterHooks } from '../../src/cluster/cluster-hooks';
import { thrown } from '../util/errors';
import { BOX_PATH, chart } from '../util/synth';

const S3 = { bucket: 'backups', endpointUrl: 'https://minio.storage:9000', credentials: BackupCredentials.fromSecret('minio-s3') };
const south = () => BackupSource.objectStore({ clusterName: 'pg-south', ...S3 });
const streaming = () => BackupSource.streaming({ clusterName: 'pg-south', host: 'pg-south-rw.example.com' });

/** Binds `r` to a cluster named `pg-central` (with backups when `backups`), in a box construct of its own chart. */
function bind(r: ReplicaCluster, backups = true) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg-central', { secretStore: { name: 'store' } });
  if (backups) db.addBackup({ ...S3, bucket: 'central' });
  const box = new Construct(c, 'box');
  return r._bind(box, db, clusterHooks(box, 'cluster', db));
}
const OWN = { name: 'pg-central', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-central-object-store', serverName: 'pg-central' } } };

describe('the factories', () => {
  test('role, source, isReplica', () => {
    const s = south();
    expect([ReplicaCluster.of(s).role, ReplicaCluster.of(s).source, ReplicaCluster.of(s).isReplica]).toEqual(['replica', s, true]);
    expect([ReplicaCluster.primary(s).role, ReplicaCluster.primary(s).source, ReplicaCluster.primary(s).isReplica]).toEqual(['primary', s, false]);
    expect([ReplicaCluster.standalone(s).role, ReplicaCluster.standalone(s).source, ReplicaCluster.standalone(s).isReplica]).toEqual(['standalone', s, true]);
  });
  test('the argument checks refuse a missing source and a token that is not a string', () => {
    expect(thrown(() => ReplicaCluster.of(undefined as any))).toMatch(/^ReplicaCluster\.of: source = \(unset\) is required\. /);
    expect(thrown(() => ReplicaCluster.primary(south(), { promotionToken: 5 } as any))).toMatch(/^ReplicaCluster\.primary: promotionToken = 5 is a number, where a string goes\. /);
  });
});

describe('spec.replica and the own externalClusters entry', () => {
  test('a replica: primary = source = the source; its own archive listed as itself', () => {
    const f = bind(ReplicaCluster.of(south()));
    expect(f.isReplica).toBe(true);
    expect(f.source.name).toBe('pg-south');
    expect(f.replica()).toEqual({ primary: 'pg-south', source: 'pg-south', promotionToken: undefined, minApplyDelay: undefined });
    expect(f.self()).toEqual(OWN);
  });

  test('a replica without backups: no own entry (nothing to demote into yet)', () => {
    expect(bind(ReplicaCluster.of(streaming()), false).self()).toBeUndefined();
  });

  test('the primary: primary = itself, source = its peer; its archive is needed', () => {
    const f = bind(ReplicaCluster.primary(south()));
    expect(f.isReplica).toBe(false);
    expect(f.replica()).toEqual({ primary: 'pg-central', source: 'pg-south', promotionToken: undefined, minApplyDelay: undefined });
    expect(f.self()).toEqual(OWN);
    expect(thrown(() => bind(ReplicaCluster.primary(south()), false).self())).toBe(`${BOX_PATH}: replica = "ReplicaCluster.primary(...)" makes this cluster the primary of a distributed `
      + 'topology, but it has no backups: the replica replays the primary\'s archive, and the webhook needs the primary in externalClusters. '
      + 'Fix: add cluster.addBackup({...}) (its archive is the one the peer reads as this cluster)');
  });

  test('standalone: enabled, the source, no own entry even with backups', () => {
    const f = bind(ReplicaCluster.standalone(south(), { minApplyDelay: Duration.minutes(5) }));
    expect(f.isReplica).toBe(true);
    expect(f.replica()).toEqual({ enabled: true, source: 'pg-south', minApplyDelay: '5m' });
    expect(f.self()).toBeUndefined();
    expect(bind(ReplicaCluster.standalone(south())).replica()).toEqual({ enabled: true, source: 'pg-south', minApplyDelay: undefined });
  });

  test('a source named like the cluster itself: refused', () => {
    const own = BackupSource.objectStore({ clusterName: 'pg-central', ...S3 });
    for (const r of [ReplicaCluster.of(own), ReplicaCluster.primary(own), ReplicaCluster.standalone(own)]) {
      expect(thrown(() => bind(r))).toBe(`${BOX_PATH}: replica.source = "pg-central" has this cluster's own name: in a topology, every cluster has its own name. `
        + 'Fix: name the source after the cluster that writes it (BackupSource.objectStore({ clusterName })), or give this cluster another clusterName');
    }
  });
});

describe('the source\'s own checks', () => {
  test('name the field replica.source', () => {
    expect(thrown(() => bind(ReplicaCluster.of(BackupSource.streaming({ clusterName: 'Pg_South', host: 'h' })))))
      .toMatch(/^Construct at 'test\/box': replica\.source\.name = "Pg_South" is not a DNS-1123 label /);
  });
});

describe('minApplyDelay', () => {
  const delay = (d: Duration) => bind(ReplicaCluster.of(south(), { minApplyDelay: d })).replica().minApplyDelay;
  test('whole seconds from 1, as a Go duration', () => {
    expect(delay(Duration.seconds(1))).toBe('1s');
    expect(delay(Duration.seconds(59))).toBe('59s');
    expect(delay(Duration.seconds(60))).toBe('1m');
    expect(delay(Duration.seconds(61))).toBe('1m1s');
    expect(delay(Duration.hours(1))).toBe('1h');
    expect(delay(Duration.seconds(3661))).toBe('1h1m1s');
    expect(delay(Duration.minutes(90))).toBe('1h30m');
    expect(delay(Duration.seconds(3601))).toBe('1h1s');
    expect(delay(Duration.days(2))).toBe('48h');
  });
  test('zero and fractions of a second: refused', () => {
    const fld = 'replica.minApplyDelay';
    const hint = ' (the field is replica.min_apply_delay in Python, Replica.MinApplyDelay in Go)';
    expect(thrown(() => delay(Duration.seconds(0)))).toBe(`${BOX_PATH}: ${fld} = "0 seconds" must be at least one second. Fix: give e.g. Duration.hours(1), or leave it unset${hint}`);
    expect(thrown(() => delay(Duration.millis(1500)))).toBe(`${BOX_PATH}: ${fld} = "1 second 500 millis" is not a whole number of seconds. Fix: give e.g. Duration.hours(1)${hint}`);
    expect(thrown(() => delay(Duration.millis(500)))).toBe(`${BOX_PATH}: ${fld} = "500 millis" is not a whole number of seconds. Fix: give e.g. Duration.hours(1)${hint}`);
  });
});

describe('promotionToken', () => {
  const token = (t: string) => bind(ReplicaCluster.primary(south(), { promotionToken: t })).replica().promotionToken;
  test('base64 (standard or URL-safe), written without the white space around it', () => {
    expect(token('eyJzeXN0ZW1JRCI6IjcxIn0=')).toBe('eyJzeXN0ZW1JRCI6IjcxIn0=');
    expect(token('  a+b/c=_-\n')).toBe('a+b/c=_-');
    expect(token('Z')).toBe('Z');
  });
  test('empty, white space inside, other characters: refused', () => {
    for (const t of ['', '   ', 'a b', 'a.b', 'a*b', 'tok\u00e9n']) {
      expect([t, thrown(() => token(t))]).toEqual([t, `${BOX_PATH}: replica.promotionToken = ${JSON.stringify(t)} is not a demotion token (base64 from the former primary's status). `
        + 'Fix: copy it from kubectl get cluster <former primary> -o jsonpath=\'{.status.demotionToken}\' (the field is replica.promotion_token in Python, Replica.PromotionToken in Go)']);
    }
  });
});
