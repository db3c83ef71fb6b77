import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IClusterBackup, RecoverySourceEntry } from './backup-ref';
import {
  BackupCompression, BackupCredentials, BackupEndpointCa, BackupRetention, BackupTarget,
  DATA_COMPRESSIONS, ServerSideEncryption,
} from './options';
import { RestoreProbe, RestoreProbeOptions } from './restore-probe';
import { BackupSchedule } from './schedule';
import { BackupValidationJob, BackupValidationOptions } from './validation-job';
import { scheduledBackupScheduleProblems } from '../checks/backup-schedule';
import { BackupMethod } from '../cluster/attachments';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import * as barman from '../imports/barman-objectstore-barmancloud.cnpg.io';
import * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import * as sb from '../imports/cnpg-scheduledbackup-postgresql.cnpg.io';
import { ExternalSecretSync } from '../secrets/external-secret';
import { BARMAN_CLOUD_PLUGIN, CNPG_FIELDS } from '../versions/features';

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Options of a cluster's backups ({@link CnpgSharedCluster.addBackup}). */
export interface ClusterBackupOptions {
  /**
   * How base backups and WAL reach the object store.
   *
   * @default BackupMethod.PLUGIN - the Barman Cloud plugin; the in-tree
   * `BackupMethod.BARMAN_OBJECT_STORE` is deprecated since CloudNativePG 1.26
   */
  readonly method?: BackupMethod;

  /**
   * The S3 bucket: only its name, e.g. `monosense-cnpg` (not an `s3://` URL).
   *
   * @default - `settings.backupBucket` (`CNPG_BACKUP_BUCKET`); required otherwise
   */
  readonly bucket?: string;

  /**
   * The full destination, `s3://<bucket>/<path>`. Barman writes under `<destinationPath>/<serverName>/`.
   *
   * @default - `s3://<bucket>/<cluster>`
   */
  readonly destinationPath?: string;

  /**
   * The barman server name: the folder under `destinationPath`.
   *
   * @default - the cluster's name
   */
  readonly serverName?: string;

  /**
   * The S3 endpoint of an S3-compatible store (MinIO), e.g. `https://minio.storage:9000`.
   *
   * @default - `settings.backupEndpointUrl` (`CNPG_MINIO_ENDPOINT_URL`); otherwise AWS S3
   */
  readonly endpointUrl?: string;

  /**
   * The CA bundle of an endpoint with a private certificate.
   *
   * @default - the images' trust stores
   */
  readonly endpointCa?: BackupEndpointCa;

  /**
   * The S3 access keys.
   *
   * @default - from the secret store at `settings.backupCredentialsPath` (`CNPG_MINIO_SECRET_PATH`),
   * into the Secret `<cluster>-backup-s3`; required otherwise
   */
  readonly credentials?: BackupCredentials;

  /**
   * Compression of base backups.
   *
   * @default BackupCompression.GZIP - in every barman-cloud image
   */
  readonly dataCompression?: BackupCompression;

  /**
   * Compression of WAL files.
   *
   * @default BackupCompression.GZIP
   */
  readonly walCompression?: BackupCompression;

  /**
   * Server-side encryption of base backups and WAL.
   *
   * @default ServerSideEncryption.AES256 - backups hold every application's data; MinIO needs a
   * KMS for it
   */
  readonly encryption?: ServerSideEncryption;

  /**
   * Files uploaded in parallel by a base backup (`data.jobs`).
   *
   * @default 2
   */
  readonly parallelism?: number;

  /**
   * WAL files archived (and restored) in parallel (`wal.maxParallel`).
   *
   * @default - one at a time
   */
  readonly walMaxParallel?: number;

  /**
   * Whether a base backup starts with an immediate checkpoint instead of a spread one (which
   * can delay the start by up to checkpoint_timeout × checkpoint_completion_target).
   *
   * @default true - the backup starts at once and stays inside its window
   */
  readonly immediateCheckpoint?: boolean;

  /**
   * How long backups and WAL are kept. Written as a value even in Flux-variables mode: the
   * alert windows are derived from it.
   *
   * @default - `settings` `CNPG_BACKUP_RETENTION`, otherwise BackupRetention.days(30)
   */
  readonly retention?: BackupRetention;

