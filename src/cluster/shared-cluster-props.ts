import { Duration } from 'cdk8s';
import { ClusterBootstrap } from './bootstrap';
import { ClusterAnnotation, InheritedMetadata } from './cluster-metadata';
import { PostgresExtension } from './extensions';
import { HugePages } from './huge-pages';
import { NodeMaintenanceWindow, PrimaryUpdateMethod, PrimaryUpdateStrategy } from './lifecycle';
import { ManagedServices } from './managed-services';
import { CustomQueries } from './monitoring-queries';
import { EnvironmentSource, EnvironmentValue, EphemeralVolumes, ImagePullPolicy, InstanceLogLevel, ProjectedVolume, ServiceAccountMetadata } from './pod-template';
import { PostgresImage } from './postgres-image';
import { PostgresParameters } from './postgres-parameters';
import { ReplicaCluster } from './replica-cluster';
import { SynchronousReplication } from './replication';
import { TopologySpread, Toleration } from './scheduling-options';
import { ClusterStorage } from './storage';
import { SuperuserAccess } from './superuser';
import { Tablespace } from './tablespaces';
import { ClusterTlsProps } from './tls';
import { ComputeResources } from '../common/resources';
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
   * labels). Turn off when the namespace is managed elsewhere. Clusters of one chart in one
   * namespace write its Namespace once.
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
  readonly resources?: ComputeResources;

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
   * How the cluster's data comes to be, once, when the Cluster is created: a fresh `initdb` (with
   * its options), a recovery from another cluster's backups (to a point in time), volume
   * snapshots, or a `pg_basebackup` of a running primary. A cluster that copies another's data
   * archives its own backups under a new barman server name (`ClusterBackupOptions.serverName`).
   *
   * @default - `initdb` with CloudNativePG's defaults; for a replica cluster, a recovery from its
   * source's archive (or `pg_basebackup` from a source that is only streamed from)
   */
  readonly bootstrap?: ClusterBootstrap;

  /**
   * The cluster's place in a distributed topology (CloudNativePG replica clusters): a replica
   * cluster of another cluster (`ReplicaCluster.of(source)`), the primary a replica follows
   * (`ReplicaCluster.primary(peer)`), or a standalone read-only copy. A switchover is one line
   * per side (see {@link ReplicaCluster}).
   *
   * @default - not part of a topology: a primary cluster
   */
  readonly replica?: ReplicaCluster;

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

  // --- Rolling updates, failover and shutdown (src/cluster/lifecycle.ts) ---

  /**
   * Whether the operator updates the primary on its own after the standbys
   * (`spec.primaryUpdateStrategy`).
   *
   * @default - CloudNativePG's PrimaryUpdateStrategy.UNSUPERVISED
   */
  readonly primaryUpdateStrategy?: PrimaryUpdateStrategy;

  /**
   * How the primary is updated (`spec.primaryUpdateMethod`): restarted in place, or switched over
   * to an updated standby first (a few seconds of write outage instead of a restart's).
   *
   * @default - CloudNativePG's PrimaryUpdateMethod.RESTART
   */
  readonly primaryUpdateMethod?: PrimaryUpdateMethod;

  /**
   * How long the operator waits before failing over an unhealthy primary (`spec.failoverDelay`),
   * whole seconds.
   *
   * @default - CloudNativePG's 0 (at once)
   */
  readonly failoverDelay?: Duration;

  /**
   * How long a primary may take to shut down cleanly in a switchover (`spec.switchoverDelay`).
   *
   * @default - CloudNativePG's 3600 seconds
   */
  readonly switchoverDelay?: Duration;

  /**
   * How long an instance may take to start (`spec.startDelay`; the startup probe allows
   * ceil(startDelay / 10) failures).
   *
   * @default - CloudNativePG's 3600 seconds
   */
  readonly startDelay?: Duration;

  /**
   * How long an instance may take to stop (`spec.stopDelay`, its termination grace period).
   *
   * @default - CloudNativePG's 1800 seconds
   */
  readonly stopDelay?: Duration;

  /**
   * The part of `stopDelay` for PostgreSQL's smart shutdown, before the operator asks for a fast
   * one (`spec.smartShutdownTimeout`); must leave room for the fast shutdown.
   *
   * @default - CloudNativePG's 180 seconds
   */
  readonly smartShutdownTimeout?: Duration;

  /**
   * How long an instance may fail its liveness probe (`spec.livenessProbeTimeout`).
   *
   * @default - CloudNativePG's 30 seconds
   */
  readonly livenessProbeTimeout?: Duration;

  /**
   * A node maintenance window in progress (`spec.nodeMaintenanceWindow`). CloudNativePG recommends
   * the PodDisruptionBudget instead (its webhook warns).
   *
   * @default - none
   */
  readonly nodeMaintenanceWindow?: NodeMaintenanceWindow;

  // --- The Cluster's metadata (src/cluster/cluster-metadata.ts) ---

  /**
   * Annotations of the Cluster object. The operator's own annotations (`cnpg.io/hibernation`, ...)
   * go into `operatorAnnotations`, which checks their values.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Operations the operator runs while their annotation is on the Cluster: hibernation, a paused
   * reconciliation, fencing, skipping the empty-WAL-archive check, ... (see `ClusterAnnotation`
   * for each one's caveats).
   *
   * @default - none
   */
  readonly operatorAnnotations?: ClusterAnnotation[];

  /**
   * Labels and annotations the operator puts on every object it creates for the cluster (pods,
   * volumes, Services, Secrets: `spec.inheritedMetadata`).
   *
   * @default - none
   */
  readonly inheritedMetadata?: InheritedMetadata;

  // --- Extensions (src/cluster/extensions.ts) ---

  /**
   * Extensions the instances load: preloaded libraries with their parameters
   * (`PostgresExtension.pgStatStatements()`, `pgAudit()`, `pgCron({ databaseName })`, ...), or
   * extension images (`PostgresExtension.fromImage`, PostgreSQL 18). An application's
   * `CREATE EXTENSION` of an extension that needs a preloaded library is an error without it.
   *
   * @default - none
   */
  readonly extensions?: PostgresExtension[];

  /**
   * Other libraries for `shared_preload_libraries` (`spec.postgresql.shared_preload_libraries`),
   * by name. Prefer `extensions`, which also sets their parameters.
   *
   * @default - none (the operator adds the libraries of the extensions it manages)
   */
  readonly sharedPreloadLibraries?: string[];

  // --- Resources (src/cluster/huge-pages.ts) ---

  /**
   * Huge pages of each instance (requests equal to limits).
   *
   * @default - none
   */
  readonly hugePages?: HugePages;

  // --- Scheduling (src/cluster/scheduling-options.ts) ---

  /**
   * Taints the instances tolerate (`spec.affinity.tolerations`), e.g. of nodes dedicated to
   * databases.
   *
   * @default - none
   */
  readonly tolerations?: Toleration[];

  /**
   * Node labels the instances' nodes must have (`spec.affinity.nodeSelector`).
   *
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Topology spread constraints beyond `zoneSpread` (`spec.topologySpreadConstraints`), e.g. over
   * racks; the instances' labels are the selector.
   *
   * @default - none
   */
  readonly topologySpread?: TopologySpread[];

  /**
   * The instances' PriorityClass (`spec.priorityClassName`).
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * The scheduler of the instances (`spec.schedulerName`).
   *
   * @default - Kubernetes' default scheduler
   */
  readonly schedulerName?: string;

  // --- The instances' pods (src/cluster/pod-template.ts) ---

  /**
   * Environment variables of the instances (`spec.env`); names the operator reserves (`PG*`,
   * `CNPG_*`, ...) are refused.
   *
   * @default - none
   */
  readonly env?: { [name: string]: EnvironmentValue };

  /**
   * Secrets and ConfigMaps whose keys become environment variables (`spec.envFrom`).
   *
   * @default - none
   */
  readonly envFrom?: EnvironmentSource[];

  /**
   * Secrets and ConfigMaps projected under `/projected` in every instance
   * (`spec.projectedVolumeTemplate`).
   *
   * @default - none
   */
  readonly projectedVolumes?: ProjectedVolume[];

  /**
   * Labels and annotations of the ServiceAccount the operator creates
   * (`spec.serviceAccountTemplate`), e.g. an IAM role annotation for IRSA or Workload Identity.
   *
   * @default - none
   */
  readonly serviceAccountMetadata?: ServiceAccountMetadata;

  /**
   * An existing ServiceAccount for the instances instead of the operator's
   * (`spec.serviceAccountName`, CloudNativePG 1.29+). It needs the operator's Role binding.
   *
   * @default - the operator creates one named like the cluster
   */
  readonly serviceAccountName?: string;

  /**
   * The UID of the `postgres` user in the image (`spec.postgresUID`).
   *
   * @default - CloudNativePG's 26 (its images')
   */
  readonly postgresUid?: number;

  /**
   * The GID of the `postgres` user in the image (`spec.postgresGID`).
   *
   * @default - CloudNativePG's 26
   */
  readonly postgresGid?: number;

  /**
   * The instances' log level (`spec.logLevel`).
   *
   * @default - CloudNativePG's InstanceLogLevel.INFO
   */
  readonly logLevel?: InstanceLogLevel;

  /**
   * When the image is pulled (`spec.imagePullPolicy`).
   *
   * @default - Kubernetes' IfNotPresent for a pinned tag
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Secrets for pulling the image from a private registry (`spec.imagePullSecrets`).
   *
   * @default - none
   */
  readonly imagePullSecrets?: string[];

  /**
   * A description of the cluster (`spec.description`).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Size limits of the instances' shared memory (`/dev/shm`) and temporary data volumes
   * (`spec.ephemeralVolumesSizeLimit`).
   *
   * @default - no limits
   */
  readonly ephemeralVolumes?: EphemeralVolumes;

  // --- Tablespaces (src/cluster/tablespaces.ts) ---

  /**
   * Tablespaces on volumes of their own (`spec.tablespaces`).
   *
   * @default - none
   */
  readonly tablespaces?: Tablespace[];

  // --- Services (src/cluster/managed-services.ts) ---

  /**
   * Extra Services the operator keeps (e.g. a LoadBalancer), and default Services it should not
   * create (`spec.managed.services`).
   *
   * @default - the operator's `-rw`, `-ro` and `-r` Services only
   */
  readonly managedServices?: ManagedServices;

  // --- The instances' metrics exporter (src/cluster/monitoring-queries.ts) ---

  /**
   * Custom metrics queries (`spec.monitoring.customQueriesConfigMap`/`customQueriesSecret`).
   *
   * @default - none
   */
  readonly customQueries?: CustomQueries[];

  /**
   * Turn off the operator's default metrics queries (`spec.monitoring.disableDefaultQueries`).
   * The alert presets and dashboards read some of their metrics.
   *
   * @default - CloudNativePG's false
   */
  readonly disableDefaultQueries?: boolean;

  /**
   * How long the results of the metrics queries are reused (`spec.monitoring.metricsQueriesTTL`,
   * CloudNativePG 1.28+).
   *
   * @default - CloudNativePG's 30 seconds
   */
  readonly metricsQueriesTtl?: Duration;
}
