import * as fs from 'fs';
import * as path from 'path';
import { Cron, Duration, Testing } from 'cdk8s';
import {
  BackupCompression, BackupCredentials, BackupMethod, BackupRetention, BackupSchedule, BackupTarget, BackupValidationJob,
  ClusterBackup, ClusterBackupOptions, ClusterSettings, CnpgSharedCluster, CnpgVersion, Quantity, ServerSideEncryption,
} from '../src';
import { VENDOR_DIR } from './util/conformance';
import { chart, one, ofKind, synth } from './util/synth';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');
const SCRIPT = fs.readFileSync(path.join(__dirname, '..', 'assets', 'backup-validation', 'check_backup.py'), 'utf-8');

/** A cluster with a secret store and the options' backups, synthesized and schema-checked. */
function backedUp(options: ClusterBackupOptions = {}, clusterProps: Record<string, unknown> = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'shared-postgres', { secretStore: { name: 'onepassword' }, ...clusterProps });
  const backup = db.addBackup({ ...(options.destinationPath === undefined ? { bucket: 'backups' } : {}), endpointUrl: 'https://minio.storage:9000', credentials: BackupCredentials.fromSecretStore('kubernetes/cnpg/minio'), ...options });
  return { c, db, backup, manifests: synth(c) };
}

