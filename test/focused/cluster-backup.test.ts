import { Duration, Testing } from 'cdk8s';
import {
  BackupCompression, BackupCredentials, BackupMethod, BackupRetention, BackupSchedule, BackupSource, BackupTarget, ClusterBackup,
  ClusterBackupOptions, ClusterBootstrap, ClusterSettings, ReplicaCluster, CnpgSharedCluster, CnpgVersion, ServerSideEncryption, SettingsMode,
} from '../../src';
import { newServerName } from '../../src/backup/cluster-backup';
import { thrown } from '../util/errors';
import { chart, one, ofKind } from '../util/synth';

const KEYS = BackupCredentials.fromSecret('s3-keys');
const AZURE = { destinationPath: 'https://acc.blob.core.windows.net/cnpg/pg', credentials: BackupCredentials.azureWorkloadIdentity() };
const AT = 'ClusterBackup at \'test/pg/Backup\'';

/** A cluster `pg` with the options' backups; `out()` writes the chart (each object checked against its schema). */
function build(options: Partial<ClusterBackupOptions> = {}, clusterProps: Record<string, unknown> = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { secretStore: { name: 'store' }, ...clusterProps });
  const backup = db.addBackup({ ...(options.destinationPath === undefined ? { bucket: 'b-1' } : {}), credentials: KEYS, ...options } as ClusterBackupOptions);
  return { c, db, backup, out: () => Testing.synth(c) };
}

