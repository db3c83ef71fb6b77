import { Duration } from 'cdk8s';
import {
  BackupCredentials, BackupSource, ClusterBootstrap, CnpgSharedCluster, CnpgVersion, RecoveryTarget, ReplicaCluster, StreamingSslMode,
} from '../src';
import { chart, one, synth } from './util/synth';

const STORE = { name: 'store' };
const SOUTH = { bucket: 'cnpg-eu-south', endpointUrl: 'https://minio.eu-south.example:9000', credentials: BackupCredentials.fromSecretStore('k/minio-south') };
const CENTRAL = { bucket: 'cnpg-eu-central', endpointUrl: 'https://minio.eu-central.example:9000', credentials: BackupCredentials.fromSecretStore('k/minio-central') };

/** The archive of pg-eu-south, as its addBackup(SOUTH) writes it (read from eu-central). */
const southArchive = () => BackupSource.objectStore({ clusterName: 'pg-eu-south', ...SOUTH });
/** The archive of pg-eu-central, as its addBackup(CENTRAL) writes it (read from eu-south). */
const centralArchive = () => BackupSource.objectStore({ clusterName: 'pg-eu-central', ...CENTRAL });

/** One side of the topology: its own cluster and backups, and its place in the topology. */
function side(name: string, replica: ReplicaCluster, own: typeof SOUTH, version = CnpgVersion.V1_30_0) {
  const c = chart();
  const db = new CnpgSharedCluster(c, name, { operatorVersion: version, secretStore: STORE, replica });
  db.addBackup(own);
  return { c, db, spec: () => one(synth(c), 'Cluster').spec };
}