  /**
   * When base backups run (CloudNativePG's six-field format, seconds first). Written as a value
   * even in Flux-variables mode: the validation job's schedule and the alert windows are
   * derived from it, and a variable would let them drift apart.
   *
   * @default - `settings` `CNPG_BACKUP_SCHEDULE`, otherwise BackupSchedule.DAILY_AT_2 (`0 0 2 * * *`)
   */
  readonly schedule?: BackupSchedule;

  /**
   * Which instance takes the scheduled backups.
   *
   * @default BackupTarget.PREFER_STANDBY - spares the primary
   */
  readonly target?: BackupTarget;

  /**
   * Whether a first backup is taken as soon as the ScheduledBackup is created.
   *
   * @default false
   */
  readonly immediate?: boolean;

  /**
   * Whether scheduled backups are suspended.
   *
   * @default false
   */
  readonly suspend?: boolean;

  /**
   * How long a base backup may take: the validation job runs this long after a backup, and a
   * backup not finished by then counts as missed.
   *
   * @default Duration.hours(1)
   */
  readonly backupWindow?: Duration;

  /**
   * The backup-validation CronJob.
   *
   * @default - enabled, derived from the schedule
   */
  readonly validation?: BackupValidationOptions;

  /**
   * A recovery Cluster that proves the newest backup restores.
   *
   * @default - disabled
   */
  readonly restoreProbe?: RestoreProbeOptions;
}

/** Props of {@link ClusterBackup}. */
export interface ClusterBackupProps extends ClusterBackupOptions {
  /** The cluster to back up. */
  readonly cluster: ICnpgCluster;
}

/**
 * Continuous backups of a {@link CnpgSharedCluster} to S3-compatible storage (MinIO first),
 * that cannot fail silently:
 *
 * - an `ObjectStore` (Barman Cloud plugin) with compression, server-side encryption and a
 *   retention policy, made the cluster's WAL archiver through `spec.plugins` (or, deprecated,
 *   the in-tree `spec.backup.barmanObjectStore`);
 * - the S3 keys from the secret store (an ExternalSecret);
 * - a `ScheduledBackup` in CloudNativePG's six-field format (`0 0 2 * * *` by default), owned by
 *   its Backups, on a standby;
 * - a hardened CronJob that checks the newest base backup and WAL after each backup window;
 * - optionally a recovery Cluster that proves the newest backup restores.
 *
 * The backup method is chosen once, here: the ScheduledBackup's `method`, the Cluster's spec
 * and the monitoring's metric names ({@link CnpgSharedCluster.backup}) all follow it.
 */
export class ClusterBackup extends Construct implements IClusterBackup {
  /** The backed-up cluster. */
  public readonly cluster: ICnpgCluster;
  /** The backup method. */
  public readonly method: BackupMethod;
  /** The schedule of base backups. */
  public readonly schedule: BackupSchedule;
  /** The retention policy. */
  public readonly retention: BackupRetention;
  /** `s3://bucket/path`. */
  public readonly destinationPath: string;
  /** The barman server name (the folder under destinationPath). */
  public readonly serverName: string;
  /** The S3 endpoint, when not AWS. */
  public readonly endpointUrl?: string;
  /** The Secret with the S3 keys. */
  public readonly credentialsSecretName: string;
  /** The ObjectStore's name (plugin method only). */
  public readonly objectStoreName?: string;
  /** The ScheduledBackup's name. */
  public readonly scheduledBackupName: string;
  /** The validation job, when enabled. */
  public readonly validationJob?: BackupValidationJob;
  /** The restore probe, when enabled. */
  public readonly restoreProbe?: RestoreProbe;
  /**
   * The ObjectStore as written (plugin method), for escape hatches in the CRD's field names
   * (`backup.objectStore?.addOverride('spec.configuration.s3Credentials.region.name', 'eu')`).
   */
  public readonly objectStore?: CheckedApiObject;
  /** The ScheduledBackup as written; checked at synth against the targeted release's CRD. */
  public readonly scheduledBackup: CheckedApiObject;
  /** The ExternalSecret of the S3 keys, when they come from the secret store. */
  public readonly credentials?: ExternalSecretSync;

  private readonly configuration: Record<string, any>;

