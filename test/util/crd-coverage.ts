/**
 * Which fields of the CloudNativePG 1.30 CRDs (Cluster, Pooler, Database, ScheduledBackup) and of
 * the Barman Cloud plugin's ObjectStore a typed prop writes, which are reachable only through the
 * escape hatch (`addOverride`, checked against the schema), and which the library refuses (with the
 * reason), computed, not counted by hand:
 *
 * - the fields are read from the vendored CRDs (vendor/crds), leaves of the `spec` tree; a
 *   Kubernetes type embedded in a CRD (a PodTemplateSpec, a ServiceSpec, a Toleration, ...) counts
 *   as one field (`ATOMIC`);
 * - "typed" fields are the ones the synthesized output contains for the probes below: each probe
 *   sets one typed prop on a baseline platform, and the fields whose value it changes are that
 *   prop's (the baseline's own fields are the library's defaults);
 * - "refused" fields are the library's refusal lists (`REFUSED_CLUSTER_FIELDS`,
 *   `REFUSED_POOLER_FIELDS`), which test/crd-coverage.test.ts proves to fail at synth;
 * - the rest is passthrough.
 *
 * `npx ts-node test/util/crd-coverage.ts` prints the table as Markdown.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ApplicationProps, BackupCompression, BackupCredentials, BackupMethod, BackupRetention, BackupSchedule, BackupSource, BackupTarget,
  ClusterBackupOptions, ClusterBootstrap, ClusterServiceType, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, Credentials, CustomQueries,
  DatabaseReclaimPolicy, EnvironmentSource, EnvironmentValue, ImagePullPolicy, InstanceLogLevel, LocaleProvider, PoolerOptions, PoolerServiceType,
  PoolMode, PostgresExtension, PostgresImage, PrimaryUpdateMethod, PrimaryUpdateStrategy, ProjectedVolume, Quantity, RecoveryTarget,
  ReplicaCluster, ServerSideEncryption, ServiceSelector, SnapshotOwnerReference, SslMode, StreamingSslMode, SuperuserAccess,
  SynchronousReplication, TaintEffect, TlsVersion, ZoneSpread,
} from '../../src';
import { REFUSED_CLUSTER_FIELDS, REFUSED_POOLER_FIELDS } from '../../src/cluster/cluster-rules';

const VENDOR = path.join(__dirname, '..', '..', 'vendor', 'crds');

/** The CRDs of the table: kind → file. */
export const KINDS: Record<string, string> = {
  Cluster: 'cnpg-1.30.0/postgresql.cnpg.io_clusters.yaml',
  Pooler: 'cnpg-1.30.0/postgresql.cnpg.io_poolers.yaml',
  Database: 'cnpg-1.30.0/postgresql.cnpg.io_databases.yaml',
  ScheduledBackup: 'cnpg-1.30.0/postgresql.cnpg.io_scheduledbackups.yaml',
  ObjectStore: 'barman-cloud-0.14.0/barmancloud.cnpg.io_objectstores.yaml',
};

/** Kubernetes types embedded in the CRDs: one field each (their own fields are Kubernetes'). */
export const ATOMIC: Record<string, string[]> = {
  Cluster: [
    'spec.affinity.additionalPodAffinity', 'spec.affinity.additionalPodAntiAffinity', 'spec.affinity.nodeAffinity', 'spec.affinity.tolerations',
    'spec.topologySpreadConstraints', 'spec.env', 'spec.envFrom', 'spec.resources', 'spec.podSecurityContext', 'spec.securityContext',
    'spec.seccompProfile', 'spec.ephemeralVolumeSource', 'spec.projectedVolumeTemplate', 'spec.storage.pvcTemplate', 'spec.walStorage.pvcTemplate',
    'spec.tablespaces[].storage.pvcTemplate', 'spec.managed.services.additional[].serviceTemplate.spec', 'spec.podSelectorRefs[].selector',
    'spec.monitoring.podMonitorRelabelings', 'spec.monitoring.podMonitorMetricRelabelings', 'spec.postgresql.extensions[].env',
    'spec.bootstrap.recovery.volumeSnapshots', 'spec.bootstrap.pg_basebackup', 'spec.bootstrap.recovery.recoveryTarget',
    'spec.externalClusters[].barmanObjectStore', 'spec.externalClusters[].connectionParameters', 'spec.externalClusters[].plugin',
    'spec.backup.volumeSnapshot', 'spec.probes.liveness', 'spec.probes.readiness', 'spec.probes.startup',
  ],
  Pooler: ['spec.template', 'spec.deploymentStrategy', 'spec.serviceTemplate.spec', 'spec.monitoring.podMonitorRelabelings', 'spec.monitoring.podMonitorMetricRelabelings'],
  Database: ['spec.fdws', 'spec.servers'],
  ScheduledBackup: [],
  ObjectStore: ['spec.instanceSidecarConfiguration.env', 'spec.instanceSidecarConfiguration.resources'],
};

