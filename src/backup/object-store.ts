import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BackupCredentials, BackupEndpointCa, ObjectStoreProvider } from './options';
import { ClusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { ExternalSecretSync } from '../secrets/external-secret';
import { ClusterSettings } from '../settings/cluster-settings';

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Where barman-cloud writes a cluster's base backups and WAL, and where a recovery or a replica
 * cluster reads them back: the options `addBackup` and `BackupSource.objectStore` share, so that a
 * recovery reads exactly the bucket, path, server name, endpoint, CA and credentials a backup wrote.
 */
export interface ObjectStoreOptions {
  /**
   * The bucket: only its name, e.g. `monosense-cnpg` (not an `s3://` URL). S3 and Google Cloud
   * Storage; an Azure container is given as `destinationPath`.
   *
   * @default - `settings.backupBucket` (`CNPG_BACKUP_BUCKET`); required otherwise (or destinationPath)
   */
  readonly bucket?: string;

  /**
   * The full destination: `s3://<bucket>/<path>`, `gs://<bucket>/<path>` or
   * `https://<account>.blob.core.windows.net/<container>/<path>`. Barman writes under
   * `<destinationPath>/<serverName>/`.
   *
   * @default - `s3://<bucket>/<cluster>` (`gs://` for Google Cloud Storage credentials), the
   * cluster being the one that writes the archive
   */
  readonly destinationPath?: string;

  /**
   * The barman server name: the folder under `destinationPath`.
   *
   * @default - for a backup, the cluster's name, or a new `<cluster>-<n>` when the cluster was
   * bootstrapped from an archive with that name (never the source's archive); for a source, the
   * source cluster's name
   */
  readonly serverName?: string;

  /**
   * The endpoint of an S3-compatible store (MinIO, Ceph RGW...), e.g. `https://minio.storage:9000`.
   *
   * @default - `settings.backupEndpointUrl` (`CNPG_MINIO_ENDPOINT_URL`); otherwise the provider's own
   */
  readonly endpointUrl?: string;

  /**
   * The CA bundle of an endpoint with a private certificate.
   *
   * @default - the images' trust stores
   */
  readonly endpointCa?: BackupEndpointCa;

  /**
   * Who barman talks to the store as.
   *
   * @default - S3 keys from the secret store at `settings.backupCredentialsPath`
   * (`CNPG_MINIO_SECRET_PATH`), into the Secret `<cluster>-backup-s3`; required otherwise
   */
  readonly credentials?: BackupCredentials;

  /**
   * WAL files archived (by a backup) or restored (by a recovery or a replica) in parallel
   * (`wal.maxParallel`).
   *
   * @default - one at a time
   */
  readonly walMaxParallel?: number;
}

/** An object store, resolved and validated. @internal */
export interface ResolvedObjectStore {
  readonly provider: ObjectStoreProvider;
  readonly destinationPath: string;
  readonly serverName: string;
  readonly endpointUrl?: string;
  /** The endpoint as the settings give it when `endpointUrl` is a Flux variable. */
  readonly endpointUrlValue?: string;
  readonly endpointCa?: BackupEndpointCa;
  readonly credentials: BackupCredentials;
  /** The Secret the configuration reads (undefined for an inherited identity). */
  readonly credentialsSecretName?: string;
  readonly walMaxParallel?: number;
}

/** What `resolveObjectStore` falls back to. @internal */
export interface ObjectStoreDefaults {
  /** The cluster whose archive it is (the path and Secret-name defaults). */
  readonly archiveCluster: string;
  /** The server name when none is given. */
  readonly serverName: string;
  /** The platform settings to read CNPG_BACKUP_BUCKET, CNPG_MINIO_ENDPOINT_URL, CNPG_MINIO_SECRET_PATH from. */
  readonly settings?: ClusterSettings;
  /** The prop prefix in error messages (`''` for a backup, `'source.'` ...). */
  readonly field?: string;
}

/** Validates the options and applies the defaults. @internal */
export function resolveObjectStore(scope: IConstruct, options: ObjectStoreOptions, defaults: ObjectStoreDefaults): ResolvedObjectStore {
  const f = (name: string) => `${defaults.field ?? ''}${name}`;
  const settings = defaults.settings;
  const credentials = options.credentials
    ?? (settings?.backupCredentialsPath !== undefined ? BackupCredentials.fromSecretStore(settings.backupCredentialsPath) : undefined);
  if (!credentials) {
    throw invalidInput(scope, f('credentials'), undefined, 'are required (no CNPG_MINIO_SECRET_PATH in the settings)',
      'give BackupCredentials.fromSecretStore("kubernetes/infra/cloudnative-pg/minio"), BackupCredentials.fromSecret("<secret>") or BackupCredentials.fromIamRole()');
  }
  if (!(credentials instanceof BackupCredentials)) {
    throw invalidInput(scope, f('credentials'), credentials, 'is not a BackupCredentials', 'use one of the BackupCredentials factories, e.g. BackupCredentials.fromSecret("<secret>")');
  }
  credentials._validate(scope, f('credentials'));
  const provider = credentials.provider;

  // Where.
  const bucket = options.bucket ?? settings?.backupBucket;
  if (options.bucket !== undefined && options.destinationPath !== undefined) {
    throw invalidInput(scope, f('bucket'), options.bucket, `is given with destinationPath (${JSON.stringify(options.destinationPath)}), which names the bucket already: one of them would be ignored`,
      'give only destinationPath (the full path, bucket included), or only bucket (the path <bucket>/<cluster> is derived)');
  }
  if (options.destinationPath === undefined) {
    if (provider === ObjectStoreProvider.AZURE) {
      throw invalidInput(scope, f('destinationPath'), undefined, 'is required for Azure Blob Storage (a container has no bucket name)',
        'give destinationPath: "https://<account>.blob.core.windows.net/<container>/<path>"');
    }
    if (bucket === undefined) {
      throw invalidInput(scope, f('bucket'), undefined, 'is required (no destinationPath and no CNPG_BACKUP_BUCKET in the settings)',
        'give the bucket name, e.g. bucket: "monosense-cnpg"');
    }
    if (!containsFluxVariable(bucket)) {
      if (bucket.includes('://')) {
        throw invalidInput(scope, f('bucket'), bucket, 'is a URL, not a bucket name',
          `give only the bucket name, e.g. "${bucket.replace(/^[a-z0-9]+:\/\//, '').split('/')[0]}" (the path ${scheme(provider)}<bucket>/<cluster> is derived), or set destinationPath`);
      }
      if (!(provider === ObjectStoreProvider.S3 ? S3_BUCKET : BUCKET).test(bucket)) {
        throw invalidInput(scope, f('bucket'), bucket, `is not ${provider === ObjectStoreProvider.S3 ? 'an S3' : 'a Google Cloud Storage'} bucket name (3-63 lower-case letters, digits, "." and "-")`,
          'give a bucket name such as "monosense-cnpg"');
      }
    }
  }
  const destinationPath = options.destinationPath ?? `${scheme(provider)}${bucket}/${defaults.archiveCluster}`;
  validateDestination(scope, f('destinationPath'), destinationPath, provider);

  const serverName = options.serverName ?? defaults.serverName;
  validateName(scope, f('serverName'), serverName, { maxLength: 253 });

  const endpointUrl = options.endpointUrl ?? settings?.backupEndpointUrl;
  if (endpointUrl !== undefined) validateEndpoint(scope, f('endpointUrl'), endpointUrl);
  if (options.endpointCa) {
    validateName(scope, f('endpointCa.secretName'), options.endpointCa.secretName, { maxLength: 253 });
    if (options.endpointCa.key !== undefined && !/^[-._a-zA-Z0-9]+$/.test(options.endpointCa.key)) {
      throw invalidInput(scope, f('endpointCa.key'), options.endpointCa.key, 'is not a valid Secret key', 'give the key of the CA bundle, e.g. "ca.crt"');
    }
  }
  if (options.walMaxParallel !== undefined) {
    validateInteger(scope, f('walMaxParallel'), options.walMaxParallel, 1, 64, 'give the number of WAL files archived or restored in parallel, e.g. 2');
  }

  let credentialsSecretName: string | undefined;
  if (credentials.usesSecret) {
    credentialsSecretName = credentials.secretName ?? `${defaults.archiveCluster}-backup-${provider === ObjectStoreProvider.S3 ? 's3' : provider === ObjectStoreProvider.AZURE ? 'azure' : 'gcs'}`;
    validateName(scope, f('credentials.secretName'), credentialsSecretName, { maxLength: 253 });
  }
  return {
    provider,
    destinationPath,
    serverName,
    endpointUrl,
    endpointUrlValue: options.endpointUrl === undefined && endpointUrl !== undefined ? settings?.value('CNPG_MINIO_ENDPOINT_URL') : undefined,
    endpointCa: options.endpointCa,
    credentials,
    credentialsSecretName,
    walMaxParallel: options.walMaxParallel,
  };
}

/** What a backup writes beside the location (absent for a read-only recovery source). @internal */
export interface WriteSettings {
  readonly walCompression?: string;
  readonly dataCompression?: string;
  readonly encryption?: string;
  readonly jobs?: number;
  readonly immediateCheckpoint?: boolean;
}

/**
 * The barman-cloud configuration, in the typed L1 field names that the ObjectStore's
 * `spec.configuration`, the Cluster's `spec.backup.barmanObjectStore` and
 * `externalClusters[].barmanObjectStore` share. @internal
 */
export function barmanConfiguration(store: ResolvedObjectStore, write?: WriteSettings): Record<string, any> {
  const ref = (key: string) => ({ name: store.credentialsSecretName!, key });
  const keys = Object.fromEntries(store.credentials._secretKeys());
  const kind = store.credentials._spec.kind;
  const creds: Record<string, any> = {};
  switch (kind) {
    case 's3-keys':
      creds.s3Credentials = {
        accessKeyId: ref(keys.accessKeyId),
        secretAccessKey: ref(keys.secretAccessKey),
        region: keys.region ? ref(keys.region) : undefined,
        sessionToken: keys.sessionToken ? ref(keys.sessionToken) : undefined,
      };
      break;
    case 'iam-role':
      creds.s3Credentials = { inheritFromIamRole: true };
      break;
    case 'azure-key':
      creds.azureCredentials = { storageAccount: ref(keys.storageAccount), storageKey: ref(keys.storageKey) };
      break;
    case 'azure-sas':
      creds.azureCredentials = { storageAccount: ref(keys.storageAccount), storageSasToken: ref(keys.storageSasToken) };
      break;
    case 'azure-connection-string':
      creds.azureCredentials = { connectionString: ref(keys.connectionString) };
      break;
    case 'azure-ad':
      creds.azureCredentials = { inheritFromAzureAd: true };
      break;
    case 'azure-default':
      creds.azureCredentials = { useDefaultAzureCredentials: true };
      break;
    case 'google-json':
      creds.googleCredentials = { applicationCredentials: ref(keys.applicationCredentials) };
      break;
    case 'google-gke':
      creds.googleCredentials = { gkeEnvironment: true };
      break;
  }
  const wal = {
    compression: write?.walCompression,
    encryption: write?.encryption,
    maxParallel: store.walMaxParallel,
  };
  return {
    destinationPath: store.destinationPath,
    endpointUrl: store.endpointUrl,
    endpointCa: store.endpointCa ? { name: store.endpointCa.secretName, key: store.endpointCa.key ?? 'ca.crt' } : undefined,
    ...creds,
    wal: write || Object.values(wal).some((v) => v !== undefined) ? wal : undefined,
    data: write ? {
      compression: write.dataCompression,
      encryption: write.encryption,
      jobs: write.jobs,
      immediateCheckpoint: write.immediateCheckpoint,
    } : undefined,
  };
}

/** The ExternalSecrets written per chart, by `namespace/secretName`: one Secret, one writer. */
const CREDENTIAL_SECRETS = new WeakMap<Chart, Map<string, { signature: string; sync: ExternalSecretSync; path: string }>>();

/**
 * The ExternalSecret that fills the credentials' Secret from the secret store, when they come
 * from there (undefined otherwise). Two constructs that need the same Secret (a backup and a
 * recovery source in one namespace) share one ExternalSecret; the same Secret name with other
 * contents is an error. @internal
 */
export function provisionCredentials(scope: IConstruct, field: string, cluster: ICnpgCluster, hooks: ClusterHooks,
  store: ResolvedObjectStore, feature: string): ExternalSecretSync | undefined {
  const credentials = store.credentials;
  if (credentials.remoteKey === undefined || store.credentialsSecretName === undefined) return undefined;
  const entries = credentials._secretKeys().map(([, key]) => ({ secretKey: key, remoteKey: credentials.remoteKey!, property: key }));
  const signature = JSON.stringify(entries);
  const chart = Chart.of(scope);
  let written = CREDENTIAL_SECRETS.get(chart);
  if (!written) {
    written = new Map();
    CREDENTIAL_SECRETS.set(chart, written);
  }
  const key = `${cluster.namespace}/${store.credentialsSecretName}`;
  const existing = written.get(key);
  if (existing) {
    if (existing.signature !== signature) {
      throw invalidInput(scope, `${field}.secretName`, store.credentialsSecretName,
        `is already filled with other keys from the secret store by ${existing.path}`, 'give these credentials another secretName, or the same remoteKey and keys');
    }
    return existing.sync;
  }
  const sync = new ExternalSecretSync(scope, 'Credentials', {
    store: hooks._requireSecretStore(feature),
    secretName: store.credentialsSecretName,
    namespace: cluster.namespace,
    labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'credentials' },
    entries,
  });
  written.set(key, { signature, sync, path: scope.node.path });
  return sync;
}

