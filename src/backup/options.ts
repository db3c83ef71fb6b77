import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { checkArgs } from '../core/prop-check';


/** Compression of base backups and WAL files in the object store (barman-cloud `--<algorithm>`). */
export enum BackupCompression {
  /** No compression. */
  NONE = 'none',
  /** gzip: in Python's standard library, so every barman-cloud image has it. */
  GZIP = 'gzip',
  /** bzip2: smaller, slower. */
  BZIP2 = 'bzip2',
  /** lz4: fast (the in-tree method accepts it for base backups from CNPG 1.30 on). */
  LZ4 = 'lz4',
  /** snappy: fast. */
  SNAPPY = 'snappy',
  /** xz: WAL files only. */
  XZ = 'xz',
  /** zstd: WAL files only. */
  ZSTD = 'zstd',
}

/** Compressions the CRDs accept for base backups (`data.compression`). @internal */
export const DATA_COMPRESSIONS = [
  BackupCompression.NONE, BackupCompression.GZIP, BackupCompression.BZIP2, BackupCompression.LZ4, BackupCompression.SNAPPY,
];

/** Server-side encryption of what barman-cloud uploads (S3 `x-amz-server-side-encryption`). */
export enum ServerSideEncryption {
  /**
   * SSE-S3, keys managed by the object store. MinIO serves it only with a KMS (KES) configured:
   * without one, uploads fail, which the validation job reports.
   */
  AES256 = 'AES256',
  /** SSE-KMS, keys in the provider's KMS (the bucket's default key unless barman is told otherwise). */
  AWS_KMS = 'aws:kms',
  /**
   * No header: the bucket's own policy decides. Only for object stores that cannot encrypt, or
   * that encrypt every object by bucket policy.
   */
  BUCKET_DEFAULT = 'bucket-default',
}

/** Which instance takes the scheduled base backups. */
export enum BackupTarget {
  /** The most up-to-date standby when there is one, so the primary is not loaded. */
  PREFER_STANDBY = 'prefer-standby',
  /** Always the primary. */
  PRIMARY = 'primary',
}

/**
 * How long backups and WAL are kept: a barman recovery window, in CloudNativePG's notation
 * (`30d`, `4w`, `6m`; the form `^[1-9][0-9]*[dwm]$` the CRDs require). Barman counts a month as
 * 31 days.
 */
export class BackupRetention {
  /** Keep `n` days of backups and WAL (`<n>d`). */
  public static days(n: number): BackupRetention {
    checkArgs('BackupRetention.days', [n]);
    return new BackupRetention(`${n}d`);
  }

  /** Keep `n` weeks (`<n>w`). */
  public static weeks(n: number): BackupRetention {
    checkArgs('BackupRetention.weeks', [n]);
    return new BackupRetention(`${n}w`);
  }

  /** Keep `n` months of 31 days (`<n>m`). */
  public static months(n: number): BackupRetention {
    checkArgs('BackupRetention.months', [n]);
    return new BackupRetention(`${n}m`);
  }

  /**
   * A policy in CloudNativePG's notation, e.g. `30d`, or a Flux variable.
   */
  public static of(policy: string): BackupRetention {
    checkArgs('BackupRetention.of', [policy]);
    return new BackupRetention(String(policy));
  }

  /** The policy as written into the manifests, e.g. `30d`. */
  public readonly policy: string;

  private constructor(policy: string) {
    this.policy = policy;
  }

  /** True when the policy holds a Flux variable. */
  public get isUnresolved(): boolean {
    return containsFluxVariable(this.policy);
  }

  /** The recovery window in days (`4w` gives 28, `1m` 31), or undefined when unresolved or invalid. */
  public get recoveryWindowDays(): number | undefined {
    const m = /^([1-9][0-9]*)([dwm])$/.exec(this.policy);
    if (!m) return undefined;
    return Number(m[1]) * { d: 1, w: 7, m: 31 }[m[2] as 'd' | 'w' | 'm'];
  }

  /** The policy. */
  public toString(): string {
    return this.policy;
  }

  /** @internal */
  public _validate(scope: IConstruct, field: string): void {
    if (this.isUnresolved) {
      throw invalidInput(scope, field, this.policy, 'is a Flux variable, but the ObjectStore schema requires the pattern ^[1-9][0-9]*[dwm]$ and the alert windows are derived from it',
        'give the value, e.g. BackupRetention.days(30)');
    }
    if (!/^[1-9][0-9]*[dwm]$/.test(this.policy)) {
      throw invalidInput(scope, field, this.policy, 'is not a CloudNativePG retention policy (a positive number followed by d, w or m, e.g. "30d")',
        'use BackupRetention.days(30), BackupRetention.weeks(4) or BackupRetention.months(3)');
    }
  }
}

