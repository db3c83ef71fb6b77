import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IClusterBackup, RecoverySourceEntry } from './backup-ref';
import { barmanConfiguration, ObjectStoreOptions, provisionCredentials, ResolvedObjectStore, resolveObjectStore, sameArchive } from './object-store';
import {
  BackupCompression, BackupRetention, BackupTarget, DATA_COMPRESSIONS, ObjectStoreProvider, ServerSideEncryption,
} from './options';
import { RestoreProbe, RestoreProbeOptions } from './restore-probe';
import { BackupSchedule } from './schedule';
import { BackupValidationJob, BackupValidationOptions } from './validation-job';
import { scheduledBackupScheduleProblems } from '../checks/backup-schedule';
import { BackupMethod } from '../cluster/attachments';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { crdEnum, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { validateInteger } from '../common/numbers';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as barman from '../imports/barman-objectstore-barmancloud.cnpg.io';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import type * as sb from '../imports/cnpg-scheduledbackup-postgresql.cnpg.io';
import { OBJECT_STORE_SPEC, SCHEDULED_BACKUP_SPEC } from '../imports/json-names';
import { ExternalSecretSync } from '../secrets/external-secret';
import { BARMAN_CLOUD_PLUGIN, CNPG_FIELDS } from '../versions/features';

/**
 * Options of a cluster's backups ({@link CnpgSharedCluster.addBackup}): where they go
 * ({@link ObjectStoreOptions}, the same options a recovery reads them back with) and how.
 */
export interface ClusterBackupOptions extends ObjectStoreOptions {
  /**
   * How base backups and WAL reach the object store.
   *
   * @default BackupMethod.PLUGIN - the Barman Cloud plugin; the in-tree
   * `BackupMethod.BARMAN_OBJECT_STORE` is deprecated since CloudNativePG 1.26
   */
  readonly method?: BackupMethod;

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
   * @default ServerSideEncryption.AES256 - backups hold every application's data, and the
   * platform's own manifests asked for it. S3 services without SSE-S3 (MinIO without KMS, Ceph
   * RGW without a KMS, some R2 setups) refuse every upload with it: WAL archiving fails within
   * minutes of the cluster's start (alert `CNPGWALArchivingFailing`), long before the first
   * night. The opt-out is one line: `encryption: ServerSideEncryption.BUCKET_DEFAULT`.
   */
  readonly encryption?: ServerSideEncryption;

  /**
   * Files uploaded in parallel by a base backup (`data.jobs`).
   *
   * @default 2
   */
  readonly parallelism?: number;

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
  private readonly store: ResolvedObjectStore;

  constructor(scope: Construct, id: string, props: ClusterBackupProps) {
    checkArgs('new ClusterBackup', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    const hooks = clusterHooks(this, 'cluster', cluster);
    this.cluster = cluster;
    const settings = cluster.settings;

    // The enumerations (method, compressions, encryption, target) are checked by checkArgs.
    this.method = props.method ?? BackupMethod.PLUGIN;

    // Where: the same resolution a recovery source uses (object-store.ts).
    const sources = hooks._archiveSources();
    this.store = resolveObjectStore(this, props, {
      archiveCluster: cluster.clusterName,
      serverName: newServerName(cluster.clusterName, sources.map((src) => src.serverName)),
      settings,
    });
    const store = this.store;
    for (const src of sources) {
      if (sameArchive(store, src)) {
        throw invalidInput(this, 'serverName', store.serverName,
          `with destinationPath ${JSON.stringify(store.destinationPath)} is the archive of ${src.name}, which this cluster recovers or replicates from: `
          + 'two clusters writing one archive corrupt it (CloudNativePG stops with "Expected empty archive" unless cnpg.io/skipEmptyWalArchiveCheck silences the check)',
          `leave serverName unset for a new one (${JSON.stringify(newServerName(cluster.clusterName, sources.map((x) => x.serverName)))}), or give another serverName or destinationPath`);
      }
    }
    this.destinationPath = store.destinationPath;
    this.serverName = store.serverName;
    this.endpointUrl = store.endpointUrl;
    this.credentialsSecretName = store.credentialsSecretName ?? '';
    const credentials = store.credentials;
    this.credentials = provisionCredentials(this, 'credentials', cluster, hooks, store, 'backup credentials');
    if (credentials.roleArn !== undefined) hooks._addServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': credentials.roleArn });
    // (azureDefaultCredentials with the in-tree method: the Cluster CRD of the targeted release is
    // checked at synth and names the releases that have the field.)
    const labels = { ...cluster.commonLabels, 'app.kubernetes.io/component': 'backup' };

    // What is uploaded, how.
    const dataCompression = props.dataCompression ?? BackupCompression.GZIP;
    const walCompression = props.walCompression ?? BackupCompression.GZIP;
    checkEnum(this, 'dataCompression', dataCompression, DATA_COMPRESSIONS,
      'use NONE, GZIP, BZIP2, LZ4 or SNAPPY: base backups cannot be compressed with xz or zstd');
    if (this.method === BackupMethod.BARMAN_OBJECT_STORE && dataCompression === BackupCompression.LZ4) {
      hooks._requireOperatorVersion(this, 'dataCompression', dataCompression, CNPG_FIELDS.barmanLz4Compression);
    }
    const s3 = credentials.provider === ObjectStoreProvider.S3;
    if (props.encryption !== undefined && !s3 && props.encryption !== ServerSideEncryption.BUCKET_DEFAULT) {
      throw invalidInput(this, 'encryption', props.encryption, 'is an S3 server-side encryption, but the backups go to '
        + `${credentials.provider === ObjectStoreProvider.AZURE ? 'Azure Blob Storage' : 'Google Cloud Storage'}, which encrypts at rest on its own`, 'leave encryption unset');
    }
    const encryption = props.encryption ?? ServerSideEncryption.AES256;
    const jobs = props.parallelism ?? 2;
    validateInteger(this, 'parallelism', jobs, 1, 64, 'give the number of parallel uploads of a base backup, e.g. 2');

    // Retention and schedule, as values (see the props).
    const rawRetention = settings?.value('CNPG_BACKUP_RETENTION');
    this.retention = props.retention ?? (rawRetention !== undefined ? BackupRetention.of(rawRetention) : BackupRetention.days(30));
    this.retention._validate(this, 'retention');
    const rawSchedule = settings?.value('CNPG_BACKUP_SCHEDULE');
    this.schedule = props.schedule ?? (rawSchedule !== undefined ? BackupSchedule.expression(rawSchedule) : BackupSchedule.DAILY_AT_2);
    this.schedule._validate(this, 'schedule');
    const target = props.target ?? BackupTarget.PREFER_STANDBY;
    const backupWindow = props.backupWindow ?? Duration.hours(1);
    validateInteger(this, 'backupWindow', backupWindow.toSeconds(), 60, 7 * 86400, 'give the time a base backup takes, e.g. Duration.hours(1)');

    const sse = encryption === ServerSideEncryption.BUCKET_DEFAULT || !s3 ? undefined : encryption as string;
    this.configuration = barmanConfiguration(store, {
      walCompression: walCompression === BackupCompression.NONE ? undefined : walCompression,
      dataCompression: dataCompression === BackupCompression.NONE ? undefined : dataCompression,
      encryption: sse,
      jobs,
      immediateCheckpoint: props.immediateCheckpoint ?? true,
    });

    // The method, in one place.
    this.scheduledBackupName = `${cluster.clusterName}-backup`;
    if (this.method === BackupMethod.PLUGIN) {
      this.objectStoreName = `${cluster.clusterName}-object-store`;
      this.objectStore = checkedObject(this, 'ObjectStore', {
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
        metadata: { name: this.objectStoreName, namespace: cluster.namespace, labels },
        fields: {
          spec: toCrdJson({
            configuration: this.configuration as barman.ObjectStoreSpecConfiguration,
            retentionPolicy: this.retention.policy,
          }, OBJECT_STORE_SPEC),
        },
      });
      hooks._addPlugin({
        name: BARMAN_CLOUD_PLUGIN.name,
        isWalArchiver: true,
        parameters: {
          barmanObjectName: this.objectStoreName,
          ...(this.serverName !== cluster.clusterName ? { serverName: this.serverName } : {}),
        },
      });
    } else {
      hooks._setBackup({
        barmanObjectStore: {
          ...this.configuration,
          serverName: this.serverName !== cluster.clusterName ? this.serverName : undefined,
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
        spec: toCrdJson({
          cluster: { name: cluster.clusterName },
          schedule: this.schedule.expressionString,
          // Each Backup is owned by the ScheduledBackup: deleting it deletes them, and they do not pile up orphaned.
          backupOwnerReference: crdEnum<sb.ScheduledBackupSpecBackupOwnerReference>('self'),
          target: target as string as sb.ScheduledBackupSpecTarget,
          immediate: props.immediate ?? false,
          suspend: props.suspend ?? false,
          method: crdEnum<sb.ScheduledBackupSpecMethod>(this.method === BackupMethod.PLUGIN ? 'plugin' : 'barmanObjectStore'),
          pluginConfiguration: this.method === BackupMethod.PLUGIN ? { name: BARMAN_CLOUD_PLUGIN.name } : undefined,
        }, SCHEDULED_BACKUP_SPEC),
      },
    });

    const validation = props.validation ?? {};
    // check_backup.py reads S3 (boto3): Azure Blob Storage and Google Cloud Storage are not validated.
    const validatable = credentials.provider === ObjectStoreProvider.S3;
    if (validation.enabled === true && !validatable) {
      throw invalidInput(this, 'validation.enabled', true, `asks for the backup-validation job, which reads S3 only, but the backups go to ${credentials.provider === ObjectStoreProvider.AZURE ? 'Azure Blob Storage' : 'Google Cloud Storage'}`,
        'leave validation unset (it is off for this store) and watch the backup alerts, or use the restore probe');
    }
    if (validation.enabled ?? validatable) {
      this.validationJob = new BackupValidationJob(this, 'Validation', {
        ...validation,
        cluster,
        destinationPath: this.destinationPath,
        serverName: this.serverName,
        endpointUrl: this.endpointUrl,
        endpointUrlValue: store.endpointUrlValue,
        endpointCa: store.endpointCa,
        credentialsSecretName: this.credentialsSecretName,
        accessKeyIdKey: credentials.accessKeyIdKey,
        secretAccessKeyKey: credentials.secretAccessKeyKey,
        credentials,
        encryption: sse,
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
    hooks._registerArchive({
      name: cluster.clusterName, destinationPath: this.destinationPath, serverName: this.serverName, entry: () => this._recoverySource(),
    });
  }

  /** The object store as resolved (for recovery sources that read these backups). @internal */
  public get _store(): ResolvedObjectStore {
    return this.store;
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

function checkEnum(scope: Construct, field: string, value: unknown, allowed: readonly string[], fix: string): void {
  if (!allowed.includes(value as string)) {
    throw invalidInput(scope, field, value, `is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, fix);
  }
}

/**
 * The server name of a cluster's own archive: its name, unless it recovers or replicates from an
 * archive of that name (or of an earlier generation `<name>-<n>`), then the next generation. A
 * new cluster never writes into the archive it came from.
 * @internal
 */
export function newServerName(clusterName: string, sourceServerNames: string[]): string {
  let generation = 0;
  for (const name of sourceServerNames) {
    if (name === clusterName) generation = Math.max(generation, 1);
    const m = new RegExp(`^${clusterName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(name);
    if (m) generation = Math.max(generation, Number(m[1]));
  }
  return generation === 0 ? clusterName : `${clusterName}-${generation + 1}`;
}