  constructor(scope: Construct, id: string, props: ClusterBackupProps) {
    super(scope, id);
    const cluster = props.cluster;
    const hooks = clusterHooks(this, 'cluster', cluster);
    this.cluster = cluster;
    const settings = cluster.settings;

    this.method = props.method ?? BackupMethod.PLUGIN;
    if (!Object.values(BackupMethod).includes(this.method)) {
      throw invalidInput(this, 'method', this.method, 'is not a backup method', 'use BackupMethod.PLUGIN (the default) or BackupMethod.BARMAN_OBJECT_STORE');
    }

    // Where.
    const bucket = props.bucket ?? settings?.backupBucket;
    if (props.destinationPath === undefined) {
      if (bucket === undefined) {
        throw invalidInput(this, 'bucket', undefined, 'is required (no destinationPath and no CNPG_BACKUP_BUCKET in the settings)',
          'give the bucket name, e.g. bucket: "monosense-cnpg"');
      }
      if (!containsFluxVariable(bucket)) {
        if (bucket.includes('://')) {
          throw invalidInput(this, 'bucket', bucket, 'is a URL, not a bucket name',
            `give only the bucket name, e.g. "${bucket.replace(/^[a-z0-9]+:\/\//, '').split('/')[0]}" (the path s3://<bucket>/<cluster> is derived), or set destinationPath`);
        }
        if (!S3_BUCKET.test(bucket)) {
          throw invalidInput(this, 'bucket', bucket, 'is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-")', 'give a bucket name such as "monosense-cnpg"');
        }
      }
    }
    this.destinationPath = props.destinationPath ?? `s3://${bucket}/${cluster.clusterName}`;
    if (!containsFluxVariable(this.destinationPath) && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/.test(this.destinationPath)) {
      throw invalidInput(this, 'destinationPath', this.destinationPath, 'is not an s3://bucket/path URL', 'give e.g. "s3://monosense-cnpg/shared-postgres", or only bucket');
    }
    this.serverName = props.serverName ?? cluster.clusterName;
    validateName(this, 'serverName', this.serverName, { maxLength: 253 });

    this.endpointUrl = props.endpointUrl ?? settings?.backupEndpointUrl;
    if (this.endpointUrl !== undefined) validateEndpoint(this, this.endpointUrl);
    if (props.endpointCa) {
      validateName(this, 'endpointCa.secretName', props.endpointCa.secretName, { maxLength: 253 });
      if (props.endpointCa.key !== undefined && !/^[-._a-zA-Z0-9]+$/.test(props.endpointCa.key)) {
        throw invalidInput(this, 'endpointCa.key', props.endpointCa.key, 'is not a valid Secret key', 'give the key of the CA bundle, e.g. "ca.crt"');
      }
    }

    // Credentials.
    const credentials = props.credentials
      ?? (settings?.backupCredentialsPath !== undefined ? BackupCredentials.fromSecretStore(settings.backupCredentialsPath) : undefined);
    if (!credentials) {
      throw invalidInput(this, 'credentials', undefined, 'are required (no CNPG_MINIO_SECRET_PATH in the settings)',
        'give BackupCredentials.fromSecretStore("kubernetes/infra/cloudnative-pg/minio") or BackupCredentials.fromSecret("<secret>")');
    }
    credentials._validate(this, 'credentials');
    this.credentialsSecretName = credentials.secretName ?? `${cluster.clusterName}-backup-s3`;
    validateName(this, 'credentials.secretName', this.credentialsSecretName, { maxLength: 253 });
    const labels = { ...cluster.commonLabels, 'app.kubernetes.io/component': 'backup' };
    if (credentials.remoteKey !== undefined) {
      this.credentials = new ExternalSecretSync(this, 'Credentials', {
        store: hooks._requireSecretStore('backup credentials'),
        secretName: this.credentialsSecretName,
        namespace: cluster.namespace,
        labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'credentials' },
        entries: [
          { secretKey: credentials.accessKeyIdKey, remoteKey: credentials.remoteKey, property: credentials.accessKeyIdKey },
          { secretKey: credentials.secretAccessKeyKey, remoteKey: credentials.remoteKey, property: credentials.secretAccessKeyKey },
        ],
      });
    }