/** The keys of the Secret that holds the S3 access keys. */
export interface BackupCredentialsKeys {
  /**
   * The Secret key (and, from the secret store, the item's field) of the access key id.
   *
   * @default 'ACCESS_KEY_ID'
   */
  readonly accessKeyIdKey?: string;
  /**
   * The Secret key (and, from the secret store, the item's field) of the secret access key.
   *
   * @default 'SECRET_ACCESS_KEY'
   */
  readonly secretAccessKeyKey?: string;
  /**
   * The Secret key (and, from the secret store, the item's field) holding the S3 region, for a
   * service that needs one (barman reads the region only from a Secret: `s3Credentials.region`).
   *
   * @default - none: the endpoint's default region
   */
  readonly regionKey?: string;
  /**
   * The Secret key (and, from the secret store, the item's field) of a session token, for
   * temporary credentials.
   *
   * @default - none
   */
  readonly sessionTokenKey?: string;
}

/** The Secret that an ExternalSecret fills with the S3 access keys. */
export interface BackupCredentialsOptions extends BackupCredentialsKeys {
  /**
   * The Kubernetes Secret's name.
   *
   * @default - `<cluster>-backup-s3`
   */
  readonly secretName?: string;
}

/** The S3 identity of an IAM role instead of keys (`s3Credentials.inheritFromIAMRole`). */
export interface IamRoleCredentialsOptions {
  /**
   * The role to assume through IRSA (EKS IAM roles for service accounts): written as the
   * `eks.amazonaws.com/role-arn` annotation of the cluster's ServiceAccount
   * (`spec.serviceAccountTemplate`), which the instances, the plugin's sidecar and the
   * validation job run as.
   *
   * @default - none: the node's instance profile, or a role bound to the ServiceAccount elsewhere
   * (EKS Pod Identity)
   */
  readonly roleArn?: string;
}

/** Where the Secret of an Azure Blob Storage or Google Cloud Storage credential comes from. */
export interface CloudCredentialsSecretOptions {
  /**
   * The item's path in the platform's secret store: an ExternalSecret fills the Secret from it.
   *
   * @default - none: the Secret exists already (SOPS, Sealed Secrets, a plain Secret)
   */
  readonly remoteKey?: string;
  /**
   * The Kubernetes Secret's name. Required when the Secret exists already (no `remoteKey`).
   *
   * @default - `<cluster>-backup-azure` or `<cluster>-backup-gcs` when filled from the store
   */
  readonly secretName?: string;
}

/** The keys of an Azure Blob Storage credential. */
export interface AzureCredentialsOptions extends CloudCredentialsSecretOptions {
  /**
   * The Secret key of the storage account's name.
   *
   * @default 'AZURE_STORAGE_ACCOUNT'
   */
  readonly storageAccountKey?: string;
  /**
   * The Secret key of the storage account key (`azureStorageKey`) or of the SAS token
   * (`azureSasToken`).
   *
   * @default 'AZURE_STORAGE_KEY', or 'AZURE_STORAGE_SAS_TOKEN' for a SAS token
   */
  readonly credentialKey?: string;
}

/** The key of an Azure Blob Storage connection string. */
export interface AzureConnectionStringOptions extends CloudCredentialsSecretOptions {
  /**
   * The Secret key of the connection string.
   *
   * @default 'AZURE_CONNECTION_STRING'
   */
  readonly connectionStringKey?: string;
}

/** The key of a Google Cloud service-account JSON file. */
export interface GoogleCredentialsOptions extends CloudCredentialsSecretOptions {
  /**
   * The Secret key holding the service account's JSON key file.
   *
   * @default 'application_credentials.json'
   */
  readonly key?: string;
}

/** The object store a credential is for (it decides the destination path's scheme). */
export enum ObjectStoreProvider {
  /** Amazon S3 and S3-compatible stores (MinIO, Ceph RGW, R2...): `s3://bucket/path`. */
  S3 = 's3',
  /** Azure Blob Storage: `https://<account>.blob.core.windows.net/<container>/path`. */
  AZURE = 'azure',
  /** Google Cloud Storage: `gs://bucket/path`. */
  GOOGLE = 'google',
}

/** @internal */
export type CredentialKind = 's3-keys' | 'iam-role' | 'azure-key' | 'azure-sas' | 'azure-connection-string' | 'azure-ad' | 'azure-default'
| 'google-json' | 'google-gke';

/** @internal */
export interface CredentialsSpec {
  readonly kind: CredentialKind;
  readonly remoteKey?: string;
  readonly secretName?: string;
  readonly keys: { [field: string]: string | undefined };
  readonly roleArn?: string;
}