/** The validation job's environment, by name. */
function jobEnv(m: any[]): Record<string, any> {
  return Object.fromEntries(one(m, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

function error(options: Record<string, unknown>, clusterProps: Record<string, unknown> = {}): string {
  return thrown(() => build(options as Partial<ClusterBackupOptions>, clusterProps));
}

describe('ClusterBackup: the defaults', () => {
  test('plugin method: the ObjectStore, the plugin as WAL archiver, the ScheduledBackup, the validation job, what the cluster records', () => {
    const { backup, db, out } = build();
    const m = out();
    const store = one(m, 'ObjectStore');
    expect(store.metadata).toEqual({ name: 'pg-object-store', namespace: 'databases', labels: { ...db.commonLabels, 'app.kubernetes.io/component': 'backup' } });
    expect(store.spec).toEqual({
      configuration: {
        destinationPath: 's3://b-1/pg',
        s3Credentials: { accessKeyId: { name: 's3-keys', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 's3-keys', key: 'SECRET_ACCESS_KEY' } },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
      },
      retentionPolicy: '30d',
    });
    expect(one(m, 'Cluster').spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'pg-object-store' } }]);
    expect(one(m, 'Cluster').spec.backup).toBeUndefined();
    const sb = one(m, 'ScheduledBackup');
    expect(sb.metadata).toEqual({ name: 'pg-backup', namespace: 'databases', labels: { ...db.commonLabels, 'app.kubernetes.io/component': 'backup' } });
    expect(sb.spec).toEqual({
      cluster: { name: 'pg' },
      schedule: '0 0 2 * * *',
      backupOwnerReference: 'self',
      target: 'prefer-standby',
      immediate: false,
      suspend: false,
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
    expect(ofKind(m, 'ExternalSecret')).toHaveLength(0);
    expect([backup.method, backup.destinationPath, backup.serverName, backup.endpointUrl, backup.credentialsSecretName, backup.objectStoreName,
      backup.scheduledBackupName])
      .toEqual([BackupMethod.PLUGIN, 's3://b-1/pg', 'pg', undefined, 's3-keys', 'pg-object-store', 'pg-backup']);
    expect([backup.retention.policy, backup.schedule.expressionString, backup.cluster, backup.credentials, backup.restoreProbe]).toEqual(['30d', '0 0 2 * * *', db, undefined, undefined]);
    expect(backup._store.destinationPath).toBe('s3://b-1/pg');
    expect(db.backup).toEqual({
      method: BackupMethod.PLUGIN, schedule: '0 0 2 * * *', maxIntervalSeconds: 86400, retentionDays: 30, validationCronJobName: 'pg-backup-validation', restoreProbeClusterName: undefined,
    });
    // The validation job: one hour after the backup, reading the same store.
    expect(backup.validationJob?.schedule).toBe('0 3 * * *');
    expect(jobEnv(m)).toMatchObject({
      BACKUP_DESTINATION_PATH: 's3://b-1/pg',
      BACKUP_SERVER_NAME: 'pg',
      BACKUP_ENCRYPTION: 'AES256',
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: 's3-keys', key: 'ACCESS_KEY_ID' } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: 's3-keys', key: 'SECRET_ACCESS_KEY' } },
    });
    expect(jobEnv(m).S3_ENDPOINT_URL).toBeUndefined();
    expect(backup._recoverySource()).toEqual({
      plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-object-store', serverName: 'pg' } },
    });
  });

  test('in-tree method: spec.backup with the configuration, retention and target; the ScheduledBackup\'s method', () => {
    const { backup, db, out } = build({ method: BackupMethod.BARMAN_OBJECT_STORE });
    const m = out();
    expect(ofKind(m, 'ObjectStore')).toHaveLength(0);
    const cluster = one(m, 'Cluster').spec;
    expect(cluster.plugins).toBeUndefined();
    expect(cluster.backup).toEqual({
      barmanObjectStore: {
        destinationPath: 's3://b-1/pg',
        s3Credentials: { accessKeyId: { name: 's3-keys', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 's3-keys', key: 'SECRET_ACCESS_KEY' } },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
      },
      retentionPolicy: '30d',
      target: 'prefer-standby',
    });
    const sb = one(m, 'ScheduledBackup').spec;
    expect([sb.method, sb.pluginConfiguration]).toEqual(['barmanObjectStore', undefined]);
    expect([backup.objectStoreName, backup.objectStore]).toEqual([undefined, undefined]);
    expect(db.backup?.method).toBe(BackupMethod.BARMAN_OBJECT_STORE);
    expect(backup._recoverySource()).toEqual({
      barmanObjectStore: {
        destinationPath: 's3://b-1/pg',
        endpointUrl: undefined,
        endpointCa: undefined,
        s3Credentials: { accessKeyId: { name: 's3-keys', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 's3-keys', key: 'SECRET_ACCESS_KEY' }, region: undefined, sessionToken: undefined },
        wal: { compression: 'gzip', encryption: 'AES256', maxParallel: undefined },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
        serverName: 'pg',
      },
    });
  });

  test('new ClusterBackup checks its arguments, the enumerations included (method, compressions, encryption, target)', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', {});
    expect(thrown(() => new ClusterBackup(c, 'b', { cluster: db, bucket: 5 } as any))).toBe('ClusterBackup at \'test/b\': bucket = 5 is a number, where a string goes. '
      + 'Fix: write the value as a string, in quotes');
    expect(thrown(() => new ClusterBackup(c, 'b', { cluster: db, bucket: 'b-1', credentials: KEYS, method: 'pgbackrest' } as any))).toBe('ClusterBackup at \'test/b\': '
      + 'method = "pgbackrest" is not one of BackupMethod\'s values. Fix: use one of BackupMethod.PLUGIN ("plugin"), BackupMethod.BARMAN_OBJECT_STORE ("barmanObjectStore")');
    expect(error({ target: 'replica' })).toBe('CnpgSharedCluster.addBackup at \'test/pg\': target = "replica" is not one of BackupTarget\'s values. '
      + 'Fix: use one of BackupTarget.PREFER_STANDBY ("prefer-standby"), BackupTarget.PRIMARY ("primary")');
  });
});