describe('ClusterBackup from the reference cluster-settings', () => {
  const c = chart();
  const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS);
  const db = new CnpgSharedCluster(c, 'db', { settings });
  const backup = db.addBackup();
  const manifests = synth(c);

  test('an ObjectStore on MinIO: s3://<bucket>/<cluster>, gzip, AES256 on by default, 2 jobs, the retention', () => {
    const store = one(manifests, 'ObjectStore', 'shared-postgres-object-store');
    expect(store.metadata.namespace).toBe('databases');
    expect(store.spec).toEqual({
      configuration: {
        destinationPath: 's3://monosense-cnpg/shared-postgres',
        endpointURL: 'http://10.25.11.3:9000',
        s3Credentials: {
          accessKeyId: { name: 'shared-postgres-backup-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'shared-postgres-backup-s3', key: 'SECRET_ACCESS_KEY' },
        },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
      },
      retentionPolicy: '30d',
    });
    expect(store.spec.configuration.serverName).toBeUndefined(); // forbidden by the plugin's CRD
  });

  test('the Barman Cloud plugin is the cluster\'s WAL archiver; no in-tree backup', () => {
    const cluster = one(manifests, 'Cluster', 'shared-postgres');
    expect(cluster.spec.plugins).toEqual([{
      name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'shared-postgres-object-store' },
    }]);
    expect(cluster.spec.backup).toBeUndefined();
  });

  test('a ScheduledBackup at 0 0 2 * * * (six fields), owned by itself, on a standby, through the plugin', () => {
    const sb = one(manifests, 'ScheduledBackup', 'shared-postgres-backup');
    expect(sb.spec).toEqual({
      cluster: { name: 'shared-postgres' },
      schedule: '0 0 2 * * *',
      backupOwnerReference: 'self',
      target: 'prefer-standby',
      immediate: false,
      suspend: false,
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
  });

  test('the S3 keys come from CNPG_MINIO_SECRET_PATH through an ExternalSecret', () => {
    const es = one(manifests, 'ExternalSecret', 'shared-postgres-backup-s3');
    expect(es.spec.secretStoreRef).toEqual({ name: 'onepassword', kind: 'ClusterSecretStore' });
    expect(es.spec.data).toEqual([
      { secretKey: 'ACCESS_KEY_ID', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/minio', property: 'ACCESS_KEY_ID' } },
      { secretKey: 'SECRET_ACCESS_KEY', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/minio', property: 'SECRET_ACCESS_KEY' } },
    ]);
  });

  test('the backup is recorded on the cluster for monitoring', () => {
    expect(db.backup).toEqual({
      method: BackupMethod.PLUGIN,
      schedule: '0 0 2 * * *',
      maxIntervalSeconds: 86400,
      retentionDays: 30,
      validationCronJobName: 'shared-postgres-backup-validation',
      restoreProbeClusterName: undefined,
    });
    expect(backup.validationJob?.schedule).toBe('0 3 * * *');
    expect(backup.restoreProbe).toBeUndefined();
  });

  test('the validation CronJob runs one hour after the backup, hardened for PSA restricted', () => {
    const cj = one(manifests, 'CronJob', 'shared-postgres-backup-validation');
    expect(cj.spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    const job = cj.spec.jobTemplate.spec;
    expect(job.podFailurePolicy.rules).toEqual([{ action: 'FailJob', onExitCodes: { containerName: 'check', operator: 'In', values: [1] } }]);
    const pod = job.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toHaveLength(1);
    const ctr = pod.containers[0];
    expect(ctr.image).toBe('ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0');
    expect(ctr.image).toBe(BackupValidationJob.DEFAULT_IMAGE);
    expect(ctr.command).toEqual(['python3', '/opt/backup-validation/check_backup.py']);
    expect(ctr.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(ctr.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(ctr.volumeMounts).toEqual([
      { name: 'script', mountPath: '/opt/backup-validation', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'script', configMap: { name: 'shared-postgres-backup-validation', defaultMode: 0o444 } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    // Only the volume kinds PSA restricted allows; no host namespaces; nothing added.
    expect(pod.hostNetwork ?? pod.hostPID ?? pod.hostIPC).toBeUndefined();
    expect(ctr.securityContext.capabilities.add).toBeUndefined();
  });

  test('the CronJob\'s environment is the check script\'s contract (the one the real-S3 test exercises)', () => {
    const ctr = one(manifests, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0];
    const env = Object.fromEntries(ctr.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({
      BACKUP_DESTINATION_PATH: 's3://monosense-cnpg/shared-postgres',
      BACKUP_SERVER_NAME: 'shared-postgres',
      BACKUP_ENCRYPTION: 'AES256',
      MAX_BASE_BACKUP_AGE_SECONDS: '86400',
      MAX_WAL_AGE_SECONDS: '7200',
      S3_ENDPOINT_URL: 'http://10.25.11.3:9000',
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: 'shared-postgres-backup-s3', key: 'ACCESS_KEY_ID' } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: 'shared-postgres-backup-s3', key: 'SECRET_ACCESS_KEY' } },
      TMPDIR: '/tmp',
      HOME: '/tmp',
      PYTHONDONTWRITEBYTECODE: '1',
    });
    // Every variable the script reads is set (AWS_CA_BUNDLE only with an endpoint CA).
    const read = [...SCRIPT.matchAll(/^\s{2}([A-Z][A-Z0-9_]+)\s{2,}/gm)].map((m) => m[1]);
    expect(read).toEqual(expect.arrayContaining(['BACKUP_DESTINATION_PATH', 'BACKUP_SERVER_NAME', 'MAX_BASE_BACKUP_AGE_SECONDS', 'MAX_WAL_AGE_SECONDS', 'S3_ENDPOINT_URL']));
    for (const name of read.filter((n) => n !== 'AWS_CA_BUNDLE')) expect(Object.keys(env)).toContain(name);
  });

  test('the script ships in a ConfigMap, read from the packaged assets/ at synth', () => {
    const cm = one(manifests, 'ConfigMap', 'shared-postgres-backup-validation');
    expect(cm.data['check_backup.py']).toBe(SCRIPT);
  });

  test('nothing else is emitted', () => {
    expect(manifests.map((m) => m.kind).sort())
      .toEqual(['Cluster', 'ConfigMap', 'CronJob', 'ExternalSecret', 'Namespace', 'NetworkPolicy', 'ObjectStore', 'ScheduledBackup']);
  });

  test('a NetworkPolicy for the job\'s pods: no ingress, egress to DNS and the object store\'s port only', () => {
    const np = one(manifests, 'NetworkPolicy', 'shared-postgres-backup-validation');
    const podLabels = one(manifests, 'CronJob').spec.jobTemplate.spec.template.metadata.labels;
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'shared-postgres', 'app.kubernetes.io/component': 'backup-validation' });
    for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(podLabels[k]).toBe(v);
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([]);
    const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
    expect(np.spec.egress).toEqual([
      { to: anywhere, ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { to: anywhere, ports: [{ protocol: 'TCP', port: 9000 }] },
    ]);
  });
});

describe('ClusterBackup options', () => {
  test('the deprecated in-tree method: spec.backup.barmanObjectStore, no ObjectStore, no plugin, method barmanObjectStore', () => {
    const { db, manifests } = backedUp({
      method: BackupMethod.BARMAN_OBJECT_STORE, retention: BackupRetention.weeks(2), target: BackupTarget.PRIMARY,
    });
    expect(ofKind(manifests, 'ObjectStore')).toEqual([]);
    const cluster = one(manifests, 'Cluster');
    expect(cluster.spec.plugins).toBeUndefined();
    expect(cluster.spec.backup).toEqual({
      barmanObjectStore: {
        destinationPath: 's3://backups/shared-postgres',
        endpointURL: 'https://minio.storage:9000',
        s3Credentials: {
          accessKeyId: { name: 'shared-postgres-backup-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'shared-postgres-backup-s3', key: 'SECRET_ACCESS_KEY' },
        },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
      },
      retentionPolicy: '2w',
      target: 'primary',
    });
    const sb = one(manifests, 'ScheduledBackup');
    expect(sb.spec.method).toBe('barmanObjectStore');
    expect(sb.spec.pluginConfiguration).toBeUndefined();
    expect(sb.spec.target).toBe('primary');
    expect(db.backup?.method).toBe(BackupMethod.BARMAN_OBJECT_STORE);
    expect(db.backup?.retentionDays).toBe(14);
  });

  test('compression, encryption, parallelism, server name, endpoint CA, an existing Secret, immediate and suspend', () => {
    const { manifests } = backedUp({
      dataCompression: BackupCompression.SNAPPY,
      walCompression: BackupCompression.ZSTD,
      encryption: ServerSideEncryption.AWS_KMS,
      parallelism: 4,
      walMaxParallel: 8,
      immediateCheckpoint: false,
      serverName: 'shared-postgres-v2',
      endpointCa: { secretName: 'minio-ca' },
      credentials: BackupCredentials.fromSecret('minio-keys', { accessKeyIdKey: 'access-key', secretAccessKeyKey: 'secret-key' }),
      immediate: true,
      suspend: true,
      retention: BackupRetention.months(3),
    });
    expect(ofKind(manifests, 'ExternalSecret')).toEqual([]);
    const cfg = one(manifests, 'ObjectStore').spec.configuration;
    expect(cfg.wal).toEqual({ compression: 'zstd', encryption: 'aws:kms', maxParallel: 8 });
    expect(cfg.data).toEqual({ compression: 'snappy', encryption: 'aws:kms', jobs: 4, immediateCheckpoint: false });
    expect(cfg.endpointCA).toEqual({ name: 'minio-ca', key: 'ca.crt' });
    expect(cfg.s3Credentials.accessKeyId).toEqual({ name: 'minio-keys', key: 'access-key' });
    expect(one(manifests, 'ObjectStore').spec.retentionPolicy).toBe('3m');
    expect(one(manifests, 'Cluster').spec.plugins[0].parameters).toEqual({ barmanObjectName: 'shared-postgres-object-store', serverName: 'shared-postgres-v2' });
    const sb = one(manifests, 'ScheduledBackup').spec;
    expect([sb.immediate, sb.suspend]).toEqual([true, true]);
    const pod = one(manifests, 'CronJob').spec.jobTemplate.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.AWS_CA_BUNDLE).toBe('/etc/backup-validation/ca/ca.crt');
    expect(env.BACKUP_SERVER_NAME).toBe('shared-postgres-v2');
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'minio-keys', key: 'secret-key' } });
    expect(pod.volumes).toContainEqual({ name: 'endpoint-ca', secret: { secretName: 'minio-ca', defaultMode: 0o444 } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'endpoint-ca', mountPath: '/etc/backup-validation/ca', readOnly: true });
  });

  test('encryption can be left to the bucket; compression turned off', () => {
    const { manifests } = backedUp({
      encryption: ServerSideEncryption.BUCKET_DEFAULT, dataCompression: BackupCompression.NONE, walCompression: BackupCompression.NONE,
    });
    const cfg = one(manifests, 'ObjectStore').spec.configuration;
    expect(cfg.wal).toEqual({});
    expect(cfg.data).toEqual({ jobs: 2, immediateCheckpoint: true });
  });

  test('new ClusterBackup(scope, id, { cluster }) is the same as cluster.addBackup()', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { clusterName: 'pg', secretStore: { name: 'store' } });
    new ClusterBackup(c, 'Backups', { cluster: db, bucket: 'b-1', credentials: BackupCredentials.fromSecret('keys') });
    const manifests = synth(c);
    expect(one(manifests, 'ObjectStore').spec.configuration.destinationPath).toBe('s3://b-1/pg');
    expect(one(manifests, 'Cluster').spec.plugins[0].parameters.barmanObjectName).toBe('pg-object-store');
    expect(db.backup?.schedule).toBe('0 0 2 * * *');
  });

  test('a destinationPath and no endpoint (AWS S3)', () => {
    const { manifests } = backedUp({ destinationPath: 's3://company-backups/postgres/prod', endpointUrl: undefined });
    const cfg = one(manifests, 'ObjectStore').spec.configuration;
    expect(cfg.destinationPath).toBe('s3://company-backups/postgres/prod');
    expect(cfg.endpointURL).toBeUndefined();
    const env = one(manifests, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).not.toContain('S3_ENDPOINT_URL');
  });

  test('Flux variables mode: names and paths stay variables, schedule and retention are values', () => {
    const c = chart();
    const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS, { mode: 'flux-variables' as any });
    const db = new CnpgSharedCluster(c, 'db', { settings, secretStore: { name: 'onepassword' } });
    db.addBackup();
    const manifests = Testing.synth(c);
    const store = one(manifests, 'ObjectStore');
    expect(store.metadata.name).toBe('${CNPG_SHARED_CLUSTER_NAME}-object-store');
    expect(store.spec.configuration.destinationPath).toBe('s3://${CNPG_BACKUP_BUCKET}/${CNPG_SHARED_CLUSTER_NAME}');
    expect(store.spec.configuration.endpointURL).toBe('${CNPG_MINIO_ENDPOINT_URL}');
    expect(store.spec.retentionPolicy).toBe('30d');
    expect(one(manifests, 'ScheduledBackup').spec.schedule).toBe('0 0 2 * * *');
    expect(one(manifests, 'ExternalSecret').spec.data[0].remoteRef.key).toBe('${CNPG_MINIO_SECRET_PATH}');
  });
});

