import { Duration } from 'cdk8s';
import {
  BackupCredentials, ClusterAnnotation, ClusterServiceType, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, CustomQueries, DataDurability,
  EnvironmentSource, EnvironmentValue, ImageCatalogKind, ImagePullPolicy, InstanceLogLevel, PostgresExtension, PostgresImage, PrimaryUpdateMethod,
  PrimaryUpdateStrategy, ProjectedVolume, Quantity, ServiceSelector, ServiceUpdateStrategy, StatementTracking, SynchronousReplication,
  TaintEffect, UnsatisfiableSpread, ZoneSpread,
} from '../src';
import { chart, one, synth } from './util/synth';

/** The Cluster written for `props` (schema-checked for the targeted and the newest release). */
function clusterOf(props: CnpgSharedClusterProps): any {
  const c = chart();
  new CnpgSharedCluster(c, 'db', props);
  return one(synth(c), 'Cluster');
}

const build = (props: CnpgSharedClusterProps) => () => new CnpgSharedCluster(chart(), 'db', props);

describe('rolling updates, failover and shutdown', () => {
  test('each prop writes its CRD field', () => {
    const spec = clusterOf({
      primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED,
      primaryUpdateMethod: PrimaryUpdateMethod.SWITCHOVER,
      failoverDelay: Duration.seconds(30),
      switchoverDelay: Duration.minutes(10),
      startDelay: Duration.minutes(30),
      stopDelay: Duration.minutes(5),
      smartShutdownTimeout: Duration.seconds(60),
      livenessProbeTimeout: Duration.seconds(45),
      nodeMaintenanceWindow: { inProgress: true, reusePvc: false },
    }).spec;
    expect(spec).toMatchObject({
      primaryUpdateStrategy: 'supervised',
      primaryUpdateMethod: 'switchover',
      failoverDelay: 30,
      switchoverDelay: 600,
      startDelay: 1800,
      stopDelay: 300,
      smartShutdownTimeout: 60,
      livenessProbeTimeout: 45,
      nodeMaintenanceWindow: { inProgress: true, reusePVC: false },
    });
  });

  test('unset, the operator\'s defaults apply (nothing written)', () => {
    const spec = clusterOf({}).spec;
    for (const f of ['primaryUpdateStrategy', 'primaryUpdateMethod', 'failoverDelay', 'switchoverDelay', 'stopDelay', 'smartShutdownTimeout', 'nodeMaintenanceWindow']) {
      expect(spec[f]).toBeUndefined();
    }
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['supervised on one instance', { instances: 1, replication: SynchronousReplication.asynchronous(), primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED },
      /primaryUpdateStrategy = "supervised" is not allowed with a single instance.*Fix: keep PrimaryUpdateStrategy.UNSUPERVISED/],
    ['fractional seconds', { failoverDelay: Duration.millis(1500) }, /failoverDelay = "1.5s" is not a whole number of seconds/],
    ['smart shutdown as long as the stop delay', { stopDelay: Duration.seconds(120), smartShutdownTimeout: Duration.seconds(120) },
      /smartShutdownTimeout = "120s" leaves no time for the fast shutdown: the operator requests it at stopDelay \(120s\) − smartShutdownTimeout \(120s\)/],
    ['stop delay below the default smart shutdown', { stopDelay: Duration.seconds(60) }, /stopDelay = "60s" leaves no time for the fast shutdown/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });
});

describe('the Cluster\'s metadata and the operator\'s annotations', () => {
  test('annotations, operator annotations and inherited metadata are written', () => {
    const cluster = clusterOf({
      annotations: { 'example.com/owner': 'team-db' },
      operatorAnnotations: [ClusterAnnotation.hibernate(), ClusterAnnotation.skipEmptyWalArchiveCheck(), ClusterAnnotation.fenceInstances(['db-1'])],
      inheritedMetadata: { labels: { team: 'db' }, annotations: { 'backup.velero.io/backup-volumes-excludes': 'pgdata' } },
      labels: { tier: 'data' },
    });
    expect(cluster.metadata.annotations).toEqual({
      'example.com/owner': 'team-db',
      'cnpg.io/hibernation': 'on',
      'cnpg.io/skipEmptyWalArchiveCheck': 'enabled',
      'cnpg.io/fencedInstances': '["db-1"]',
    });
    expect(cluster.metadata.labels.tier).toBe('data');
    expect(cluster.spec.inheritedMetadata).toEqual({ labels: { team: 'db' }, annotations: { 'backup.velero.io/backup-volumes-excludes': 'pgdata' } });
  });

  test('every typed annotation has the value the operator reads', () => {
    expect([ClusterAnnotation.pauseReconciliation(), ClusterAnnotation.skipWalArchiving(), ClusterAnnotation.freezePodSpec()].map((a) => `${a.key}=${a.value}`))
      .toEqual(['cnpg.io/reconciliationLoop=disabled', 'cnpg.io/skipWalArchiving=enabled', 'cnpg.io/reconcilePodSpec=disabled']);
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['an operator annotation written raw', { annotations: { 'cnpg.io/hibernation': 'yes' } }, /annotations\["cnpg.io\/hibernation"\] = "yes" is an operator annotation with a typed option.*Fix: use operatorAnnotations: \[ClusterAnnotation.hibernate\(\)\]/],
    ['fencing nothing', { operatorAnnotations: [ClusterAnnotation.fenceInstances([])] }, /operatorAnnotations\[0\] = \[\] lists no instance/],
    ['fencing a bad pod name', { operatorAnnotations: [ClusterAnnotation.fenceInstances(['DB 1'])] }, /operatorAnnotations\[0\] = "DB 1" is not an instance's pod name/],
    ['an inherited label value too long', { inheritedMetadata: { labels: { team: 'x'.repeat(64) } } }, /inheritedMetadata.labels\["team"\] = .* is not a label value/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('an override of the hibernation annotation is checked as the webhook does', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addOverride('metadata.annotations.cnpg\\.io/hibernation', 'true');
    expect(() => synth(c)).toThrow(/Cluster metadata.annotations\["cnpg.io\/hibernation"\] = "true" must be "on" or "off"/);
  });
});

describe('extensions: shared_preload_libraries, their parameters, extension images', () => {
  test('preloaded libraries and their parameters are written', () => {
    const pg = clusterOf({
      extensions: [
        PostgresExtension.pgStatStatements({ maxStatements: 10000, track: StatementTracking.ALL, trackUtility: false }),
        PostgresExtension.pgAudit(),
        PostgresExtension.autoExplain({ logMinDuration: Duration.millis(500) }),
        PostgresExtension.pgCron({ databaseName: 'app', timezone: 'UTC' }),
        PostgresExtension.timescaleDb(),
      ],
      sharedPreloadLibraries: ['pg_squeeze'],
    }).spec.postgresql;
    expect(pg.shared_preload_libraries).toEqual(['pg_stat_statements', 'pgaudit', 'auto_explain', 'pg_cron', 'timescaledb', 'pg_squeeze']);
    expect(pg.parameters).toMatchObject({
      'pg_stat_statements.max': '10000',
      'pg_stat_statements.track': 'all',
      'pg_stat_statements.track_utility': 'off',
      'pgaudit.log': 'ddl,role',
      'pgaudit.log_catalog': 'off',
      'auto_explain.log_min_duration': '500ms',
      'cron.database_name': 'app',
      'cron.timezone': 'UTC',
      'timescaledb.telemetry_level': 'off',
    });
  });

  test('an extension image (PostgreSQL 18) is written to postgresql.extensions', () => {
    const pg = clusterOf({
      postgres: PostgresImage.version('18.0'),
      extensions: [PostgresExtension.fromImage('pgvector', 'ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie', { extensionControlPath: ['share'] })],
    }).spec.postgresql;
    expect(pg.extensions).toEqual([{ name: 'pgvector', image: { reference: 'ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie' }, extension_control_path: ['share'] }]);
    expect(pg.shared_preload_libraries).toBeUndefined();
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['an extension image on PostgreSQL 17', { extensions: [PostgresExtension.fromImage('pgvector', 'ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie')] },
      /extensions\[0\] = "ghcr.io\/cloudnative-pg\/pgvector:0.8.1-18-trixie" needs PostgreSQL 18 or newer \(extension_control_path\), but the cluster runs PostgreSQL 17/],
    ['an unpinned extension image', { postgres: PostgresImage.version('18.0'), extensions: [PostgresExtension.fromImage('pgvector', 'ghcr.io/cloudnative-pg/pgvector')] },
      /extensions\[0\].image = "ghcr.io\/cloudnative-pg\/pgvector" is not pinned/],
    ['an extension given twice', { extensions: [PostgresExtension.pgAudit(), PostgresExtension.pgAudit()] }, /extensions\[1\] = "pgaudit" is given twice/],
    ['a parameter set twice', { extensions: [PostgresExtension.pgStatStatements({ maxStatements: 5000 })], parameters: { additional: { 'pg_stat_statements.max': '100' } } },
      /parameters.additional\["pg_stat_statements.max"\] = "100" is also set by the extension pg_stat_statements/],
    ['a bad pgaudit class', { extensions: [PostgresExtension.pgAudit({ log: ['everything'] })] }, /extensions\[0\].log = "everything" is not a pgaudit statement class/],
    ['pg_cron without a database', { extensions: [PostgresExtension.pgCron({ databaseName: 'My DB' })] }, /extensions\[0\].databaseName = "My DB" is not a database name/],
    ['a library name with a space', { sharedPreloadLibraries: ['pg squeeze'] }, /sharedPreloadLibraries\[0\] = "pg squeeze" is not a library name/],
    ['shared_preload_libraries as a parameter', { parameters: { additional: { shared_preload_libraries: 'pgaudit' } } },
      /Fix: load the libraries with the cluster's extensions \(PostgresExtension.pgStatStatements\(\), ...\) or sharedPreloadLibraries props/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('the CRD\'s own field name through the escape hatch lands in the output (nothing dropped)', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { extensions: [PostgresExtension.pgAudit()] });
    db.apiObject.addOverride('spec.postgresql.shared_preload_libraries', ['pgaudit', 'pg_partman_bgw']);
    expect(one(synth(c), 'Cluster').spec.postgresql.shared_preload_libraries).toEqual(['pgaudit', 'pg_partman_bgw']);
  });
});

describe('resources: huge pages', () => {
  test('huge pages are requested and limited alike, next to CPU and memory', () => {
    const spec = clusterOf({ hugePages: { size2Mi: Quantity.gibibytes(1), size1Gi: Quantity.gibibytes(2) }, parameters: { hugePages: 'on' } }).spec;
    expect(spec.resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '1024Mi', 'hugepages-2Mi': '1Gi', 'hugepages-1Gi': '2Gi' },
      limits: { 'memory': '2048Mi', 'hugepages-2Mi': '1Gi', 'hugepages-1Gi': '2Gi' },
    });
  });

  test('shared_buffers may exceed the memory request when huge pages hold it (the webhook\'s rule)', () => {
    expect(() => clusterOf({ hugePages: { size2Mi: Quantity.gibibytes(2) }, parameters: { sharedBuffers: '1536MB' } })).not.toThrow();
    expect(build({ hugePages: { size2Mi: Quantity.mebibytes(512) }, parameters: { sharedBuffers: '1536MB' } }))
      .toThrow(/parameters.sharedBuffers = "1536MB" is larger than the memory request \(1024Mi\) and the huge pages/);
  });

  test('a size that is not whole pages is refused', () => {
    expect(build({ hugePages: { size1Gi: Quantity.mebibytes(1536) } })).toThrow(/hugePages.size1Gi = "1536Mi" is not a whole number of 1Gi pages/);
  });

  test('an override whose hugepages request differs from its limit fails at synth', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { hugePages: { size2Mi: Quantity.gibibytes(1) } });
    db.apiObject.addOverride('spec.resources.requests.hugepages-2Mi', '512Mi');
    expect(() => synth(c)).toThrow(/Cluster spec.resources.requests.hugepages-2Mi = "512Mi" differs from its limit \(1Gi\)/);
  });
});

