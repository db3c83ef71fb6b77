import { Chart } from 'cdk8s';
import {
  ClusterSettings, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, DataDurability, PostgresImage, Quantity, SuperuserAccess,
  SynchronousReplication, TlsVersion, ZoneSpread,
} from '../../src';
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
      CNPG_SHARED_CLUSTER_NAME: 'from-settings', CNPG_INSTANCES: '5', CNPG_OPERATOR_VERSION: '0.27.0', CNPG_POSTGRES_VERSION: '16.8',
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
      settings, clusterName: 'from-props', instances: 2, operatorVersion: CnpgVersion.V1_30_0, postgres: PostgresImage.version('17.6'),
      secretStore: { name: 'onepassword' }, replication: SynchronousReplication.asynchronous(),
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
    expect(make({ parameters: { maxConnections: 20, superuserReservedConnections: 19 }, reservedConnections: 0 }).db.superuserReservedConnections).toBe(19);
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
      .toBe(`${AT}: parameters.maxWalSize = "80MB" is not below max_wal_size (80MB): CloudNativePG refuses the Cluster. ${fixOrder} (the field is parameters.max_wal_size in Python, Parameters.MaxWalSize in Go)`);
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