describe('the validation job\'s timing', () => {
  const timing = (options: ClusterBackupOptions) => {
    const { backup, manifests } = backedUp(options);
    const env = Object.fromEntries(one(manifests, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    return { schedule: backup.validationJob!.schedule, maxBase: Number(env.MAX_BASE_BACKUP_AGE_SECONDS), maxWal: Number(env.MAX_WAL_AGE_SECONDS) };
  };

  test.each([
    ['daily at 02:00', { schedule: BackupSchedule.dailyAt(2) }, { schedule: '0 3 * * *', maxBase: 86400, maxWal: 7200 }],
    ['daily at 23:30 (the job runs after midnight)', { schedule: BackupSchedule.dailyAt(23, 30) }, { schedule: '30 0 * * *', maxBase: 86400, maxWal: 7200 }],
    ['a 2-hour window', { backupWindow: Duration.hours(2) }, { schedule: '0 4 * * *', maxBase: 86400, maxWal: 10800 }],
    ['02:00 and 06:00: after the 20-hour gap', { schedule: BackupSchedule.expression('0 0 2,6 * * *') }, { schedule: '0 3 * * *', maxBase: 72000, maxWal: 7200 }],
    ['weekdays: after the weekend', { schedule: BackupSchedule.expression('0 0 1 * * MON-FRI') }, { schedule: '0 2 * * *', maxBase: 3 * 86400, maxWal: 7200 }],
    ['weekly', { schedule: BackupSchedule.expression('@weekly') }, { schedule: '0 1 * * *', maxBase: 7 * 86400, maxWal: 7200 }],
    ['every 6 hours (@every): the gap plus the window', { schedule: BackupSchedule.expression('@every 6h') }, { schedule: '0 7 * * *', maxBase: 7 * 3600, maxWal: 7200 }],
    ['explicit schedule and thresholds', {
      validation: { schedule: Cron.schedule({ minute: '15', hour: '5' }), maxBaseBackupAge: Duration.hours(30), maxWalAge: Duration.hours(6) },
    }, { schedule: '15 5 * * *', maxBase: 30 * 3600, maxWal: 6 * 3600 }],
  ] as Array<[string, ClusterBackupOptions, { schedule: string; maxBase: number; maxWal: number }]>)('%s', (_name, options, expected) => {
    expect(timing(options)).toEqual(expected);
  });

  test.each([
    ['https://minio.storage:9000', 9000], ['https://s3.example.com', 443], ['http://minio', 80], [undefined, 443],
  ])('the NetworkPolicy opens the endpoint %s\'s port %s', (endpointUrl, port) => {
    const { manifests } = backedUp({ endpointUrl });
    expect(one(manifests, 'NetworkPolicy').spec.egress[1].ports).toEqual([{ protocol: 'TCP', port }]);
  });

  test('no NetworkPolicy when turned off', () => {
    expect(ofKind(backedUp({ validation: { networkPolicy: false } }).manifests, 'NetworkPolicy')).toEqual([]);
  });

  test('the job can be turned off', () => {
    const { db, manifests } = backedUp({ validation: { enabled: false } });
    expect(ofKind(manifests, 'CronJob')).toEqual([]);
    expect(ofKind(manifests, 'ConfigMap')).toEqual([]);
    expect(db.backup?.validationCronJobName).toBeUndefined();
  });

  test('image, user, resources and history limits', () => {
    const { manifests } = backedUp({
      validation: {
        image: 'registry.example.com/barman-cloud:3.19.1@sha256:' + 'a'.repeat(64),
        runAsUser: 10001,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 5,
      },
    });
    const cj = one(manifests, 'CronJob');
    expect([cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit]).toEqual([1, 5]);
    const pod = cj.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext.runAsUser).toBe(10001);
    expect(pod.containers[0].securityContext.runAsUser).toBe(10001);
    expect(pod.containers[0].image).toMatch(/@sha256:a{64}$/);
  });
});

describe('the restore probe', () => {
  test('off by default; when on, a one-instance recovery Cluster from the same ObjectStore, not archiving', () => {
    const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS);
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { settings, parameters: { maxConnections: 200, maxWorkerProcesses: 16 } });
    const backup = db.addBackup({ restoreProbe: { enabled: true } });
    const manifests = synth(c);
    const probe = one(manifests, 'Cluster', 'shared-postgres-restore-probe');
    expect(probe.metadata.namespace).toBe('databases');
    expect(probe.metadata.labels['app.kubernetes.io/component']).toBe('restore-probe');
    expect(probe.spec).toMatchObject({
      instances: 1,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.8',
      enablePDB: false,
      enableSuperuserAccess: false,
      storage: { size: '80Gi', storageClass: 'openebs-local-nvme' },
      walStorage: { size: '20Gi', storageClass: 'openebs-local-nvme' },
      bootstrap: { recovery: { source: 'origin' } },
      externalClusters: [{
        name: 'origin',
        plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'shared-postgres-object-store', serverName: 'shared-postgres' } },
      }],
    });
    // Recovery refuses lower settings than the source's.
    expect(probe.spec.postgresql.parameters).toEqual({ max_connections: '200', max_worker_processes: '16', ssl_min_protocol_version: 'TLSv1.3' });
    // TLS only, like the shared cluster (it holds a full copy of the data).
    expect(probe.spec.postgresql.pg_hba).toEqual(['hostnossl all all all reject', 'hostssl all all all scram-sha-256']);
    // It reads the archive, never writes to it.
    expect(probe.spec.plugins).toBeUndefined();
    expect(probe.spec.backup).toBeUndefined();
    expect(backup.restoreProbe?.clusterName).toBe('shared-postgres-restore-probe');
    expect(db.backup?.restoreProbeClusterName).toBe('shared-postgres-restore-probe');
  });

  test('in-tree method: the external cluster reads the barmanObjectStore; explicit storage', () => {
    const { manifests } = backedUp({
      method: BackupMethod.BARMAN_OBJECT_STORE,
      restoreProbe: { enabled: true, clusterName: 'probe', storage: { size: Quantity.gibibytes(5), storageClass: 'fast' } },
    });
    const probe = one(manifests, 'Cluster', 'probe');
    expect(probe.spec.storage).toEqual({ size: '5Gi', storageClass: 'fast' });
    expect(probe.spec.walStorage).toBeUndefined();
    expect(probe.spec.externalClusters[0]).toEqual({
      name: 'origin',
      barmanObjectStore: {
        destinationPath: 's3://backups/shared-postgres',
        endpointURL: 'https://minio.storage:9000',
        serverName: 'shared-postgres',
        s3Credentials: {
          accessKeyId: { name: 'shared-postgres-backup-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'shared-postgres-backup-s3', key: 'SECRET_ACCESS_KEY' },
        },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
      },
    });
  });
});

