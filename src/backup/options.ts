import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';


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
    return new BackupRetention(`${n}d`);
  }

  /** Keep `n` weeks (`<n>w`). */
  public static weeks(n: number): BackupRetention {
    return new BackupRetention(`${n}w`);
  }

  /** Keep `n` months of 31 days (`<n>m`). */
  public static months(n: number): BackupRetention {
    return new BackupRetention(`${n}m`);
  }

  /**
   * A policy in CloudNativePG's notation, e.g. `30d`, or a Flux variable.
   */
  public static of(policy: string): BackupRetention {
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

/** Where the S3 access keys of the backups come from. */
export class BackupCredentials {
  /**
   * The keys come from the platform's secret store (an ExternalSecret fills the Secret): the
   * reference platform reads `CNPG_MINIO_SECRET_PATH` into `cnpg-minio-credentials`.
   *
   * @param remoteKey the item's path in the store, e.g. `kubernetes/infra/cloudnative-pg/minio`
   */
  public static fromSecretStore(remoteKey: string, options: BackupCredentialsOptions = {}): BackupCredentials {
    return new BackupCredentials(remoteKey, options);
  }

  /**
   * The keys are in an existing Secret of the cluster's namespace.
   *
   * @param name the Secret's name
   */
  public static fromSecret(name: string, keys: BackupCredentialsKeys = {}): BackupCredentials {
    return new BackupCredentials(undefined, { ...keys, secretName: name });
  }

  /** The item path in the secret store, when the keys come from there. */
  public readonly remoteKey?: string;
  /** The Secret name, when chosen. */
  public readonly secretName?: string;
  /** The Secret key of the access key id. */
  public readonly accessKeyIdKey: string;
  /** The Secret key of the secret access key. */
  public readonly secretAccessKeyKey: string;

  private constructor(remoteKey: string | undefined, options: BackupCredentialsOptions) {
    this.remoteKey = remoteKey;
    this.secretName = options.secretName;
    this.accessKeyIdKey = options.accessKeyIdKey ?? 'ACCESS_KEY_ID';
    this.secretAccessKeyKey = options.secretAccessKeyKey ?? 'SECRET_ACCESS_KEY';
  }

  /** @internal */
  public _validate(scope: IConstruct, field: string): void {
    if (this.secretName !== undefined) validateName(scope, `${field}.secretName`, this.secretName, { maxLength: 253 });
    for (const [k, v] of [['accessKeyIdKey', this.accessKeyIdKey], ['secretAccessKeyKey', this.secretAccessKeyKey]] as const) {
      if (!/^[-._a-zA-Z0-9]+$/.test(v)) {
        throw invalidInput(scope, `${field}.${k}`, v, 'is not a valid Secret key', 'use letters, digits, "-", "_" and ".", e.g. "ACCESS_KEY_ID"');
      }
    }
    if (this.accessKeyIdKey === this.secretAccessKeyKey) {
      throw invalidInput(scope, `${field}.secretAccessKeyKey`, this.secretAccessKeyKey, 'is the same key as accessKeyIdKey', 'give the two keys distinct names');
    }
  }
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