describe.each([CnpgVersion.V1_27_1, CnpgVersion.V1_30_0])('a distributed topology (CloudNativePG %s)', (version) => {
  test('the replica side: replica.primary = replica.source = the source, bootstrapped from its archive, both clusters in externalClusters', () => {
    const { spec, db } = side('pg-eu-central', ReplicaCluster.of(southArchive()), CENTRAL, version);
    const s = spec();
    expect(db.replicaOf).toBe('pg-eu-south');
    expect(s.replica).toEqual({ primary: 'pg-eu-south', source: 'pg-eu-south' });
    expect(s.bootstrap).toEqual({ recovery: { source: 'pg-eu-south' } });
    expect(s.externalClusters).toEqual([
      { name: 'pg-eu-south', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-eu-south-source', serverName: 'pg-eu-south' } } },
      { name: 'pg-eu-central', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-eu-central-object-store', serverName: 'pg-eu-central' } } },
    ]);
    // It archives into its own store, in its own region.
    expect(s.plugins[0].parameters).toEqual({ barmanObjectName: 'pg-eu-central-object-store' });
  });

  test('the primary side: replica.primary = itself, replica.source = its peer; no bootstrap (initdb)', () => {
    const { spec, db } = side('pg-eu-south', ReplicaCluster.primary(centralArchive()), SOUTH, version);
    const s = spec();
    expect(db.replicaOf).toBeUndefined();
    expect(s.replica).toEqual({ primary: 'pg-eu-south', source: 'pg-eu-central' });
    expect(s.bootstrap).toBeUndefined();
    expect(s.externalClusters.map((e: any) => e.name)).toEqual(['pg-eu-central', 'pg-eu-south']);
  });

  test('a switchover is one line per side: demote the primary, promote the replica with the demotion token', () => {
    const token = 'eyJsYXRlc3RDaGVja3BvaW50VGltZWxpbmVJRCI6IjEifQ==';
    const southBefore = side('pg-eu-south', ReplicaCluster.primary(centralArchive()), SOUTH, version).spec();
    const southAfter = side('pg-eu-south', ReplicaCluster.of(centralArchive()), SOUTH, version).spec();
    const centralBefore = side('pg-eu-central', ReplicaCluster.of(southArchive()), CENTRAL, version).spec();
    const centralAfter = side('pg-eu-central', ReplicaCluster.primary(southArchive(), { promotionToken: token }), CENTRAL, version).spec();
    // Demotion: only replica.primary changes (and the bootstrap stanza, which the operator ignores after creation).
    expect(southBefore.replica).toEqual({ primary: 'pg-eu-south', source: 'pg-eu-central' });
    expect(southAfter.replica).toEqual({ primary: 'pg-eu-central', source: 'pg-eu-central' });
    expect({ ...southAfter, replica: undefined, bootstrap: undefined }).toEqual({ ...southBefore, replica: undefined, bootstrap: undefined });
    // Promotion: replica.primary and the token, together.
    expect(centralAfter.replica).toEqual({ primary: 'pg-eu-central', source: 'pg-eu-south', promotionToken: token });
    expect({ ...centralAfter, replica: undefined, bootstrap: undefined }).toEqual({ ...centralBefore, replica: undefined, bootstrap: undefined });
  });

  test('hybrid: the archive and streaming from the source\'s primary, over TLS with the copied certificates', () => {
    const source = BackupSource.objectStore({
      clusterName: 'pg-eu-south',
      ...SOUTH,
      streaming: { host: 'pg-eu-south-rw.db.eu-south.example', port: 5433 },
    });
    const s = side('pg-eu-central', ReplicaCluster.of(source, { minApplyDelay: Duration.minutes(90) }), CENTRAL, version).spec();
    expect(s.replica).toEqual({ primary: 'pg-eu-south', source: 'pg-eu-south', minApplyDelay: '1h30m' });
    expect(s.externalClusters[0]).toMatchObject({
      name: 'pg-eu-south',
      plugin: { parameters: { barmanObjectName: 'pg-eu-south-source', serverName: 'pg-eu-south' } },
      connectionParameters: { host: 'pg-eu-south-rw.db.eu-south.example', port: '5433', user: 'streaming_replica', dbname: 'postgres', sslmode: 'verify-full' },
      sslKey: { name: 'pg-eu-south-replication', key: 'tls.key' },
      sslCert: { name: 'pg-eu-south-replication', key: 'tls.crt' },
      sslRootCert: { name: 'pg-eu-south-ca', key: 'ca.crt' },
    });
  });

  test('streaming only: bootstrapped with pg_basebackup', () => {
    const source = BackupSource.streaming({ clusterName: 'pg-eu-south', host: '10.0.0.5', sslMode: StreamingSslMode.VERIFY_CA, caSecret: 'south-ca' });
    const s = side('pg-eu-central', ReplicaCluster.of(source), CENTRAL, version).spec();
    expect(s.bootstrap).toEqual({ pg_basebackup: { source: 'pg-eu-south' } });
    expect(s.externalClusters[0]).toEqual({
      name: 'pg-eu-south',
      connectionParameters: { host: '10.0.0.5', user: 'streaming_replica', dbname: 'postgres', sslmode: 'verify-ca' },
      sslKey: { name: 'pg-eu-south-replication', key: 'tls.key' },
      sslCert: { name: 'pg-eu-south-replication', key: 'tls.crt' },
      sslRootCert: { name: 'south-ca', key: 'ca.crt' },
    });
  });

  test('a standalone replica (replica.enabled), a replica from volume snapshots', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'reporting', { operatorVersion: version, replica: ReplicaCluster.standalone(southArchive()), secretStore: STORE });
    const s = one(synth(c), 'Cluster').spec;
    expect(s.replica).toEqual({ enabled: true, source: 'pg-eu-south' });
    expect(s.externalClusters.map((e: any) => e.name)).toEqual(['pg-eu-south']);

    const c2 = chart();
    new CnpgSharedCluster(c2, 'pg-eu-central', {
      operatorVersion: version,
      secretStore: STORE,
      replica: ReplicaCluster.of(southArchive()),
      bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 'pg-eu-south-snap', walSource: southArchive() }),
    });
    const s2 = one(synth(c2), 'Cluster').spec;
    expect(s2.bootstrap.recovery).toMatchObject({ source: 'pg-eu-south', volumeSnapshots: { storage: { name: 'pg-eu-south-snap' } } });
    expect(s2.externalClusters.map((e: any) => e.name)).toEqual(['pg-eu-south']);
  });
});

