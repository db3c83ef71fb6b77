import { IConstruct } from 'constructs';
import { BackupInfo, PoolerInfo } from './attachments';
import { ICnpgCluster } from './cluster-ref';
import { invalidInput } from '../common/errors';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import { SecretStoreReference } from '../secrets/external-secret';
import { CnpgField } from '../versions/features';

/**
 * An archive (object-store folder `<destinationPath>/<serverName>/`) a cluster reads: the
 * source of its recovery or of its replication.
 *
 * @internal
 */
export interface ArchiveLocation {
  /** The `externalClusters[]` name of the cluster that writes it. */
  readonly name: string;
  readonly destinationPath: string;
  readonly serverName: string;
}

/**
 * The archive a cluster writes, and how an `externalClusters[]` entry reads it.
 *
 * @internal
 */
export interface OwnArchive extends ArchiveLocation {
  readonly entry: () => { plugin?: cnpg.ClusterSpecExternalClustersPlugin; barmanObjectStore?: cnpg.ClusterSpecExternalClustersBarmanObjectStore };
}

/**
 * What features add to the cluster's own objects (roles, plugins, certificate names) and record
 * on it. Internal: `CnpgSharedCluster` implements these as `@internal` methods, and the features
 * reach them through `clusterHooks`, so that they depend on `ICnpgCluster` and not on the
 * cluster's construct (no import cycle).
 *
 * @internal
 */
export interface ClusterHooks {
  /** Adds DNS names to the operator-issued server certificate; false when the cluster has its own. */
  _addServerAltDnsNames(names: string[]): boolean;
  _registerBackup(info: BackupInfo): void;
  _registerPooler(info: PoolerInfo): void;
  _addManagedRole(role: cnpg.ClusterSpecManagedRoles): void;
  _addPlugin(plugin: cnpg.ClusterSpecPlugins): void;
  _setBackup(backup: cnpg.ClusterSpecBackup): void;
  _requireOperatorVersion(scope: IConstruct, prop: string, value: unknown, field: CnpgField): void;
  _requireSecretStore(feature: string): SecretStoreReference;
  /** The PostgreSQL parameters as the Cluster writes them (for a recovery cluster of its backups). */
  _postgresParameters(): { [key: string]: string };
  /** The preloaded libraries and pg_cron's database (for the applications' extensions). */
  _preloadedExtensions(): PreloadedExtensions;
  /** Whether the operator's `-ro` or `-r` Service is disabled (`managedServices`). */
  _defaultServiceDisabled(type: string): boolean;
  /** The archives the cluster recovers or replicates from (its own backups must not write there). */
  _archiveSources(): ArchiveLocation[];
  /** Records the archive the cluster's backups write (a replica topology reads it as `self`). */
  _registerArchive(archive: OwnArchive): void;
  /** The archive the cluster's backups write, once a backup is attached (read it at synth). */
  _ownArchive(): OwnArchive | undefined;
  /** Adds annotations to the ServiceAccount the operator creates for the cluster (`spec.serviceAccountTemplate`). */
  _addServiceAccountAnnotations(annotations: { [key: string]: string }): void;
  /** The ServiceAccount the instances run as (`serviceAccountName`, or the operator's `<cluster>`). */
  _serviceAccountName(): string;
  /** Sets `spec.backup.volumeSnapshot` (volume snapshot backups). */
  _setVolumeSnapshotBackup(snapshot: cnpg.ClusterSpecBackupVolumeSnapshot): void;
}

/** What the cluster preloads, as applications need to know it. @internal */
export interface PreloadedExtensions {
  /** `shared_preload_libraries` as written (the operator adds its managed ones from parameters). */
  readonly libraries: string[];
  /** `cron.database_name`, when pg_cron is configured. */
  readonly cronDatabase?: string;
}

const HOOKS: Array<keyof ClusterHooks> = [
  '_addServerAltDnsNames', '_registerBackup', '_registerPooler', '_addManagedRole', '_addPlugin', '_setBackup',
  '_requireOperatorVersion', '_requireSecretStore', '_postgresParameters', '_preloadedExtensions', '_defaultServiceDisabled',
  '_requireOperatorVersion', '_requireSecretStore', '_postgresParameters', '_archiveSources', '_registerArchive', '_ownArchive',
  '_addServiceAccountAnnotations', '_serviceAccountName', '_setVolumeSnapshotBackup',
];

/**
 * The internal hooks of a cluster; a library error when `cluster` is not one of the library's
 * clusters (e.g. an `ICnpgCluster` implemented by hand).
 *
 * @internal
 */
export function clusterHooks(scope: IConstruct, field: string, cluster: ICnpgCluster): ClusterHooks {
  const c = cluster as unknown as Partial<ClusterHooks> | undefined;
  if (!c || typeof c !== 'object' || HOOKS.some((h) => typeof c[h] !== 'function')) {
    throw invalidInput(scope, field, cluster, 'is not a cluster of this library',
      'pass a CnpgSharedCluster (or use its addApplication/addBackup/addMonitoring methods)');
  }
  return c as ClusterHooks;
}
