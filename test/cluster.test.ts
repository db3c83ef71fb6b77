import * as path from 'path';
import {
  ClusterSettings, CnpgSharedCluster, DataDurability, PodAntiAffinity, PostgresImage, Quantity, SettingsMode,
  SuperuserAccess, SynchronousReplication, TlsVersion, ZoneSpread,
} from '../src';
import { VENDOR_DIR } from './util/conformance';
import { chart, one, ofKind, synth } from './util/synth';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');

describe('CnpgSharedCluster defaults', () => {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'shared-postgres');
  const manifests = synth(c);
  const cluster = one(manifests, 'Cluster');

  test('three instances in the databases namespace, not cnpg-system', () => {
    expect(cluster.metadata).toMatchObject({ name: 'shared-postgres', namespace: 'databases' });
    expect(cluster.spec.instances).toBe(3);
  });

  test('the namespace is emitted with Pod Security Admission restricted', () => {
    const ns = one(manifests, 'Namespace', 'databases');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  test('HA: replication slots, required hostname anti-affinity, PodDisruptionBudget', () => {
    expect(cluster.spec.replicationSlots).toEqual({ highAvailability: { enabled: true } });
    expect(cluster.spec.affinity).toEqual({ enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'required' });
    expect(cluster.spec.enablePDB).toBe(true);
    expect(cluster.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('synchronous replication, one standby, required durability', () => {
    expect(cluster.spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, dataDurability: 'required' });
  });

  test('TLS only: plain text rejected before the operator\'s catch-all host rule, TLS 1.3 minimum', () => {
    expect(cluster.spec.postgresql.pg_hba).toEqual(['hostnossl all all all reject', 'hostssl all all all scram-sha-256']);
    expect(cluster.spec.postgresql.parameters.ssl_min_protocol_version).toBe('TLSv1.3');
    expect(cluster.spec.postgresql.parameters.ssl).toBeUndefined(); // fixed by the operator
    expect(cluster.spec.certificates).toBeUndefined(); // operator-managed
  });

  test('no superuser access, pinned image, resources', () => {
    expect(cluster.spec.enableSuperuserAccess).toBe(false);
    expect(cluster.spec.superuserSecret).toBeUndefined();
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.6');
    expect(cluster.spec.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '2048Mi' } });
    expect(cluster.spec.storage).toEqual({ size: '10Gi' });
    expect(cluster.spec.walStorage).toBeUndefined();
  });

  test('typed outputs name the Services the operator creates', () => {
    expect(db.readWriteService.serviceName).toBe('shared-postgres-rw');
    expect(db.readWriteService.fqdn).toBe('shared-postgres-rw.databases.svc.cluster.local');
    expect(db.readOnlyService.fqdn).toBe('shared-postgres-ro.databases.svc.cluster.local');
    expect(db.readService.fqdn).toBe('shared-postgres-r.databases.svc.cluster.local');
    expect(db.readWriteService.port).toBe(5432);
    expect(db.readWriteService.hostPort).toBe('shared-postgres-rw.databases.svc.cluster.local:5432');
    expect(db.readWriteService.libpqUri('harbor')).toBe('postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/harbor?sslmode=verify-full');
    expect(db.readWriteService.jdbcUrl('keycloak')).toBe('jdbc:postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/keycloak?sslmode=verify-full');
    expect(db.maxConnections).toBe(100);
    expect(db.superuserReservedConnections).toBe(3);
  });

  test('only the namespace and the cluster are emitted', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Cluster', 'Namespace']);
  });
});