/**
 * Who the backups talk to the object store as: S3 keys (from the secret store or an existing
 * Secret), an IAM role, or Azure Blob Storage and Google Cloud Storage credentials. The same
 * object describes a backup's credentials and a recovery source's (`BackupSource.objectStore`).
 */
export class BackupCredentials {
  /**
   * S3 keys from the platform's secret store (an ExternalSecret fills the Secret): the
   * reference platform reads `CNPG_MINIO_SECRET_PATH` into `cnpg-minio-credentials`.
   *
   * @param remoteKey the item's path in the store, e.g. `kubernetes/infra/cloudnative-pg/minio`
   */
  public static fromSecretStore(remoteKey: string, options: BackupCredentialsOptions = {}): BackupCredentials {
    checkArgs('BackupCredentials.fromSecretStore', [remoteKey, options]);
    return new BackupCredentials({ kind: 's3-keys', remoteKey, secretName: options.secretName, keys: s3Keys(options) });
  }

  /**
   * S3 keys in an existing Secret of the cluster's namespace (written by SOPS, Sealed Secrets, or
   * by hand): nothing is written for it.
   *
   * @param name the Secret's name
   */
  public static fromSecret(name: string, keys: BackupCredentialsKeys = {}): BackupCredentials {
    checkArgs('BackupCredentials.fromSecret', [name, keys]);
    return new BackupCredentials({ kind: 's3-keys', secretName: name, keys: s3Keys(keys) });
  }

  /**
   * No keys: barman uses the IAM role of the pod (IRSA, EKS Pod Identity) or of the node
   * (`s3Credentials.inheritFromIAMRole: true`).
   */
  public static fromIamRole(options: IamRoleCredentialsOptions = {}): BackupCredentials {
    checkArgs('BackupCredentials.fromIamRole', [options]);
    return new BackupCredentials({ kind: 'iam-role', keys: {}, roleArn: options.roleArn });
  }

  /** Azure Blob Storage with a storage account name and key (`azureCredentials.storageAccount` and `storageKey`). */
  public static azureStorageKey(options: AzureCredentialsOptions = {}): BackupCredentials {
    checkArgs('BackupCredentials.azureStorageKey', [options]);
    return new BackupCredentials({
      kind: 'azure-key',
      remoteKey: options.remoteKey,
      secretName: options.secretName,
      keys: { storageAccount: options.storageAccountKey ?? 'AZURE_STORAGE_ACCOUNT', storageKey: options.credentialKey ?? 'AZURE_STORAGE_KEY' },
    });
  }

  /** Azure Blob Storage with a storage account name and a shared-access-signature token (`storageSasToken`). */
  public static azureSasToken(options: AzureCredentialsOptions = {}): BackupCredentials {
    checkArgs('BackupCredentials.azureSasToken', [options]);
    return new BackupCredentials({
      kind: 'azure-sas',
      remoteKey: options.remoteKey,
      secretName: options.secretName,
      keys: { storageAccount: options.storageAccountKey ?? 'AZURE_STORAGE_ACCOUNT', storageSasToken: options.credentialKey ?? 'AZURE_STORAGE_SAS_TOKEN' },
    });
  }

  /** Azure Blob Storage with a connection string (`azureCredentials.connectionString`). */
  public static azureConnectionString(options: AzureConnectionStringOptions = {}): BackupCredentials {
    checkArgs('BackupCredentials.azureConnectionString', [options]);
    return new BackupCredentials({
      kind: 'azure-connection-string',
      remoteKey: options.remoteKey,
      secretName: options.secretName,
      keys: { connectionString: options.connectionStringKey ?? 'AZURE_CONNECTION_STRING' },
    });
  }

  /** Azure Blob Storage through the pod's Azure AD workload identity (`azureCredentials.inheritFromAzureAD`). */
  public static azureWorkloadIdentity(): BackupCredentials {
    return new BackupCredentials({ kind: 'azure-ad', keys: {} });
  }

  /**
   * Azure Blob Storage through Azure's DefaultAzureCredential chain (environment, managed
   * identity...: `azureCredentials.useDefaultAzureCredentials`). The in-tree method has the field
   * only in the CloudNativePG releases whose CRD lists it.
   */
  public static azureDefaultCredentials(): BackupCredentials {
    return new BackupCredentials({ kind: 'azure-default', keys: {} });
  }

  /** Google Cloud Storage with a service account's JSON key (`googleCredentials.applicationCredentials`). */
  public static googleServiceAccountKey(options: GoogleCredentialsOptions = {}): BackupCredentials {
    checkArgs('BackupCredentials.googleServiceAccountKey', [options]);
    return new BackupCredentials({
      kind: 'google-json',
      remoteKey: options.remoteKey,
      secretName: options.secretName,
      keys: { applicationCredentials: options.key ?? 'application_credentials.json' },
    });
  }

