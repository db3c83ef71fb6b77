import { Chart } from 'cdk8s';
import {
  BackupCredentials, BackupSource, ClusterBootstrap, ClusterSettings, Credentials, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion,
  DataDurability, PostgresExtension, PodAntiAffinity, PostgresImage, Quantity, SuperuserAccess, SynchronousReplication, TlsVersion,
  ReplicaCluster, ZoneSpread,
} from '../../src';
import { _clusterHooksOf } from '../../src/cluster/shared-cluster';
import { thrown } from '../util/errors';
import { chart, one, ofKind, synth } from '../util/synth';

const AT = 'CnpgSharedCluster at \'test/db\'';

/** A cluster `db` in a fresh chart. */
function make(props: CnpgSharedClusterProps = {}): { c: Chart; db: CnpgSharedCluster } {
  const c = chart();
  return { c, db: new CnpgSharedCluster(c, 'db', props) };
}

/** The message building the cluster throws. */
const refusal = (props: CnpgSharedClusterProps) => thrown(() => make(props));

/** The Cluster's spec as written (schema-checked). */
function specOf(c: Chart): any {
  return one(synth(c), 'Cluster').spec;
}

describe('names, namespace, domain', () => {
  test('defaults: the construct id, databases, cluster.local', () => {
    const { db } = make();
    expect(db.clusterName).toBe('db');
    expect(db.namespace).toBe('databases');
    expect(db.clusterDomain).toBe('cluster.local');
    expect(db.readWriteService.fqdn).toBe('db-rw.databases.svc.cluster.local');
    expect(db.readOnlyService.fqdn).toBe('db-ro.databases.svc.cluster.local');
    expect(db.readService.fqdn).toBe('db-r.databases.svc.cluster.local');
    expect(db.readWriteService.port).toBe(5432);
  });
});