    // What is uploaded, how.
    const dataCompression = props.dataCompression ?? BackupCompression.GZIP;
    const walCompression = props.walCompression ?? BackupCompression.GZIP;
    checkEnum(this, 'walCompression', walCompression, Object.values(BackupCompression), 'use a BackupCompression, e.g. BackupCompression.GZIP');
    checkEnum(this, 'dataCompression', dataCompression, DATA_COMPRESSIONS,
      'use NONE, GZIP, BZIP2, LZ4 or SNAPPY: base backups cannot be compressed with xz or zstd');
    if (this.method === BackupMethod.BARMAN_OBJECT_STORE && dataCompression === BackupCompression.LZ4) {
      hooks._requireOperatorVersion(this, 'dataCompression', dataCompression, CNPG_FIELDS.barmanLz4Compression);
    }
    const encryption = props.encryption ?? ServerSideEncryption.AES256;
    checkEnum(this, 'encryption', encryption, Object.values(ServerSideEncryption),
      'use ServerSideEncryption.AES256 (the default), ServerSideEncryption.AWS_KMS, or ServerSideEncryption.BUCKET_DEFAULT to leave it to the bucket');
    const jobs = props.parallelism ?? 2;
    validateInteger(this, 'parallelism', jobs, 1, 64, 'give the number of parallel uploads of a base backup, e.g. 2');
    if (props.walMaxParallel !== undefined) {
      validateInteger(this, 'walMaxParallel', props.walMaxParallel, 1, 64, 'give the number of WAL files archived in parallel, e.g. 2');
    }

    // Retention and schedule, as values (see the props).
    const rawRetention = settings?.value('CNPG_BACKUP_RETENTION');
    this.retention = props.retention ?? (rawRetention !== undefined ? BackupRetention.of(rawRetention) : BackupRetention.days(30));
    this.retention._validate(this, 'retention');
    const rawSchedule = settings?.value('CNPG_BACKUP_SCHEDULE');
    this.schedule = props.schedule ?? (rawSchedule !== undefined ? BackupSchedule.expression(rawSchedule) : BackupSchedule.DAILY_AT_2);
    this.schedule._validate(this, 'schedule');
    const target = props.target ?? BackupTarget.PREFER_STANDBY;
    checkEnum(this, 'target', target, Object.values(BackupTarget), 'use BackupTarget.PREFER_STANDBY (the default) or BackupTarget.PRIMARY');
    const backupWindow = props.backupWindow ?? Duration.hours(1);
    validateInteger(this, 'backupWindow', backupWindow.toSeconds(), 60, 7 * 86400, 'give the time a base backup takes, e.g. Duration.hours(1)');

    const sse = encryption === ServerSideEncryption.BUCKET_DEFAULT ? undefined : encryption as string;
    this.configuration = {
      destinationPath: this.destinationPath,
      endpointUrl: this.endpointUrl,
      endpointCa: props.endpointCa ? { name: props.endpointCa.secretName, key: props.endpointCa.key ?? 'ca.crt' } : undefined,
      s3Credentials: {
        accessKeyId: { name: this.credentialsSecretName, key: credentials.accessKeyIdKey },
        secretAccessKey: { name: this.credentialsSecretName, key: credentials.secretAccessKeyKey },
      },
      wal: {
        compression: walCompression === BackupCompression.NONE ? undefined : walCompression,
        encryption: sse,
        maxParallel: props.walMaxParallel,
      },
      data: {
        compression: dataCompression === BackupCompression.NONE ? undefined : dataCompression,
        encryption: sse,
        jobs,
        immediateCheckpoint: props.immediateCheckpoint ?? true,
      },
    };

    // The method, in one place.
    this.scheduledBackupName = `${cluster.clusterName}-backup`;
    if (this.method === BackupMethod.PLUGIN) {
      this.objectStoreName = `${cluster.clusterName}-object-store`;
      this.objectStore = checkedObject(this, 'ObjectStore', {
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
        metadata: { name: this.objectStoreName, namespace: cluster.namespace, labels },
        fields: {
          spec: barman.toJson_ObjectStoreSpec({
            configuration: this.configuration as barman.ObjectStoreSpecConfiguration,
            retentionPolicy: this.retention.policy,
          }),
        },
      });
      hooks._addPlugin({
        name: BARMAN_CLOUD_PLUGIN.name,
        isWalArchiver: true,
        parameters: {
          barmanObjectName: this.objectStoreName,
          ...(props.serverName !== undefined ? { serverName: this.serverName } : {}),
        },
      });
    } else {
      hooks._setBackup({
        barmanObjectStore: {
          ...this.configuration,
          serverName: props.serverName !== undefined ? this.serverName : undefined,
        } as cnpg.ClusterSpecBackupBarmanObjectStore,
        retentionPolicy: this.retention.policy,
        target: target as string as cnpg.ClusterSpecBackupTarget,
      });
    }