describe('ClusterBackup bad input', () => {
  const attempt = (options: Record<string, unknown>, clusterProps: Record<string, unknown> = {}) =>
    () => backedUp(options as ClusterBackupOptions, clusterProps);
  const at = 'ClusterBackup at \'test/shared-postgres/Backup\'';
  const table: Array<[string, Record<string, unknown>, RegExp]> = [
    ['five-field schedule', { schedule: BackupSchedule.expression('0 2 * * *') },
      /ClusterBackup at 'test\/shared-postgres\/Backup': schedule = "0 2 \* \* \*" has 5 fields; .*Fix: write six fields with the seconds first, e\.g\. "0 0 2 \* \* \*"/],
    ['malformed schedule', { schedule: BackupSchedule.expression('0 0 2 * * * *') }, /schedule = "0 0 2 \* \* \* \*" is not a schedule CloudNativePG can parse .*has 7 fields.*Fix: write six fields/],
    ['schedule every minute', { schedule: BackupSchedule.expression('0 * * * * *') }, /schedule = "0 \* \* \* \* \*" fires 1 min after a previous backup.*Fix: take base backups at most hourly/],
    ['retention in the wrong form', { retention: BackupRetention.of('30 days') }, /retention = "30 days" is not a CloudNativePG retention policy .*Fix: use BackupRetention\.days\(30\)/],
    ['retention of zero days', { retention: BackupRetention.days(0) }, /retention = "0d" is not a CloudNativePG retention policy/],
    ['retention as a variable', { retention: BackupRetention.of('${CNPG_BACKUP_RETENTION}') }, /retention = "\$\{CNPG_BACKUP_RETENTION\}" is a Flux variable/],
    ['encryption outside the enum', { encryption: 'AES-256' }, /encryption = "AES-256" is not one of ServerSideEncryption's values\. Fix: did you mean ServerSideEncryption\.AES256\? Use one of ServerSideEncryption\.AES256 \("AES256"\), ServerSideEncryption\.AWS_KMS \("aws:kms"\), ServerSideEncryption\.BUCKET_DEFAULT/],
    ['encryption in lower case', { encryption: 'aes256' }, /encryption = "aes256" is not one of/],
    ['xz base backups', { dataCompression: BackupCompression.XZ }, /dataCompression = "xz" is not one of .*Fix: use NONE, GZIP, BZIP2, LZ4 or SNAPPY/],
    ['unknown compression', { walCompression: 'brotli' }, /walCompression = "brotli" is not one of/],
    ['endpoint without a scheme', { endpointUrl: '10.25.11.3:9000' }, /endpointUrl = "10\.25\.11\.3:9000" is not a URL\. Fix: give an http\(s\) URL such as "https:\/\/10\.25\.11\.3:9000"/],
    ['endpoint that does not parse', { endpointUrl: 'http://minio storage:9000' }, /endpointUrl = "http:\/\/minio storage:9000" is not a URL/],
    ['endpoint of another scheme', { endpointUrl: 'ftp://minio:9000' }, /endpointUrl = "ftp:\/\/minio:9000" is a ftp URL, not http\(s\)/],
    ['endpoint with credentials', { endpointUrl: 'https://key:secret@minio:9000' }, /endpointUrl = "https:\/\/\*\*\*@minio:9000" carries credentials/],
    ['bucket with s3://', { bucket: 's3://monosense-cnpg' }, /bucket = "s3:\/\/monosense-cnpg" is a URL, not a bucket name\. Fix: give only the bucket name, e\.g\. "monosense-cnpg"/],
    ['bucket with a path', { bucket: 's3://monosense-cnpg/shared' }, /is a URL, not a bucket name\. Fix: give only the bucket name, e\.g\. "monosense-cnpg" .*or set destinationPath/],
    ['bucket with capitals', { bucket: 'Backups' }, /bucket = "Backups" is not an S3 bucket name/],
    ['no bucket', { bucket: undefined }, /bucket = \(unset\) is required .*Fix: give the bucket name/],
    ['destinationPath not s3://', { destinationPath: 'minio://backups/pg' }, /destinationPath = "minio:\/\/backups\/pg" is not an s3:\/\/bucket\/path URL/],
    ['no credentials', { credentials: undefined }, /credentials = \(unset\) are required/],
    ['credentials keys equal', { credentials: BackupCredentials.fromSecret('k', { accessKeyIdKey: 'key', secretAccessKeyKey: 'key' }) }, /credentials\.secretAccessKeyKey = "key" is the same key as accessKeyIdKey/],
    ['parallelism zero', { parallelism: 0 }, /parallelism = 0 is not valid: it must be an integer between 1 and 64/],
    ['unknown method', { method: 'volumeSnapshot' }, /method = "volumeSnapshot" is not one of BackupMethod's values\. Fix: use one of BackupMethod\.PLUGIN/],
    ['unknown target', { target: 'standby' }, /target = "standby" is not one of BackupTarget's values\. Fix: use one of BackupTarget\.PREFER_STANDBY \("prefer-standby"\), BackupTarget\.PRIMARY \("primary"\)/],
    ['lz4 base backups in-tree on CNPG 1.27', { method: BackupMethod.BARMAN_OBJECT_STORE, dataCompression: BackupCompression.LZ4 }, /dataCompression = "lz4" needs CloudNativePG 1\.30/],
    ['validation job before the backup window ends', { validation: { schedule: Cron.schedule({ minute: '30', hour: '2' }) } },
      /validation\.schedule = "30 2 \* \* \*" runs 30 min after the backup of 02:00:00 UTC, inside its 60-minute backupWindow.*Fix: schedule it at least backupWindow after the backups, e\.g\. "0 3 \* \* \*"/],
    ['validation job at the backup\'s time', { validation: { schedule: Cron.schedule({ minute: '0', hour: '2' }) } }, /runs at the same time as the backup of 02:00:00 UTC/],
    ['validation job hourly, running into the window', { validation: { schedule: Cron.hourly() } }, /validation\.schedule = "0 \* \* \* \*" runs at the same time as the backup of 02:00:00 UTC/],
    ['validation schedule in six fields', { validation: { schedule: Cron.schedule({ minute: '0 0', hour: '3' }) } }, /validation\.schedule = "0 0 3 \* \* \*" is not a Kubernetes CronJob schedule: it has 6 fields; a Kubernetes CronJob takes five/],
    ['window as long as the interval', { schedule: BackupSchedule.expression('@hourly') }, /backupWindow = "3600s" is not shorter than the shortest gap between two backups \(3600s\)/],
    ['validation image :latest', { validation: { image: 'ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:latest' } }, /image = ".*:latest" is not pinned/],
    ['validation as root', { validation: { runAsUser: 0 } }, /runAsUser = 0 is not valid.*Fix: give a non-zero UID/],
    ['validation thresholds below a minute', { validation: { maxWalAge: Duration.seconds(5) } }, /maxWalAge = 5 is not valid/],
    ['restore probe named like the cluster', { restoreProbe: { enabled: true, clusterName: 'shared-postgres' } }, /RestoreProbe at .*clusterName = "shared-postgres" is the name of the cluster it restores/],
    ['restore probe name too long', { restoreProbe: { enabled: true, clusterName: 'a'.repeat(51) } }, /clusterName = "a{51}" is 51 characters long, more than the 50 allowed/],
  ];
  test.each(table)('%s', (_name, options, message) => {
    expect(attempt(options)).toThrow(message);
  });

  test('credentials from the store without a store', () => {
    expect(attempt({ credentials: BackupCredentials.fromSecretStore('p') }, { secretStore: undefined }))
      .toThrow(/CnpgSharedCluster at 'test\/shared-postgres': secretStore = \(unset\) is required by backup credentials/);
  });

  test('errors name the construct path', () => {
    expect(attempt({ bucket: 's3://x-y-z' })).toThrow(at);
  });

  test('a second backup on one cluster', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { secretStore: { name: 's' } });
    db.addBackup({ bucket: 'b-1', credentials: BackupCredentials.fromSecret('k') });
    expect(() => new ClusterBackup(c, 'Again', { cluster: db, bucket: 'b-2', credentials: BackupCredentials.fromSecret('k') }))
      .toThrow(/backup = "plugin" is configured twice/);
  });

  test('a schedule known only at apply time needs an explicit validation schedule and age', () => {
    expect(attempt({ schedule: BackupSchedule.expression('${BACKUP_SCHEDULE}') }))
      .toThrow(/schedule = \(unset\) cannot be derived from the backup schedule "\$\{BACKUP_SCHEDULE\}", which is only known at apply time/);
    const { manifests } = backedUp({
      schedule: BackupSchedule.expression('${BACKUP_SCHEDULE}'),
      validation: { schedule: Cron.daily(), maxBaseBackupAge: Duration.days(2) },
    });
    expect(one(manifests, 'ScheduledBackup').spec.schedule).toBe('${BACKUP_SCHEDULE}');
    expect(one(manifests, 'CronJob').spec.schedule).toBe('0 0 * * *');
  });

  test('the plugin needs CNPG 1.26 or newer: every supported release (1.27 and later) gets the ObjectStore and the plugin entry', () => {
    for (const operatorVersion of CnpgVersion.supported()) {
      const { manifests } = backedUp({}, { operatorVersion });
      expect(one(manifests, 'ObjectStore', 'shared-postgres-object-store').spec.configuration.destinationPath).toBe('s3://backups/shared-postgres');
      expect(one(manifests, 'Cluster').spec.plugins).toEqual([expect.objectContaining({
        name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'shared-postgres-object-store' },
      })]);
      expect(one(manifests, 'ScheduledBackup').spec.method).toBe('plugin');
    }
  });
});