describe('names, namespace, domain: values and refusals', () => {
  test('props win over the settings, the settings over the defaults', () => {
    const settings = ClusterSettings.fromData({
      CNPG_SHARED_CLUSTER_NAME: 'from-settings',
      CNPG_INSTANCES: '5',
      CNPG_OPERATOR_VERSION: '0.27.0',
      CNPG_POSTGRES_VERSION: '16.8',
      EXTERNAL_SECRET_STORE: 'vault',
    });
    const fromSettings = make({ settings }).db;
    expect(fromSettings.settings).toBe(settings);
    expect(fromSettings.clusterName).toBe('from-settings');
    expect(fromSettings.instances).toBe(5);
    expect(fromSettings.operatorVersion.release).toBe(settings.operatorVersion!.release);
    expect(fromSettings.postgres.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:16.8');
    expect(fromSettings.secretStore).toEqual(settings.secretStore);
    const fromProps = make({
      settings,
      clusterName: 'from-props',
      instances: 2,
      operatorVersion: CnpgVersion.V1_30_0,
      postgres: PostgresImage.version('17.6'),
      secretStore: { name: 'onepassword' },
      replication: SynchronousReplication.asynchronous(),
    }).db;
    expect(fromProps.clusterName).toBe('from-props');
    expect(fromProps.instances).toBe(2);
    expect(fromProps.operatorVersion).toBe(CnpgVersion.V1_30_0);
    expect(fromProps.postgres.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.6');
    expect(fromProps.secretStore).toEqual({ name: 'onepassword' });
    const defaults = make().db;
    expect(defaults.settings).toBeUndefined();
    expect(defaults.instances).toBe(3);
    expect(defaults.operatorVersion).toBe(CnpgVersion.DEFAULT);
    expect(defaults.postgres).toBe(PostgresImage.DEFAULT);
    expect(defaults.secretStore).toBeUndefined();
    expect(defaults.replication.method).toBe('any');
    expect(defaults.replication.options).toEqual({});
  });

  test('a cluster name of 50 characters is accepted, 51 refused; not a DNS-1035 label refused', () => {
    const fifty = `a${'b'.repeat(49)}`;
    expect(make({ clusterName: fifty }).db.clusterName).toBe(fifty);
    expect(refusal({ clusterName: `${fifty}c` })).toBe(`${AT}: clusterName = "${fifty}c" is 51 characters long, more than the 50 allowed. Fix: use a name of at most 50 characters (the field is cluster_name in Python, ClusterName in Go)`);
    expect(refusal({ clusterName: '1db' })).toBe(`${AT}: clusterName = "1db" is not a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: use a name such as "db" (the field is cluster_name in Python, ClusterName in Go)`);
  });

  test('the namespace: a DNS-1123 label, never the operator\'s', () => {
    expect(make({ namespace: 'data' }).db.namespace).toBe('data');
    expect(refusal({ namespace: 'Data' })).toBe(`${AT}: namespace = "Data" is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: use a name such as "data"`);
    expect(refusal({ namespace: 'cnpg-system' }))
      .toBe(`${AT}: namespace = "cnpg-system" is the operator's namespace. Fix: run the data plane in a namespace of its own, e.g. "databases" (the default)`);
  });

  test('the cluster domain: 253 characters accepted, 254 refused, labels checked, a Flux variable kept', () => {
    const label = 'a'.repeat(63);
    const d253 = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    expect(d253.length).toBe(253);
    expect(make({ clusterDomain: d253 }).db.readService.fqdn).toBe(`db-r.databases.svc.${d253}`);
    const fix = 'Fix: give the cluster\'s DNS domain as the kubelet has it (--cluster-domain), e.g. "cluster.local" (the field is cluster_domain in Python, ClusterDomain in Go)';
    const problem = 'is not a DNS domain (lower-case labels of letters, digits and "-", separated by single dots, at most 253 characters)';
    expect(refusal({ clusterDomain: `${d253}b` })).toBe(`${AT}: clusterDomain = "${d253}b" ${problem}. ${fix}`);
    for (const bad of ['Cluster.local', 'cluster..local', '-cluster.local', 'cluster-.local', 'cluster.local.', '.cluster', 'a_b', 'cluster.-x', 'x.y-']) {
      expect(refusal({ clusterDomain: bad })).toBe(`${AT}: clusterDomain = ${JSON.stringify(bad)} ${problem}. ${fix}`);
    }
    for (const good of ['k8s.internal', 'a', 'a-b.c-d', '0.1', 'a1.b2.c3']) {
      expect(make({ clusterDomain: good }).db.clusterDomain).toBe(good);
    }
    expect(make({ clusterDomain: '${CLUSTER_DOMAIN}' }).db.readWriteService.fqdn).toBe('db-rw.databases.svc.${CLUSTER_DOMAIN}');
    expect(make({ clusterDomain: `\${D}${'x'.repeat(260)}` }).db.clusterDomain).toHaveLength(264);
  });

  test('instances: 1 and 100 accepted, 0, 101 and 2.5 refused', () => {
    expect(make({ instances: 1, replication: SynchronousReplication.asynchronous() }).db.instances).toBe(1);
    expect(make({ instances: 100 }).db.instances).toBe(100);
    for (const n of [0, 101, 2.5]) {
      expect(refusal({ instances: n, replication: SynchronousReplication.asynchronous() })).toBe(`${AT}: instances = ${n} is not valid: it must be an integer between 1 and 100. Fix: use 3 (the default) for a primary and two standbys, or 1 for a throw-away test cluster`);
    }
  });

  test('the image is checked', () => {
    expect(refusal({ postgres: PostgresImage.fromImageCatalog('Bad Name', 17) }))
      .toBe(`${AT}: postgres.imageCatalog.name = "Bad Name" is not an image catalog name. Fix: name the ImageCatalog or ClusterImageCatalog, e.g. "postgresql" (the field is postgres.image_catalog.name in Python, Postgres.ImageCatalog.Name in Go)`);
  });
});

describe('replication', () => {
  const any = SynchronousReplication.any;
  const fixBlocked = (instances: string) => `use SynchronousReplication.any({ dataDurability: DataDurability.PREFERRED }) (writes continue while a standby is down), or ${instances}; or set acceptBlockedWrites: true to keep strict durability anyway`;
  const blocked = (why: string, number: number, instances: string) => `${AT}: replication.dataDurability = "required" blocks every write while a standby is down: ${why} (number ${number}), so a rolling update, a node drain or a crash of one standby stops the applications' writes. Fix: ${fixBlocked(instances)} (the field is replication.data_durability in Python, Replication.DataDurability in Go)`;

  test('number: 1 to 100, below instances plus the standby names', () => {
    expect(refusal({ replication: any({ number: 0 }) })).toBe(`${AT}: replication.number = 0 is not valid: it must be an integer between 1 and 100. Fix: give at least 1 synchronous standby, or use SynchronousReplication.asynchronous()`);
    expect(refusal({ instances: 100, replication: any({ number: 101, acceptBlockedWrites: true }) })).toMatch(/replication\.number = 101 is not valid: it must be an integer between 1 and 100/);
    expect(make({ instances: 100, replication: any({ number: 99, acceptBlockedWrites: true }) }).db.replication.options.number).toBe(99);
    expect(make({ instances: 100, replication: any({ number: 100, standbyNamesPre: ['x'] }) }).db.replication.options.number).toBe(100);
    expect(refusal({ instances: 3, replication: any({ number: 3 }) })).toBe(`${AT}: replication.number = 3 needs 3 synchronous standbys but the cluster has 3 instance(s), i.e. 2 standby(s). Fix: set number to at most 2, or raise instances`);
    expect(refusal({ instances: 3, replication: any({ number: 5, standbyNamesPre: ['a'], standbyNamesPost: ['b'] }) }))
      .toBe(`${AT}: replication.number = 5 needs 5 synchronous standbys but the cluster has 3 instance(s), i.e. 2 standby(s). Fix: set number to at most 4, or raise instances`);
    expect(make({ instances: 3, replication: any({ number: 4, standbyNamesPre: ['a'], standbyNamesPost: ['b'] }) }).db.instances).toBe(3);
    expect(make({ instances: 3, replication: any({ number: 3, standbyNamesPost: ['b'] }) }).db.instances).toBe(3);
    expect(refusal({ instances: 1, replication: any() })).toBe(`${AT}: replication.number = 1 needs 1 synchronous standbys but the cluster has 1 instance(s), i.e. 0 standby(s). Fix: use SynchronousReplication.asynchronous() for a single instance, or raise instances`);
    expect(make({ instances: 1, replication: SynchronousReplication.asynchronous() }).db.replication.method).toBeUndefined();
  });

  test('failoverQuorum needs its release', () => {
    expect(refusal({ operatorVersion: CnpgVersion.V1_27_0, replication: any({ failoverQuorum: true }) })).toMatch(new RegExp(`^${AT}: replication.failoverQuorum = true `));
    expect(make({ operatorVersion: CnpgVersion.V1_27_0, replication: any({ failoverQuorum: undefined }) }).db.instances).toBe(3);
  });

  test('preferred durability with standby names is refused', () => {
    const msg = `${AT}: replication.dataDurability = "preferred" cannot be combined with standbyNamesPre/standbyNamesPost (CRD rule). Fix: drop the standby names or use DataDurability.REQUIRED (the field is replication.data_durability in Python, Replication.DataDurability in Go)`;
    expect(refusal({ replication: any({ dataDurability: DataDurability.PREFERRED, standbyNamesPre: ['a'] }) })).toBe(msg);
    expect(refusal({ replication: any({ dataDurability: DataDurability.PREFERRED, standbyNamesPost: ['a'] }) })).toBe(msg);
    expect(make({ replication: any({ dataDurability: DataDurability.PREFERRED }) }).db.instances).toBe(3);
    expect(make({ replication: any({ dataDurability: DataDurability.REQUIRED, standbyNamesPre: ['a'] }) }).db.instances).toBe(3);
  });

  test('maxStandbyNamesFromCluster: 0 to 100, at least number less the standby names', () => {
    expect(refusal({ replication: any({ maxStandbyNamesFromCluster: -1 }) })).toBe(`${AT}: replication.maxStandbyNamesFromCluster = -1 is not valid: it must be an integer between 0 and 100. Fix: give a whole number (the field is replication.max_standby_names_from_cluster in Python, Replication.MaxStandbyNamesFromCluster in Go)`);
    expect(refusal({ replication: any({ maxStandbyNamesFromCluster: 101 }) })).toMatch(/maxStandbyNamesFromCluster = 101 is not valid: it must be an integer between 0 and 100/);
    expect(make({ instances: 5, replication: any({ maxStandbyNamesFromCluster: 100 }) }).db.instances).toBe(5);
    expect(refusal({ instances: 5, replication: any({ number: 2, maxStandbyNamesFromCluster: 1 }) })).toBe(`${AT}: replication.maxStandbyNamesFromCluster = 1 lists fewer standbys than the 2 that must confirm each commit, so no commit could ever be confirmed. Fix: set it to at least 2, or lower number (the field is replication.max_standby_names_from_cluster in Python, Replication.MaxStandbyNamesFromCluster in Go)`);
    expect(refusal({ instances: 5, replication: any({ number: 3, maxStandbyNamesFromCluster: 0, standbyNamesPre: ['a'] }) })).toMatch(/maxStandbyNamesFromCluster = 0 lists fewer standbys than the 3 .*Fix: set it to at least 2, or lower number/);
    expect(make({ instances: 5, replication: any({ number: 2, maxStandbyNamesFromCluster: 0, standbyNamesPre: ['a'], standbyNamesPost: ['b'] }) }).db.instances).toBe(5);
    expect(make({ instances: 5, replication: any({ number: 2, maxStandbyNamesFromCluster: 3 }) }).db.instances).toBe(5);
    expect(make({ instances: 5, replication: any({ number: 1, maxStandbyNamesFromCluster: 0, standbyNamesPre: ['a'] }) }).db.instances).toBe(5);
  });

  test('required durability that blocks every write while a standby is down', () => {
    expect(refusal({ instances: 2 })).toBe(blocked('2 instance(s) give 1 standby(s), and every one must confirm each commit', 1, 'instances: 3'));
    expect(refusal({ instances: 4, replication: any({ number: 3 }) })).toBe(blocked('4 instance(s) give 3 standby(s), and every one must confirm each commit', 3, 'instances: 5'));
    expect(make({ instances: 5, replication: any({ number: 3 }) }).db.instances).toBe(5);
    expect(refusal({ instances: 5, replication: any({ number: 2, maxStandbyNamesFromCluster: 2 }) }))
      .toBe(blocked('maxStandbyNamesFromCluster 2 makes every listed standby synchronous', 2, 'lower number'));
    expect(make({ instances: 5, replication: any({ number: 2, maxStandbyNamesFromCluster: 3 }) }).db.instances).toBe(5);
    expect(refusal({ instances: 3, replication: any({ number: 2, maxStandbyNamesFromCluster: 2 }) }))
      .toBe(blocked('3 instance(s) give 2 standby(s), and every one must confirm each commit', 2, 'instances: 4'));
    expect(refusal({ instances: 3, replication: any({ dataDurability: DataDurability.REQUIRED, number: 2 }) })).toMatch(/replication\.dataDurability = "required" blocks every write/);
    expect(make({ instances: 2, replication: any({ acceptBlockedWrites: true }) }).db.instances).toBe(2);
    expect(make({ instances: 2, replication: any({ dataDurability: DataDurability.PREFERRED }) }).db.instances).toBe(2);
    expect(make({ instances: 2, replication: any({ standbyNamesPre: ['a'] }) }).db.instances).toBe(2);
    expect(make({ instances: 2, replication: any({ standbyNamesPost: ['a'] }) }).db.instances).toBe(2);
    expect(make({ instances: 3 }).db.instances).toBe(3);
  });

  test('the synchronous block as written', () => {
    const a = make({ operatorVersion: CnpgVersion.V1_30_0, replication: SynchronousReplication.first({ number: 2, maxStandbyNamesFromCluster: 3, standbyNamesPre: ['x'], standbyNamesPost: ['y'], failoverQuorum: true }), instances: 4 });
    expect(specOf(a.c).postgresql.synchronous).toEqual({ method: 'first', number: 2, dataDurability: 'required', maxStandbyNamesFromCluster: 3, standbyNamesPre: ['x'], standbyNamesPost: ['y'], failoverQuorum: true });
    expect(specOf(make().c).postgresql.synchronous).toEqual({ method: 'any', number: 1, dataDurability: 'required' });
    expect(specOf(make({ replication: SynchronousReplication.any({ dataDurability: DataDurability.PREFERRED }) }).c).postgresql.synchronous).toEqual({ method: 'any', number: 1, dataDurability: 'preferred' });
    expect(specOf(make({ replication: SynchronousReplication.asynchronous() }).c).postgresql.synchronous).toBeUndefined();
  });
});

describe('storage and resources', () => {
  test('defaults: 10Gi of the default class, no WAL volume, the documented resources', () => {
    const spec = specOf(make().c);
    expect(spec.storage).toEqual({ size: '10Gi' });
    expect(spec.walStorage).toBeUndefined();
    expect(spec.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '2048Mi' } });
  });

  test('the settings\' sizes and class, the props over them', () => {
    const settings = ClusterSettings.fromData({ CNPG_DATA_SIZE: '20Gi', CNPG_WAL_SIZE: '5Gi', CNPG_STORAGE_CLASS: 'fast' });
    expect(specOf(make({ settings }).c)).toMatchObject({ storage: { size: '20Gi', storageClass: 'fast' }, walStorage: { size: '5Gi', storageClass: 'fast' } });
    const own = specOf(make({ settings, storage: { size: Quantity.gibibytes(30), storageClass: 'slow' }, walStorage: { size: Quantity.gibibytes(6), storageClass: 'wal' } }).c);
    expect(own.storage).toEqual({ size: '30Gi', storageClass: 'slow' });
    expect(own.walStorage).toEqual({ size: '6Gi', storageClass: 'wal' });
    // A walStorage of the props replaces the settings' size: without its own size it is refused.
    expect(refusal({ settings, walStorage: { storageClass: 'wal' } as any }))
      .toBe(`${AT}: walStorage.size = (unset) is required when walStorage is given. Fix: give the WAL volume size, e.g. Quantity.gibibytes(20) (the field is wal_storage.size in Python, WalStorage.Size in Go)`);
  });

  test('sizes are checked', () => {
    expect(refusal({ storage: { size: Quantity.mebibytes(1) } })).toMatch(new RegExp(`^${AT}: storage.size = "1Mi" `));
    expect(refusal({ walStorage: { size: Quantity.mebibytes(1) } })).toMatch(new RegExp(`^${AT}: walStorage.size = "1Mi" `));
  });

  test('StorageClass names: checked for both volumes, Flux variables kept', () => {
    const fix = 'Fix: give the name of a StorageClass, e.g. "openebs-local-nvme"';
    expect(refusal({ storage: { storageClass: 'Fast' } })).toBe(`${AT}: storage.storageClass = "Fast" is not a StorageClass name. ${fix} (the field is storage.storage_class in Python, Storage.StorageClass in Go)`);
    expect(refusal({ walStorage: { size: Quantity.gibibytes(2), storageClass: 'wal_x' } })).toBe(`${AT}: walStorage.storageClass = "wal_x" is not a StorageClass name. ${fix} (the field is wal_storage.storage_class in Python, WalStorage.StorageClass in Go)`);
    for (const bad of ['-a', 'a-', '.a', 'a.', 'a b']) expect(refusal({ storage: { storageClass: bad } })).toMatch(/is not a StorageClass name/);
    expect(specOf(make({ storage: { storageClass: 'a' }, walStorage: { size: Quantity.gibibytes(2) } }).c).walStorage).toEqual({ size: '2Gi', storageClass: 'a' });
    expect(specOf(make({ storage: { storageClass: 'a.b-c' } }).c).storage).toEqual({ size: '10Gi', storageClass: 'a.b-c' });
    expect(specOf(make({ storage: { storageClass: '${SC}' }, walStorage: { size: Quantity.gibibytes(2), storageClass: '${WAL_SC}' } }).c))
      .toMatchObject({ storage: { storageClass: '${SC}' }, walStorage: { storageClass: '${WAL_SC}' } });
  });

  test('huge pages join the requests and the limits', () => {
    const spec = specOf(make({ hugePages: { size2Mi: Quantity.mebibytes(512) } }).c);
    expect(spec.resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '1024Mi', 'hugepages-2Mi': '512Mi' },
      limits: { 'memory': '2048Mi', 'hugepages-2Mi': '512Mi' },
    });
    const bare = specOf(make({ resources: {}, hugePages: { size1Gi: Quantity.gibibytes(1) } }).c);
    expect(bare.resources).toEqual({ requests: { 'hugepages-1Gi': '1Gi' }, limits: { 'hugepages-1Gi': '1Gi' } });
  });
});