/** True when two stores name the same archive folder (same destination and server name). @internal */
export function sameArchive(a: { destinationPath: string; serverName: string }, b: { destinationPath: string; serverName: string }): boolean {
  const norm = (p: string) => p.replace(/\/+$/, '');
  return norm(a.destinationPath) === norm(b.destinationPath) && a.serverName === b.serverName;
}

function scheme(provider: ObjectStoreProvider): string {
  return provider === ObjectStoreProvider.GOOGLE ? 'gs://' : 's3://';
}

function validateDestination(scope: IConstruct, field: string, path: string, provider: ObjectStoreProvider): void {
  if (containsFluxVariable(path)) return;
  const ok = {
    [ObjectStoreProvider.S3]: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/,
    [ObjectStoreProvider.GOOGLE]: /^gs:\/\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9](\/[^\s]*)?$/,
    [ObjectStoreProvider.AZURE]: /^https?:\/\/[^\s/]+\/[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9](\/[^\s]*)?$/,
  }[provider];
  if (!ok.test(path)) {
    const example = {
      [ObjectStoreProvider.S3]: '"s3://monosense-cnpg/shared-postgres", or only bucket',
      [ObjectStoreProvider.GOOGLE]: '"gs://monosense-cnpg/shared-postgres", or only bucket',
      [ObjectStoreProvider.AZURE]: '"https://<account>.blob.core.windows.net/<container>/shared-postgres"',
    }[provider];
    const what = {
      [ObjectStoreProvider.S3]: 'an s3://bucket/path URL',
      [ObjectStoreProvider.GOOGLE]: 'a gs://bucket/path URL (Google Cloud Storage credentials)',
      [ObjectStoreProvider.AZURE]: 'an https://<account>.blob.core.windows.net/<container>/path URL (Azure Blob Storage credentials)',
    }[provider];
    throw invalidInput(scope, field, path, `is not ${what}`,
      `give e.g. ${example}`);
  }
}

/** Checks an http(s) endpoint URL without credentials in it. @internal */
export function validateEndpoint(scope: IConstruct, field: string, url: string): void {
  if (containsFluxVariable(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(scope, field, url, 'is not a URL', `give an http(s) URL such as "https://${url.replace(/^[a-z]+:\/\//, '') || 'minio.example.com:9000'}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidInput(scope, field, url, `is a ${parsed.protocol.replace(':', '')} URL, not http(s)`, 'give an http(s) URL such as "https://minio.example.com:9000"');
  }
  if (parsed.username || parsed.password) {
    throw invalidInput(scope, field, url.replace(/\/\/[^@]*@/, '//***@'), 'carries credentials', 'remove them from the URL: the keys come from credentials');
  }
}