describe('scheduling: tolerations, node selector, topology spread, priority', () => {
  test('each prop writes its CRD field; the spread selects the instances', () => {
    const spec = clusterOf({
      tolerations: [{ key: 'dedicated', value: 'database', effect: TaintEffect.NO_SCHEDULE }, { key: 'node.kubernetes.io/unreachable', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 60 }],
      nodeSelector: { 'node-role.kubernetes.io/database': 'true' },
      zoneSpread: ZoneSpread.PREFERRED,
      topologySpread: [{ topologyKey: 'topology.kubernetes.io/rack', whenUnsatisfiable: UnsatisfiableSpread.SCHEDULE_ANYWAY }],
      priorityClassName: 'database-critical',
      schedulerName: 'default-scheduler',
    }).spec;
    expect(spec.affinity).toEqual({
      enablePodAntiAffinity: true,
      topologyKey: 'kubernetes.io/hostname',
      podAntiAffinityType: 'required',
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'database', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ],
      nodeSelector: { 'node-role.kubernetes.io/database': 'true' },
    });
    const selector = { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } };
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/rack', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
    ]);
    expect(spec).toMatchObject({ priorityClassName: 'database-critical', schedulerName: 'default-scheduler' });
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'k', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 5 }] }, /tolerations\[0\] = .* sets tolerationSeconds, which only NoExecute taints take/],
    ['a toleration value that is not a label value', { tolerations: [{ key: 'k', value: 'a b' }] }, /tolerations\[0\] = .* has the value "a b", which is not a label value/],
    ['a bad node selector key', { nodeSelector: { 'a b': 'x' } }, /nodeSelector\["a b"\] = "x" has a key that is not a node label name/],
    ['the zone spread twice', { zoneSpread: ZoneSpread.REQUIRED, topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone' }] }, /topologySpread\[0\].topologyKey = "topology.kubernetes.io\/zone" is already spread by zoneSpread/],
    ['minDomains with ScheduleAnyway', { topologySpread: [{ topologyKey: 'rack', whenUnsatisfiable: UnsatisfiableSpread.SCHEDULE_ANYWAY, minDomains: 2 }] }, /minDomains = 2 is only allowed with UnsatisfiableSpread.DO_NOT_SCHEDULE/],
    ['a bad priority class', { priorityClassName: 'Critical' }, /priorityClassName = "Critical" is not a DNS-1123 subdomain/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });
});