describe('connections', () => {
  test('PostgreSQL\'s defaults and the reserved 10', () => {
    const { db } = make();
    expect(db.maxConnections).toBe(100);
    expect(db.superuserReservedConnections).toBe(3);
    expect(db.reservedConnections).toBe(10);
    const own = make({ parameters: { maxConnections: 200, superuserReservedConnections: 5 }, reservedConnections: 0 }).db;
    expect([own.maxConnections, own.superuserReservedConnections, own.reservedConnections]).toEqual([200, 5, 0]);
  });

  test('superuser_reserved_connections below max_connections', () => {
    expect(refusal({ parameters: { maxConnections: 20, superuserReservedConnections: 20 } }))
      .toBe(`${AT}: parameters.superuserReservedConnections = 20 leaves no connection for applications out of max_connections = 20. Fix: lower it or raise maxConnections (the field is parameters.superuser_reserved_connections in Python, Parameters.SuperuserReservedConnections in Go)`);
    expect(refusal({ parameters: { superuserReservedConnections: 100 } })).toMatch(/superuserReservedConnections = 100 leaves no connection for applications out of max_connections = 100\./);
    const tight = make({ parameters: { maxConnections: 20, superuserReservedConnections: 19 }, reservedConnections: 0 }).db;
    expect(tight.superuserReservedConnections).toBe(19);
    expect(make({ parameters: { maxConnections: 4 }, reservedConnections: 0 }).db.maxConnections).toBe(4);
  });

  test('reservedConnections: 0 to max_connections − superuser_reserved_connections − 1', () => {
    expect(make({ parameters: { maxConnections: 20 }, reservedConnections: 16 }).db.reservedConnections).toBe(16);
    expect(refusal({ parameters: { maxConnections: 20 }, reservedConnections: 17 }))
      .toBe(`${AT}: reservedConnections = 17 is not valid: it must be an integer between 0 and 16. Fix: keep it below max_connections − superuser_reserved_connections (at most 16 here), or raise parameters.maxConnections to at least 21 (the field is reserved_connections in Python, ReservedConnections in Go)`);
    expect(refusal({ reservedConnections: -1 })).toMatch(/reservedConnections = -1 is not valid: it must be an integer between 0 and 96\. Fix: keep it below max_connections − superuser_reserved_connections \(at most 96 here\), or raise parameters.maxConnections to at least 3 /);
    expect(refusal({ parameters: { maxConnections: 10, superuserReservedConnections: 2 } }))
      .toBe(`${AT}: reservedConnections = 10 is not valid: it must be an integer between 0 and 7. Fix: the default 10 does not fit: keep it below max_connections − superuser_reserved_connections (at most 7 here), or raise parameters.maxConnections to at least 13 (the field is reserved_connections in Python, ReservedConnections in Go)`);
    expect(refusal({ parameters: { maxConnections: 4 } })).toMatch(/between 0 and 0\. Fix: the default 10 does not fit: keep it below max_connections − superuser_reserved_connections \(at most 0 here\), or raise parameters.maxConnections to at least 14 /);
    expect(make({ parameters: { maxConnections: 14 } }).db.reservedConnections).toBe(10);
  });

  test('shared_buffers up to the memory request, or within the huge pages', () => {
    const res = { memoryRequest: Quantity.gibibytes(1), memoryLimit: Quantity.gibibytes(2) };
    expect(make({ resources: res, parameters: { sharedBuffers: '1GB' } }).db.instances).toBe(3);
    expect(make({ resources: res, parameters: { sharedBuffers: '131072' } }).db.instances).toBe(3);
    const fix = 'Fix: lower sharedBuffers (about 25% of the memory request is usual) or raise the memory request (the field is parameters.shared_buffers in Python, Parameters.SharedBuffers in Go)';
    expect(refusal({ resources: res, parameters: { sharedBuffers: '1048577kB' } }))
      .toBe(`${AT}: parameters.sharedBuffers = "1048577kB" is larger than the memory request (1Gi); CloudNativePG rejects the Cluster. ${fix}`);
    expect(refusal({ resources: res, parameters: { sharedBuffers: '131073' } })).toMatch(/sharedBuffers = "131073" is larger than the memory request \(1Gi\);/);
    expect(refusal({ resources: res, parameters: { sharedBuffers: '2GB' }, hugePages: { size2Mi: Quantity.mebibytes(2046) } }))
      .toBe(`${AT}: parameters.sharedBuffers = "2GB" is larger than the memory request (1Gi) and the huge pages; CloudNativePG rejects the Cluster. ${fix}`);
    expect(make({ resources: res, parameters: { sharedBuffers: '2GB' }, hugePages: { size2Mi: Quantity.mebibytes(2048) } }).db.instances).toBe(3);
    expect(make({ resources: res, parameters: { sharedBuffers: '2GB' }, hugePages: { size2Mi: Quantity.mebibytes(2), size1Gi: Quantity.gibibytes(2) } }).db.instances).toBe(3);
    // Without a memory request nothing is compared.
    expect(make({ resources: { memoryLimit: Quantity.gibibytes(2) }, parameters: { sharedBuffers: '4GB' } }).db.instances).toBe(3);
  });

  test('min_wal_size below max_wal_size (PostgreSQL\'s defaults otherwise), both below the WAL volume', () => {
    const fixOrder = 'Fix: keep minWalSize below maxWalSize (e.g. 2GB and 8GB)';
    expect(refusal({ parameters: { minWalSize: '1GB' } }))
      .toBe(`${AT}: parameters.minWalSize = "1GB" is not below max_wal_size (1GB, PostgreSQL's default): CloudNativePG refuses the Cluster. ${fixOrder} (the field is parameters.min_wal_size in Python, Parameters.MinWalSize in Go)`);
    expect(make({ parameters: { minWalSize: '1023MB' } }).db.instances).toBe(3);
    expect(refusal({ parameters: { maxWalSize: '80MB' } }))
      .toBe(`${AT}: parameters.maxWalSize = "80MB" is not above min_wal_size (80MB, PostgreSQL's default): CloudNativePG refuses the Cluster. Fix: keep maxWalSize above minWalSize (e.g. 8GB and 2GB) (the field is parameters.max_wal_size in Python, Parameters.MaxWalSize in Go)`);
    expect(make({ parameters: { maxWalSize: '81MB' } }).db.instances).toBe(3);
    expect(refusal({ parameters: { minWalSize: '2GB', maxWalSize: '2GB' } })).toMatch(/parameters\.minWalSize = "2GB" is not below max_wal_size \(2GB\)/);
    expect(make({ parameters: { minWalSize: '2GB', maxWalSize: '2049MB' } }).db.instances).toBe(3);
    const wal = { walStorage: { size: Quantity.gibibytes(2) } };
    const fixVolume = 'Fix: lower it below the volume (about half of it leaves room for peaks), or enlarge walStorage';
    expect(refusal({ ...wal, parameters: { maxWalSize: '2GB' } }))
      .toBe(`${AT}: parameters.maxWalSize = "2GB" is not smaller than the WAL volume (walStorage.size 2Gi): CloudNativePG refuses the Cluster, and WAL would fill the volume. ${fixVolume} (the field is parameters.max_wal_size in Python, Parameters.MaxWalSize in Go)`);
    expect(make({ ...wal, parameters: { maxWalSize: '2047MB' } }).db.instances).toBe(3);
    const small = { walStorage: { size: Quantity.mebibytes(100) } };
    expect(refusal({ ...small, parameters: { minWalSize: '100MB' } }))
      .toBe(`${AT}: parameters.minWalSize = "100MB" is not smaller than the WAL volume (walStorage.size 100Mi): CloudNativePG refuses the Cluster, and WAL would fill the volume. ${fixVolume} (the field is parameters.min_wal_size in Python, Parameters.MinWalSize in Go)`);
    expect(make({ ...small, parameters: { minWalSize: '99MB' } }).db.instances).toBe(3);
    // The settings' WAL volume counts too.
    expect(refusal({ settings: ClusterSettings.fromData({ CNPG_WAL_SIZE: '1Gi' }) })).toBe('(nothing thrown)');
    expect(refusal({ settings: ClusterSettings.fromData({ CNPG_WAL_SIZE: '1Gi' }), parameters: { maxWalSize: '1GB' } })).toMatch(/maxWalSize = "1GB" is not smaller than the WAL volume \(walStorage.size 1Gi\)/);
  });
});

