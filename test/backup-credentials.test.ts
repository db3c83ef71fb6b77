import {
  BackupCredentials, BackupMethod, CnpgSharedCluster, CnpgVersion, ObjectStoreProvider, ServerSideEncryption,
} from '../src';
import { chart, one, ofKind, synth } from './util/synth';

const STORE = { name: 'store' };

function backedUp(options: Record<string, unknown>, version: CnpgVersion = CnpgVersion.V1_30_0) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { operatorVersion: version, secretStore: STORE });
  const backup = db.addBackup(options as any);
  return { backup, m: synth(c) };
}

describe('object-store credentials: S3 keys, IAM roles, Azure Blob Storage, Google Cloud Storage', () => {
  test('S3 keys with a region and a session token, from an existing Secret (SOPS, Sealed Secrets): nothing written for it', () => {
    const { m } = backedUp({ bucket: 'b-1', credentials: BackupCredentials.fromSecret('sealed-s3', { regionKey: 'AWS_REGION', sessionTokenKey: 'TOKEN' }) });
    expect(one(m, 'ObjectStore').spec.configuration.s3Credentials).toEqual({
      accessKeyId: { name: 'sealed-s3', key: 'ACCESS_KEY_ID' },
      secretAccessKey: { name: 'sealed-s3', key: 'SECRET_ACCESS_KEY' },
      region: { name: 'sealed-s3', key: 'AWS_REGION' },
      sessionToken: { name: 'sealed-s3', key: 'TOKEN' },
    });
    expect(ofKind(m, 'ExternalSecret')).toHaveLength(0);
    const env = Object.fromEntries(one(m, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.AWS_DEFAULT_REGION).toEqual({ secretKeyRef: { name: 'sealed-s3', key: 'AWS_REGION' } });
    expect(env.AWS_SESSION_TOKEN).toEqual({ secretKeyRef: { name: 'sealed-s3', key: 'TOKEN' } });
  });

  test('S3 keys with a region from the secret store: the ExternalSecret reads the region too', () => {
    const { m } = backedUp({ bucket: 'b-1', credentials: BackupCredentials.fromSecretStore('k/s3', { regionKey: 'REGION' }) });
    expect(one(m, 'ExternalSecret').spec.data.map((d: any) => [d.secretKey, d.remoteRef])).toEqual([
      ['ACCESS_KEY_ID', { key: 'k/s3', property: 'ACCESS_KEY_ID' }],
      ['SECRET_ACCESS_KEY', { key: 'k/s3', property: 'SECRET_ACCESS_KEY' }],
      ['REGION', { key: 'k/s3', property: 'REGION' }],
    ]);
  });

  test.each([BackupMethod.PLUGIN, BackupMethod.BARMAN_OBJECT_STORE])('an IAM role (IRSA, %s): inheritFromIAMRole, the role on the cluster\'s ServiceAccount, the job runs as it', (method) => {
    const { m, backup } = backedUp({ method, bucket: 'b-1', credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/cnpg-backups' }) });
    const cfg = method === BackupMethod.PLUGIN ? one(m, 'ObjectStore').spec.configuration : one(m, 'Cluster').spec.backup.barmanObjectStore;
    expect(cfg.s3Credentials).toEqual({ inheritFromIAMRole: true });
    expect(one(m, 'Cluster').spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cnpg-backups' } } });
    const pod = one(m, 'CronJob').spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('pg');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].env.map((e: any) => e.name)).not.toContain('AWS_ACCESS_KEY_ID');
    expect(backup.credentialsSecretName).toBe('');
    expect(ofKind(m, 'ExternalSecret')).toHaveLength(0);
  });

  test('the restore probe reads the archive with the same IAM role', () => {
    const { m } = backedUp({ bucket: 'b-1', credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/cnpg-backups' }), restoreProbe: { enabled: true } });
    expect(one(m, 'Cluster', 'pg-restore-probe').spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cnpg-backups' } } });
  });

  test('Azure Blob Storage with a storage key from the store: a container destination, no S3 encryption, no validation job', () => {
    const credentials = BackupCredentials.azureStorageKey({ remoteKey: 'k/azure' });
    expect(credentials.provider).toBe(ObjectStoreProvider.AZURE);
    const { m } = backedUp({ destinationPath: 'https://stcnpg.blob.core.windows.net/backups/pg', credentials });
    const cfg = one(m, 'ObjectStore').spec.configuration;
    expect(cfg.azureCredentials).toEqual({
      storageAccount: { name: 'pg-backup-azure', key: 'AZURE_STORAGE_ACCOUNT' },
      storageKey: { name: 'pg-backup-azure', key: 'AZURE_STORAGE_KEY' },
    });
    expect(cfg.s3Credentials).toBeUndefined();
    expect(cfg.wal).toEqual({ compression: 'gzip' });
    expect(cfg.data.encryption).toBeUndefined();
    expect(ofKind(m, 'CronJob')).toHaveLength(0);
    expect(one(m, 'ExternalSecret', 'pg-backup-azure').spec.data.map((d: any) => d.secretKey)).toEqual(['AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY']);
  });

  test('Azure: SAS token, connection string, workload identity, default credentials', () => {
    const dest = 'https://stcnpg.blob.core.windows.net/backups/pg';
    const cfg = (credentials: BackupCredentials, method = BackupMethod.PLUGIN, version = CnpgVersion.V1_30_0) => {
      const { m } = backedUp({ destinationPath: dest, credentials, method }, version);
      return method === BackupMethod.PLUGIN ? one(m, 'ObjectStore').spec.configuration.azureCredentials : one(m, 'Cluster').spec.backup.barmanObjectStore.azureCredentials;
    };
    expect(cfg(BackupCredentials.azureSasToken({ secretName: 'az' }))).toEqual({
      storageAccount: { name: 'az', key: 'AZURE_STORAGE_ACCOUNT' }, storageSasToken: { name: 'az', key: 'AZURE_STORAGE_SAS_TOKEN' },
    });
    expect(cfg(BackupCredentials.azureConnectionString({ secretName: 'az', connectionStringKey: 'conn' }))).toEqual({ connectionString: { name: 'az', key: 'conn' } });
    expect(cfg(BackupCredentials.azureWorkloadIdentity())).toEqual({ inheritFromAzureAD: true });
    expect(cfg(BackupCredentials.azureDefaultCredentials())).toEqual({ useDefaultAzureCredentials: true });
    expect(cfg(BackupCredentials.azureDefaultCredentials(), BackupMethod.BARMAN_OBJECT_STORE)).toEqual({ useDefaultAzureCredentials: true });
    // The in-tree field came with a later release: the Cluster CRD of 1.27.1 does not have it.
    expect(() => cfg(BackupCredentials.azureDefaultCredentials(), BackupMethod.BARMAN_OBJECT_STORE, CnpgVersion.V1_27_1))
      .toThrow(/useDefaultAzureCredentials = true is not a field of the Cluster CRD of CloudNativePG 1\.27\.1/);
  });

  test('Google Cloud Storage: gs://<bucket>/<cluster>, a service account key or workload identity', () => {
    const { m } = backedUp({ bucket: 'cnpg-backups', credentials: BackupCredentials.googleServiceAccountKey({ secretName: 'gcs' }) });
    const cfg = one(m, 'ObjectStore').spec.configuration;
    expect(cfg.destinationPath).toBe('gs://cnpg-backups/pg');
    expect(cfg.googleCredentials).toEqual({ applicationCredentials: { name: 'gcs', key: 'application_credentials.json' } });
    const gke = backedUp({ bucket: 'cnpg-backups', credentials: BackupCredentials.googleWorkloadIdentity() }).m;
    expect(one(gke, 'ObjectStore').spec.configuration.googleCredentials).toEqual({ gkeEnvironment: true });
  });

  test.each([
    ['an Azure credential without a destinationPath', { bucket: 'b-1', credentials: BackupCredentials.azureWorkloadIdentity() }, /destinationPath = \(unset\) is required for Azure Blob Storage/],
    ['an S3 path with Google credentials', { destinationPath: 's3://b-1/pg', credentials: BackupCredentials.googleWorkloadIdentity() }, /destinationPath = "s3:\/\/b-1\/pg" is not a gs:\/\/bucket\/path URL/],
    ['an existing Azure Secret without its name', { destinationPath: 'https://a.blob.core.windows.net/cnpg/pg', credentials: BackupCredentials.azureStorageKey() },
      /credentials\.secretName = \(unset\) is required: the credentials come from an existing Secret/],
    ['a role that is not an ARN', { bucket: 'b-1', credentials: BackupCredentials.fromIamRole({ roleArn: 'cnpg-backups' }) }, /credentials\.roleArn = "cnpg-backups" is not an IAM role ARN/],
    ['S3 encryption on Azure', { destinationPath: 'https://a.blob.core.windows.net/cnpg/pg', credentials: BackupCredentials.azureWorkloadIdentity(), encryption: ServerSideEncryption.AES256 },
      /encryption = "AES256" is an S3 server-side encryption, but the backups go to Azure Blob Storage/],
    ['the validation job on Google Cloud Storage', { bucket: 'b-1', credentials: BackupCredentials.googleWorkloadIdentity(), validation: { enabled: true } },
      /validation\.enabled = true asks for the backup-validation job, which reads S3 only/],
    ['the same key twice', { bucket: 'b-1', credentials: BackupCredentials.fromSecret('s', { regionKey: 'ACCESS_KEY_ID' }) }, /credentials\.regionKey = "ACCESS_KEY_ID" is the same key as accessKeyIdKey/],
  ])('%s', (_n, options, message) => {
    expect(() => backedUp(options)).toThrow(message);
  });

  test('two IAM roles for one cluster (its backups and a source) are an error: the instances have one ServiceAccount', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', { secretStore: STORE });
    db.addBackup({ bucket: 'b-1', credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/a' }) });
    const again = new CnpgSharedCluster(c, 'pg2', { secretStore: STORE });
    again.addBackup({ bucket: 'b-1', credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/a' }) });
    expect(() => again._addServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/b' }))
      .toThrow(/conflicts with "arn:aws:iam::123456789012:role\/a"/);
  });
});