describe('the instances\' pods: environment, projected volumes, ServiceAccount, ids, log level, image pulls', () => {
  test('each prop writes its CRD field', () => {
    const spec = clusterOf({
      env: { TZ: EnvironmentValue.value('Europe/Berlin'), TOKEN: EnvironmentValue.fromSecret('ext-token', 'token'), NODE: EnvironmentValue.fromPodField('spec.nodeName') },
      envFrom: [EnvironmentSource.configMap('pg-env', 'EXT_')],
      projectedVolumes: [ProjectedVolume.secret('ldap-ca', [{ key: 'ca.crt', path: 'ldap/ca.crt' }]), ProjectedVolume.configMap('pg-extra')],
      serviceAccountMetadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/pg-backup' } },
      postgresUid: 999,
      postgresGid: 999,
      logLevel: InstanceLogLevel.DEBUG,
      imagePullPolicy: ImagePullPolicy.ALWAYS,
      imagePullSecrets: ['registry-creds'],
      description: 'the platform\'s shared database',
    }).spec;
    expect(spec).toMatchObject({
      env: [
        { name: 'TZ', value: 'Europe/Berlin' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'ext-token', key: 'token' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ],
      envFrom: [{ configMapRef: { name: 'pg-env' }, prefix: 'EXT_' }],
      projectedVolumeTemplate: { sources: [{ secret: { name: 'ldap-ca', items: [{ key: 'ca.crt', path: 'ldap/ca.crt' }] } }, { configMap: { name: 'pg-extra' } }] },
      serviceAccountTemplate: { metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/pg-backup' } } },
      postgresUID: 999,
      postgresGID: 999,
      logLevel: 'debug',
      imagePullPolicy: 'Always',
      imagePullSecrets: [{ name: 'registry-creds' }],
      description: 'the platform\'s shared database',
    });
  });

  test('ephemeral volume limits: shared memory and temporary data', () => {
    const ephemeralVolumes = { sharedMemory: Quantity.gibibytes(1), temporaryData: Quantity.mebibytes(512) };
    expect(clusterOf({ ephemeralVolumes }).spec.ephemeralVolumesSizeLimit)
      .toEqual({ shm: '1Gi', temporaryData: '512Mi' });
    expect(build({ ephemeralVolumes: { sharedMemory: Quantity.of('1 GB') } })).toThrow(/ephemeralVolumes.sharedMemory = "1 GB" is not a Kubernetes quantity/);
  });

  test('serviceAccountName: written from CloudNativePG 1.29, an error naming the release before', () => {
    expect(clusterOf({ operatorVersion: CnpgVersion.V1_29_0, serviceAccountName: 'pg-instances' }).spec.serviceAccountName).toBe('pg-instances');
    expect(build({ operatorVersion: CnpgVersion.V1_28_2, serviceAccountName: 'pg-instances' }))
      .toThrow(/serviceAccountName = "pg-instances" needs CloudNativePG 1.29.0 or newer \(Cluster spec.serviceAccountName\), but the manifests target operatorVersion 1.28.2/);
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['an environment variable the operator reserves', { env: { PGDATA: EnvironmentValue.value('/x') } }, /env\["PGDATA"\] = "PGDATA" is reserved for the operator/],
    ['a CNPG_ prefix', { envFrom: [EnvironmentSource.secret('s', 'CNPG_')] }, /envFrom\[0\].prefix = "CNPG_" gives names the operator reserves/],
    ['a projected path outside /projected', { projectedVolumes: [ProjectedVolume.secret('s', [{ key: 'k', path: '../etc/passwd' }])] }, /projectedVolumes\[0\].items\[0\].path = "..\/etc\/passwd" is not a relative path inside \/projected/],
    ['both a ServiceAccount name and its template', { operatorVersion: CnpgVersion.V1_30_0, serviceAccountName: 'sa', serviceAccountMetadata: { labels: { a: 'b' } } }, /serviceAccountName = "sa" cannot be combined with serviceAccountMetadata/],
    ['a negative uid', { postgresUid: -1 }, /postgresUid = -1 is not a Unix user or group id/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('an override of a reserved environment variable fails at synth (validateEnv)', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addOverride('spec.env', [{ name: 'PGPORT', value: '6432' }]);
    expect(() => synth(c)).toThrow(/Cluster spec.env\[0\].name = "PGPORT" is reserved for the operator/);
  });
});

describe('tablespaces', () => {
  test('each tablespace gets its volume, owner and temporary flag', () => {
    expect(clusterOf({
      storage: { storageClass: 'fast' },
      tablespaces: [
        { name: 'archive', storage: { size: Quantity.gibibytes(200), storageClass: 'slow' }, owner: 'app' },
        { name: 'scratch', storage: { size: Quantity.gibibytes(20) }, temporary: true },
      ],
    }).spec.tablespaces).toEqual([
      { name: 'archive', storage: { size: '200Gi', storageClass: 'slow' }, owner: { name: 'app' } },
      { name: 'scratch', storage: { size: '20Gi', storageClass: 'fast' }, temporary: true },
    ]);
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['a pg_ name', { tablespaces: [{ name: 'pg_data', storage: { size: Quantity.gibibytes(1) } }] }, /tablespaces\[0\].name = "pg_data" is not a tablespace name/],
    ['two names that give one volume', { tablespaces: [{ name: 'a_b', storage: { size: Quantity.gibibytes(1) } }, { name: 'A_B', storage: { size: Quantity.gibibytes(1) } }] }, /tablespaces\[1\].name = "A_B" is declared twice/],
    ['no size', { tablespaces: [{ name: 'x', storage: {} }] }, /tablespaces\[0\].storage.size = \(unset\) is required/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });
});

describe('managed Services', () => {
  test('an extra LoadBalancer and a disabled -ro Service, with typed endpoints and names in the certificate', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', {
      managedServices: {
        disableReadOnlyService: true,
        additional: [{
          name: 'db-external',
          selector: ServiceSelector.READ_WRITE,
          serviceType: ClusterServiceType.LOAD_BALANCER,
          annotations: { 'metallb.universe.tf/address-pool': 'db' },
          loadBalancerSourceRanges: ['10.0.0.0/8'],
          updateStrategy: ServiceUpdateStrategy.REPLACE,
        }],
      },
    });
    const spec = one(synth(c), 'Cluster').spec;
    expect(spec.managed.services).toEqual({
      disabledDefaultServices: ['ro'],
      additional: [{
        selectorType: 'rw',
        updateStrategy: 'replace',
        serviceTemplate: {
          metadata: { name: 'db-external', annotations: { 'metallb.universe.tf/address-pool': 'db' } },
          spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] },
        },
      }],
    });
    expect(db.additionalServices.map((s) => s.fqdn)).toEqual(['db-external.databases.svc.cluster.local']);
    expect(spec.certificates.serverAltDNSNames).toEqual(['db-external', 'db-external.databases', 'db-external.databases.svc', 'db-external.databases.svc.cluster.local']);
  });

  test('a read-only pooler against the disabled -ro Service is an error', () => {
    const db = new CnpgSharedCluster(chart(), 'db', { secretStore: { name: 's' }, managedServices: { disableReadOnlyService: true } });
    expect(() => db.addApplication('app', { credentials: { remoteKey: 'k' }, readOnlyPooler: true }))
      .toThrow(/PgBouncerPooler at 'test\/db\/app\/ReadOnlyPooler': type = "ro" forwards to the cluster's -ro Service, which managedServices disables/);
  });

  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['the name of an operator Service', { managedServices: { additional: [{ name: 'db-rw', selector: ServiceSelector.READ_WRITE }] } }, /managedServices.additional\[0\].name = "db-rw" is the name of one of the operator's own Services/],
    ['source ranges on a ClusterIP', { managedServices: { additional: [{ name: 'x', selector: ServiceSelector.READ_ONLY, loadBalancerSourceRanges: ['10.0.0.0/8'] }] } }, /loadBalancerSourceRanges = \["10.0.0.0\/8"\] only applies to a LoadBalancer Service/],
    ['a bad range', { managedServices: { additional: [{ name: 'x', selector: ServiceSelector.READ_ONLY, serviceType: ClusterServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['10.0.0.0'] }] } }, /loadBalancerSourceRanges\[0\] = "10.0.0.0" is not an IPv4 or IPv6 CIDR/],
  ])('%s', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('an override disabling -rw fails at synth (validateManagedServices)', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addOverride('spec.managed.services.disabledDefaultServices', ['rw']);
    expect(() => synth(c)).toThrow(/Cluster spec.managed.services.disabledDefaultServices = \["rw"\] lists "rw": the read-write Service cannot be disabled/);
  });
});

