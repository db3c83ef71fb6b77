import { IConstruct } from 'constructs';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { invalidInput } from '../common/errors';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * A cluster's backups as the constructs that read them (a restore probe, a recovery) see them:
 * where they are and how to read them back. `ClusterBackup` implements it.
 */
export interface IClusterBackup extends IConstruct {
  /** The backed-up cluster. */
  readonly cluster: ICnpgCluster;
  /** `s3://bucket/path`. */
  readonly destinationPath: string;
  /** The barman server name (the folder under destinationPath). */
  readonly serverName: string;
  /**
   * The S3 endpoint, when not AWS.
   *
   * @default - AWS S3
   */
  readonly endpointUrl?: string;
  /** The Secret with the S3 keys. */
  readonly credentialsSecretName: string;
}

/**
 * The `externalClusters[]` entry (less its name) that reads a backup's archive.
 * @internal
 */
export interface RecoverySourceEntry {
  readonly plugin?: cnpg.ClusterSpecExternalClustersPlugin;
  readonly barmanObjectStore?: cnpg.ClusterSpecExternalClustersBarmanObjectStore;
}

/**
 * The recovery entry of one of the library's backups; a library error for anything else.
 * @internal
 */
export function recoverySourceOf(scope: IConstruct, field: string, backup: IClusterBackup): RecoverySourceEntry {
  const b = backup as unknown as { _recoverySource?: () => RecoverySourceEntry } | undefined;
  if (!b || typeof b._recoverySource !== 'function') {
    throw invalidInput(scope, field, backup, 'is not a backup of this library', 'pass the ClusterBackup that cluster.addBackup() returned');
  }
  return b._recoverySource();
}