describe('ClusterBackup: what is uploaded, how', () => {
  test('compressions: none leaves the field out; lz4 and snappy for base backups, xz and zstd for WAL only', () => {
    const cfg = (options: Partial<ClusterBackupOptions>) => one(build(options).out(), 'ObjectStore').spec.configuration;
    const none = cfg({ dataCompression: BackupCompression.NONE, walCompression: BackupCompression.NONE });
    expect([none.wal, none.data]).toEqual([{ encryption: 'AES256' }, { encryption: 'AES256', jobs: 2, immediateCheckpoint: true }]);
    const other = cfg({ dataCompression: BackupCompression.SNAPPY, walCompression: BackupCompression.ZSTD });
    expect([other.wal.compression, other.data.compression]).toEqual(['zstd', 'snappy']);
    expect(error({ dataCompression: BackupCompression.XZ })).toBe(`${AT}: dataCompression = "xz" is not one of "none", "gzip", "bzip2", "lz4", "snappy". `
      + 'Fix: use NONE, GZIP, BZIP2, LZ4 or SNAPPY: base backups cannot be compressed with xz or zstd (the field is data_compression in Python, DataCompression in Go)');
    expect(error({ dataCompression: BackupCompression.ZSTD })).toMatch(/^ClusterBackup at 'test\/pg\/Backup': dataCompression = "zstd" is not one of /);
  });

  test('lz4 for base backups: the plugin on every release, the in-tree method from the release whose CRD has it', () => {
    const lz4 = { dataCompression: BackupCompression.LZ4 };
    expect(one(build(lz4, { operatorVersion: CnpgVersion.V1_27_1 }).out(), 'ObjectStore').spec.configuration.data.compression).toBe('lz4');
    expect(one(build({ ...lz4, method: BackupMethod.BARMAN_OBJECT_STORE }, { operatorVersion: CnpgVersion.V1_30_0 }).out(), 'Cluster').spec.backup.barmanObjectStore.data.compression)
      .toBe('lz4');
    expect(error({ ...lz4, method: BackupMethod.BARMAN_OBJECT_STORE }, { operatorVersion: CnpgVersion.V1_29_0 }))
      .toBe(`${AT}: dataCompression = "lz4" needs CloudNativePG 1.30.0 or newer (Cluster spec.backup.barmanObjectStore.data.compression "lz4"), but the manifests `
        + 'target operatorVersion 1.29.0, whose CRD does not have it. Fix: upgrade the operator and set operatorVersion: CnpgVersion.V1_30_0 (or the settings\' '
        + 'CNPG_OPERATOR_VERSION), or leave dataCompression unset (the field is data_compression in Python, DataCompression in Go)');
    // Another compression on an old release with the in-tree method.
    expect(one(build({ dataCompression: BackupCompression.SNAPPY, method: BackupMethod.BARMAN_OBJECT_STORE }, { operatorVersion: CnpgVersion.V1_27_1 }).out(), 'Cluster')
      .spec.backup.barmanObjectStore.data.compression).toBe('snappy');
  });

  test('encryption: AES256 by default, aws:kms, none with the bucket\'s default', () => {
    const cfg = (options: Partial<ClusterBackupOptions>) => one(build(options).out(), 'ObjectStore').spec.configuration;
    const kms = cfg({ encryption: ServerSideEncryption.AWS_KMS });
    expect([kms.wal.encryption, kms.data.encryption]).toEqual(['aws:kms', 'aws:kms']);
    const bucket = build({ encryption: ServerSideEncryption.BUCKET_DEFAULT });
    const c = one(bucket.out(), 'ObjectStore').spec.configuration;
    expect([c.wal, c.data.encryption]).toEqual([{ compression: 'gzip' }, undefined]);
    expect(jobEnv(bucket.out()).BACKUP_ENCRYPTION).toBeUndefined();
    expect(jobEnv(build({ encryption: ServerSideEncryption.AWS_KMS }).out()).BACKUP_ENCRYPTION).toBe('aws:kms');
  });

  test('encryption on Azure and Google Cloud Storage: none written; an S3 encryption refused, the bucket default accepted', () => {
    const az = build(AZURE);
    const cfg = one(az.out(), 'ObjectStore').spec.configuration;
    expect([cfg.wal, cfg.data]).toEqual([{ compression: 'gzip' }, { compression: 'gzip', jobs: 2, immediateCheckpoint: true }]);
    expect(az.backup.validationJob).toBeUndefined();
    expect(az.db.backup?.validationCronJobName).toBeUndefined();
    expect(one(build({ ...AZURE, encryption: ServerSideEncryption.BUCKET_DEFAULT }).out(), 'ObjectStore').spec.configuration.wal).toEqual({ compression: 'gzip' });
    expect(error({ ...AZURE, encryption: ServerSideEncryption.AWS_KMS })).toBe(`${AT}: encryption = "aws:kms" is an S3 server-side encryption, but the backups go to `
      + 'Azure Blob Storage, which encrypts at rest on its own. Fix: leave encryption unset');
    expect(error({ credentials: BackupCredentials.googleWorkloadIdentity(), encryption: ServerSideEncryption.AES256 })).toBe(`${AT}: encryption = "AES256" is an S3 `
      + 'server-side encryption, but the backups go to Google Cloud Storage, which encrypts at rest on its own. Fix: leave encryption unset');
  });

  test('parallelism from 1 to 64; immediateCheckpoint', () => {
    const data = (options: Partial<ClusterBackupOptions>) => one(build(options).out(), 'ObjectStore').spec.configuration.data;
    expect(data({ parallelism: 1 }).jobs).toBe(1);
    expect(data({ parallelism: 64, immediateCheckpoint: false })).toEqual({ compression: 'gzip', encryption: 'AES256', jobs: 64, immediateCheckpoint: false });
    for (const n of [0, 65, 2.5]) {
      expect(error({ parallelism: n })).toBe(`${AT}: parallelism = ${n} is not valid: it must be an integer between 1 and 64. `
        + 'Fix: give the number of parallel uploads of a base backup, e.g. 2');
    }
  });
});