describe('the exporter\'s queries', () => {
  test('custom queries from ConfigMaps and Secrets, default queries off, the cache TTL (1.28+)', () => {
    expect(clusterOf({
      operatorVersion: CnpgVersion.V1_28_0,
      customQueries: [CustomQueries.fromConfigMap('pg-queries', 'queries.yaml'), CustomQueries.fromSecret('pg-private-queries', 'queries')],
      disableDefaultQueries: true,
      metricsQueriesTtl: Duration.seconds(60),
    }).spec.monitoring).toEqual({
      customQueriesConfigMap: [{ name: 'pg-queries', key: 'queries.yaml' }],
      customQueriesSecret: [{ name: 'pg-private-queries', key: 'queries' }],
      disableDefaultQueries: true,
      metricsQueriesTTL: '60s',
    });
  });

  test('metricsQueriesTtl before 1.28 names the release; 0 is refused', () => {
    expect(build({ operatorVersion: CnpgVersion.V1_27_1, metricsQueriesTtl: Duration.seconds(60) }))
      .toThrow(/metricsQueriesTtl = "60s" needs CloudNativePG 1.28.0 or newer \(Cluster spec.monitoring.metricsQueriesTTL\)/);
    expect(build({ operatorVersion: CnpgVersion.V1_30_0, metricsQueriesTtl: Duration.seconds(0) })).toThrow(/metricsQueriesTtl = "0s" is not a whole number of seconds of at least 1.*0 turns the cache off/);
  });

  test('the operator\'s deprecated PodMonitor is refused through overrides, with the reason', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addOverride('spec.monitoring.enablePodMonitor', true);
    expect(() => synth(c)).toThrow(/Cluster spec.monitoring.enablePodMonitor = true is deprecated since CloudNativePG 1.30.*Fix: use cluster.addMonitoring\(\)/);
  });
});