describe('TLS', () => {
  test('TLS 1.3 by default, the minimum version given, the operator\'s certificates', () => {
    const spec = specOf(make().c);
    expect(spec.postgresql.parameters.ssl_min_protocol_version).toBe('TLSv1.3');
    expect(spec.postgresql.pg_hba).toEqual(['hostnossl all all all reject', 'hostssl all all all scram-sha-256']);
    expect(spec.certificates).toBeUndefined();
    const { db, c } = make({ tls: { minProtocolVersion: TlsVersion.TLS_1_2 } });
    expect(specOf(c).postgresql.parameters.ssl_min_protocol_version).toBe('TLSv1.2');
    expect(db._postgresParameters().ssl_min_protocol_version).toBe('TLSv1.2');
  });

  test('each certificate Secret alone writes certificates', () => {
    expect(specOf(make({ tls: { serverTlsSecret: 'srv', serverCaSecret: 'srv-ca' } }).c).certificates).toEqual({ serverTLSSecret: 'srv', serverCASecret: 'srv-ca' });
    expect(specOf(make({ tls: { serverCaSecret: 'srv-ca' } }).c).certificates).toEqual({ serverCASecret: 'srv-ca' });
    expect(specOf(make({ tls: { clientCaSecret: 'cli-ca' } }).c).certificates).toEqual({ clientCASecret: 'cli-ca' });
    expect(specOf(make({ tls: { replicationTlsSecret: 'repl', clientCaSecret: 'cli-ca' } }).c).certificates).toEqual({ replicationTLSSecret: 'repl', clientCASecret: 'cli-ca' });
    expect(specOf(make({ tls: { serverAltDnsNames: ['db.example.com'] } }).c).certificates).toEqual({ serverAltDNSNames: ['db.example.com'] });
    expect(specOf(make({ tls: { serverAltDnsNames: [] } }).c).certificates).toBeUndefined();
  });

  test('alt names: the props\' and the poolers\', once each; none with the cluster\'s own server certificate', () => {
    const { db, c } = make({ tls: { serverAltDnsNames: ['a.example.com'] } });
    expect(db._addServerAltDnsNames(['p-rw', 'a.example.com', 'p-rw'])).toBe(true);
    expect(specOf(c).certificates).toEqual({ serverAltDNSNames: ['a.example.com', 'p-rw'] });
    const own = make({ tls: { serverTlsSecret: 'srv', serverCaSecret: 'ca' } });
    expect(own.db._addServerAltDnsNames(['p-rw'])).toBe(false);
    expect(specOf(own.c).certificates).toEqual({ serverTLSSecret: 'srv', serverCASecret: 'ca' });
  });

  test('the webhook\'s certificate rules and the Secret names', () => {
    expect(refusal({ tls: { serverTlsSecret: 'srv', serverCaSecret: 'ca', serverAltDnsNames: ['x'] } }))
      .toBe(`${AT}: tls.serverAltDnsNames = ["x"] is given with tls.serverTlsSecret, which CloudNativePG's webhook refuses: the operator issues no server certificate then. Fix: put the names into your own server certificate and drop serverAltDnsNames (the field is tls.server_alt_dns_names in Python, Tls.ServerAltDnsNames in Go)`);
    expect(make({ tls: { serverTlsSecret: 'srv', serverCaSecret: 'ca', serverAltDnsNames: [] } }).db.instances).toBe(3);
    expect(refusal({ tls: { serverTlsSecret: 'srv' } }))
      .toBe(`${AT}: tls.serverCaSecret = (unset) is required with tls.serverTlsSecret. Fix: name the Secret with the CA (ca.crt) that signed the server certificate (the field is tls.server_ca_secret in Python, Tls.ServerCaSecret in Go)`);
    expect(refusal({ tls: { replicationTlsSecret: 'repl' } }))
      .toBe(`${AT}: tls.clientCaSecret = (unset) is required with tls.replicationTlsSecret (CloudNativePG's webhook refuses it alone). Fix: name the Secret with the CA that signed the replication certificate (the field is tls.client_ca_secret in Python, Tls.ClientCaSecret in Go)`);
    const long = 'a'.repeat(253);
    expect(make({ tls: { serverTlsSecret: long, serverCaSecret: long, clientCaSecret: long, replicationTlsSecret: long } }).db.instances).toBe(3);
    expect(refusal({ tls: { serverTlsSecret: `${long}a`, serverCaSecret: 'ca' } })).toBe(`${AT}: tls.serverTlsSecret = "${long}a" is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters (the field is tls.server_tls_secret in Python, Tls.ServerTlsSecret in Go)`);
    expect(refusal({ tls: { serverCaSecret: 'Ca' } })).toMatch(/^CnpgSharedCluster at 'test\/db': tls\.serverCaSecret = "Ca" is not a DNS-1123 label/);
    expect(refusal({ tls: { clientCaSecret: 'Ca' } })).toMatch(/^CnpgSharedCluster at 'test\/db': tls\.clientCaSecret = "Ca" is not a DNS-1123 label/);
    expect(refusal({ tls: { replicationTlsSecret: 'R', clientCaSecret: 'ca' } })).toMatch(/^CnpgSharedCluster at 'test\/db': tls\.replicationTlsSecret = "R" is not a DNS-1123 label/);
  });
});