describe('ClusterBackup: retention, schedule, target, window', () => {
  test('retention and schedule: given, from the settings, or the defaults', () => {
    const given = build({ retention: BackupRetention.weeks(2), schedule: BackupSchedule.dailyAt(4, 30) });
    expect([given.backup.retention.policy, given.backup.schedule.expressionString, given.db.backup?.retentionDays]).toEqual(['2w', '0 30 4 * * *', 14]);
    const settings = ClusterSettings.fromData({ CNPG_BACKUP_RETENTION: '7d', CNPG_BACKUP_SCHEDULE: '0 0 5 * * *' });
    const fromSettings = build({}, { settings });
    expect([fromSettings.backup.retention.policy, fromSettings.backup.schedule.expressionString]).toEqual(['7d', '0 0 5 * * *']);
    expect(one(fromSettings.out(), 'ObjectStore').spec.retentionPolicy).toBe('7d');
    const over = build({ retention: BackupRetention.days(3), schedule: BackupSchedule.dailyAt(1) }, { settings });
    expect([over.backup.retention.policy, over.backup.schedule.expressionString]).toEqual(['3d', '0 0 1 * * *']);
  });

  test('retention and schedule are validated', () => {
    expect(error({ retention: BackupRetention.of('30') })).toBe(`${AT}: retention = "30" is not a CloudNativePG retention policy (a positive number followed by d, w or m, `
      + 'e.g. "30d"). Fix: use BackupRetention.days(30), BackupRetention.weeks(4) or BackupRetention.months(3)');
    expect(error({ schedule: BackupSchedule.expression('0 0 2 * *') })).toMatch(/^ClusterBackup at 'test\/pg\/Backup': schedule = "0 0 2 \* \*" /);
  });

  test('target, immediate and suspend', () => {
    const { out } = build({ target: BackupTarget.PRIMARY, immediate: true, suspend: true });
    expect(one(out(), 'ScheduledBackup').spec).toMatchObject({ target: 'primary', immediate: true, suspend: true });
    expect(one(build({ method: BackupMethod.BARMAN_OBJECT_STORE, target: BackupTarget.PRIMARY }).out(), 'Cluster').spec.backup.target).toBe('primary');
  });

  test('the backup window from one minute to seven days', () => {
    expect(build({ backupWindow: Duration.seconds(60) }).backup.validationJob?.schedule).toBe('1 2 * * *');
    expect(build({ backupWindow: Duration.days(7), schedule: BackupSchedule.expression('0 0 2 1 * *') }).backup.validationJob?.schedule).toBe('0 2 * * *');
    for (const s of [59, 7 * 86400 + 1]) {
      expect(error({ backupWindow: Duration.seconds(s) })).toBe(`${AT}: backupWindow = ${s} is not valid: it must be an integer between 60 and 604800. `
        + 'Fix: give the time a base backup takes, e.g. Duration.hours(1) (the field is backup_window in Python, BackupWindow in Go)');
    }
  });
});