describe('CnpgSharedCluster options', () => {
  test('storage, WAL storage, resources, image, anti-affinity, zone spread', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', {
      clusterName: 'pg',
      namespace: 'data',
      instances: 5,
      postgres: PostgresImage.version('16.8'),
      storage: { size: Quantity.gibibytes(80), storageClass: 'fast' },
      walStorage: { size: Quantity.of('20Gi') },
      resources: {
        cpuRequest: Quantity.millicores(250),
        cpuLimit: Quantity.cores(2),
        memoryRequest: Quantity.mebibytes(4096),
        memoryLimit: Quantity.mebibytes(4096),
      },
      antiAffinity: PodAntiAffinity.PREFERRED,
      zoneSpread: ZoneSpread.REQUIRED,
      enablePodDisruptionBudget: false,
      clusterDomain: 'k8s.internal',
      labels: { team: 'platform' },
    });
    const m = synth(c);
    const spec = one(m, 'Cluster', 'pg').spec;
    expect(spec.instances).toBe(5);
    expect(spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:16.8');
    expect(spec.storage).toEqual({ size: '80Gi', storageClass: 'fast' });
    expect(spec.walStorage).toEqual({ size: '20Gi', storageClass: 'fast' });
    expect(spec.resources).toEqual({ requests: { cpu: '250m', memory: '4096Mi' }, limits: { cpu: '2', memory: '4096Mi' } });
    expect(spec.affinity.podAntiAffinityType).toBe('preferred');
    expect(spec.enablePDB).toBe(false);
    expect(spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } },
    }]);
    expect(one(m, 'Cluster').metadata.labels.team).toBe('platform');
    expect(one(m, 'Namespace').metadata.name).toBe('data');
  });

  test('createNamespace: false leaves the namespace to someone else', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', { createNamespace: false });
    expect(ofKind(synth(c), 'Namespace')).toEqual([]);
  });

  test('synchronous replication options are rendered', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', {
      instances: 3,
      replication: SynchronousReplication.first({ number: 2, dataDurability: DataDurability.PREFERRED, maxStandbyNamesFromCluster: 2 }),
    });
    expect(one(synth(c), 'Cluster').spec.postgresql.synchronous).toEqual({ method: 'first', number: 2, dataDurability: 'preferred', maxStandbyNamesFromCluster: 2 });
  });

  test('asynchronous replication has no synchronous stanza; a single instance needs it', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', { instances: 1, replication: SynchronousReplication.asynchronous() });
    expect(one(synth(c), 'Cluster').spec.postgresql.synchronous).toBeUndefined();
  });

  test('TLS: custom certificates and TLS 1.2 minimum', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', {
      tls: { minProtocolVersion: TlsVersion.TLS_1_2, serverTlsSecret: 'pg-server', serverCaSecret: 'pg-ca', clientCaSecret: 'pg-client-ca', replicationTlsSecret: 'pg-repl' },
    });
    const spec = one(synth(c), 'Cluster').spec;
    expect(spec.postgresql.parameters.ssl_min_protocol_version).toBe('TLSv1.2');
    expect(spec.certificates).toEqual({
      serverTLSSecret: 'pg-server', serverCASecret: 'pg-ca', clientCASecret: 'pg-client-ca', replicationTLSSecret: 'pg-repl',
    });
    // Alt names go into operator-issued certificates only: with a server certificate the webhook refuses them.
    const alt = chart();
    new CnpgSharedCluster(alt, 'db', { tls: { serverAltDnsNames: ['pg.example.com'] } });
    expect(one(synth(alt), 'Cluster').spec.certificates).toEqual({ serverAltDNSNames: ['pg.example.com'] });
    expect(() => new CnpgSharedCluster(chart(), 'db', { tls: { serverTlsSecret: 'pg-server', serverCaSecret: 'pg-ca', serverAltDnsNames: ['pg.example.com'] } }))
      .toThrow(/tls.serverAltDnsNames = \["pg.example.com"\] is given with tls.serverTlsSecret, which CloudNativePG's webhook refuses.*Fix: put the names into your own server certificate/);
  });

  test('the Cluster webhook rules the library knows are checked on the Cluster as written (escape hatches too)', () => {
    const write = (override: (db: CnpgSharedCluster) => void) => {
      const c = chart();
      const db = new CnpgSharedCluster(c, 'db', { walStorage: { size: Quantity.gibibytes(2) } });
      override(db);
      return () => synth(c);
    };
    expect(write((db) => db.apiObject.addOverride('spec.imageName', 'ghcr.io/cloudnative-pg/postgresql@sha256:' + 'a'.repeat(64))))
      .toThrow(/Cluster spec.imageName = .* has a digest but no tag, which CloudNativePG refuses.*Fix: give the tag with the digest, e.g. "ghcr.io\/cloudnative-pg\/postgresql:17.6@sha256:/);
    expect(write((db) => db.apiObject.addOverride('spec.imageName', 'ghcr.io/cloudnative-pg/postgresql:latest'))).toThrow(/uses the "latest" tag/);
    expect(write((db) => db.apiObject.addOverride('spec.postgresql.parameters.min_wal_size', '2GB')))
      .toThrow(/Cluster spec.postgresql.parameters.min_wal_size = "2GB" is not smaller than max_wal_size \(1GB, the default\)/);
    expect(write((db) => db.apiObject.addOverride('spec.postgresql.parameters.max_wal_size', '2GB')))
      .toThrow(/max_wal_size = "2GB" is not smaller than the WAL volume \(walStorage.size 2Gi\)/);
    expect(write((db) => db.apiObject.addOverride('spec.postgresql.parameters.max_wal_size', '1536'))).not.toThrow();
    // As the webhook reads sizes (test/integ/real-systems gate probes): a fraction with a unit is a size, a space after it is not.
    expect(write((db) => db.apiObject.addOverride('spec.postgresql.parameters.max_wal_size', '1.5GB'))).not.toThrow();
    expect(write((db) => db.apiObject.addOverride('spec.postgresql.parameters.max_wal_size', '1536 '))).toThrow(/max_wal_size = "1536 " is not a size CloudNativePG reads/);
  });

  test('TLS: the webhook\'s certificate rules (validateCerts) hold for the props and for overrides', () => {
    expect(() => new CnpgSharedCluster(chart(), 'db', { tls: { replicationTlsSecret: 'pg-repl' } }))
      .toThrow(/tls.clientCaSecret = \(unset\) is required with tls.replicationTlsSecret/);
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { tls: { serverTlsSecret: 'pg-server', serverCaSecret: 'pg-ca' } });
    db.apiObject.addOverride('spec.certificates.serverAltDNSNames', ['pg.example.com']);
    expect(() => synth(c)).toThrow(/Cluster spec.certificates.serverAltDNSNames = \["pg.example.com"\] is given with serverTLSSecret/);
  });

  test('typed and passthrough parameters', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', {
      parameters: {
        maxConnections: 200,
        sharedBuffers: '512MB',
        walCompression: 'on',
        randomPageCost: 1.1,
        checkpointCompletionTarget: 0.9,
        additional: { log_min_duration_statement: '1s' },
      },
    });
    const params = one(synth(c), 'Cluster').spec.postgresql.parameters;
    expect(params).toEqual({
      max_connections: '200',
      shared_buffers: '512MB',
      wal_compression: 'on',
      random_page_cost: '1.1',
      checkpoint_completion_target: '0.9',
      log_min_duration_statement: '1s',
      ssl_min_protocol_version: 'TLSv1.3',
    });
    expect(db.maxConnections).toBe(200);
  });

  test('break-glass superuser from the secret store: an ExternalSecret and superuserSecret', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', {
      secretStore: { name: 'onepassword' },
      superuserAccess: SuperuserAccess.fromSecretStore('kubernetes/infra/cloudnative-pg/superuser'),
    });
    const m = synth(c);
    const spec = one(m, 'Cluster').spec;
    expect(spec.enableSuperuserAccess).toBe(true);
    expect(spec.superuserSecret).toEqual({ name: 'db-superuser' });
    const es = one(m, 'ExternalSecret', 'db-superuser');
    expect(es.spec).toEqual({
      secretStoreRef: { name: 'onepassword', kind: 'ClusterSecretStore' },
      refreshInterval: '1h',
      target: { name: 'db-superuser', creationPolicy: 'Owner', template: { type: 'kubernetes.io/basic-auth' } },
      data: [
        { secretKey: 'username', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/superuser', property: 'username' } },
        { secretKey: 'password', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/superuser', property: 'password' } },
      ],
    });
  });

  test('operator-generated superuser secret', () => {
    const c = chart();
    new CnpgSharedCluster(c, 'db', { superuserAccess: SuperuserAccess.operatorGenerated() });
    const spec = one(synth(c), 'Cluster').spec;
    expect(spec.enableSuperuserAccess).toBe(true);
    expect(spec.superuserSecret).toBeUndefined();
  });

  test('the apiObject escape hatch reaches the Cluster', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.apiObject.addJsonPatch();
    expect(db.apiObject.kind).toBe('Cluster');
  });
});

