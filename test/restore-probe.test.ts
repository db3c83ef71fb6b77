// The restore probe built directly and through addBackup, each chart inside its test (issue #17:
// per-test coverage picks the tests a mutant reaches; see docs/development/mutation-testing.md).
import { Construct } from 'constructs';
import {
  BackupCredentials, BackupMethod, ClusterBackupOptions, ClusterSettings, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, Quantity,
  RestoreProbe, RestoreProbeOptions, TlsVersion,
} from '../src';
import { chart, one, synth } from './util/synth';

const FIX_NAME = 'Fix: give the probe its own name, e.g. "<cluster>-restore-probe"';

/** A cluster with backups and a probe built by addBackup; the probe's Cluster as synthesized. */
function probed(probe: RestoreProbeOptions = {}, clusterProps: CnpgSharedClusterProps = {}, backup: ClusterBackupOptions = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', clusterProps);
  const b = db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), ...backup, restoreProbe: { enabled: true, ...probe } });
  const manifests = synth(c);
  return { c, db, backup: b, manifests, probe: one(manifests, 'Cluster', b.restoreProbe!.clusterName) };
}

describe('the restore probe\'s Cluster', () => {
  test('defaults: <cluster>-restore-probe, one instance, 10Gi of the default class, no WAL volume, 250m/512Mi requests and a 1Gi limit', () => {
    const { probe, backup } = probed();
    expect(backup.restoreProbe!.clusterName).toBe('pg-restore-probe');
    expect(backup.restoreProbe!.apiObject.kind).toBe('Cluster');
    expect(probe.metadata).toEqual({
      name: 'pg-restore-probe',
      namespace: 'databases',
      labels: expect.objectContaining({
        'app.kubernetes.io/instance': 'pg-restore-probe',
        'app.kubernetes.io/component': 'restore-probe',
        'app.kubernetes.io/part-of': 'pg',
      }),
    });
    expect(probe.spec.instances).toBe(1);
    expect(probe.spec.enablePDB).toBe(false);
    expect(probe.spec.enableSuperuserAccess).toBe(false);
    expect(probe.spec.storage).toEqual({ size: '10Gi' });
    expect(probe.spec.walStorage).toBeUndefined();
    expect(probe.spec.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1024Mi' } });
    expect(probe.spec.serviceAccountTemplate).toBeUndefined();
    expect(probe.spec.bootstrap).toEqual({ recovery: { source: 'origin' } });
    expect(probe.spec.externalClusters).toEqual([{
      name: 'origin',
      plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-object-store', serverName: 'pg' } },
    }]);
    expect(probe.spec.postgresql.parameters).toEqual({ ssl_min_protocol_version: 'TLSv1.3' });
    expect(probe.spec.postgresql.pg_hba).toEqual(['hostnossl all all all reject', 'hostssl all all all scram-sha-256']);
  });

  test('the cluster\'s common labels are carried over', () => {
    const { probe } = probed({}, { labels: { team: 'platform' } });
    expect(probe.metadata.labels).toMatchObject({ 'team': 'platform', 'app.kubernetes.io/component': 'restore-probe' });
  });

  test('every parameter recovery needs at least as high as the source, none of the others', () => {
    const { probe } = probed({}, {
      parameters: {
        maxConnections: 300,
        maxWorkerProcesses: 12,
        workMem: '8MB',
        additional: { max_wal_senders: '11', max_prepared_transactions: '5', max_locks_per_transaction: '128', max_replication_slots: '12' },
      },
      tls: { minProtocolVersion: TlsVersion.TLS_1_2 },
    });
    expect(probe.spec.postgresql.parameters).toEqual({
      max_connections: '300',
      max_worker_processes: '12',
      max_wal_senders: '11',
      max_prepared_transactions: '5',
      max_locks_per_transaction: '128',
      ssl_min_protocol_version: 'TLSv1.2',
    });
  });

  test('a parameter that is a Flux variable is left to the probe\'s own default', () => {
    const { probe } = probed({}, { parameters: { additional: { max_wal_senders: '${PG_WAL_SENDERS}', max_locks_per_transaction: '${PG_LOCKS}' } } });
    expect(probe.spec.postgresql.parameters).toEqual({ ssl_min_protocol_version: 'TLSv1.3' });
  });

  test('storage from the cluster\'s settings: dataSize, storageClass and walSize', () => {
    const settings = ClusterSettings.fromData({ CNPG_DATA_SIZE: '80Gi', CNPG_STORAGE_CLASS: 'nvme', CNPG_WAL_SIZE: '20Gi' });
    const { probe } = probed({}, { settings });
    expect(probe.spec.storage).toEqual({ size: '80Gi', storageClass: 'nvme' });
    expect(probe.spec.walStorage).toEqual({ size: '20Gi', storageClass: 'nvme' });
  });

  test('explicit storage wins over the settings; a WAL volume of its own class, or the data volume\'s', () => {
    const settings = ClusterSettings.fromData({ CNPG_DATA_SIZE: '80Gi', CNPG_STORAGE_CLASS: 'nvme', CNPG_WAL_SIZE: '20Gi' });
    const own = probed({ storage: { size: Quantity.gibibytes(5), storageClass: 'fast' }, walStorage: { size: Quantity.gibibytes(2), storageClass: 'wal' } }, { settings }).probe;
    expect(own.spec.storage).toEqual({ size: '5Gi', storageClass: 'fast' });
    expect(own.spec.walStorage).toEqual({ size: '2Gi', storageClass: 'wal' });
    const shared = probed({ storage: { size: Quantity.gibibytes(5), storageClass: 'fast' }, walStorage: { size: Quantity.gibibytes(2) } }, { settings }).probe;
    expect(shared.spec.walStorage).toEqual({ size: '2Gi', storageClass: 'fast' });
    // Only the size given: the class comes from the settings.
    const sized = probed({ storage: { size: Quantity.gibibytes(5) } }, { settings }).probe;
    expect(sized.spec.storage).toEqual({ size: '5Gi', storageClass: 'nvme' });
  });

  test('resources of its own: only what is given is written', () => {
    const requestsOnly = probed({ resources: { cpuRequest: Quantity.millicores(100), memoryRequest: Quantity.mebibytes(256) } }).probe;
    expect(requestsOnly.spec.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' } });
    const limitsOnly = probed({ resources: { memoryLimit: Quantity.mebibytes(768) } }).probe;
    expect(limitsOnly.spec.resources).toEqual({ limits: { memory: '768Mi' } });
  });

  test('an IAM role: the probe\'s ServiceAccount carries it, so it can read the archive', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/cnpg-backups';
    const { probe } = probed({}, {}, { credentials: BackupCredentials.fromIamRole({ roleArn }) });
    expect(probe.spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } });
  });

  test('the in-tree method: the external cluster reads the barmanObjectStore', () => {
    const { probe } = probed({}, {}, { method: BackupMethod.BARMAN_OBJECT_STORE });
    expect(Object.keys(probe.spec.externalClusters[0]).sort()).toEqual(['barmanObjectStore', 'name']);
    expect(probe.spec.externalClusters[0].barmanObjectStore).toMatchObject({ destinationPath: 's3://backups/pg', serverName: 'pg' });
  });

  test('built directly from a backup', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg');
    const backup = db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') });
    const probe = new RestoreProbe(c, 'probe', { backup, clusterName: 'pg-check' });
    expect(probe.clusterName).toBe('pg-check');
    expect(one(synth(c), 'Cluster', 'pg-check').spec.bootstrap).toEqual({ recovery: { source: 'origin' } });
  });
});