describe('ClusterBackup: credentials, endpoint, server name', () => {
  test('S3 keys from the store: the ExternalSecret, its Secret in the configuration and the job', () => {
    const { backup, out } = build({ credentials: BackupCredentials.fromSecretStore('k/s3') });
    const m = out();
    expect(one(m, 'ExternalSecret', 'pg-backup-s3').spec.data.map((d: any) => d.secretKey)).toEqual(['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY']);
    expect(backup.credentials?.node.path).toBe('test/pg/Backup/Credentials');
    expect(backup.credentialsSecretName).toBe('pg-backup-s3');
    expect(one(m, 'ObjectStore').spec.configuration.s3Credentials.accessKeyId).toEqual({ name: 'pg-backup-s3', key: 'ACCESS_KEY_ID' });
  });

  test('the secret store is required for credentials from it, named as backup credentials', () => {
    expect(thrown(() => build({ credentials: BackupCredentials.fromSecretStore('k/s3') }, { secretStore: undefined })))
      .toBe('CnpgSharedCluster at \'test/pg\': secretStore = (unset) is required by backup credentials, whose credentials come from the secret store. '
        + 'Fix: set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE in the settings) (the field is secret_store in Python, SecretStore in Go)');
  });

  test('an IAM role: no Secret, the role on the ServiceAccount; without a role no annotation', () => {
    const role = build({ credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/cnpg' }) });
    expect(role.backup.credentialsSecretName).toBe('');
    expect(one(role.out(), 'Cluster').spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cnpg' } } });
    expect(one(build({ credentials: BackupCredentials.fromIamRole() }).out(), 'Cluster').spec.serviceAccountTemplate).toBeUndefined();
  });

  test('the validation job reads the store the backups write: endpoint, CA, keys, the endpoint\'s port from the settings\' value', () => {
    const { backup, out } = build({
      endpointUrl: 'https://minio:9443',
      endpointCa: { secretName: 'minio-ca', key: 'ca.pem' },
      serverName: 'pg-x',
      credentials: BackupCredentials.fromSecret('keys', { accessKeyIdKey: 'ID', secretAccessKeyKey: 'SECRET', regionKey: 'REGION' }),
    });
    expect(backup.endpointUrl).toBe('https://minio:9443');
    const m = out();
    expect(jobEnv(m)).toMatchObject({
      BACKUP_SERVER_NAME: 'pg-x',
      S3_ENDPOINT_URL: 'https://minio:9443',
      AWS_CA_BUNDLE: expect.stringMatching(/\/ca\.pem$/),
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: 'keys', key: 'ID' } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: 'keys', key: 'SECRET' } },
      AWS_DEFAULT_REGION: { secretKeyRef: { name: 'keys', key: 'REGION' } },
    });
    expect(one(m, 'NetworkPolicy').spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 9443 }]);
    const flux = build({}, { settings: ClusterSettings.fromData({ CNPG_MINIO_ENDPOINT_URL: 'http://10.0.0.1:9000' }, { mode: SettingsMode.FLUX_VARIABLES }) });
    expect(flux.backup.endpointUrl).toBe('${CNPG_MINIO_ENDPOINT_URL}');
    const fm = flux.out();
    expect(jobEnv(fm).S3_ENDPOINT_URL).toBe('${CNPG_MINIO_ENDPOINT_URL}');
    expect(one(fm, 'NetworkPolicy').spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 9000 }]);
  });

  test('validation: off on request; on request for a store it cannot read refused', () => {
    const off = build({ validation: { enabled: false } });
    expect([off.backup.validationJob, off.db.backup?.validationCronJobName]).toEqual([undefined, undefined]);
    expect(ofKind(off.out(), 'CronJob')).toHaveLength(0);
    expect(error({ ...AZURE, validation: { enabled: true } })).toBe(`${AT}: validation.enabled = true asks for the backup-validation job, which reads S3 only, but the backups go `
      + 'to Azure Blob Storage. Fix: leave validation unset (it is off for this store) and watch the backup alerts, or use the restore probe');
    expect(error({ credentials: BackupCredentials.googleWorkloadIdentity(), validation: { enabled: true } })).toBe(`${AT}: validation.enabled = true asks for the `
      + 'backup-validation job, which reads S3 only, but the backups go to Google Cloud Storage. Fix: leave validation unset (it is off for this store) and watch the backup '
      + 'alerts, or use the restore probe');
    expect(build({ validation: { enabled: true } }).backup.validationJob?.cronJobName).toBe('pg-backup-validation');
  });

  test('the restore probe: off by default and when disabled, on when enabled', () => {
    expect(build({ restoreProbe: { enabled: false } }).backup.restoreProbe).toBeUndefined();
    const probe = build({ restoreProbe: { enabled: true } });
    expect(probe.backup.restoreProbe?.clusterName).toBe('pg-restore-probe');
    expect(probe.db.backup?.restoreProbeClusterName).toBe('pg-restore-probe');
  });

  test('a server name other than the cluster\'s is written (plugin parameters, in-tree configuration)', () => {
    const plugin = build({ serverName: 'pg-v2' });
    expect(one(plugin.out(), 'Cluster').spec.plugins[0].parameters).toEqual({ barmanObjectName: 'pg-object-store', serverName: 'pg-v2' });
    expect(plugin.backup._recoverySource().plugin?.parameters).toEqual({ barmanObjectName: 'pg-object-store', serverName: 'pg-v2' });
    const inTree = build({ serverName: 'pg-v2', method: BackupMethod.BARMAN_OBJECT_STORE });
    expect(one(inTree.out(), 'Cluster').spec.backup.barmanObjectStore.serverName).toBe('pg-v2');
    expect(inTree.backup._recoverySource().barmanObjectStore?.serverName).toBe('pg-v2');
  });

  test('the archive is registered for recovery sources of other clusters', () => {
    const { c, backup } = build();
    const restored = new CnpgSharedCluster(c, 'restored', { secretStore: { name: 'store' }, bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup(backup)) });
    const own = restored.addBackup({ bucket: 'b-1', credentials: KEYS });
    expect([own.destinationPath, own.serverName]).toEqual(['s3://b-1/restored', 'restored']);
  });
});