describe('superuser access', () => {
  test('disabled by default', () => {
    const { db, c } = make();
    const spec = specOf(c);
    expect(spec.enableSuperuserAccess).toBe(false);
    expect(spec.superuserSecret).toBeUndefined();
    expect(db.superuserCredentials).toBeUndefined();
  });

  test('the operator\'s Secret: enabled, no Secret named', () => {
    const { db, c } = make({ superuserAccess: SuperuserAccess.operatorGenerated() });
    const m = synth(c);
    expect(one(m, 'Cluster').spec.enableSuperuserAccess).toBe(true);
    expect(one(m, 'Cluster').spec.superuserSecret).toBeUndefined();
    expect(db.superuserCredentials).toBeUndefined();
    expect(m.map((o) => o.kind).sort()).toEqual(['Cluster', 'Namespace']);
  });

  test('from the secret store: an ExternalSecret <cluster>-superuser, labelled as credentials', () => {
    expect(refusal({ superuserAccess: SuperuserAccess.fromSecretStore('pg/superuser') }))
      .toBe(`${AT}: secretStore = (unset) is required by superuserAccess, whose credentials come from the secret store. Fix: set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE in the settings) (the field is secret_store in Python, SecretStore in Go)`);
    const { db, c } = make({ superuserAccess: SuperuserAccess.fromSecretStore('pg/superuser'), secretStore: { name: 'onepassword' }, labels: { team: 'db' } });
    const m = synth(c);
    expect(one(m, 'Cluster').spec.superuserSecret).toEqual({ name: 'db-superuser' });
    const es = one(m, 'ExternalSecret');
    expect(es.metadata).toMatchObject({
      name: 'db-superuser',
      namespace: 'databases',
      labels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/managed-by': 'cnpg-constructs', 'team': 'db', 'app.kubernetes.io/component': 'credentials' },
    });
    expect(db.superuserCredentials).toBeDefined();
    expect(db.superuserCredentials!.apiObject).toBeDefined();
    expect(db._requireSecretStore('x')).toEqual({ name: 'onepassword' });
  });
});

describe('labels and the Namespace', () => {
  test('common and monitoring labels', () => {
    const { db, c } = make({ labels: { team: 'db' }, monitoringLabels: { release: 'kps' } });
    const common = { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/managed-by': 'cnpg-constructs', 'team': 'db' };
    expect(db.commonLabels).toEqual(common);
    expect(db.monitoringLabels).toEqual({ ...common, release: 'kps' });
    expect(one(synth(c), 'Cluster').metadata).toEqual({ name: 'db', namespace: 'databases', labels: { ...common, 'app.kubernetes.io/component': 'database' } });
    expect(make().db.monitoringLabels).toEqual({ 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/managed-by': 'cnpg-constructs' });
  });

  test('the Namespace with Pod Security Admission restricted', () => {
    const { db, c } = make();
    const ns = one(synth(c), 'Namespace');
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'databases',
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'app.kubernetes.io/managed-by': 'cnpg-constructs',
        },
      },
    });
    expect(db.namespaceObject).toBeDefined();
    expect(db.apiObject.kind).toBe('Cluster');
  });

  test('one Namespace per name and chart; none when createNamespace is off', () => {
    const c = chart();
    const a = new CnpgSharedCluster(c, 'a');
    const b = new CnpgSharedCluster(c, 'b');
    const other = new CnpgSharedCluster(c, 'o', { namespace: 'other' });
    const off = new CnpgSharedCluster(c, 'off', { createNamespace: false });
    const offElsewhere = new CnpgSharedCluster(c, 'off2', { createNamespace: false, namespace: 'third' });
    expect(b.namespaceObject).toBe(a.namespaceObject);
    expect(other.namespaceObject).not.toBe(a.namespaceObject);
    expect(off.namespaceObject).toBeUndefined();
    expect(offElsewhere.namespaceObject).toBeUndefined();
    const after = new CnpgSharedCluster(c, 'after', { namespace: 'third' });
    expect(after.namespaceObject).toBeDefined();
    expect(ofKind(synth(c), 'Namespace').map((n) => n.metadata.name)).toEqual(['databases', 'other', 'third']);
    const second = chart();
    expect(new CnpgSharedCluster(second, 'a').namespaceObject).not.toBe(a.namespaceObject);
  });

  test('createNamespace off writes no Namespace', () => {
    const { c } = make({ createNamespace: false });
    expect(synth(c).map((o) => o.kind)).toEqual(['Cluster']);
  });
});