describe('images: catalogs, floating tags, what the operator refuses', () => {
  test('an image catalog is written as imageCatalogRef, without imageName', () => {
    const spec = clusterOf({ postgres: PostgresImage.fromImageCatalog('postgresql', 17) }).spec;
    expect(spec.imageCatalogRef).toEqual({ apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 });
    expect(spec.imageName).toBeUndefined();
    expect(clusterOf({ postgres: PostgresImage.fromImageCatalog('pg', 16, ImageCatalogKind.NAMESPACED) }).spec.imageCatalogRef.kind).toBe('ImageCatalog');
  });

  test('the restore probe restores with the cluster\'s catalog image', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { postgres: PostgresImage.fromImageCatalog('postgresql', 17) });
    db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), restoreProbe: { enabled: true } });
    const probe = synth(c).filter((m) => m.kind === 'Cluster' && m.metadata.name !== 'db');
    expect(probe.map((p) => [p.spec.imageName, p.spec.imageCatalogRef?.name])).toEqual([[undefined, 'postgresql']]);
  });

  test('a pinned tag, a digest after a floating tag and a suffixed pinned tag are accepted', () => {
    for (const image of ['ghcr.io/cloudnative-pg/postgis:17.6-3.5', `ghcr.io/cloudnative-pg/postgresql:17@sha256:${'a'.repeat(64)}`, 'ghcr.io/cloudnative-pg/postgresql:17.6-standard-bookworm']) {
      expect(clusterOf({ postgres: PostgresImage.fromImageName(image) }).spec.imageName).toBe(image);
    }
  });

  test.each<[string, string, RegExp]>([
    ['a major-only tag', 'ghcr.io/cloudnative-pg/postgresql:17',
      /postgres = "ghcr.io\/cloudnative-pg\/postgresql:17" has the floating tag "17".*Fix: pin the minor release in the tag \("ghcr.io\/cloudnative-pg\/postgresql:17.6"\)/],
    ['a floating PostGIS tag', 'ghcr.io/cloudnative-pg/postgis:17-3.5', /has the floating tag "17-3.5".*\("ghcr.io\/cloudnative-pg\/postgis:17.6-3.5"\)/],
    ['a floating tag of another major', 'registry.example.com/postgresql:16-bookworm', /\("registry.example.com\/postgresql:16.<minor>-bookworm"\)/],
    ['latest with a suffix', 'timescale/timescaledb:latest-pg17', /is not pinned to a tag or digest \(it follows "latest"\)/],
    ['a digest without a tag', `ghcr.io/cloudnative-pg/postgresql@sha256:${'b'.repeat(64)}`, /has a digest but no tag: CloudNativePG reads the PostgreSQL version from the tag/],
    ['a tag that does not start with the version', 'timescale/timescaledb-ha:pg17.4-ts2.19.0', /has the tag "pg17.4-ts2.19.0", which does not start with a PostgreSQL version: CloudNativePG refuses it/],
  ])('%s', (_n, image, message) => {
    expect(build({ postgres: PostgresImage.fromImageName(image) })).toThrow(message);
  });

  test('the escape hatch writes a floating tag on purpose; the operator\'s own refusals still apply to it', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addOverride('spec.imageName', 'ghcr.io/cloudnative-pg/postgresql:17');
    expect(one(synth(c), 'Cluster').spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17');
    const latest = chart();
    new CnpgSharedCluster(latest, 'db').apiObject.addOverride('spec.imageName', 'postgres:latest');
    expect(() => synth(latest)).toThrow(/Cluster spec.imageName = "postgres:latest" uses the "latest" tag, which CloudNativePG refuses/);
  });
});

