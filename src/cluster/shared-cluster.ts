import { Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BackupInfo, PoolerInfo } from './attachments';
import { CNPG_CLUSTER_FIELDS } from './cluster-fields';
import { ArchiveLocation, ClusterHooks, OwnArchive, PreloadedExtensions } from './cluster-hooks';
import { renderMetadata } from './cluster-metadata';
import { ICnpgCluster } from './cluster-ref';
import { clusterRules } from './cluster-rules';
import { renderExtensions } from './extensions';
import { renderHugePages } from './huge-pages';
import { renderLifecycle } from './lifecycle';
import { CnpgRole, ManagedRoleOptions } from './managed-role';
import { renderManagedServices } from './managed-services';
import { renderMonitoringQueries } from './monitoring-queries';
import { renderPodTemplate } from './pod-template';
import { PostgresImage } from './postgres-image';
import { PostgresParameters, postgresMemoryBytes, renderPostgresParameters } from './postgres-parameters';
import { recoveryReferenceProblems } from './recovery-rules';
import { bindDataSources, DataSourcesFragment } from './recovery-sources';
import { DataDurability, SynchronousReplication } from './replication';
import { renderScheduling } from './scheduling-options';
import { CnpgSharedClusterProps } from './shared-cluster-props';
import { SuperuserAccess } from './superuser';
import { renderTablespaces } from './tablespaces';
import { ClusterTlsProps, TLS_ONLY_PG_HBA, TlsVersion } from './tls';
import { ApplicationProps, CnpgApplication } from '../application/application';
import { ClusterBackup, ClusterBackupOptions } from '../backup/cluster-backup';
import { VolumeSnapshotBackup, VolumeSnapshotBackupOptions } from '../backup/volume-snapshot-backup';
import { webhookPgBytes } from '../checks/cluster-rules';
import { operatorNamespaceProblem } from '../checks/operator-namespace';
import { crdValues, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { PLAUSIBLE_BYTES, Quantity } from '../common/quantity';
import { renderComputeResources } from '../common/resources';
import { HOSTNAME_TOPOLOGY_KEY, PodAntiAffinity, ZONE_TOPOLOGY_KEY, ZoneSpread } from '../common/scheduling';
import { ServiceEndpoint } from '../common/service-endpoint';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import { CLUSTER_SPEC } from '../imports/json-names';
import { CnpgMonitoring, CnpgMonitoringOptions } from '../monitoring/monitoring';
import { PgBouncerPooler } from '../pooler/pgbouncer-pooler';
import { addSharedPooler, SharedPoolerOptions } from '../pooler/shared-pooler';
import { ExternalSecretSync, SecretStoreReference } from '../secrets/external-secret';
import { ClusterSettings } from '../settings/cluster-settings';
import { CnpgVersion } from '../versions/cnpg-version';
import { BARMAN_CLOUD_PLUGIN, CNPG_FIELDS, CnpgField, requireBarmanCloudPlugin, requireCnpgVersion } from '../versions/features';

/** The Namespace objects the clusters of each chart write, by name. */
const NAMESPACES = new WeakMap<object, Map<string, CheckedApiObject>>();

/** The PostgreSQL port of CloudNativePG's Services. */
const POSTGRES_PORT = 5432;
/** PostgreSQL's own defaults, used when the parameters leave them unset. */
const DEFAULT_MAX_CONNECTIONS = 100;
const DEFAULT_SUPERUSER_RESERVED_CONNECTIONS = 3;
/**
 * CNPG's webhook limit on a Cluster's name. It also keeps the names derived from it within 63
 * characters: the longest suffix CNPG and this library append is `-replication` (12).
 */
const MAX_CLUSTER_NAME_LENGTH = 50;

/**
 * One CloudNativePG `Cluster` (postgresql.cnpg.io/v1) shared by several applications, with safe
 * defaults: three instances spread over nodes, HA replication slots, a PodDisruptionBudget,
 * synchronous replication, TLS-only access, no superuser password, in its own namespace.
 *
 * Applications, backups and monitoring are added to it; every name an application needs comes
 * from its typed outputs (`readWriteService.fqdn`, ...).
 */

export class CnpgSharedCluster extends Construct implements ICnpgCluster {
  /** The Cluster's name. */
  public readonly clusterName: string;
  /** The namespace of the Cluster and of everything attached to it. */
  public readonly namespace: string;
  /** The number of instances. */
  public readonly instances: number;
  /** The PostgreSQL image. */
  public readonly postgres: PostgresImage;
  /** The replication mode. */
  public readonly replication: SynchronousReplication;
  /** The CloudNativePG release the manifests target. */
  public readonly operatorVersion: CnpgVersion;
  /** The settings the cluster was built from, if any. */
  public readonly settings?: ClusterSettings;
  /** The secret store for credentials, if any. */
  public readonly secretStore?: SecretStoreReference;
  /** The cluster DNS domain. */
  public readonly clusterDomain: string;
  /** The primary, read-write Service (`<cluster>-rw`). */
  public readonly readWriteService: ServiceEndpoint;
  /** The standbys-only, read-only Service (`<cluster>-ro`). */
  public readonly readOnlyService: ServiceEndpoint;
  /** The any-instance, read Service (`<cluster>-r`). */
  public readonly readService: ServiceEndpoint;
  /** `max_connections` of the instances (the configured value or PostgreSQL's default of 100). */
  public readonly maxConnections: number;
  /** `superuser_reserved_connections` (the configured value or PostgreSQL's default of 3). */
  public readonly superuserReservedConnections: number;
  /** Connections kept out of the poolers' budget (see `reservedConnections` in the props). */
  public readonly reservedConnections: number;
  /** Labels written on every object of this cluster. */
  public readonly commonLabels: { [key: string]: string };
  /** Labels of every PodMonitor and PrometheusRule of this cluster (common labels included). */
  public readonly monitoringLabels: { [key: string]: string };
  /** The extra Services of `managedServices.additional`, in their order. */
  public readonly additionalServices: ServiceEndpoint[];
  /**
   * The ExternalSecret of the superuser's password, when it comes from the secret store
   * (`SuperuserAccess.fromSecretStore`), for escape hatches in the CRD's field names.
   */
  public readonly superuserCredentials?: ExternalSecretSync;

  private readonly managedRoles: cnpg.ClusterSpecManagedRoles[] = [];
  private readonly attachedPoolers: PoolerInfo[] = [];
  private readonly poolerAltDnsNames = new Set<string>();
  private readonly customServerCertificate: boolean;
  private backupInfo?: BackupInfo;
  private readonly plugins: cnpg.ClusterSpecPlugins[] = [];
  private backupSpec?: cnpg.ClusterSpecBackup;
  private volumeSnapshotSpec?: cnpg.ClusterSpecBackupVolumeSnapshot;
  private ownArchive?: OwnArchive;
  private readonly serviceAccountAnnotations: { [key: string]: string } = {};
  private readonly customServiceAccount?: string;
  private readonly dataSources: DataSourcesFragment;
  private readonly renderedParameters: { [key: string]: string };
  private readonly preloaded: PreloadedExtensions;
  private readonly disabledServices: string[];
  private readonly resource: CheckedApiObject;
  private readonly namespaceResource?: CheckedApiObject;

  constructor(scope: Construct, id: string, props: CnpgSharedClusterProps = {}) {
    checkArgs('new CnpgSharedCluster', [scope, id, props]);
    super(scope, id);
    const settings = props.settings;
    this.settings = settings;
    this.customServiceAccount = props.serviceAccountName;
    this.operatorVersion = props.operatorVersion ?? settings?.operatorVersion ?? CnpgVersion.DEFAULT;

    this.clusterName = props.clusterName ?? settings?.clusterName ?? id;
    validateName(this, 'clusterName', this.clusterName, { maxLength: MAX_CLUSTER_NAME_LENGTH, startsWithLetter: true });
    this.namespace = props.namespace ?? 'databases';
    validateName(this, 'namespace', this.namespace);
    const inOperatorNamespace = operatorNamespaceProblem(this.namespace);
    if (inOperatorNamespace) throw invalidInput(this, 'namespace', this.namespace, inOperatorNamespace.problem, inOperatorNamespace.fix);
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (!containsFluxVariable(this.clusterDomain) && (this.clusterDomain.length > 253
      || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(this.clusterDomain))) {
      throw invalidInput(this, 'clusterDomain', this.clusterDomain,
        'is not a DNS domain (lower-case labels of letters, digits and "-", separated by single dots, at most 253 characters)',
        'give the cluster\'s DNS domain as the kubelet has it (--cluster-domain), e.g. "cluster.local"');
    }

    this.instances = props.instances ?? settings?.instances ?? 3;
    validateInteger(this, 'instances', this.instances, 1, 100,
      'use 3 (the default) for a primary and two standbys, or 1 for a throw-away test cluster');

    this.postgres = props.postgres ?? settings?.postgres ?? PostgresImage.DEFAULT;
    this.postgres._validate(this, 'postgres');

    this.replication = props.replication ?? settings?.replication ?? SynchronousReplication.any();
    this.validateReplication();

    this.secretStore = props.secretStore ?? settings?.secretStore;
    this.commonLabels = {
      'app.kubernetes.io/name': 'cloudnative-pg',
      'app.kubernetes.io/instance': this.clusterName,
      'app.kubernetes.io/managed-by': 'cnpg-constructs',
      ...(props.labels ?? {}),
    };
    this.monitoringLabels = { ...this.commonLabels, ...(props.monitoringLabels ?? {}) };

    // Storage.
    const dataSize = props.storage?.size ?? settings?.dataSize ?? Quantity.gibibytes(10);
    dataSize._validate(this, 'storage.size', PLAUSIBLE_BYTES.dataVolume);
    const storageClass = props.storage?.storageClass ?? settings?.storageClass;
    const walSize = props.walStorage?.size ?? (props.walStorage ? undefined : settings?.walSize);
    if (props.walStorage && !walSize) {
      throw invalidInput(this, 'walStorage.size', undefined, 'is required when walStorage is given', 'give the WAL volume size, e.g. Quantity.gibibytes(20)');
    }
    walSize?._validate(this, 'walStorage.size', PLAUSIBLE_BYTES.walVolume);
    const walStorageClass = props.walStorage?.storageClass ?? storageClass;
    for (const [field, cls] of [['storage.storageClass', storageClass], ['walStorage.storageClass', walStorageClass]] as const) {
      if (cls !== undefined && !containsFluxVariable(cls) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cls)) {
        throw invalidInput(this, field, cls, 'is not a StorageClass name', 'give the name of a StorageClass, e.g. "openebs-local-nvme"');
      }
    }

    // Resources.
    const resources = renderComputeResources(this, 'resources', props.resources ?? {
      cpuRequest: Quantity.millicores(500),
      memoryRequest: Quantity.mebibytes(1024),
      memoryLimit: Quantity.mebibytes(2048),
    });
    const hugePages = renderHugePages(this, props.hugePages);
    if (Object.keys(hugePages).length) {
      resources.requests = { ...(resources.requests ?? {}), ...hugePages };
      resources.limits = { ...(resources.limits ?? {}), ...hugePages };
    }

    // Parameters.
    const params = props.parameters ?? {};
    const parameters = renderPostgresParameters(this, 'parameters', params);
    this.renderedParameters = parameters;
    this.maxConnections = params.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.superuserReservedConnections = params.superuserReservedConnections ?? DEFAULT_SUPERUSER_RESERVED_CONNECTIONS;
    if (this.superuserReservedConnections >= this.maxConnections) {
      throw invalidInput(this, 'parameters.superuserReservedConnections', this.superuserReservedConnections,
        `leaves no connection for applications out of max_connections = ${this.maxConnections}`, 'lower it or raise maxConnections');
    }
    this.reservedConnections = props.reservedConnections ?? 10;
    // At least 0: superuser_reserved_connections is below max_connections (refused above otherwise).
    const maxReserved = this.maxConnections - this.superuserReservedConnections - 1;
    validateInteger(this, 'reservedConnections', this.reservedConnections, 0, maxReserved,
      `${props.reservedConnections === undefined ? 'the default 10 does not fit: ' : ''}keep it below max_connections − superuser_reserved_connections `
      + `(at most ${maxReserved} here), or raise parameters.maxConnections to at least ${this.reservedConnections + this.superuserReservedConnections + 1}`);
    this.checkSharedBuffers(params.sharedBuffers, resources.requests?.memory, hugePages);
    this.checkWalSizes(params, walSize);
    const tls = props.tls ?? {};
    this.customServerCertificate = !!tls.serverTlsSecret;
    parameters.ssl_min_protocol_version = tls.minProtocolVersion ?? TlsVersion.TLS_1_3;
    this.validateTls(tls);

    // Extensions: preloaded libraries, their parameters, extension images.
    const extensions = renderExtensions(this, props, parameters, this.postgres.majorVersion, !!this.postgres.imageCatalog);
    Object.assign(parameters, extensions.parameters);
    this.preloaded = { libraries: extensions.sharedPreloadLibraries, cronDatabase: extensions.cronDatabase };

    // Superuser: the operator's Secret, an existing one, or one synced from the secret store.
    const superuser = props.superuserAccess ?? SuperuserAccess.disabled();
    const superuserLabels = { ...this.commonLabels, 'app.kubernetes.io/component': 'credentials' };
    const su = superuser.enabled && superuser.credentials
      ? superuser.credentials._materialize(this, 'SuperuserSecret', {
        field: 'superuserAccess',
        defaultSecretName: `${this.clusterName}-superuser`,
        namespace: this.namespace,
        store: () => this.requireSecretStore('superuserAccess'),
        labels: superuserLabels,
        operatorGenerated: '',
      })
      : undefined;
    const superuserSecret = su?.secretName || undefined;
    this.superuserCredentials = su?.externalSecret;

    // Clusters of one chart in one namespace write its Namespace once (two identical objects
    // of one name are refused when applied together, e.g. by Flux's kustomize build).
    const namespaces = NAMESPACES.get(Chart.of(this)) ?? new Map<string, CheckedApiObject>();
    NAMESPACES.set(Chart.of(this), namespaces);
    if ((props.createNamespace ?? true) && namespaces.has(this.namespace)) {
      this.namespaceResource = namespaces.get(this.namespace);
    } else if (props.createNamespace ?? true) {
      this.namespaceResource = checkedObject(this, 'Namespace', {
        apiVersion: 'v1',
        kind: 'Namespace',
        fields: {},
        metadata: {
          name: this.namespace,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
            'app.kubernetes.io/managed-by': 'cnpg-constructs',
          },
        },
      });
      namespaces.set(this.namespace, this.namespaceResource);
    }

    // Where the data comes from: bootstrap (initdb, recovery, snapshots) and replica topology.
    this.dataSources = bindDataSources(this, this, this, props, { hasWalStorage: walSize !== undefined, parameters });

    const antiAffinity = props.antiAffinity ?? PodAntiAffinity.REQUIRED;
    const zoneSpread = props.zoneSpread ?? ZoneSpread.NONE;
    const instanceLabels = { 'cnpg.io/cluster': this.clusterName, 'cnpg.io/podRole': 'instance' };

    // The groups of props, each rendered (and validated) by its own file.
    const lifecycle = renderLifecycle(this, props, this.instances);
    const metadata = renderMetadata(this, props);
    const scheduling = renderScheduling(this, props, instanceLabels, zoneSpread !== ZoneSpread.NONE);
    if (props.serviceAccountName !== undefined) {
      requireCnpgVersion(this, this.operatorVersion, 'serviceAccountName', props.serviceAccountName, CNPG_CLUSTER_FIELDS.serviceAccountName);
    }
    const podTemplate = renderPodTemplate(this, props);
    const tablespaces = renderTablespaces(this, props.tablespaces, storageClass);
    const managedServices = renderManagedServices(this, props.managedServices, this.clusterName);
    this.disabledServices = (managedServices?.disabledDefaultServices ?? []).map((d) => d as string);
    this.additionalServices = (props.managedServices?.additional ?? [])
      .map((a) => new ServiceEndpoint(a.name, this.namespace, POSTGRES_PORT, this.clusterDomain));
    // Clients verify-full against an additional Service's names: the operator's certificate must carry them.
    for (const e of this.additionalServices) this._addServerAltDnsNames([e.serviceName, `${e.serviceName}.${this.namespace}`, `${e.serviceName}.${this.namespace}.svc`, e.fqdn]);
    const monitoring = renderMonitoringQueries(this, props, this.operatorVersion);

    const spec = (): cnpg.ClusterSpec => ({
      instances: this.instances,
      ...this.postgres._clusterSpecFields(),
      enablePdb: props.enablePodDisruptionBudget ?? true,
      enableSuperuserAccess: superuser.enabled,
      superuserSecret: superuserSecret ? { name: superuserSecret } : undefined,
      replicationSlots: { highAvailability: { enabled: true } },
      affinity: {
        enablePodAntiAffinity: true,
        topologyKey: HOSTNAME_TOPOLOGY_KEY,
        podAntiAffinityType: antiAffinity,
        ...scheduling.affinity,
      },
      topologySpreadConstraints: zoneSpread === ZoneSpread.NONE && !scheduling.topologySpreadConstraints.length ? undefined : [
        ...(zoneSpread === ZoneSpread.NONE ? [] : [{
          maxSkew: 1,
          topologyKey: ZONE_TOPOLOGY_KEY,
          whenUnsatisfiable: zoneSpread,
          labelSelector: { matchLabels: instanceLabels },
        }]),
        ...scheduling.topologySpreadConstraints,
      ],
      storage: { size: dataSize.value, storageClass },
      walStorage: walSize ? { size: walSize.value, storageClass: walStorageClass } : undefined,
      resources: {
        requests: crdValues<cnpg.ClusterSpecResourcesRequests>(resources.requests),
        limits: crdValues<cnpg.ClusterSpecResourcesLimits>(resources.limits),
      },
      postgresql: {
        parameters,
        pgHba: [...TLS_ONLY_PG_HBA],
        synchronous: this.renderSynchronous(),
        sharedPreloadLibraries: extensions.sharedPreloadLibraries.length ? [...extensions.sharedPreloadLibraries] : undefined,
        extensions: extensions.images.length ? extensions.images : undefined,
      },
      certificates: hasCertificates(tls) || this.poolerAltDnsNames.size ? {
        serverTlsSecret: tls.serverTlsSecret,
        serverCaSecret: tls.serverCaSecret,
        clientCaSecret: tls.clientCaSecret,
        replicationTlsSecret: tls.replicationTlsSecret,
        serverAltDnsNames: (tls.serverAltDnsNames ?? []).length || this.poolerAltDnsNames.size
          ? [...new Set([...(tls.serverAltDnsNames ?? []), ...this.poolerAltDnsNames])] : undefined,
      } : undefined,
      managed: this.managedRoles.length || managedServices
        ? { roles: this.managedRoles.length ? [...this.managedRoles] : undefined, services: managedServices } : undefined,
      plugins: this.plugins.length ? [...this.plugins] : undefined,
      backup: this.backupSpec || this.volumeSnapshotSpec ? { ...this.backupSpec, volumeSnapshot: this.volumeSnapshotSpec } : undefined,
      ...lifecycle,
      ...metadata.spec,
      ...scheduling.spec,
      ...podTemplate,
      tablespaces,
      monitoring,
      serviceAccountTemplate: this.serviceAccountTemplate(podTemplate.serviceAccountTemplate),
      bootstrap: this.dataSources.bootstrap,
      replica: this.dataSources.replica(),
      externalClusters: this.dataSources.externalClusters(),
    });

    // Written once at synth, in the CRD's field names; the object as written (escape hatches
    // included) is checked against the targeted release's Cluster CRD.
    this.resource = checkedObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: {
        name: this.clusterName,
        namespace: this.namespace,
        labels: { ...this.commonLabels, 'app.kubernetes.io/component': 'database' },
        annotations: metadata.annotations,
      },
      fields: { spec: Lazy.any({ produce: () => toCrdJson(spec(), CLUSTER_SPEC) }) },
      release: () => this.operatorVersion.release,
      rules: [...clusterRules(), recoveryReferenceProblems],
    });

    const endpoint = (suffix: string) => new ServiceEndpoint(`${this.clusterName}-${suffix}`, this.namespace, POSTGRES_PORT, this.clusterDomain);
    this.readWriteService = endpoint('rw');
    this.readOnlyService = endpoint('ro');
    this.readService = endpoint('r');
  }

  /**
   * The Cluster as written, for escape hatches in the CRD's field names:
   * `cluster.apiObject.addOverride('spec.postgresql.shared_preload_libraries', ['pg_cron'])`.
   * Checked at synth against the targeted release's CRD.
   */
  public get apiObject(): CheckedApiObject {
    return this.resource;
  }

  /**
   * The Namespace as written (Pod Security Admission labels), when `createNamespace` is on.
   */
  public get namespaceObject(): CheckedApiObject | undefined {
    return this.namespaceResource;
  }

  /**
   * The backup configuration, once a backup construct is attached (read it at synth time).
   */
  public get backup(): BackupInfo | undefined {
    return this.backupInfo;
  }

  /**
   * The poolers attached so far (read them at synth time to see every one).
   */
  public get poolers(): PoolerInfo[] {
    return [...this.attachedPoolers];
  }

  /**
   * The name of the cluster this one replays, while it is a replica cluster
   * (`ReplicaCluster.of` or `standalone`); undefined for a primary cluster.
   */
  public get replicaOf(): string | undefined {
    return this.dataSources.replicaOf;
  }

  /**
   * The objects written so that the cluster can read its recovery and replica sources (an
   * `ObjectStore` `<source>-source`, the ExternalSecret of the source's credentials), for escape
   * hatches in the CRD's field names.
   */
  public get sourceObjects(): CheckedApiObject[] {
    return [...this.dataSources.objects];
  }

  /**
   * Backs the cluster up with volume snapshots of its PVCs (`spec.backup.volumeSnapshot` and a
   * ScheduledBackup with `method: volumeSnapshot`), beside (not instead of) the object store of
   * {@link addBackup}, which keeps the WAL archive. One per cluster.
   */
  public addVolumeSnapshotBackup(options: VolumeSnapshotBackupOptions): VolumeSnapshotBackup {
    checkArgs('CnpgSharedCluster.addVolumeSnapshotBackup', [options], this);
    if (this.node.tryFindChild('VolumeSnapshotBackup')) {
      throw invalidInput(this, 'volumeSnapshotBackup', 'addVolumeSnapshotBackup()', 'is called twice', 'call addVolumeSnapshotBackup once per cluster, with every option');
    }
    return new VolumeSnapshotBackup(this, 'VolumeSnapshotBackup', { ...options, cluster: this });
  }

  /**
   * Backs the cluster up to S3-compatible storage: an ObjectStore (Barman Cloud plugin) as the
   * WAL archiver, a ScheduledBackup (six-field schedule, `0 0 2 * * *` by default), the S3 keys
   * from the secret store, a backup-validation CronJob and, optionally, a restore probe. Defaults
   * come from the settings (`CNPG_BACKUP_*`, `CNPG_MINIO_*`). One per cluster.
   */
  public addBackup(options: ClusterBackupOptions = {}): ClusterBackup {
    checkArgs('CnpgSharedCluster.addBackup', [options], this);
    if (this.node.tryFindChild('Backup')) {
      throw invalidInput(this, 'backup', 'addBackup()', 'is called twice', 'call addBackup once per cluster, with every option');
    }
    return new ClusterBackup(this, 'Backup', { ...options, cluster: this });
  }

  /**
   * Adds an application: its managed role and password (from the secret store), its `Database`,
   * its pooler(s) with PDB, PodMonitor and NetworkPolicy, checked against its profile and the
   * cluster's connection budget. E.g.
   * `cluster.addApplication('harbor', { profile: ApplicationProfile.HARBOR })`.
   *
   * @param name the application's name (DNS-1035 label): objects are `<name>-pooler`,
   * `<name>-db-credentials`, `<name>` (Database)
   */
  public addApplication(name: string, props: ApplicationProps = {}): CnpgApplication {
    checkArgs('CnpgSharedCluster.addApplication', [name, props], this);
    if (this.node.tryFindChild(name)) {
      throw invalidInput(this, 'applications', name, 'is added twice (or names another part of this cluster)', 'give each application a distinct name');
    }
    return new CnpgApplication(this, name, { ...props, cluster: this, name });
  }

  /**
   * Adds a PgBouncer pooler that several applications share:
   * `const shared = cluster.addSharedPooler('shared-pooler', { poolMode: PoolMode.TRANSACTION })`,
   * then `cluster.addApplication('harbor', { sharedPooler: shared })` for each. Each application
   * reaches only its own database with its own role (one pg_hba rule each); the pools of every
   * application are counted in the connection budget.
   *
   * @param name the Pooler's name, also its Service's (a DNS-1035 label)
   */
  public addSharedPooler(name: string, options: SharedPoolerOptions = {}): PgBouncerPooler {
    checkArgs('CnpgSharedCluster.addSharedPooler', [name, options], this);
    if (this.node.tryFindChild(name)) {
      throw invalidInput(this, 'poolers', name, 'is added twice (or names another part of this cluster)', 'give each pooler a distinct name');
    }
    return addSharedPooler(this, this, name, options);
  }

  /**
   * Adds a PostgreSQL role the operator keeps that is not an application's: a read-only user
   * (`inRoles: ['pg_read_all_data']`), a group role, a replication user for change data capture.
   * Its password comes from `credentials` (the secret store, an existing Secret); without one it
   * is a group role.
   *
   * @param roleName the role's name (a PostgreSQL identifier)
   */
  public addRole(roleName: string, options: ManagedRoleOptions = {}): CnpgRole {
    checkArgs('CnpgSharedCluster.addRole', [roleName, options], this);
    const id = `Role-${roleName}`;
    if (this.node.tryFindChild(id)) {
      throw invalidInput(this, 'roles', roleName, 'is added twice', 'add each role once');
    }
    return new CnpgRole(this, id, { ...options, cluster: this, roleName });
  }

  /**
   * Adds monitoring: a PodMonitor for the instances, the alert presets (a PrometheusRule) and the
   * cluster and pooler dashboards (ConfigMaps for Grafana's sidecar). Backups and poolers are read
   * at synth, whenever they are added. One per cluster.
   */
  public addMonitoring(options: CnpgMonitoringOptions = {}): CnpgMonitoring {
    checkArgs('CnpgSharedCluster.addMonitoring', [options], this);
    if (this.node.tryFindChild('Monitoring')) {
      throw invalidInput(this, 'monitoring', 'addMonitoring()', 'is called twice', 'call addMonitoring once per cluster, with every option');
    }
    return new CnpgMonitoring(this, 'Monitoring', { ...options, cluster: this });
  }

  /**
   * Adds DNS names to the server certificate the operator issues (poolers present it to their
   * clients). Returns false, adding nothing, when the cluster uses its own server certificate
   * (which must then cover the names itself: the operator's webhook refuses serverAltDNSNames
   * with a serverTLSSecret).
   * @internal
   */
  public _addServerAltDnsNames(names: string[]): boolean {
    if (this.customServerCertificate) return false;
    for (const n of names) this.poolerAltDnsNames.add(n);
    return true;
  }

  /**
   * Records the backup configuration (one per cluster).
   * @internal
   */
  public _registerBackup(info: BackupInfo): void {
    if (this.backupInfo) {
      throw invalidInput(this, 'backup', info.method, 'is configured twice', 'attach one backup configuration per cluster');
    }
    this.backupInfo = info;
  }

  /**
   * Records a pooler.
   * @internal
   */
  public _registerPooler(info: PoolerInfo): void {
    if (this.attachedPoolers.some((p) => p.poolerName === info.poolerName && p.namespace === info.namespace)) {
      throw invalidInput(this, 'poolers', info.poolerName, 'is declared twice', 'give each pooler a distinct name');
    }
    this.attachedPoolers.push(info);
  }

  /**
   * Adds a managed role (`spec.managed.roles`).
   * @internal
   */
  public _addManagedRole(role: cnpg.ClusterSpecManagedRoles): void {
    if (this.managedRoles.some((r) => r.name === role.name)) {
      throw invalidInput(this, 'managed.roles', role.name, 'is declared twice', 'give each application a distinct role name');
    }
    this.managedRoles.push(role);
  }

  /**
   * Adds a CNPG-I plugin entry (`spec.plugins`).
   * @internal
   */
  public _addPlugin(plugin: cnpg.ClusterSpecPlugins): void {
    if (plugin.name === BARMAN_CLOUD_PLUGIN.name) requireBarmanCloudPlugin(this, this.operatorVersion);
    this.plugins.push(plugin);
  }

  /**
   * Sets the in-tree backup configuration (`spec.backup`).
   * @internal
   */
  public _setBackup(backup: cnpg.ClusterSpecBackup): void {
    this.backupSpec = backup;
  }

  /**
   * The archives the cluster recovers or replicates from.
   * @internal
   */
  public _archiveSources(): ArchiveLocation[] {
    return [...this.dataSources.archives];
  }

  /**
   * Records the archive the cluster's backups write.
   * @internal
   */
  public _registerArchive(archive: OwnArchive): void {
    this.ownArchive = archive;
  }

  /**
   * The archive the cluster's backups write, once attached.
   * @internal
   */
  public _ownArchive(): OwnArchive | undefined {
    return this.ownArchive;
  }

  /**
   * Adds annotations to the cluster's ServiceAccount (`spec.serviceAccountTemplate`).
   * @internal
   */
  public _addServiceAccountAnnotations(annotations: { [key: string]: string }): void {
    if (this.customServiceAccount !== undefined) {
      throw invalidInput(this, 'serviceAccountName', this.customServiceAccount,
        `is the cluster's own ServiceAccount, which the library cannot annotate with ${Object.entries(annotations).map(([k, v]) => `${k}: ${v}`).join(', ')} (an IAM role of the backups)`,
        `annotate the ServiceAccount ${this.customServiceAccount} yourself and use BackupCredentials.fromIamRole() without roleArn, or drop serviceAccountName`);
    }
    for (const [k, v] of Object.entries(annotations)) {
      if (this.serviceAccountAnnotations[k] !== undefined && this.serviceAccountAnnotations[k] !== v) {
        throw invalidInput(this, `serviceAccountTemplate.metadata.annotations.${k}`, v,
          `conflicts with ${JSON.stringify(this.serviceAccountAnnotations[k])}, set for another object store (the instances have one ServiceAccount)`,
          'use one IAM role for the cluster\'s backups and its sources');
      }
      this.serviceAccountAnnotations[k] = v;
    }
  }

  /**
   * The ServiceAccount the instances run as (`serviceAccountName`, or the one the operator
   * creates, named after the cluster).
   * @internal
   */
  public _serviceAccountName(): string {
    return this.customServiceAccount ?? this.clusterName;
  }

  /**
   * Sets `spec.backup.volumeSnapshot`.
   * @internal
   */
  public _setVolumeSnapshotBackup(snapshot: cnpg.ClusterSpecBackupVolumeSnapshot): void {
    this.volumeSnapshotSpec = snapshot;
  }

  /**
   * Throws when the targeted operator release lacks a CRD field (see `CNPG_FIELDS`).
   *
   * @param scope the construct whose prop asks for the field
   * @param prop the prop as the user wrote it
   * @internal
   */
  public _requireOperatorVersion(scope: IConstruct, prop: string, value: unknown, field: CnpgField): void {
    requireCnpgVersion(scope, this.operatorVersion, prop, value, field);
  }

  /**
   * The PostgreSQL parameters as the Cluster writes them.
   * @internal
   */
  public _postgresParameters(): { [key: string]: string } {
    return { ...this.renderedParameters };
  }

  /**
   * The preloaded libraries and pg_cron's database.
   * @internal
   */
  public _preloadedExtensions(): PreloadedExtensions {
    return { libraries: [...this.preloaded.libraries], cronDatabase: this.preloaded.cronDatabase };
  }

  /**
   * Whether the operator's `-ro` or `-r` Service is disabled.
   * @internal
   */
  public _defaultServiceDisabled(type: string): boolean {
    return this.disabledServices.includes(type);
  }

  /**
   * The secret store, or an error naming the feature that needs one.
   * @internal
   */
  public _requireSecretStore(feature: string): SecretStoreReference {
    return this.requireSecretStore(feature);
  }

  private requireSecretStore(feature: string): SecretStoreReference {
    if (!this.secretStore) {
      throw invalidInput(this, 'secretStore', undefined, `is required by ${feature}, whose credentials come from the secret store`,
        'set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE in the settings)');
    }
    return this.secretStore;
  }

  /** The ServiceAccount template: the props' metadata and the annotations the object stores need (IRSA). */
  private serviceAccountTemplate(fromProps: cnpg.ClusterSpecServiceAccountTemplate | undefined): cnpg.ClusterSpecServiceAccountTemplate | undefined {
    if (!Object.keys(this.serviceAccountAnnotations).length) return fromProps;
    const own = fromProps?.metadata?.annotations ?? {};
    for (const [k, v] of Object.entries(this.serviceAccountAnnotations)) {
      if (own[k] !== undefined && own[k] !== v) {
        throw invalidInput(this, `serviceAccountMetadata.annotations.${k}`, own[k], `conflicts with ${JSON.stringify(v)}, the IAM role of the backup credentials`,
          'give the role once: in BackupCredentials.fromIamRole({ roleArn }) or in serviceAccountMetadata');
      }
    }
    return { ...fromProps, metadata: { ...fromProps?.metadata, annotations: { ...own, ...this.serviceAccountAnnotations } } };
  }

  private validateReplication(): void {
    const r = this.replication;
    if (!r.isSynchronous) return;
    const o = r.options;
    const number = o.number ?? 1;
    validateInteger(this, 'replication.number', number, 1, 100, 'give at least 1 synchronous standby, or use SynchronousReplication.asynchronous()');
    const pre = o.standbyNamesPre ?? [];
    const post = o.standbyNamesPost ?? [];
    // CNPG webhook: number < instances + len(standbyNamesPre) + len(standbyNamesPost).
    if (number >= this.instances + pre.length + post.length) {
      throw invalidInput(this, 'replication.number', number,
        `needs ${number} synchronous standbys but the cluster has ${this.instances} instance(s), i.e. ${this.instances - 1} standby(s)`,
        this.instances === 1
          ? 'use SynchronousReplication.asynchronous() for a single instance, or raise instances'
          : `set number to at most ${this.instances - 1 + pre.length + post.length}, or raise instances`);
    }
    if (o.failoverQuorum !== undefined) {
      requireCnpgVersion(this, this.operatorVersion, 'replication.failoverQuorum', o.failoverQuorum, CNPG_FIELDS.clusterFailoverQuorum);
    }
    if (o.dataDurability === DataDurability.PREFERRED && (pre.length || post.length)) {
      throw invalidInput(this, 'replication.dataDurability', o.dataDurability,
        'cannot be combined with standbyNamesPre/standbyNamesPost (CRD rule)', 'drop the standby names or use DataDurability.REQUIRED');
    }
    if (o.maxStandbyNamesFromCluster !== undefined) {
      validateInteger(this, 'replication.maxStandbyNamesFromCluster', o.maxStandbyNamesFromCluster, 0, 100, 'give a whole number');
      if (o.maxStandbyNamesFromCluster + pre.length + post.length < number) {
        throw invalidInput(this, 'replication.maxStandbyNamesFromCluster', o.maxStandbyNamesFromCluster,
          `lists fewer standbys than the ${number} that must confirm each commit, so no commit could ever be confirmed`,
          `set it to at least ${number - pre.length - post.length}, or lower number`);
      }
    }
    // A commit that must wait for every eligible standby blocks all writes while one restarts.
    const durability = o.dataDurability ?? DataDurability.REQUIRED;
    if (durability === DataDurability.REQUIRED && !pre.length && !post.length && !o.acceptBlockedWrites) {
      const eligible = Math.min(this.instances - 1, o.maxStandbyNamesFromCluster ?? Infinity);
      if (eligible - number < 1) {
        const why = o.maxStandbyNamesFromCluster !== undefined && o.maxStandbyNamesFromCluster < this.instances - 1
          ? `maxStandbyNamesFromCluster ${o.maxStandbyNamesFromCluster} makes every listed standby synchronous`
          : `${this.instances} instance(s) give ${this.instances - 1} standby(s), and every one must confirm each commit`;
        throw invalidInput(this, 'replication.dataDurability', durability,
          `blocks every write while a standby is down: ${why} (number ${number}), so a rolling update, a node drain or a crash of one standby stops the applications' writes`,
          `use SynchronousReplication.any({ dataDurability: DataDurability.PREFERRED }) (writes continue while a standby is down), or ${this.instances - 1 === number ? `instances: ${this.instances + 1}` : 'lower number'}; or set acceptBlockedWrites: true to keep strict durability anyway`);
      }
    }
  }

  private renderSynchronous(): cnpg.ClusterSpecPostgresqlSynchronous | undefined {
    const r = this.replication;
    if (!r.method) return undefined;
    const o = r.options;
    return {
      method: r.method as string as cnpg.ClusterSpecPostgresqlSynchronousMethod,
      number: o.number ?? 1,
      dataDurability: (o.dataDurability ?? DataDurability.REQUIRED) as string as cnpg.ClusterSpecPostgresqlSynchronousDataDurability,
      maxStandbyNamesFromCluster: o.maxStandbyNamesFromCluster,
      standbyNamesPre: o.standbyNamesPre,
      standbyNamesPost: o.standbyNamesPost,
      failoverQuorum: o.failoverQuorum,
    };
  }

  private validateTls(tls: ClusterTlsProps): void {
    if (tls.serverTlsSecret && tls.serverAltDnsNames?.length) {
      throw invalidInput(this, 'tls.serverAltDnsNames', tls.serverAltDnsNames, 'is given with tls.serverTlsSecret, which CloudNativePG\'s webhook refuses: the operator issues no server certificate then',
        'put the names into your own server certificate and drop serverAltDnsNames');
    }
    if (tls.serverTlsSecret && !tls.serverCaSecret) {
      throw invalidInput(this, 'tls.serverCaSecret', undefined, 'is required with tls.serverTlsSecret',
        'name the Secret with the CA (ca.crt) that signed the server certificate');
    }
    // validateCerts of CloudNativePG's webhook.
    if (tls.replicationTlsSecret && !tls.clientCaSecret) {
      throw invalidInput(this, 'tls.clientCaSecret', undefined, 'is required with tls.replicationTlsSecret (CloudNativePG\'s webhook refuses it alone)',
        'name the Secret with the CA that signed the replication certificate');
    }
    for (const field of ['serverTlsSecret', 'serverCaSecret', 'clientCaSecret', 'replicationTlsSecret'] as const) {
      const v = tls[field];
      if (v !== undefined) validateName(this, `tls.${field}`, v, { maxLength: 253 });
    }
  }

  private checkWalSizes(params: PostgresParameters, walSize: Quantity | undefined): void {
    // validateWalSizeConfiguration of CNPG's webhook: min_wal_size < max_wal_size (defaults 80MB
    // and 1GB, which pass), and each one set below the WAL volume.
    const min = params.minWalSize !== undefined ? webhookPgBytes(params.minWalSize) : undefined;
    const max = params.maxWalSize !== undefined ? webhookPgBytes(params.maxWalSize) : undefined;
    if ((min ?? 80 * 2 ** 20) >= (max ?? 2 ** 30)) {
      if (min === undefined) {
        throw invalidInput(this, 'parameters.maxWalSize', params.maxWalSize,
          'is not above min_wal_size (80MB, PostgreSQL\'s default): CloudNativePG refuses the Cluster', 'keep maxWalSize above minWalSize (e.g. 8GB and 2GB)');
      }
      throw invalidInput(this, 'parameters.minWalSize', params.minWalSize,
        `is not below max_wal_size (${params.maxWalSize ?? '1GB, PostgreSQL\'s default'}): CloudNativePG refuses the Cluster`,
        'keep minWalSize below maxWalSize (e.g. 2GB and 8GB)');
    }
    const volume = walSize?.toNumber();
    if (volume === undefined) return;
    for (const [field, bytes, value] of [['parameters.maxWalSize', max, params.maxWalSize], ['parameters.minWalSize', min, params.minWalSize]] as const) {
      if (bytes !== undefined && bytes >= volume) {
        throw invalidInput(this, field, value, `is not smaller than the WAL volume (walStorage.size ${walSize!.value}): CloudNativePG refuses the Cluster, and WAL would fill the volume`,
          'lower it below the volume (about half of it leaves room for peaks), or enlarge walStorage');
      }
    }
  }

  private checkSharedBuffers(sharedBuffers: string | undefined, memoryRequest: string | undefined, hugePages: { [resource: string]: string }): void {
    // CNPG's webhook refuses shared_buffers larger than the memory request, unless huge pages hold it.
    if (!sharedBuffers || !memoryRequest) return;
    const sb = postgresMemoryBytes(sharedBuffers);
    const mem = Quantity.of(memoryRequest).toNumber();
    const fitsHugePages = sb !== undefined && Object.values(hugePages).some((h) => (Quantity.of(h).toNumber() ?? 0) >= sb);
    if (sb !== undefined && mem !== undefined && sb > mem && !fitsHugePages) {
      throw invalidInput(this, 'parameters.sharedBuffers', sharedBuffers,
        `is larger than the memory request (${memoryRequest})${Object.keys(hugePages).length ? ' and the huge pages' : ''}; CloudNativePG rejects the Cluster`,
        'lower sharedBuffers (about 25% of the memory request is usual) or raise the memory request');
    }
  }
}

function hasCertificates(tls: ClusterTlsProps): boolean {
  return !!(tls.serverTlsSecret || tls.serverCaSecret || tls.clientCaSecret || tls.replicationTlsSecret || tls.serverAltDnsNames?.length);
}


/** The cluster provides every hook its features use (checked by the compiler). @internal */
export function _clusterHooksOf(cluster: CnpgSharedCluster): ClusterHooks {
  return cluster;
}