describe('bad input', () => {
  const attempt = (props: Record<string, unknown>, backup = true) => () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg-eu-central', { secretStore: STORE, ...props });
    if (backup) db.addBackup(CENTRAL);
    return synth(c);
  };
  const table: Array<[string, Record<string, unknown>, RegExp, boolean]> = [
    // A getter: the factory's own argument check throws when the props are read, inside the attempt.
    ['a replica cluster without a source', { get replica() { return ReplicaCluster.of(undefined as any); } },
      /ReplicaCluster\.of: source = \(unset\) is required\. Fix: give a BackupSource: BackupSource\.fromBackup\(backup\)/, true],
    ['the primary of a topology without backups', { replica: ReplicaCluster.primary(southArchive()) },
      /replica = "ReplicaCluster\.primary\(\.\.\.\)" makes this cluster the primary of a distributed topology, but it has no backups.*Fix: add cluster\.addBackup/, false],
    ['an empty replica from initdb', { replica: ReplicaCluster.of(southArchive()), bootstrap: ClusterBootstrap.initdb() },
      /bootstrap = "ClusterBootstrap\.initdb\(\)" creates an empty cluster, but a replica cluster must start from its source's data/, true],
    ['a point-in-time target on a replica', { replica: ReplicaCluster.of(southArchive()), bootstrap: ClusterBootstrap.recovery(southArchive(), { target: RecoveryTarget.time('2026-01-01T00:00:00Z') }) },
      /target = "time 2026-01-01T00:00:00Z" would stop a replica cluster, which replays its source continuously/, true],
    ['a source with the cluster\'s own name', { replica: ReplicaCluster.of(BackupSource.objectStore({ clusterName: 'pg-eu-central', ...SOUTH })) },
      /replica\.source = "pg-eu-central" has this cluster's own name/, true],
    ['a delayed replica promoted with a token', { replica: ReplicaCluster.primary(southArchive(), { promotionToken: 'abc=' }) }, /./, true],
    ['a promotion token that is not one', { replica: ReplicaCluster.primary(southArchive(), { promotionToken: 'not a token!' }) },
      /replica\.promotionToken = "not a token!" is not a demotion token/, true],
    ['a streaming host that is not one', { replica: ReplicaCluster.of(BackupSource.streaming({ clusterName: 'a', host: 'https://pg:5432' })) },
      /replica\.source\.streaming\.host = "https:\/\/pg:5432" is not a host name or address/, true],
    ['pg_basebackup from a source without streaming', { bootstrap: ClusterBootstrap.pgBaseBackup(southArchive()) },
      /bootstrap\.source = "pg-eu-south" cannot be streamed from/, true],
    ['a minApplyDelay below a second', { replica: ReplicaCluster.of(southArchive(), { minApplyDelay: Duration.millis(10) }) }, /minApplyDelay = .* is not a whole number of seconds|must be at least one second/, true],
  ];
  test.each(table)('%s', (name, props, message, backup) => {
    if (name.startsWith('a delayed')) {
      // A token is fine on a primary without delay; the webhook rule is checked on overrides too.
      const c = chart();
      const db = new CnpgSharedCluster(c, 'pg-eu-central', { secretStore: STORE, ...props });
      db.addBackup(CENTRAL);
      db.apiObject.addOverride('spec.replica.minApplyDelay', '1h');
      expect(() => synth(c)).toThrow(/Cluster spec\.replica\.minApplyDelay = "1h" cannot be combined with a promotion token/);
      return;
    }
    expect(attempt(props, backup)).toThrow(message);
    // A factory's own argument check names the factory (it has no construct path).
    expect(attempt(props, backup)).toThrow(/CnpgSharedCluster at 'test\/pg-eu-central'|^ReplicaCluster\.of: /);
  });

  test('an override naming an unknown external cluster in replica.primary', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg-eu-central', { secretStore: STORE, replica: ReplicaCluster.of(southArchive()) });
    db.addBackup(CENTRAL);
    db.apiObject.addOverride('spec.replica.primary', 'pg-eu-west');
    expect(() => synth(c)).toThrow(/Cluster spec\.replica\.primary = "pg-eu-west" names an unknown external cluster \(externalClusters names "pg-eu-south", "pg-eu-central"\)/);
  });

  test('the replica\'s own archive may not be its source\'s', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg-eu-central', { secretStore: STORE, replica: ReplicaCluster.of(southArchive()) });
    expect(() => db.addBackup({ ...SOUTH, bucket: undefined, destinationPath: 's3://cnpg-eu-south/pg-eu-south', serverName: 'pg-eu-south' }))
      .toThrow(/serverName = "pg-eu-south" with destinationPath "s3:\/\/cnpg-eu-south\/pg-eu-south" is the archive of pg-eu-south/);
  });
});