describe('dataDurability required with no standby to spare', () => {
  test.each<[string, CnpgSharedClusterProps, RegExp]>([
    ['2 instances, 1 synchronous', { instances: 2 },
      /replication.dataDurability = "required" blocks every write while a standby is down: 2 instance\(s\) give 1 standby\(s\), and every one must confirm each commit.*Fix: use SynchronousReplication.any\(\{ dataDurability: DataDurability.PREFERRED \}\).*or instances: 3; or set acceptBlockedWrites: true/],
    ['3 instances, 2 synchronous', { replication: SynchronousReplication.any({ number: 2 }) }, /2 standby\(s\), and every one must confirm each commit \(number 2\).*instances: 4/],
    ['maxStandbyNamesFromCluster equal to number', { instances: 4, replication: SynchronousReplication.first({ number: 1, maxStandbyNamesFromCluster: 1 }) },
      /maxStandbyNamesFromCluster 1 makes every listed standby synchronous/],
  ])('%s is refused with the fix', (_n, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('preferred durability, a spare standby or the explicit opt-in are accepted', () => {
    expect(clusterOf({ instances: 2, replication: SynchronousReplication.any({ dataDurability: DataDurability.PREFERRED }) }).spec.postgresql.synchronous.dataDurability).toBe('preferred');
    expect(clusterOf({ instances: 3 }).spec.postgresql.synchronous.number).toBe(1);
    const strict = clusterOf({ instances: 2, replication: SynchronousReplication.any({ acceptBlockedWrites: true }) }).spec.postgresql.synchronous;
    expect(strict).toEqual({ method: 'any', number: 1, dataDurability: 'required' });
  });
});