describe('ClusterBackup: what others read of it', () => {
  test('its archive is the primary\'s own externalClusters entry in a distributed topology', () => {
    const peer = BackupSource.objectStore({ clusterName: 'peer', bucket: 'b-1', credentials: KEYS });
    const { out } = build({ serverName: 'pg-v2' }, { replica: ReplicaCluster.primary(peer) });
    expect(one(out(), 'Cluster').spec.externalClusters.find((e: any) => e.name === 'pg')).toEqual({
      name: 'pg', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'pg-object-store', serverName: 'pg-v2' } },
    });
  });

  test('the ScheduledBackup\'s schedule is checked as written (an escape hatch included)', () => {
    const { backup, c } = build();
    backup.scheduledBackup.addOverride('spec.schedule', '0 2 * * *');
    expect(() => Testing.synth(c)).toThrow(/^CheckedApiObject at 'test\/pg\/Backup\/ScheduledBackup': ScheduledBackup spec\.schedule = "0 2 \* \* \*" has 5 fields; /);
  });

  test('one Secret from the store per name: another backup\'s keys under the same name refused, naming the field', () => {
    const c = chart();
    const a = new CnpgSharedCluster(c, 'a', { secretStore: { name: 'store' }, namespace: 'databases' });
    a.addBackup({ bucket: 'b-1', credentials: BackupCredentials.fromSecretStore('k/a', { secretName: 'shared-s3' }) });
    const b = new CnpgSharedCluster(c, 'b', { secretStore: { name: 'store' }, namespace: 'databases' });
    expect(thrown(() => b.addBackup({ bucket: 'b-1', credentials: BackupCredentials.fromSecretStore('k/b', { secretName: 'shared-s3' }) })))
      .toBe('ClusterBackup at \'test/b/Backup\': credentials.secretName = "shared-s3" is already filled with other keys from the secret store by test/a/Backup. '
        + 'Fix: give these credentials another secretName, or the same remoteKey and keys (the field is credentials.secret_name in Python, Credentials.SecretName in Go)');
  });
});