describe('CnpgSharedCluster from the platform settings', () => {
  test('values mode: the reference cluster-settings give the reference cluster', () => {
    const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS);
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { settings });
    const m = synth(c);
    const spec = one(m, 'Cluster', 'shared-postgres').spec;
    expect(db.clusterName).toBe('shared-postgres');
    expect(spec.instances).toBe(3);
    expect(spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:16.8');
    expect(spec.storage).toEqual({ size: '80Gi', storageClass: 'openebs-local-nvme' });
    expect(spec.walStorage).toEqual({ size: '20Gi', storageClass: 'openebs-local-nvme' });
    expect(spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, maxStandbyNamesFromCluster: 2, dataDurability: 'preferred' });
    expect(db.secretStore).toEqual({ name: 'onepassword', kind: 'ClusterSecretStore' });
  });

  test('Flux mode: free-form strings become ${VARIABLES}, numbers and enums stay values', () => {
    const settings = ClusterSettings.fromFile(REFERENCE_SETTINGS, { mode: SettingsMode.FLUX_VARIABLES });
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { settings });
    const cluster = one(synth(c), 'Cluster');
    expect(cluster.metadata.name).toBe('${CNPG_SHARED_CLUSTER_NAME}');
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:${CNPG_POSTGRES_VERSION}');
    expect(cluster.spec.storage).toEqual({ size: '${CNPG_DATA_SIZE}', storageClass: '${CNPG_STORAGE_CLASS}' });
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.postgresql.synchronous.dataDurability).toBe('preferred');
    expect(db.postgres.majorVersion).toBe(16);
    expect(db.readWriteService.fqdn).toBe('${CNPG_SHARED_CLUSTER_NAME}-rw.databases.svc.cluster.local');
  });

  test('explicit props win over settings', () => {
    const settings = ClusterSettings.fromData({ CNPG_INSTANCES: '3', CNPG_SHARED_CLUSTER_NAME: 'from-settings' });
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { settings, instances: 5, clusterName: 'explicit' });
    expect(db.instances).toBe(5);
    expect(db.clusterName).toBe('explicit');
  });
});

