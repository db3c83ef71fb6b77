import { Construct } from 'constructs';
import { BackupTarget } from './options';
import { BackupSchedule } from './schedule';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { crdEnum, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import type * as sb from '../imports/cnpg-scheduledbackup-postgresql.cnpg.io';
import { SCHEDULED_BACKUP_SPEC } from '../imports/json-names';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What owns the `VolumeSnapshot`s of a backup (`spec.backup.volumeSnapshot.snapshotOwnerReference`). */
export enum SnapshotOwnerReference {
  /** The `Backup` that took them: deleting the Backup deletes its snapshots. */
  BACKUP = 'backup',
  /** The `Cluster`: deleting the cluster deletes every snapshot. */
  CLUSTER = 'cluster',
  /** Nothing: snapshots outlive their Backup and their Cluster (CloudNativePG's default). */
  NONE = 'none',
}

/** Options of volume snapshot backups ({@link CnpgSharedCluster.addVolumeSnapshotBackup}). */
export interface VolumeSnapshotBackupOptions {
  /**
   * The `VolumeSnapshotClass` of the data volumes (`className`). It is yours: the library does not
   * write one (its driver, `deletionPolicy` and parameters belong to the storage).
   */
  readonly className: string;

  /**
   * The `VolumeSnapshotClass` of the WAL volumes, when their storage class differs.
   *
   * @default - `className`
   */
  readonly walClassName?: string;

  /**
   * Hot (online) snapshots, with `pg_backup_start`/`pg_backup_stop`, or cold ones of a fenced
   * (stopped) instance. Cold snapshots are the most consistent; a cold snapshot of the primary
   * makes the cluster read-only while it runs, so it is taken on a standby.
   *
   * @default true
   */
  readonly online?: boolean;

  /**
   * An immediate checkpoint at the start of a hot snapshot instead of a spread one.
   *
   * @default true - the snapshot starts at once (CloudNativePG's default is a spread checkpoint)
   */
  readonly immediateCheckpoint?: boolean;

  /**
   * Whether a hot snapshot waits until the WAL it needs is archived (`waitForArchive`): without
   * it, a snapshot may not be restorable from the archive.
   *
   * @default true
   */
  readonly waitForArchive?: boolean;

  /**
   * When snapshots are taken (six fields, seconds first).
   *
   * @default - `0 0 3 * * *`: 03:00:00 UTC daily, an hour after the object store's default base backup
   */
  readonly schedule?: BackupSchedule;

  /**
   * Which instance is snapshotted.
   *
   * @default BackupTarget.PREFER_STANDBY
   */
  readonly target?: BackupTarget;

  /**
   * What owns the snapshots. CloudNativePG applies no retention policy to volume snapshots:
   * with `BACKUP`, deleting an old `Backup` deletes its snapshots, so pruning Backups prunes
   * snapshots (the ScheduledBackup owns its Backups).
   *
   * @default SnapshotOwnerReference.BACKUP
   */
  readonly snapshotOwnerReference?: SnapshotOwnerReference;

  /**
   * Labels added to the VolumeSnapshots.
   *
   * @default - none
   */
  readonly snapshotLabels?: { [key: string]: string };

  /**
   * Annotations added to the VolumeSnapshots.
   *
   * @default - none
   */
  readonly snapshotAnnotations?: { [key: string]: string };

  /**
   * A first snapshot as soon as the ScheduledBackup is created.
   *
   * @default false
   */
  readonly immediate?: boolean;

  /**
   * Suspend the scheduled snapshots.
   *
   * @default false
   */
  readonly suspend?: boolean;
}

/** Props of {@link VolumeSnapshotBackup}. */
export interface VolumeSnapshotBackupProps extends VolumeSnapshotBackupOptions {
  /** The cluster whose volumes are snapshotted. */
  readonly cluster: ICnpgCluster;
}

/**
 * Volume snapshot backups of a cluster: `spec.backup.volumeSnapshot` on the Cluster and a
 * ScheduledBackup `<cluster>-snapshot-backup` with `method: volumeSnapshot` (six-field schedule,
 * owned Backups). Beside the object store of `addBackup`, which keeps the WAL archive that a
 * point-in-time recovery from a snapshot replays (`ClusterBootstrap.volumeSnapshots({ walSource })`).
 *
 * Retention: CloudNativePG has none for snapshots. The ScheduledBackup owns its Backups and, by
 * default, each Backup owns its snapshots; delete old Backups (`kubectl delete backup`) to
 * delete their snapshots, whose `VolumeSnapshotContent` then follows the class's `deletionPolicy`.
 */
export class VolumeSnapshotBackup extends Construct {
  /** The ScheduledBackup's name. */
  public readonly scheduledBackupName: string;
  /** The schedule. */
  public readonly schedule: BackupSchedule;
  /** The ScheduledBackup as written, for escape hatches in the CRD's field names. */
  public readonly scheduledBackup: CheckedApiObject;

  constructor(scope: Construct, id: string, props: VolumeSnapshotBackupProps) {
    checkArgs('new VolumeSnapshotBackup', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    const hooks = clusterHooks(this, 'cluster', cluster);
    // checkArgs (above) refuses a missing className, a value that is not a string and values outside the enums.
    if (props.className === '') {
      throw invalidInput(this, 'className', props.className, 'is required: the VolumeSnapshotClass of the data volumes (the library does not write one, the storage owns it)',
        'give the class of your CSI driver, e.g. className: "csi-rbdplugin-snapclass" (kubectl get volumesnapshotclass)');
    }
    for (const [field, name] of [['className', props.className], ['walClassName', props.walClassName]] as const) {
      if (name !== undefined && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))) {
        throw invalidInput(this, field, name, 'is not a DNS-1123 subdomain (the name of a VolumeSnapshotClass)', 'give the class\'s name as kubectl get volumesnapshotclass shows it');
      }
    }
    const online = props.online ?? true;
    const target = props.target ?? BackupTarget.PREFER_STANDBY;
    if (!online && target === BackupTarget.PRIMARY) {
      throw invalidInput(this, 'target', target, 'takes cold snapshots of the primary: CloudNativePG fences it, and the cluster is read-only while the snapshot runs',
        'snapshot a standby (BackupTarget.PREFER_STANDBY, the default), or take hot snapshots (online: true)');
    }
    if (!online && (props.immediateCheckpoint !== undefined || props.waitForArchive !== undefined)) {
      throw invalidInput(this, props.immediateCheckpoint !== undefined ? 'immediateCheckpoint' : 'waitForArchive',
        props.immediateCheckpoint ?? props.waitForArchive, 'applies to hot snapshots only, but online is false', 'drop it, or take hot snapshots');
    }
    const owner = props.snapshotOwnerReference ?? SnapshotOwnerReference.BACKUP;
    this.schedule = props.schedule ?? BackupSchedule.expression('0 0 3 * * *');
    this.schedule._validate(this, 'schedule');

    hooks._setVolumeSnapshotBackup({
      className: props.className,
      walClassName: props.walClassName,
      online,
      onlineConfiguration: online
        ? { immediateCheckpoint: props.immediateCheckpoint ?? true, waitForArchive: props.waitForArchive ?? true } : undefined,
      snapshotOwnerReference: owner as string as cnpg.ClusterSpecBackupVolumeSnapshotSnapshotOwnerReference,
      labels: props.snapshotLabels,
      annotations: props.snapshotAnnotations,
    });

    this.scheduledBackupName = `${cluster.clusterName}-snapshot-backup`;
    this.scheduledBackup = checkedObject(this, 'ScheduledBackup', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: {
        name: this.scheduledBackupName,
        namespace: cluster.namespace,
        labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'backup' },
      },
      release: () => cluster.operatorVersion.release,
      fields: {
        spec: toCrdJson({
          cluster: { name: cluster.clusterName },
          schedule: this.schedule.expressionString,
          backupOwnerReference: crdEnum<sb.ScheduledBackupSpecBackupOwnerReference>('self'),
          method: crdEnum<sb.ScheduledBackupSpecMethod>('volumeSnapshot'),
          target: target as string as sb.ScheduledBackupSpecTarget,
          immediate: props.immediate ?? false,
          suspend: props.suspend ?? false,
        }, SCHEDULED_BACKUP_SPEC),
      },
    });
  }
}