describe('the spec as written', () => {
  test('defaults: HA slots, required hostname anti-affinity, the PodDisruptionBudget, no spread', () => {
    const spec = specOf(make().c);
    expect(spec.instances).toBe(3);
    expect(spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.6');
    expect(spec.enablePDB).toBe(true);
    expect(spec.replicationSlots).toEqual({ highAvailability: { enabled: true } });
    expect(spec.affinity).toEqual({ enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'required' });
    expect(spec.topologySpreadConstraints).toBeUndefined();
    for (const f of ['managed', 'plugins', 'backup', 'serviceAccountTemplate', 'bootstrap', 'replica', 'externalClusters', 'tablespaces', 'monitoring']) {
      expect([f, spec[f]]).toEqual([f, undefined]);
    }
    expect(spec.postgresql.shared_preload_libraries).toBeUndefined();
    expect(spec.postgresql.extensions).toBeUndefined();
    expect(specOf(make({ enablePodDisruptionBudget: false }).c).enablePDB).toBe(false);
  });

  test('zone spread first, then the props\' spread constraints', () => {
    const zone = specOf(make({ zoneSpread: ZoneSpread.PREFERRED }).c);
    const zoneRule = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } } };
    expect(zone.topologySpreadConstraints).toEqual([zoneRule]);
    const rack = specOf(make({ topologySpread: [{ topologyKey: 'example.com/rack' }] }).c).topologySpreadConstraints;
    expect(rack).toHaveLength(1);
    expect(rack[0].topologyKey).toBe('example.com/rack');
    const both = specOf(make({ zoneSpread: ZoneSpread.REQUIRED, topologySpread: [{ topologyKey: 'example.com/rack' }] }).c).topologySpreadConstraints;
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual({ ...zoneRule, whenUnsatisfiable: 'DoNotSchedule' });
    expect(both[1]).toEqual(rack[0]);
  });

  test('the additional Services: endpoints, alt names of the operator\'s certificate, the disabled defaults', () => {
    const { db, c } = make({
      namespace: 'data',
      managedServices: { disableReadOnlyService: true, additional: [{ name: 'db-lb', selector: 'rw' as any }] },
    });
    expect(db.additionalServices.map((s) => s.fqdn)).toEqual(['db-lb.data.svc.cluster.local']);
    expect(db.additionalServices[0].port).toBe(5432);
    expect(db._defaultServiceDisabled('ro')).toBe(true);
    expect(db._defaultServiceDisabled('r')).toBe(false);
    const spec = specOf(c);
    expect(spec.certificates).toEqual({ serverAltDNSNames: ['db-lb', 'db-lb.data', 'db-lb.data.svc', 'db-lb.data.svc.cluster.local'] });
    expect(spec.managed.roles).toBeUndefined();
    expect(spec.managed.services.disabledDefaultServices).toEqual(['ro']);
    expect(make().db.additionalServices).toEqual([]);
    expect(make().db._defaultServiceDisabled('ro')).toBe(false);
  });

  test('managed roles, plugins and the backup sections the features add', () => {
    const { db, c } = make({ operatorVersion: CnpgVersion.V1_27_0 });
    db._addManagedRole({ name: 'app', ensure: 'present' as any, login: true });
    expect(thrown(() => db._addManagedRole({ name: 'app' }))).toBe(`${AT}: managed.roles = "app" is declared twice. Fix: give each application a distinct role name`);
    db._addPlugin({ name: 'other.example.com', enabled: true });
    db._setBackup({ retentionPolicy: '7d' });
    db._setVolumeSnapshotBackup({ className: 'csi-snap' });
    const spec = specOf(c);
    expect(spec.managed).toEqual({ roles: [{ name: 'app', ensure: 'present', login: true }] });
    expect(spec.plugins).toEqual([{ name: 'other.example.com', enabled: true }]);
    expect(spec.backup).toEqual({ retentionPolicy: '7d', volumeSnapshot: { className: 'csi-snap' } });
    const snapOnly = make();
    snapOnly.db._setVolumeSnapshotBackup({ className: 'csi-snap' });
    expect(specOf(snapOnly.c).backup).toEqual({ volumeSnapshot: { className: 'csi-snap' } });
    const storeOnly = make();
    storeOnly.db._setBackup({ retentionPolicy: '30d' });
    expect(specOf(storeOnly.c).backup).toEqual({ retentionPolicy: '30d' });
  });

  test('the Barman Cloud plugin is written on every supported release (its 0.14 needs CloudNativePG 1.26)', () => {
    const { db, c } = make({ operatorVersion: CnpgVersion.V1_27_0 });
    db._addPlugin({ name: 'barman-cloud.cloudnative-pg.io', isWalArchiver: true });
    expect(specOf(c).plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true }]);
  });
});