describe('ClusterBackup: a cluster never writes the archive it comes from', () => {
  const source = (serverName?: string) => BackupSource.objectStore({ clusterName: 'pg', bucket: 'b-1', credentials: KEYS, serverName });

  test('recovered from an archive of its own name: the next generation', () => {
    const { backup } = build({}, { bootstrap: ClusterBootstrap.recovery(source()) });
    expect([backup.destinationPath, backup.serverName]).toEqual(['s3://b-1/pg', 'pg-2']);
    const third = build({}, { bootstrap: ClusterBootstrap.recovery(source('pg-2')) });
    expect(third.backup.serverName).toBe('pg-3');
    expect(one(third.out(), 'Cluster').spec.plugins.find((p: any) => p.isWALArchiver).parameters).toEqual({ barmanObjectName: 'pg-object-store', serverName: 'pg-3' });
  });

  test('the source\'s archive given as the backup\'s: refused, with the next free server name', () => {
    expect(error({ serverName: 'pg' }, { bootstrap: ClusterBootstrap.recovery(source()) })).toBe(`${AT}: serverName = "pg" with destinationPath "s3://b-1/pg" is the archive of pg, `
      + 'which this cluster recovers or replicates from: two clusters writing one archive corrupt it (CloudNativePG stops with "Expected empty archive" unless '
      + 'cnpg.io/skipEmptyWalArchiveCheck silences the check). Fix: leave serverName unset for a new one ("pg-2"), or give another serverName or destinationPath '
      + '(the field is server_name in Python, ServerName in Go)');
    expect(error({ serverName: 'pg-2', destinationPath: 's3://b-1/pg/' }, { bootstrap: ClusterBootstrap.recovery(source('pg-2')) }))
      .toMatch(/serverName = "pg-2" with destinationPath "s3:\/\/b-1\/pg\/" is the archive of pg, .* \("pg-3"\)/);
    // Another destination or server name is another archive.
    expect(build({ serverName: 'pg', destinationPath: 's3://b-1/other' }, { bootstrap: ClusterBootstrap.recovery(source()) }).backup.serverName).toBe('pg');
  });
});

describe('newServerName', () => {
  test('the cluster\'s name, or the generation after the newest of its sources', () => {
    expect(newServerName('pg', [])).toBe('pg');
    expect(newServerName('pg', ['other', 'pg-x', 'xpg-2', 'pg-2x', 'pg2'])).toBe('pg');
    expect(newServerName('pg', ['pg'])).toBe('pg-2');
    expect(newServerName('pg', ['pg-1'])).toBe('pg-2');
    expect(newServerName('pg', ['pg', 'pg-1'])).toBe('pg-2');
    expect(newServerName('pg', ['pg-3'])).toBe('pg-4');
    expect(newServerName('pg', ['pg-10', 'pg-3', 'pg'])).toBe('pg-11');
    expect(newServerName('pg', ['pg-3', 'pg-10'])).toBe('pg-11');
    expect(newServerName('pg', ['pg-0'])).toBe('pg');
    // Characters of the name are matched as themselves.
    expect(newServerName('a.b', ['axb-2'])).toBe('a.b');
    expect(newServerName('a.b', ['a.b-2'])).toBe('a.b-3');
    expect(newServerName('a+', ['aa-2'])).toBe('a+');
  });
});