    this.scheduledBackup = checkedObject(this, 'ScheduledBackup', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: this.scheduledBackupName, namespace: cluster.namespace, labels },
      release: () => cluster.operatorVersion.release,
      rules: [scheduledBackupScheduleProblems],
      fields: {
        spec: sb.toJson_ScheduledBackupSpec({
          cluster: { name: cluster.clusterName },
          schedule: this.schedule.expressionString,
          // Each Backup is owned by the ScheduledBackup: deleting it deletes them, and they do not pile up orphaned.
          backupOwnerReference: sb.ScheduledBackupSpecBackupOwnerReference.SELF,
          target: target as string as sb.ScheduledBackupSpecTarget,
          immediate: props.immediate ?? false,
          suspend: props.suspend ?? false,
          method: this.method === BackupMethod.PLUGIN ? sb.ScheduledBackupSpecMethod.PLUGIN : sb.ScheduledBackupSpecMethod.BARMAN_OBJECT_STORE,
          pluginConfiguration: this.method === BackupMethod.PLUGIN ? { name: BARMAN_CLOUD_PLUGIN.name } : undefined,
        }),
      },
    });

    const validation = props.validation ?? {};
    if (validation.enabled ?? true) {
      this.validationJob = new BackupValidationJob(this, 'Validation', {
        ...validation,
        cluster,
        destinationPath: this.destinationPath,
        serverName: this.serverName,
        endpointUrl: this.endpointUrl,
        endpointUrlValue: props.endpointUrl === undefined ? settings?.value('CNPG_MINIO_ENDPOINT_URL') : undefined,
        endpointCa: props.endpointCa,
        credentialsSecretName: this.credentialsSecretName,
        accessKeyIdKey: credentials.accessKeyIdKey,
        secretAccessKeyKey: credentials.secretAccessKeyKey,
        backupSchedule: this.schedule,
        backupWindow,
      });
    }
    if (props.restoreProbe?.enabled ?? false) {
      this.restoreProbe = new RestoreProbe(this, 'RestoreProbe', { ...props.restoreProbe, backup: this });
    }

    hooks._registerBackup({
      method: this.method,
      schedule: this.schedule.expressionString,
      maxIntervalSeconds: this.schedule.maxIntervalSeconds,
      retentionDays: this.retention.recoveryWindowDays,
      validationCronJobName: this.validationJob?.cronJobName,
      restoreProbeClusterName: this.restoreProbe?.clusterName,
    });
  }

  /**
   * The `externalClusters[]` entry (less its name) that reads these backups: for recovery.
   * @internal
   */
  public _recoverySource(): RecoverySourceEntry {
    if (this.method === BackupMethod.PLUGIN) {
      return {
        plugin: {
          name: BARMAN_CLOUD_PLUGIN.name,
          parameters: { barmanObjectName: this.objectStoreName!, serverName: this.serverName },
        },
      };
    }
    return {
      barmanObjectStore: { ...this.configuration, serverName: this.serverName } as cnpg.ClusterSpecExternalClustersBarmanObjectStore,
    };
  }
}

function validateEndpoint(scope: Construct, url: string): void {
  if (containsFluxVariable(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(scope, 'endpointUrl', url, 'is not a URL', `give an http(s) URL such as "https://${url.replace(/^[a-z]+:\/\//, '') || 'minio.example.com:9000'}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidInput(scope, 'endpointUrl', url, `is a ${parsed.protocol.replace(':', '')} URL, not http(s)`, 'give an http(s) URL such as "https://minio.example.com:9000"');
  }
  if (parsed.username || parsed.password) {
    throw invalidInput(scope, 'endpointUrl', url.replace(/\/\/[^@]*@/, '//***@'), 'carries credentials', 'remove them from the URL: the keys come from credentials');
  }
}

function checkEnum(scope: Construct, field: string, value: unknown, allowed: readonly string[], fix: string): void {
  if (!allowed.includes(value as string)) {
    throw invalidInput(scope, field, value, `is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, fix);
  }
}