describe('CnpgSharedCluster rejects bad input with the path, field, value and fix', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    ['instances 0', () => new CnpgSharedCluster(chart(), 'db', { instances: 0 }), /CnpgSharedCluster at 'test\/db': instances = 0 is not valid: it must be an integer between 1 and 100\. Fix: /],
    ['instances 2.5', () => new CnpgSharedCluster(chart(), 'db', { instances: 2.5 }), /instances = 2\.5 is not valid/],
    ['name not DNS-1035', () => new CnpgSharedCluster(chart(), 'db', { clusterName: 'Shared_Postgres' }), /clusterName = "Shared_Postgres" is not a DNS-1035 label.*Fix: use a name such as "shared-postgres"/],
    ['name starting with a digit', () => new CnpgSharedCluster(chart(), 'db', { clusterName: '1db' }), /is not a DNS-1035 label/],
    ['name over 50 characters', () => new CnpgSharedCluster(chart(), 'db', { clusterName: 'a'.repeat(51) }), /is 51 characters long, more than the 50 allowed/],
    ['namespace cnpg-system', () => new CnpgSharedCluster(chart(), 'db', { namespace: 'cnpg-system' }), /namespace = "cnpg-system" is the operator's namespace/],
    ['namespace invalid', () => new CnpgSharedCluster(chart(), 'db', { namespace: 'Data Base' }), /namespace = "Data Base" is not a DNS-1123 label/],
    ['storage size', () => new CnpgSharedCluster(chart(), 'db', { storage: { size: Quantity.of('80 GB') } }), /storage\.size = "80 GB" is not a Kubernetes quantity/],
    ['storage size zero', () => new CnpgSharedCluster(chart(), 'db', { storage: { size: Quantity.of('0') } }), /storage\.size = "0" must be greater than zero/],
    ['wal storage without size', () => new CnpgSharedCluster(chart(), 'db', { walStorage: { storageClass: 'x' } }), /walStorage\.size = \(unset\) is required/],
    ['storage class', () => new CnpgSharedCluster(chart(), 'db', { storage: { storageClass: 'Fast_SSD' } }), /storage\.storageClass = "Fast_SSD" is not a StorageClass name/],
    ['image version without minor', () => new CnpgSharedCluster(chart(), 'db', { postgres: PostgresImage.version('16') }), /postgres = "16" is not a PostgreSQL "major\.minor" version/],
    ['image latest', () => new CnpgSharedCluster(chart(), 'db', { postgres: PostgresImage.fromImageName('postgres:latest') }), /is not pinned to a tag or digest/],
    ['image untagged', () => new CnpgSharedCluster(chart(), 'db', { postgres: PostgresImage.fromImageName('registry.example.com/postgresql') }), /is not pinned/],
    ['postgres 12', () => new CnpgSharedCluster(chart(), 'db', { postgres: PostgresImage.version('12.20') }), /runs PostgreSQL 12, older than the 13/],
    ['sync number >= instances', () => new CnpgSharedCluster(chart(), 'db', { instances: 3, replication: SynchronousReplication.any({ number: 3 }) }), /replication\.number = 3 needs 3 synchronous standbys but the cluster has 3 instance\(s\)/],
    ['sync on one instance', () => new CnpgSharedCluster(chart(), 'db', { instances: 1 }), /Fix: use SynchronousReplication\.asynchronous\(\) for a single instance/],
    ['sync number 0', () => new CnpgSharedCluster(chart(), 'db', { replication: SynchronousReplication.any({ number: 0 }) }), /replication\.number = 0 is not valid/],
    ['preferred with standby names', () => new CnpgSharedCluster(chart(), 'db', { replication: SynchronousReplication.any({ dataDurability: DataDurability.PREFERRED, standbyNamesPre: ['x'] }) }), /cannot be combined with standbyNamesPre/],
    ['max standby names below number', () => new CnpgSharedCluster(chart(), 'db', { instances: 5, replication: SynchronousReplication.any({ number: 2, maxStandbyNamesFromCluster: 1 }) }), /lists fewer standbys than the 2/],
    ['fixed parameter ssl', () => new CnpgSharedCluster(chart(), 'db', { parameters: { additional: { ssl: 'on' } } }), /additional\["ssl"\] = "on" cannot be set: ssl is always on.*Can't set fixed configuration parameter/],
    ['fixed parameter ssl_prefer_server_ciphers', () => new CnpgSharedCluster(chart(), 'db', { parameters: { additional: { ssl_prefer_server_ciphers: 'on' } } }), /ssl_prefer_server_ciphers is set by the operator/],
    ['shared_preload_libraries', () => new CnpgSharedCluster(chart(), 'db', { parameters: { additional: { shared_preload_libraries: 'pg_stat_statements' } } }), /shared_preload_libraries is set by the operator/],
    ['ssl_min_protocol_version passthrough', () => new CnpgSharedCluster(chart(), 'db', { parameters: { additional: { ssl_min_protocol_version: 'TLSv1.2' } } }), /Fix: use tls\.minProtocolVersion instead/],
    ['typed parameter in passthrough', () => new CnpgSharedCluster(chart(), 'db', { parameters: { additional: { max_connections: '500' } } }), /Fix: set parameters\.maxConnections instead/],
    ['memory in Kubernetes units', () => new CnpgSharedCluster(chart(), 'db', { parameters: { sharedBuffers: '512Mi' } }), /parameters\.sharedBuffers = "512Mi" is not a PostgreSQL memory size/],
    ['max_connections 0', () => new CnpgSharedCluster(chart(), 'db', { parameters: { maxConnections: 0 } }), /parameters\.maxConnections = 0 is not a valid max_connections/],
    ['checkpoint target > 1', () => new CnpgSharedCluster(chart(), 'db', { parameters: { checkpointCompletionTarget: 1.5 } }), /checkpointCompletionTarget = 1\.5/],
    ['enum parameter', () => new CnpgSharedCluster(chart(), 'db', { parameters: { hugePages: 'maybe' } }), /hugePages = "maybe" is not a valid huge_pages\. Fix: use one of on, off, try/],
    ['shared_buffers above memory request', () => new CnpgSharedCluster(chart(), 'db', { parameters: { sharedBuffers: '2GB' } }), /sharedBuffers = "2GB" is larger than the memory request \(1024Mi\)/],
    ['reserved >= max', () => new CnpgSharedCluster(chart(), 'db', { parameters: { maxConnections: 10, superuserReservedConnections: 10 } }), /leaves no connection for applications/],
    ['server TLS without CA', () => new CnpgSharedCluster(chart(), 'db', { tls: { serverTlsSecret: 'x' } }), /tls\.serverCaSecret = \(unset\) is required with tls\.serverTlsSecret/],
    ['superuser from store without store', () => new CnpgSharedCluster(chart(), 'db', { superuserAccess: SuperuserAccess.fromSecretStore('p') }), /secretStore = \(unset\) is required by superuserAccess/],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });

  test('errors carry the construct path', () => {
    expect(() => new CnpgSharedCluster(chart(), 'my-db', { instances: -1 })).toThrow(/at 'test\/my-db'/);
  });
});