/** The fields another issue (#11: bootstrap, replica clusters, backups and object stores) owns. */
export function ownedByIssue11(kind: string, field: string): boolean {
  return kind === 'ScheduledBackup' || kind === 'ObjectStore'
    || /^spec\.(bootstrap|externalClusters|replica|backup)(\.|\[|$)/.test(field);
}

/** The leaf fields of a kind's `spec`, `.`-separated, `[]` for list items. */
export function crdFields(kind: string): string[] {
  const doc = YAML.parse(fs.readFileSync(path.join(VENDOR, KINDS[kind]), 'utf-8'));
  const schema = doc.spec.versions[0].schema.openAPIV3Schema.properties.spec;
  const atomic = new Set(ATOMIC[kind]);
  const out: string[] = [];
  const walk = (node: any, at: string) => {
    if (atomic.has(at)) {
      out.push(at);
      return;
    }
    if (node.type === 'array' && node.items?.properties) return walk(node.items, `${at}[]`);
    if (node.properties && !node.additionalProperties) {
      for (const [k, child] of Object.entries<any>(node.properties)) walk(child, `${at}.${k}`);
      return;
    }
    out.push(at.replace(/\[\]$/, ''));
  };
  walk(schema, 'spec');
  return [...new Set(out)];
}

/** A probe: one typed prop set on the baseline platform. */
interface Probe {
  readonly prop: string;
  readonly cluster?: CnpgSharedClusterProps;
  readonly app?: ApplicationProps;
  readonly pooler?: PoolerOptions;
  /**
   * Options of addBackup. Untyped on purpose: issue #11 reshapes the backup options, and a probe
   * whose option no longer exists then writes nothing, which test/crd-coverage.test.ts reports by
   * name (instead of the whole file failing to compile).
   */
  readonly backup?: Record<string, unknown>;
  /** Anything else, on the built baseline. */
  readonly then?: (db: CnpgSharedCluster) => void;
}

const STORE = { name: 'onepassword' };
const q = (s: string) => Quantity.of(s);

/** Every typed prop, one probe each (the baseline sets none of them). */
export const PROBES: Probe[] = [
  // The cluster.
  { prop: 'clusterName', cluster: { clusterName: 'other' } },
  { prop: 'instances', cluster: { instances: 5 } },
  { prop: 'postgres', cluster: { postgres: PostgresImage.version('16.8') } },
  { prop: 'postgres: PostgresImage.fromImageCatalog', cluster: { postgres: PostgresImage.fromImageCatalog('postgresql', 17) } },
  { prop: 'storage', cluster: { storage: { size: q('20Gi'), storageClass: 'fast' } } },
  { prop: 'walStorage', cluster: { walStorage: { size: q('20Gi'), storageClass: 'fast' } } },
  { prop: 'resources / hugePages', cluster: { hugePages: { size2Mi: q('1Gi') } } },
  { prop: 'zoneSpread', cluster: { zoneSpread: ZoneSpread.REQUIRED } },
  { prop: 'antiAffinity', cluster: { antiAffinity: 'preferred' as any } },
  { prop: 'enablePodDisruptionBudget', cluster: { enablePodDisruptionBudget: false } },
  { prop: 'replication', cluster: { instances: 5, replication: SynchronousReplication.first({ number: 2, maxStandbyNamesFromCluster: 3, standbyNamesPre: ['a'], standbyNamesPost: ['b'], failoverQuorum: true }) } },
  { prop: 'replication (asynchronous)', cluster: { replication: SynchronousReplication.asynchronous() } },
  { prop: 'replication.dataDurability', cluster: { replication: SynchronousReplication.any({ dataDurability: 'preferred' as any }) } },
  { prop: 'tls', cluster: { tls: { minProtocolVersion: TlsVersion.TLS_1_2, serverTlsSecret: 's', serverCaSecret: 'c', clientCaSecret: 'cc', replicationTlsSecret: 'r' } } },
  { prop: 'tls.serverAltDnsNames', cluster: { tls: { serverAltDnsNames: ['pg.example.com'] } } },
  { prop: 'superuserAccess', cluster: { superuserAccess: SuperuserAccess.withCredentials(Credentials.fromSecret('su')) } },
  { prop: 'parameters', cluster: { parameters: { maxConnections: 500, workMem: '8MB' } } },
  { prop: 'primaryUpdateStrategy', cluster: { primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED } },
  { prop: 'primaryUpdateMethod', cluster: { primaryUpdateMethod: PrimaryUpdateMethod.SWITCHOVER } },
  { prop: 'failoverDelay', cluster: { failoverDelay: Duration.seconds(10) } },
  { prop: 'switchoverDelay', cluster: { switchoverDelay: Duration.seconds(100) } },
  { prop: 'startDelay', cluster: { startDelay: Duration.seconds(100) } },
  { prop: 'stopDelay', cluster: { stopDelay: Duration.seconds(600) } },
  { prop: 'smartShutdownTimeout', cluster: { smartShutdownTimeout: Duration.seconds(60) } },
  { prop: 'livenessProbeTimeout', cluster: { livenessProbeTimeout: Duration.seconds(60) } },
  { prop: 'nodeMaintenanceWindow', cluster: { nodeMaintenanceWindow: { inProgress: true, reusePvc: false } } },
  { prop: 'inheritedMetadata', cluster: { inheritedMetadata: { labels: { a: 'b' }, annotations: { c: 'd' } } } },
  { prop: 'extensions / sharedPreloadLibraries', cluster: { sharedPreloadLibraries: ['pg_squeeze'] } },
  { prop: 'extensions: PostgresExtension.fromImage', cluster: { postgres: PostgresImage.version('18.0'), extensions: [PostgresExtension.fromImage('ext', 'r/ext:1.0', { extensionControlPath: ['share'], dynamicLibraryPath: ['lib'], ldLibraryPath: ['syslib'] })] } },
  { prop: 'tolerations', cluster: { tolerations: [{ key: 'k', effect: TaintEffect.NO_SCHEDULE }] } },
  { prop: 'nodeSelector', cluster: { nodeSelector: { a: 'b' } } },
  { prop: 'topologySpread', cluster: { topologySpread: [{ topologyKey: 'rack' }] } },
  { prop: 'priorityClassName', cluster: { priorityClassName: 'p' } },
  { prop: 'schedulerName', cluster: { schedulerName: 's' } },
  { prop: 'env', cluster: { env: { TZ: EnvironmentValue.value('UTC') } } },
  { prop: 'envFrom', cluster: { envFrom: [EnvironmentSource.secret('s')] } },
  { prop: 'projectedVolumes', cluster: { projectedVolumes: [ProjectedVolume.secret('s')] } },
  { prop: 'serviceAccountMetadata', cluster: { serviceAccountMetadata: { annotations: { a: 'b' }, labels: { c: 'd' } } } },
  { prop: 'serviceAccountName', cluster: { serviceAccountName: 'sa' } },
  { prop: 'postgresUid', cluster: { postgresUid: 1000 } },
  { prop: 'postgresGid', cluster: { postgresGid: 1000 } },
  { prop: 'logLevel', cluster: { logLevel: InstanceLogLevel.DEBUG } },
  { prop: 'imagePullPolicy', cluster: { imagePullPolicy: ImagePullPolicy.ALWAYS } },
  { prop: 'imagePullSecrets', cluster: { imagePullSecrets: ['r'] } },
  { prop: 'description', cluster: { description: 'd' } },
  { prop: 'ephemeralVolumes', cluster: { ephemeralVolumes: { sharedMemory: q('1Gi'), temporaryData: q('1Gi') } } },
  { prop: 'tablespaces', cluster: { tablespaces: [{ name: 't', storage: { size: q('1Gi'), storageClass: 'c' }, owner: 'app', temporary: true }] } },
  { prop: 'managedServices', cluster: { managedServices: { disableReadService: true, additional: [{ name: 'ext', selector: ServiceSelector.READ_WRITE, serviceType: ClusterServiceType.LOAD_BALANCER, updateStrategy: 'replace' as any, labels: { a: 'b' }, annotations: { c: 'd' } }] } } },
  { prop: 'customQueries / disableDefaultQueries / metricsQueriesTtl', cluster: { customQueries: [CustomQueries.fromConfigMap('c', 'k'), CustomQueries.fromSecret('s', 'k')], disableDefaultQueries: true, metricsQueriesTtl: Duration.seconds(60) } },
  { prop: 'addRole', then: (db) => db.addRole('r', { credentials: Credentials.fromSecret('r'), inRoles: ['pg_monitor'], validUntil: new Date('2030-01-01T00:00:00Z'), createdb: true, createrole: true, bypassrls: true, replication: true, inherit: false, connectionLimit: 5, superuser: true, login: true }) },
  // The application: role, Database.
  { prop: 'addApplication: roleName', app: { roleName: 'other_role' } },
  { prop: 'addApplication: databaseName', app: { databaseName: 'other_db' } },
  { prop: 'addApplication: connectionLimit', app: { connectionLimit: 1000 } },
  { prop: 'addApplication: role', app: { role: { inRoles: ['pg_monitor'], validUntil: new Date('2030-01-01T00:00:00Z'), comment: 'c' } } },
  { prop: 'addApplication: extensions', app: { extensions: [{ name: 'pg_trgm', version: '1.6', schema: 'public' }] } },
  { prop: 'addApplication: schemas', app: { schemas: [{ name: 's', owner: 'app' }] } },
  { prop: 'addApplication: databaseReclaimPolicy', app: { databaseReclaimPolicy: DatabaseReclaimPolicy.DELETE } },
  { prop: 'addApplication: database', app: { database: { encoding: 'LATIN1', locale: 'C', localeCollate: 'C', localeCType: 'C', template: 'template0', tablespace: 't', owner: 'o', connectionLimit: 5, collationVersion: '1' } } },
  { prop: 'addApplication: database (ICU)', app: { database: { localeProvider: LocaleProvider.ICU, icuLocale: 'de', icuRules: '&a < b', template: 'template0' } } },
  { prop: 'addApplication: database (built-in)', app: { database: { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C', template: 'template0' } } },
  // The pooler.
  { prop: 'pooler.instances', pooler: { instances: 4 } },
  { prop: 'pooler.parameters', pooler: { parameters: { defaultPoolSize: 5 } } },
  { prop: 'addApplication: poolMode', app: { poolMode: PoolMode.TRANSACTION, preparedStatements: 'none' as any } },
  { prop: 'pooler.paused', pooler: { paused: true } },
  { prop: 'pooler.serviceTemplate', pooler: { serviceTemplate: { labels: { a: 'b' }, annotations: { c: 'd' }, type: PoolerServiceType.LOAD_BALANCER } } },
  { prop: 'pooler.image', pooler: { image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1' } },
  { prop: 'pooler TLS secrets', pooler: { clientTlsSecret: 'a', clientCaSecret: 'b', serverTlsSecret: 'c', serverCaSecret: 'd', authQuery: 'SELECT 1' } },
  { prop: 'pooler.authQuery / authQueryCredentials', pooler: { authQuery: 'SELECT 1', authQueryCredentials: Credentials.fromSecret('x') } },
  { prop: 'pooler.clientTlsMode', pooler: { clientTlsMode: SslMode.VERIFY_FULL } },
  { prop: 'addApplication: readOnlyPooler', app: { readOnlyPooler: true } },
  // Backups (issue #11's area; the options of addBackup as they are).
  { prop: 'addBackup: destinationPath / serverName', backup: { bucket: undefined, destinationPath: 's3://backups/other', serverName: 'other' } },
  { prop: 'addBackup: endpointCa', backup: { endpointCa: { secretName: 'ca', key: 'ca.crt' } } },
  { prop: 'addBackup: compression', backup: { dataCompression: BackupCompression.BZIP2, walCompression: BackupCompression.BZIP2 } },
  { prop: 'addBackup: encryption', backup: { encryption: ServerSideEncryption.AWS_KMS } },
  { prop: 'addBackup: parallelism / walMaxParallel', backup: { parallelism: 4, walMaxParallel: 4 } },
  { prop: 'addBackup: immediateCheckpoint', backup: { immediateCheckpoint: false } },
  { prop: 'addBackup: retention', backup: { retention: BackupRetention.days(7) } },
  { prop: 'addBackup: schedule', backup: { schedule: BackupSchedule.dailyAt(3) } },
  { prop: 'addBackup: target / immediate / suspend', backup: { target: BackupTarget.PRIMARY, immediate: true, suspend: true } },
  { prop: 'addBackup: credentials with region and session token', backup: { credentials: BackupCredentials.fromSecret('s3', { regionKey: 'REGION', sessionTokenKey: 'TOKEN' }) } },
  { prop: 'addBackup: credentials BackupCredentials.fromIamRole (IRSA)', backup: { credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/cnpg' }) } },
  { prop: 'addBackup: credentials BackupCredentials.azureStorageKey', backup: { bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureStorageKey({ secretName: 'az' }) } },
  { prop: 'addBackup: credentials BackupCredentials.azureSasToken', backup: { bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureSasToken({ secretName: 'az' }) } },
  { prop: 'addBackup: credentials BackupCredentials.azureConnectionString', backup: { bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureConnectionString({ secretName: 'az' }) } },
  { prop: 'addBackup: credentials BackupCredentials.azureWorkloadIdentity', backup: { bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureWorkloadIdentity() } },
  { prop: 'addBackup: credentials BackupCredentials.azureDefaultCredentials', backup: { bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureDefaultCredentials() } },
  { prop: 'addBackup: credentials BackupCredentials.googleServiceAccountKey', backup: { credentials: BackupCredentials.googleServiceAccountKey({ secretName: 'gcs' }) } },
  { prop: 'addBackup: credentials BackupCredentials.googleWorkloadIdentity', backup: { credentials: BackupCredentials.googleWorkloadIdentity() } },
  { prop: 'addBackup: in-tree with region, session token and a server name', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, serverName: 'other', credentials: BackupCredentials.fromSecret('s3', { regionKey: 'REGION', sessionTokenKey: 'TOKEN' }) } },
  { prop: 'addBackup: in-tree with an IAM role', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, credentials: BackupCredentials.fromIamRole() } },
  { prop: 'addBackup: in-tree with an Azure storage key', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureStorageKey({ secretName: 'az' }) } },
  { prop: 'addBackup: in-tree with an Azure SAS token', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureSasToken({ secretName: 'az' }) } },
  { prop: 'addBackup: in-tree with an Azure connection string', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureConnectionString({ secretName: 'az' }) } },
  { prop: 'addBackup: in-tree with Azure workload identity', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureWorkloadIdentity() } },
  { prop: 'addBackup: in-tree with Azure default credentials', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, bucket: undefined, destinationPath: 'https://acct.blob.core.windows.net/cnpg/db', credentials: BackupCredentials.azureDefaultCredentials() } },
  { prop: 'addBackup: in-tree with a Google service account key', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, credentials: BackupCredentials.googleServiceAccountKey({ secretName: 'gcs' }) } },
  { prop: 'addBackup: in-tree with GKE workload identity', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, credentials: BackupCredentials.googleWorkloadIdentity() } },
  // Issue #11: bootstrap, recovery, replica clusters, volume snapshots.
  { prop: 'addVolumeSnapshotBackup', then: (db) => db.addVolumeSnapshotBackup({ className: 'snap', walClassName: 'snap-wal', snapshotOwnerReference: SnapshotOwnerReference.CLUSTER, snapshotLabels: { a: 'b' }, snapshotAnnotations: { c: 'd' }, immediateCheckpoint: false, waitForArchive: false }) },
  { prop: 'addVolumeSnapshotBackup (cold)', then: (db) => db.addVolumeSnapshotBackup({ className: 'snap', online: false }) },
  {
    prop: 'bootstrap: ClusterBootstrap.initdb',
    cluster: {
      bootstrap: ClusterBootstrap.initdb({
        postInitSql: ['select 1'],
        postInitApplicationSql: ['select 2'],
        postInitTemplateSql: ['select 3'],
        postInitSqlRefs: { secrets: [{ name: 's', key: 'a.sql' }], configMaps: [{ name: 'c', key: 'b.sql' }] },
        postInitApplicationSqlRefs: { secrets: [{ name: 's', key: 'a.sql' }], configMaps: [{ name: 'c', key: 'b.sql' }] },
        postInitTemplateSqlRefs: { secrets: [{ name: 's', key: 'a.sql' }], configMaps: [{ name: 'c', key: 'b.sql' }] },
        encoding: 'UTF8',
        locale: 'en_US.UTF-8',
        localeCollate: 'C',
        localeCType: 'C',
        localeProvider: LocaleProvider.ICU,
        icuLocale: 'en-US',
        icuRules: '&a < b',
        dataChecksums: true,
        walSegmentSize: 32,
      }),
    },
  },
  { prop: 'bootstrap: ClusterBootstrap.initdb (builtin locale)', cluster: { bootstrap: ClusterBootstrap.initdb({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8' }) } },
  {
    prop: 'bootstrap: ClusterBootstrap.recovery (a time, exclusive, a timeline)',
    cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { target: RecoveryTarget.time('2026-03-01T10:00:00Z', { exclusive: true, timeline: '2', backupId: '20260301T020000' }) }) },
  },
  { prop: 'bootstrap: RecoveryTarget.lsn', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { target: RecoveryTarget.lsn('0/3000060') }) } },
  { prop: 'bootstrap: RecoveryTarget.restorePoint', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { target: RecoveryTarget.restorePoint('p', { backupId: '20260301T020000' }) }) } },
  { prop: 'bootstrap: RecoveryTarget.transactionId', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { target: RecoveryTarget.transactionId(4242, { backupId: '20260301T020000' }) }) } },
  { prop: 'bootstrap: RecoveryTarget.immediate', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { target: RecoveryTarget.immediate({ backupId: '20260301T020000' }) }) } },
  {
    prop: 'bootstrap: a source read with the in-tree method (BackupSource.objectStore method barmanObjectStore)',
    cluster: {
      bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({
        clusterName: 'old',
        method: BackupMethod.BARMAN_OBJECT_STORE,
        bucket: 'b-1',
        endpointUrl: 'https://s3.example.com',
        endpointCa: { secretName: 'ca' },
        credentials: BackupCredentials.fromSecret('s3', { regionKey: 'REGION', sessionTokenKey: 'TOKEN' }),
        walMaxParallel: 4,
      })),
    },
  },
  { prop: 'bootstrap: in-tree source with IAM role, Azure, Google credentials', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, destinationPath: 'https://acct.blob.core.windows.net/cnpg/old', credentials: BackupCredentials.azureSasToken({ secretName: 'az' }) })) } },
  { prop: 'bootstrap: in-tree source, Azure storage key', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, destinationPath: 'https://acct.blob.core.windows.net/cnpg/old', credentials: BackupCredentials.azureStorageKey({ secretName: 'az' }) })) } },
  { prop: 'bootstrap: in-tree source, Azure connection string', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, destinationPath: 'https://acct.blob.core.windows.net/cnpg/old', credentials: BackupCredentials.azureConnectionString({ secretName: 'az' }) })) } },
  { prop: 'bootstrap: in-tree source, Azure workload identity', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, destinationPath: 'https://acct.blob.core.windows.net/cnpg/old', credentials: BackupCredentials.azureWorkloadIdentity() })) } },
  { prop: 'bootstrap: in-tree source, Azure default credentials', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, destinationPath: 'https://acct.blob.core.windows.net/cnpg/old', credentials: BackupCredentials.azureDefaultCredentials() })) } },
  { prop: 'bootstrap: in-tree source, Google service account key', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, bucket: 'b-1', credentials: BackupCredentials.googleServiceAccountKey({ secretName: 'gcs' }) })) } },
  { prop: 'bootstrap: in-tree source, GKE workload identity', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, bucket: 'b-1', credentials: BackupCredentials.googleWorkloadIdentity() })) } },
  { prop: 'bootstrap: in-tree source, IAM role', cluster: { bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'old', method: BackupMethod.BARMAN_OBJECT_STORE, bucket: 'b-1', credentials: BackupCredentials.fromIamRole() })) } },
  {
    prop: 'bootstrap: ClusterBootstrap.volumeSnapshots',
    cluster: { walStorage: { size: q('20Gi') }, bootstrap: ClusterBootstrap.volumeSnapshots({ storage: 'snap', walStorage: 'snap-wal', walSource: BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }) }) },
  },
  { prop: 'bootstrap: ClusterBootstrap.pgBaseBackup (BackupSource.streaming)', cluster: { bootstrap: ClusterBootstrap.pgBaseBackup(BackupSource.streaming({ clusterName: 'old', host: 'old-rw.example.com', port: 5433, sslMode: StreamingSslMode.VERIFY_CA })) } },
  { prop: 'replica: ReplicaCluster.of', cluster: { replica: ReplicaCluster.of(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { minApplyDelay: Duration.hours(1) }) } },
  { prop: 'replica: ReplicaCluster.primary', cluster: { replica: ReplicaCluster.primary(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') }), { promotionToken: 'abc=' }) } },
  { prop: 'replica: ReplicaCluster.standalone', cluster: { replica: ReplicaCluster.standalone(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecret('s3') })) } },
  { prop: 'addBackup: method barmanObjectStore', backup: { method: BackupMethod.BARMAN_OBJECT_STORE, endpointCa: { secretName: 'ca', key: 'ca.crt' }, encryption: ServerSideEncryption.AES256, retention: BackupRetention.days(7), immediateCheckpoint: true, parallelism: 2, walMaxParallel: 2 } },
];