describe('the restore probe\'s bad input: construct path, field, value, problem, fix', () => {
  const at = 'RestoreProbe at \'test/pg/Backup/RestoreProbe\'';
  const attempt = (probe: RestoreProbeOptions, clusterProps: CnpgSharedClusterProps = {}) => () => probed(probe, clusterProps);

  test('the cluster\'s own name', () => {
    expect(attempt({ clusterName: 'pg' })).toThrow(`${at}: clusterName = "pg" is the name of the cluster it restores. ${FIX_NAME}`);
  });

  test('the name: 50 characters accepted, 51 refused; the operator\'s Service suffixes refused', () => {
    expect(probed({ clusterName: 'a'.repeat(50) }).probe.metadata.name).toBe('a'.repeat(50));
    expect(attempt({ clusterName: 'a'.repeat(51) })).toThrow(`${at}: clusterName = "${'a'.repeat(51)}" is 51 characters long, more than the 50 allowed`);
    expect(attempt({ clusterName: '1probe' })).toThrow(`${at}: clusterName = "1probe" is not a DNS-1035 label`);
  });

  test('the default name: from a 36-character cluster accepted (50 characters), from a 37-character one refused', () => {
    const noJob = { validation: { enabled: false } };
    expect(probed({}, { clusterName: 'p'.repeat(36) }, noJob).probe.metadata.name).toBe(`${'p'.repeat(36)}-restore-probe`);
    expect(() => probed({}, { clusterName: 'p'.repeat(37) }, noJob)).toThrow(
      `${at}: clusterName = "${'p'.repeat(37)}-restore-probe" is 51 characters long, more than the 50 allowed`);
  });

  test('a WAL volume without a size', () => {
    expect(attempt({ walStorage: { storageClass: 'wal' } as any })).toThrow(
      `${at}: walStorage.size = (unset) is required when walStorage is given. Fix: give the WAL volume size, e.g. Quantity.gibibytes(20)`);
    // Even when the settings have a WAL size: the volume given is the probe's own.
    expect(attempt({ walStorage: { storageClass: 'wal' } as any }, { settings: ClusterSettings.fromData({ CNPG_WAL_SIZE: '20Gi' }) })).toThrow(
      `${at}: walStorage.size = (unset) is required when walStorage is given`);
  });

  test('volumes too small to hold a database or WAL', () => {
    expect(attempt({ storage: { size: Quantity.mebibytes(1) } })).toThrow(`${at}: storage.size = "1Mi"`);
    expect(attempt({ walStorage: { size: Quantity.mebibytes(1) } })).toThrow(`${at}: walStorage.size = "1Mi"`);
  });

  test('resources are checked under the probe\'s field', () => {
    expect(attempt({ resources: { memoryRequest: Quantity.gibibytes(2), memoryLimit: Quantity.gibibytes(1) } })).toThrow(`${at}: resources`);
  });

  test('a cluster that is not the library\'s, named by its field', () => {
    const c = chart();
    const fake = Object.assign(new Construct(c, 'fake'), { cluster: new Construct(c, 'other'), destinationPath: 's3://b/p', serverName: 'pg', credentialsSecretName: 's3' }) as any;
    expect(() => new RestoreProbe(c, 'probe', { backup: fake })).toThrow(
      'RestoreProbe at \'test/probe\': backup.cluster = test/other is not a cluster of this library. Fix: pass a CnpgSharedCluster');
  });

  test('escape hatches are checked by the webhook\'s rules', () => {
    const c = chart();
    const backup = new CnpgSharedCluster(c, 'pg').addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), restoreProbe: { enabled: true } });
    backup.restoreProbe!.apiObject.addOverride('spec.imageName', 'ghcr.io/cloudnative-pg/postgresql:latest');
    expect(() => synth(c)).toThrow('Cluster spec.imageName = "ghcr.io/cloudnative-pg/postgresql:latest" uses the "latest" tag, which CloudNativePG refuses');
  });

  test('the probe is checked against its operator\'s release: a field of 1.28 refused on 1.27.1', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', { operatorVersion: CnpgVersion.V1_27_1 });
    const backup = db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), restoreProbe: { enabled: true } });
    backup.restoreProbe!.apiObject.addOverride('spec.postgresql.synchronous', { method: 'any', number: 1, failoverQuorum: true });
    expect(() => synth(c)).toThrow('CheckedApiObject at \'test/pg/Backup/RestoreProbe/Resource\': Cluster spec.postgresql.synchronous.failoverQuorum = true '
      + 'is not a field of the Cluster CRD of CloudNativePG 1.27.1: only 1.28.0 and newer have it.');
  });

  test('a backup that is not the library\'s', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg');
    const fake = new Construct(c, 'fake') as any;
    Object.assign(fake, { cluster: db, destinationPath: 's3://b/p', serverName: 'pg', credentialsSecretName: 's3' });
    expect(() => new RestoreProbe(c, 'probe', { backup: fake })).toThrow(
      'RestoreProbe at \'test/probe\': backup = ');
    expect(() => new RestoreProbe(c, 'probe2', { backup: fake })).toThrow(
      'is not a backup of this library. Fix: pass the ClusterBackup that cluster.addBackup() returned');
  });
});
