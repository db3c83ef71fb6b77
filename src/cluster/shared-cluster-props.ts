import { ContainerResources } from 'cdk8s-plus-30';
import { PostgresImage } from './postgres-image';
import { PostgresParameters } from './postgres-parameters';
import { SynchronousReplication } from './replication';
import { ClusterStorage } from './storage';
import { SuperuserAccess } from './superuser';
import { ClusterTlsProps } from './tls';
import { PodAntiAffinity, ZoneSpread } from '../common/scheduling';
import { SecretStoreReference } from '../secrets/external-secret';
import { ClusterSettings } from '../settings/cluster-settings';
import { CnpgVersion } from '../versions/cnpg-version';

/** Props of {@link CnpgSharedCluster}. */
export interface CnpgSharedClusterProps {
  /**
   * The platform's settings (its `cluster-settings` ConfigMap). Explicit props take precedence
   * over them.
   *
   * @default - none: only props and defaults
   */
  readonly settings?: ClusterSettings;

  /**
   * The CloudNativePG release the platform runs (1.27 to 1.30). The manifests contain only fields
   * this release's CRDs have; a feature of a newer release is an error naming the release.
   *
   * @default - `settings.operatorVersion` (from `CNPG_OPERATOR_VERSION`, the Helm chart version),
   * otherwise `CnpgVersion.DEFAULT` (1.27, the oldest supported release: valid on every one)
   */
  readonly operatorVersion?: CnpgVersion;

  /**
   * The Cluster's name: a DNS-1035 label of at most 50 characters (CloudNativePG's limit).
   *
   * @default - `settings.clusterName`, otherwise the construct id
   */
  readonly clusterName?: string;

  /**
   * The namespace of the data plane. Deliberately not the operator's `cnpg-system`: the
   * operator's namespace has its own RBAC, network policies and upgrade cycle.
   *
   * @default 'databases'
   */
  readonly namespace?: string;

  /**
   * Whether this construct emits the namespace (with Pod Security Admission `restricted`
   * labels). Turn off when the namespace is managed elsewhere.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * The number of PostgreSQL instances (one primary, the rest standbys).
   *
   * @default - `settings.instances`, otherwise 3
   */
  readonly instances?: number;

  /**
   * The PostgreSQL image.
   *
   * @default - `settings.postgres`, otherwise `PostgresImage.DEFAULT` (PostgreSQL 17.6)
   */
  readonly postgres?: PostgresImage;

  /**
   * The data volume of each instance.
   *
   * @default - 10Gi (or `settings.dataSize`) of the default (or `settings.storageClass`) class
   */
  readonly storage?: ClusterStorage;

  /**
   * A separate WAL volume per instance. Recommended: a full WAL volume cannot fill the data volume.
   *
   * @default - `settings.walSize` when set; otherwise WAL stays on the data volume
   */
  readonly walStorage?: ClusterStorage;

  /**
   * CPU and memory of each instance.
   *
   * @default - requests 500m CPU and 1Gi memory, limit 2Gi memory, no CPU limit
   */
  readonly resources?: ContainerResources;

  /**
   * Pod anti-affinity of the instances across nodes (`kubernetes.io/hostname`).
   *
   * @default PodAntiAffinity.REQUIRED - with synchronous replication, a primary and its
   * synchronous standby on one node would lose both copies together; set PREFERRED for clusters
   * with fewer nodes than instances.
   */
  readonly antiAffinity?: PodAntiAffinity;

  /**
   * Spread of the instances across availability zones.
   *
   * @default ZoneSpread.NONE
   */
  readonly zoneSpread?: ZoneSpread;

  /**
   * Whether the operator keeps a PodDisruptionBudget for the instances (`spec.enablePDB`).
   * Turn it off only for a single-instance cluster whose node must drain freely.
   *
   * @default true
   */
  readonly enablePodDisruptionBudget?: boolean;

  /**
   * Replication between the instances.
   *
   * @default - `settings.replication`, otherwise `SynchronousReplication.any()`: one synchronous
   * standby, `dataDurability: required`
   */
  readonly replication?: SynchronousReplication;

  /**
   * TLS settings. TLS is always required: plain-text connections are rejected by `pg_hba`.
   *
   * @default - TLS 1.3 minimum, operator-managed certificates
   */
  readonly tls?: ClusterTlsProps;

  /**
   * Password access for the `postgres` superuser (break-glass).
   *
   * @default SuperuserAccess.disabled()
   */
  readonly superuserAccess?: SuperuserAccess;

  /**
   * The external-secrets store of every credential (application roles, backup keys, break-glass).
   *
   * @default - `settings.secretStore`; required as soon as a credential comes from the store
   */
  readonly secretStore?: SecretStoreReference;

  /**
   * PostgreSQL parameters.
   *
   * @default - PostgreSQL's and CloudNativePG's defaults
   */
  readonly parameters?: PostgresParameters;

  /**
   * Connections of `max_connections` (besides `superuser_reserved_connections`) kept out of the
   * poolers' connection budget: the instance manager, the metrics exporter, backups, the
   * operator's role/database reconcilers, migrations run directly and administrators. Streaming
   * replication needs none: WAL senders have their own slots since PostgreSQL 12.
   *
   * @default 10
   */
  readonly reservedConnections?: number;

  /**
   * The cluster DNS domain, for the FQDNs of the typed outputs.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * Extra labels on every object this construct writes.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Labels put on every PodMonitor and PrometheusRule of this cluster and its poolers: the labels
   * the platform's Prometheus (`podMonitorSelector`, `ruleSelector`) or VictoriaMetrics selects on,
   * e.g. `{ release: 'kube-prometheus-stack' }`.
   *
   * @default - none (a Prometheus that selects every PodMonitor)
   */
  readonly monitoringLabels?: { [key: string]: string };
}