/** The baseline's backup (see `Probe.backup`). */
const BASELINE_BACKUP: Record<string, unknown> = { bucket: 'backups', endpointUrl: 'https://s3.example.com', credentials: BackupCredentials.fromSecret('s3') };

/** The baseline platform, with one probe's prop. */
function platform(p: Probe | undefined): Chart {
  const c = Testing.chart();
  const db = new CnpgSharedCluster(c, 'db', {
    secretStore: STORE,
    operatorVersion: CnpgVersion.V1_30_0,
    parameters: { maxConnections: 500 },
    ...(p?.cluster ?? {}),
    ...(p?.cluster?.parameters ? { parameters: { maxConnections: 500, ...p.cluster.parameters } } : {}),
  });
  db.addApplication('app', { credentials: { remoteKey: 'k/app' }, ...(p?.app ?? {}), ...(p?.pooler ? { pooler: p.pooler } : {}) });
  db.addBackup({ ...BASELINE_BACKUP, ...(p?.backup ?? {}) } as ClusterBackupOptions);
  p?.then?.(db);
  return c;
}

/** Field → the distinct values (JSON) of every listed field in the objects of the five kinds, per kind. */
function written(c: Chart, fields: Record<string, Set<string>>): Record<string, Map<string, string>> {
  const out: Record<string, Map<string, string>> = {};
  for (const kind of Object.keys(KINDS)) out[kind] = new Map();
  for (const obj of Testing.synth(c)) {
    const known = fields[obj.kind];
    if (!known || !obj.spec) continue;
    const walk = (v: any, at: string) => {
      if (known.has(at)) {
        // The distinct values across the objects of the kind: a second object with the same value
        // (e.g. a read-only pooler's deployment strategy) changes nothing.
        const values = new Set((out[obj.kind].get(at) ?? '').split('\u0000').filter((x) => x !== ''));
        values.add(JSON.stringify(v));
        out[obj.kind].set(at, [...values].sort().join('\u0000'));
        return;
      }
      if (Array.isArray(v)) v.forEach((x) => walk(x, at.endsWith('[]') ? at : `${at}[]`));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(obj.spec, 'spec');
  }
  return out;
}

/** One row of the table. */
export interface CoverageRow {
  readonly kind: string;
  readonly field: string;
  readonly status: 'typed' | 'passthrough' | 'refused';
  /** The props that write it, or the refusal's reason. */
  readonly detail: string;
  /** Whether issue #11's area (bootstrap, replica, backups, object stores). */
  readonly issue11: boolean;
}

/** The coverage of every field, and the fields each probe writes. */
export function coverage(): { rows: CoverageRow[]; probeFields: Map<string, string[]> } {
  const fields: Record<string, Set<string>> = {};
  for (const kind of Object.keys(KINDS)) fields[kind] = new Set(crdFields(kind).map((f) => f.replace(/\[\]/g, '[]')));
  // Lists are written as `a[]` by the walker: a leaf field that is a list of scalars is `a`.
  const normalize = (kind: string, f: string) => (fields[kind].has(f) ? f : f.replace(/\[\]$/, ''));
  const base = written(platform(undefined), fields);
  const typedBy = new Map<string, Set<string>>();
  const note = (kind: string, f: string, prop: string) => {
    const key = `${kind} ${normalize(kind, f)}`;
    if (!typedBy.has(key)) typedBy.set(key, new Set());
    typedBy.get(key)!.add(prop);
  };
  for (const [kind, m] of Object.entries(base)) for (const f of m.keys()) note(kind, f, '(library default)');
  const probeFields = new Map<string, string[]>();
  for (const p of PROBES) {
    let chart: Chart;
    try {
      chart = platform(p);
    } catch (e) {
      throw new Error(`probe ${p.prop}: ${(e as Error).message}`);
    }
    const out = written(chart, fields);
    const changed: string[] = [];
    for (const [kind, m] of Object.entries(out)) {
      for (const [f, v] of m) {
        if (base[kind].get(f) !== v) {
          note(kind, f, p.prop);
          changed.push(`${kind} ${f}`);
        }
      }
      for (const f of base[kind].keys()) if (!m.has(f)) changed.push(`${kind} ${f} (removed)`);
    }
    probeFields.set(p.prop, changed);
  }
  const refused = new Map<string, string>();
  for (const r of REFUSED_CLUSTER_FIELDS) refused.set(`Cluster ${r.field}`, r.reason);
  for (const r of REFUSED_POOLER_FIELDS) refused.set(`Pooler ${r.field}`, r.reason);
  const rows: CoverageRow[] = [];
  for (const kind of Object.keys(KINDS)) {
    for (const field of crdFields(kind)) {
      const key = `${kind} ${field}`;
      const by = typedBy.get(key);
      const issue11 = ownedByIssue11(kind, field);
      if (refused.has(key)) {rows.push({ kind, field, status: 'refused', detail: refused.get(key)!, issue11 });} else if (by) {
        const props = [...by];
        const own = props.filter((x) => x !== '(library default)');
        rows.push({ kind, field, status: 'typed', detail: (own.length ? own : props).join('; '), issue11 });
      } else {rows.push({ kind, field, status: 'passthrough', detail: 'addOverride (checked against the CRD of the targeted release)', issue11 });}
    }
  }
  return { rows, probeFields };
}

/** The table and its summary, as Markdown. */
export function coverageMarkdown(): string {
  const { rows } = coverage();
  const lines: string[] = [];
  const pct = (a: number, b: number) => `${b ? Math.round((100 * a) / b) : 0} %`;
  lines.push('| CRD (1.30) | fields | typed | passthrough | refused | typed share | of which issue #11 (typed / all) |', '| --- | --- | --- | --- | --- | --- | --- |');
  const total = { n: 0, t: 0, p: 0, r: 0, i: 0, it: 0 };
  for (const kind of Object.keys(KINDS)) {
    const k = rows.filter((r) => r.kind === kind);
    const t = k.filter((r) => r.status === 'typed').length;
    const p = k.filter((r) => r.status === 'passthrough').length;
    const r = k.filter((x) => x.status === 'refused').length;
    const i = k.filter((x) => x.issue11).length;
    const it = k.filter((x) => x.issue11 && x.status === 'typed').length;
    Object.assign(total, { n: total.n + k.length, t: total.t + t, p: total.p + p, r: total.r + r, i: total.i + i, it: total.it + it });
    lines.push(`| ${kind} | ${k.length} | ${t} | ${p} | ${r} | ${pct(t, k.length)} | ${it} / ${i} |`);
  }
  lines.push(`| **all** | ${total.n} | ${total.t} | ${total.p} | ${total.r} | ${pct(total.t, total.n)} | ${total.it} / ${total.i} |`, '');
  lines.push('| CRD | field | status | typed by (prop) / reason |', '| --- | --- | --- | --- |');
  for (const r of rows) {
    const status = `${r.status}${r.issue11 ? ' (issue #11)' : ''}`;
    lines.push(`| ${r.kind} | \`${r.field}\` | ${status} | ${r.detail.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  process.stdout.write(`${coverageMarkdown()}\n`);
}