describe('the hooks the features use', () => {
  test('one backup configuration, distinct poolers', () => {
    const { db } = make();
    expect(db.backup).toBeUndefined();
    db._registerBackup({ method: 'plugin' as any, schedule: 's' });
    expect(db.backup).toEqual({ method: 'plugin', schedule: 's' });
    expect(thrown(() => db._registerBackup({ method: 'barmanObjectStore' as any }))).toBe(`${AT}: backup = "barmanObjectStore" is configured twice. Fix: attach one backup configuration per cluster`);
    const p = { poolerName: 'app-pooler', namespace: 'databases', instances: 2, type: 'rw', application: 'app' };
    db._registerPooler(p);
    db._registerPooler({ ...p, namespace: 'other' });
    db._registerPooler({ ...p, poolerName: 'app2-pooler' });
    expect(thrown(() => db._registerPooler({ ...p, instances: 3 }))).toBe(`${AT}: poolers = "app-pooler" is declared twice. Fix: give each pooler a distinct name`);
    const listed = db.poolers;
    expect(listed.map((x) => `${x.poolerName}/${x.namespace}`)).toEqual(['app-pooler/databases', 'app-pooler/other', 'app2-pooler/databases']);
    listed.pop();
    expect(db.poolers).toHaveLength(3);
  });

  test('archives, parameters and preloaded libraries are copies', () => {
    const { db } = make({ parameters: { maxConnections: 50 } });
    expect(db._ownArchive()).toBeUndefined();
    const archive = { name: 'a', destinationPath: 's3://b', serverName: 'db', entry: () => ({}) };
    db._registerArchive(archive);
    expect(db._ownArchive()).toBe(archive);
    expect(db._archiveSources()).toEqual([]);
    const params = db._postgresParameters();
    expect(params.max_connections).toBe('50');
    params.max_connections = '1';
    expect(db._postgresParameters().max_connections).toBe('50');
    const pre = db._preloadedExtensions();
    expect(pre).toEqual({ libraries: [], cronDatabase: undefined });
    pre.libraries.push('x');
    expect(db._preloadedExtensions().libraries).toEqual([]);
    expect(db.replicaOf).toBeUndefined();
    expect(db.sourceObjects).toEqual([]);
  });

  test('the ServiceAccount: the operator\'s, annotated for the object stores; a conflict refused', () => {
    const { db, c } = make({ serviceAccountMetadata: { annotations: { team: 'db' }, labels: { l: 'v' } } });
    expect(db._serviceAccountName()).toBe('db');
    db._addServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:1' });
    db._addServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:1' });
    expect(thrown(() => db._addServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:2' })))
      .toBe(`${AT}: serviceAccountTemplate.metadata.annotations.eks.amazonaws.com/role-arn = "arn:2" conflicts with "arn:1", set for another object store (the instances have one ServiceAccount). Fix: use one IAM role for the cluster's backups and its sources`);
    expect(specOf(c).serviceAccountTemplate).toEqual({ metadata: { labels: { l: 'v' }, annotations: { 'team': 'db', 'eks.amazonaws.com/role-arn': 'arn:1' } } });
    const bare = make();
    bare.db._addServiceAccountAnnotations({ a: '1', b: '2' });
    expect(specOf(bare.c).serviceAccountTemplate).toEqual({ metadata: { annotations: { a: '1', b: '2' } } });
    const same = make({ serviceAccountMetadata: { annotations: { a: '1' } } });
    same.db._addServiceAccountAnnotations({ a: '1' });
    expect(specOf(same.c).serviceAccountTemplate).toEqual({ metadata: { annotations: { a: '1' } } });
    const clash = make({ serviceAccountMetadata: { annotations: { a: '1' } } });
    clash.db._addServiceAccountAnnotations({ a: '2' });
    expect(thrown(() => synth(clash.c))).toContain(`${AT}: serviceAccountMetadata.annotations.a = "1" conflicts with "2", the IAM role of the backup credentials. Fix: give the role once: in BackupCredentials.fromIamRole({ roleArn }) or in serviceAccountMetadata`);
  });

  test('a ServiceAccount of the cluster\'s own: its release, no annotations', () => {
    expect(refusal({ operatorVersion: CnpgVersion.V1_28_0, serviceAccountName: 'pg' })).toMatch(new RegExp(`^${AT}: serviceAccountName = "pg" `));
    const { db, c } = make({ operatorVersion: CnpgVersion.V1_30_0, serviceAccountName: 'pg' });
    expect(db._serviceAccountName()).toBe('pg');
    expect(specOf(c).serviceAccountName).toBe('pg');
    expect(thrown(() => db._addServiceAccountAnnotations({ a: '1', b: '2' })))
      .toBe(`${AT}: serviceAccountName = "pg" is the cluster's own ServiceAccount, which the library cannot annotate with a: 1, b: 2 (an IAM role of the backups). Fix: annotate the ServiceAccount pg yourself and use BackupCredentials.fromIamRole() without roleArn, or drop serviceAccountName (the field is service_account_name in Python, ServiceAccountName in Go)`);
  });

  test('the cluster is its own hooks', () => {
    const { db } = make();
    expect(_clusterHooksOf(db)).toBe(db);
  });

  test('the operator version gate of a feature\'s field', () => {
    const db = make({ operatorVersion: CnpgVersion.V1_27_0 }).db;
    expect(thrown(() => db._requireOperatorVersion(db, 'serviceAccountName', 'x', { kind: 'Cluster', field: 'spec.serviceAccountName' } as any)))
      .toMatch(new RegExp(`^${AT}: serviceAccountName = "x" `));
    const newer = make({ operatorVersion: CnpgVersion.V1_30_0 }).db;
    expect(thrown(() => newer._requireOperatorVersion(newer, 'serviceAccountName', 'x', { kind: 'Cluster', field: 'spec.serviceAccountName' } as any))).toBe('(nothing thrown)');
  });
});

describe('what is added to the cluster', () => {
  test('each part once', () => {
    const { db } = make({ secretStore: { name: 'onepassword' } });
    db.addApplication('app', { login: Credentials.fromSecret('app-pg') });
    expect(thrown(() => db.addApplication('app'))).toBe(`${AT}: applications = "app" is added twice (or names another part of this cluster). Fix: give each application a distinct name`);
    db.addSharedPooler('shared');
    expect(thrown(() => db.addSharedPooler('shared'))).toBe(`${AT}: poolers = "shared" is added twice (or names another part of this cluster). Fix: give each pooler a distinct name`);
    expect(thrown(() => db.addSharedPooler('app'))).toContain('poolers = "app" is added twice');
    db.addRole('reader');
    expect(thrown(() => db.addRole('reader'))).toBe(`${AT}: roles = "reader" is added twice. Fix: add each role once`);
    db.addMonitoring();
    expect(thrown(() => db.addMonitoring())).toBe(`${AT}: monitoring = "addMonitoring()" is called twice. Fix: call addMonitoring once per cluster, with every option`);
  });

  test('a name that is not a string is refused by the argument check, before the duplicate check', () => {
    const { db } = make();
    const where = (method: string) => `CnpgSharedCluster.${method} at 'test/db'`;
    expect(thrown(() => db.addApplication(5 as any))).toBe(`${where('addApplication')}: name = 5 is a number, where a string goes. Fix: write the value as a string, in quotes`);
    expect(thrown(() => db.addSharedPooler(5 as any))).toBe(`${where('addSharedPooler')}: name = 5 is a number, where a string goes. Fix: write the value as a string, in quotes`);
    expect(thrown(() => db.addRole(5 as any)))
      .toBe(`${where('addRole')}: roleName = 5 is a number, where a string goes. Fix: write the value as a string, in quotes (the field is role_name in Python, RoleName in Go)`);
  });

  test('one backup and one volume snapshot backup', () => {
    const { db } = make({ secretStore: { name: 'onepassword' } });
    db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') });
    expect(thrown(() => db.addBackup())).toBe(`${AT}: backup = "addBackup()" is called twice. Fix: call addBackup once per cluster, with every option`);
    db.addVolumeSnapshotBackup({ className: 'csi' });
    expect(thrown(() => db.addVolumeSnapshotBackup({ className: 'csi' }))).toBe(`${AT}: volumeSnapshotBackup = "addVolumeSnapshotBackup()" is called twice. Fix: call addVolumeSnapshotBackup once per cluster, with every option (the field is volume_snapshot_backup in Python, VolumeSnapshotBackup in Go)`);
  });
});

describe('extensions, annotations and the checks at synth', () => {
  test('preloaded libraries, their parameters and pg_cron\'s database reach the spec and the hooks', () => {
    const { db, c } = make({ extensions: [PostgresExtension.pgStatStatements({ maxStatements: 5000 }), PostgresExtension.pgCron({ databaseName: 'app' })] });
    const pg = specOf(c).postgresql;
    expect(pg.shared_preload_libraries).toEqual(['pg_stat_statements', 'pg_cron']);
    expect(pg.parameters).toMatchObject({ 'pg_stat_statements.max': '5000', 'cron.database_name': 'app' });
    expect(db._postgresParameters()['pg_stat_statements.max']).toBe('5000');
    expect(db._preloadedExtensions()).toEqual({ libraries: ['pg_stat_statements', 'pg_cron'], cronDatabase: 'app' });
  });

  test('an extension image: its reference may come from the image catalog only', () => {
    const ext = () => [PostgresExtension.fromImage('pgvector', '')];
    // The construct passes whether the image comes from a catalog to the extensions' check.
    expect(refusal({ postgres: PostgresImage.fromImageCatalog('postgresql', 18), extensions: ext() })).toBe('(nothing thrown)');
    expect(refusal({ postgres: PostgresImage.version('18.0'), extensions: ext() }))
      .toBe(`${AT}: extensions[0].image = "" is required when the cluster uses no image catalog. Fix: give the extension image's reference`);
  });

  test('the Cluster\'s annotations', () => {
    const { c } = make({ annotations: { 'example.com/owner': 'db' } });
    expect(one(synth(c), 'Cluster').metadata.annotations).toEqual({ 'example.com/owner': 'db' });
  });

  test('an escape hatch is checked against the targeted release\'s CRD and the cluster\'s rules', () => {
    const old = make({ operatorVersion: CnpgVersion.V1_27_0 });
    old.db.apiObject.addOverride('spec.serviceAccountName', 'pg');
    const res = 'CheckedApiObject at \'test/db/Resource\'';
    expect(thrown(() => synth(old.c))).toBe(`${res}: Cluster spec.serviceAccountName = "pg" is not a field of the Cluster CRD of CloudNativePG 1.27.0: only 1.29.0 and newer have it. `
      + 'Fix: target a release that has it (operatorVersion) once the operator runs it, or remove spec.serviceAccountName');
    const newer = make({ operatorVersion: CnpgVersion.V1_30_0 });
    newer.db.apiObject.addOverride('spec.serviceAccountName', 'pg');
    expect(one(synth(newer.c), 'Cluster').spec.serviceAccountName).toBe('pg');
    const rule = make();
    rule.db.apiObject.addOverride('spec.certificates', { serverTLSSecret: 'srv', serverCASecret: 'ca', serverAltDNSNames: ['x'] });
    expect(thrown(() => synth(rule.c))).toBe(`${res}: Cluster spec.certificates.serverAltDNSNames = ["x"] is given with serverTLSSecret, which CloudNativePG's webhook refuses: `
      + 'the operator issues no server certificate then. Fix: put the names into your own server certificate (serverTLSSecret) and drop serverAltDNSNames');
    const recovery = make();
    recovery.db.apiObject.addOverride('spec.bootstrap', { recovery: { source: 'missing' } });
    expect(thrown(() => synth(recovery.c))).toBe(`${res}: Cluster spec.bootstrap.recovery.source = "missing" names an unknown external cluster (externalClusters names (none)). `
      + 'Fix: name one of the externalClusters, or add the external cluster');
  });
});

describe('what the construct passes to the parts\' checks', () => {
  test('the field names of resources and parameters', () => {
    expect(refusal({ resources: { memoryRequest: Quantity.of('lots') } })).toBe(`${AT}: resources.memoryRequest = "lots" is not a Kubernetes quantity. `
      + 'Fix: write a number with an optional unit suffix, such as "80Gi", "512Mi" or "1Ti", or use Quantity.gibibytes(80) '
      + '(the field is resources.memory_request in Python, Resources.MemoryRequest in Go)');
    expect(refusal({ parameters: { maxConnections: 0 } })).toBe(`${AT}: parameters.maxConnections = 0 is not a valid max_connections: it must be an integer of at least 1 and at most 262143. `
      + 'Fix: set maxConnections to a value in range, or leave it unset for the default (the field is parameters.max_connections in Python, Parameters.MaxConnections in Go)');
    const bare = specOf(make({ resources: {} }).c);
    expect(bare.resources).toEqual({});
  });

  test('zoneSpread tells the spread constraints the zone is taken', () => {
    const zone = [{ topologyKey: 'topology.kubernetes.io/zone' }];
    expect(refusal({ zoneSpread: ZoneSpread.REQUIRED, topologySpread: zone })).toBe(`${AT}: topologySpread[0].topologyKey = "topology.kubernetes.io/zone" is already spread by zoneSpread. `
      + 'Fix: drop one of them (the field is topology_spread[0].topology_key in Python, TopologySpread[0].TopologyKey in Go)');
    expect(refusal({ zoneSpread: ZoneSpread.NONE, topologySpread: zone })).toBe('(nothing thrown)');
  });

  test('a WAL volume snapshot needs the cluster\'s walStorage', () => {
    const bootstrap = () => ClusterBootstrap.volumeSnapshots({ storage: 'snap-data', walStorage: 'snap-wal' });
    expect(refusal({ bootstrap: bootstrap() })).toBe(`${AT}: bootstrap.volumeSnapshots.walStorage = "snap-wal" restores a WAL volume, but this cluster has no walStorage `
      + '(CloudNativePG webhook: "A WAL storage configuration is required"). Fix: give the cluster walStorage, as the backed-up cluster had '
      + '(the field is bootstrap.volume_snapshots.wal_storage in Python, Bootstrap.VolumeSnapshots.WalStorage in Go)');
    expect(refusal({ bootstrap: bootstrap(), walStorage: { size: Quantity.gibibytes(2) } })).toBe('(nothing thrown)');
  });

  test('anti-affinity preferred', () => {
    expect(specOf(make({ antiAffinity: PodAntiAffinity.PREFERRED }).c).affinity)
      .toEqual({ enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'preferred' });
  });

  test('maxStandbyNamesFromCluster\'s fix counts standbyNamesPost too', () => {
    expect(refusal({ instances: 5, replication: SynchronousReplication.any({ number: 3, maxStandbyNamesFromCluster: 0, standbyNamesPost: ['b'] }) }))
      .toMatch(/maxStandbyNamesFromCluster = 0 lists fewer standbys than the 3 .*Fix: set it to at least 2, or lower number/);
  });
});

describe('a replica cluster\'s sources and the argument checks of the add methods', () => {
  test('replicaOf, the source objects and the archive sources, as copies', () => {
    const source = BackupSource.objectStore({
      clusterName: 'pg-eu-south', bucket: 'cnpg-eu-south', endpointUrl: 'https://minio.eu-south.example:9000', credentials: BackupCredentials.fromSecretStore('k/minio'),
    });
    const { db } = make({ operatorVersion: CnpgVersion.V1_30_0, secretStore: { name: 'store' }, replica: ReplicaCluster.of(source) });
    expect(db.replicaOf).toBe('pg-eu-south');
    const objects = db.sourceObjects;
    expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['ObjectStore/pg-eu-south-source', 'ExternalSecret/pg-eu-south-backup-s3']);
    objects.pop();
    expect(db.sourceObjects).toHaveLength(2);
    const archives = db._archiveSources();
    expect(archives.map((a) => `${a.name} ${a.destinationPath} ${a.serverName}`)).toEqual(['pg-eu-south s3://cnpg-eu-south/pg-eu-south pg-eu-south']);
    archives.pop();
    expect(db._archiveSources()).toHaveLength(1);
  });

  test('addBackup and addMonitoring check their options', () => {
    const { db } = make();
    expect(thrown(() => db.addBackup(5 as any)))
      .toBe('CnpgSharedCluster.addBackup at \'test/db\': options = 5 is a number, where an object goes. Fix: give an object with the props of ClusterBackupOptions (all optional)');
    expect(thrown(() => db.addMonitoring(5 as any)))
      .toBe('CnpgSharedCluster.addMonitoring at \'test/db\': options = 5 is a number, where an object goes. Fix: give an object with the props of CnpgMonitoringOptions (all optional)');
  });

  test('the superuser\'s credentials are checked under superuserAccess', () => {
    const name = `a${'b'.repeat(253)}`;
    expect(refusal({ superuserAccess: SuperuserAccess.withCredentials(Credentials.fromSecret(name)) })).toBe(`${AT}: superuserAccess.secretName = "${name}" is not a Secret name `
      + '(a DNS-1123 subdomain). Fix: give the Secret\'s name, e.g. "harbor-db-credentials" (the field is superuser_access.secret_name in Python, SuperuserAccess.SecretName in Go)');
  });
});