  /** Google Cloud Storage through GKE Workload Identity (`googleCredentials.gkeEnvironment: true`). */
  public static googleWorkloadIdentity(): BackupCredentials {
    return new BackupCredentials({ kind: 'google-gke', keys: {} });
  }

  /** The item path in the secret store, when the Secret is filled from there. */
  public readonly remoteKey?: string;
  /** The Secret name, when chosen. */
  public readonly secretName?: string;
  /** The Secret key of the S3 access key id (S3 keys only). */
  public readonly accessKeyIdKey: string;
  /** The Secret key of the S3 secret access key (S3 keys only). */
  public readonly secretAccessKeyKey: string;
  /** The object store these credentials are for. */
  public readonly provider: ObjectStoreProvider;
  /** The IAM role written on the cluster's ServiceAccount (IRSA), when given. */
  public readonly roleArn?: string;

  /** @internal */
  public readonly _spec: CredentialsSpec;

  private constructor(spec: CredentialsSpec) {
    this._spec = spec;
    this.remoteKey = spec.remoteKey;
    this.secretName = spec.secretName;
    this.accessKeyIdKey = spec.keys.accessKeyId ?? 'ACCESS_KEY_ID';
    this.secretAccessKeyKey = spec.keys.secretAccessKey ?? 'SECRET_ACCESS_KEY';
    this.roleArn = spec.roleArn;
    this.provider = spec.kind.startsWith('azure') ? ObjectStoreProvider.AZURE
      : spec.kind.startsWith('google') ? ObjectStoreProvider.GOOGLE : ObjectStoreProvider.S3;
  }

  /** True when a Secret holds the credentials (false for inherited identities: IAM role, Azure AD, GKE). */
  public get usesSecret(): boolean {
    return Object.keys(this._spec.keys).length > 0;
  }

  /**
   * The Secret keys the object store reads, by barman field (`accessKeyId`, `storageAccount`...).
   * @internal
   */
  public _secretKeys(): Array<[string, string]> {
    return Object.entries(this._spec.keys).filter((e): e is [string, string] => e[1] !== undefined);
  }

  /** @internal */
  public _validate(scope: IConstruct, field: string): void {
    if (this.secretName !== undefined) validateName(scope, `${field}.secretName`, this.secretName, { maxLength: 253 });
    if (this.usesSecret && this.remoteKey === undefined && this.secretName === undefined) {
      throw invalidInput(scope, `${field}.secretName`, undefined, 'is required: the credentials come from an existing Secret, and no remoteKey fills one from the secret store',
        'give the existing Secret\'s name (secretName: "azure-backup"), or remoteKey to fill it from the store');
    }
    if (this.remoteKey !== undefined && (typeof this.remoteKey !== 'string' || this.remoteKey.trim() === '')) {
      throw invalidInput(scope, `${field}.remoteKey`, this.remoteKey, 'is empty', 'give the item\'s path in the secret store, e.g. "kubernetes/infra/cloudnative-pg/minio"');
    }
    const seen = new Map<string, string>();
    for (const [k, v] of this._secretKeys()) {
      const prop = `${k}Key`;
      if (!/^[-._a-zA-Z0-9]+$/.test(v)) {
        throw invalidInput(scope, `${field}.${prop}`, v, 'is not a valid Secret key', 'use letters, digits, "-", "_" and ".", e.g. "ACCESS_KEY_ID"');
      }
      if (seen.has(v)) {
        throw invalidInput(scope, `${field}.${prop}`, v, `is the same key as ${seen.get(v)}`, 'give each value its own Secret key');
      }
      seen.set(v, prop);
    }
    if (this.roleArn !== undefined && !containsFluxVariable(this.roleArn) && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(this.roleArn)) {
      throw invalidInput(scope, `${field}.roleArn`, this.roleArn, 'is not an IAM role ARN', 'give "arn:aws:iam::<account id>:role/<name>"');
    }
  }
}

function s3Keys(keys: BackupCredentialsKeys): { [field: string]: string | undefined } {
  return {
    accessKeyId: keys.accessKeyIdKey ?? 'ACCESS_KEY_ID',
    secretAccessKey: keys.secretAccessKeyKey ?? 'SECRET_ACCESS_KEY',
    region: keys.regionKey,
    sessionToken: keys.sessionTokenKey,
  };
}

/** The CA bundle that signed the object store's TLS certificate (a private MinIO, for instance). */
export interface BackupEndpointCa {
  /** The Secret (in the cluster's namespace) holding the CA bundle. */
  readonly secretName: string;
  /**
   * The key of the CA bundle in the Secret.
   *
   * @default 'ca.crt'
   */
  readonly key?: string;
}
