import { IConstruct } from 'constructs';
import { BackupInfo, PoolerInfo } from './attachments';
import { PostgresImage } from './postgres-image';
import { SynchronousReplication } from './replication';
import { ServiceEndpoint } from '../common/service-endpoint';
import { SecretStoreReference } from '../secrets/external-secret';
import { ClusterSettings } from '../settings/cluster-settings';
import { CnpgVersion } from '../versions/cnpg-version';

/**
 * A CloudNativePG cluster as its features (applications, poolers, backups, monitoring) see it:
 * its names, its release, its typed outputs and what is attached to it. `CnpgSharedCluster`
 * implements it; the features depend on this interface, not on the cluster's construct.
 */
export interface ICnpgCluster extends IConstruct {
  /** The Cluster's name. */
  readonly clusterName: string;
  /** The namespace of the Cluster and of everything attached to it. */
  readonly namespace: string;
  /** The number of instances. */
  readonly instances: number;
  /** The PostgreSQL image. */
  readonly postgres: PostgresImage;
  /** The replication mode. */
  readonly replication: SynchronousReplication;
  /** The CloudNativePG release the manifests target. */
  readonly operatorVersion: CnpgVersion;
  /**
   * The settings the cluster was built from.
   *
   * @default - none
   */
  readonly settings?: ClusterSettings;
  /**
   * The secret store of credentials.
   *
   * @default - none
   */
  readonly secretStore?: SecretStoreReference;
  /** The cluster DNS domain. */
  readonly clusterDomain: string;
  /** The primary, read-write Service (`<cluster>-rw`). */
  readonly readWriteService: ServiceEndpoint;
  /** The standbys-only, read-only Service (`<cluster>-ro`). */
  readonly readOnlyService: ServiceEndpoint;
  /** The any-instance, read Service (`<cluster>-r`). */
  readonly readService: ServiceEndpoint;
  /** `max_connections` of the instances. */
  readonly maxConnections: number;
  /** `superuser_reserved_connections`. */
  readonly superuserReservedConnections: number;
  /** Connections kept out of the poolers' budget. */
  readonly reservedConnections: number;
  /** Labels written on every object of this cluster. */
  readonly commonLabels: { [key: string]: string };
  /** Labels of every PodMonitor and PrometheusRule of this cluster. */
  readonly monitoringLabels: { [key: string]: string };
  /**
   * The backup configuration, once a backup is attached (read it at synth time).
   *
   * @default - no backup
   */
  readonly backup?: BackupInfo;
  /** The poolers attached so far (read them at synth time to see every one). */
  readonly poolers: PoolerInfo[];
  /**
   * The name of the cluster this one replays while it is a replica cluster (alerts and dashboards
   * measure it against that source and expect no primary).
   *
   * @default - a primary cluster
   */
  readonly replicaOf?: string;
}
