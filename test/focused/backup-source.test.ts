import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BackupCredentials, BackupMethod, BackupSource, CnpgSharedCluster, StreamingSslMode,
} from '../../src';
import { thrown } from '../util/errors';
import { chart, one } from '../util/synth';

const KEYS = BackupCredentials.fromSecret('s3-keys');
const PLUGIN = 'barman-cloud.cloudnative-pg.io';
const STORE = { name: 'store' };

/** A reading cluster `reader` in `apps` (or the namespace given) and a scope to bind in. */
function reader(namespace = 'apps', c = chart(), id = 'reader') {
  const cluster = new CnpgSharedCluster(c, id, { namespace, secretStore: STORE });
  return { c, cluster };
}

const bind = (source: BackupSource, cluster: CnpgSharedCluster, field = 'source') => source._bind(cluster, field, cluster, cluster);
const bindError = (source: BackupSource, cluster: CnpgSharedCluster = reader().cluster) => thrown(() => bind(source, cluster));

describe('BackupSource factories', () => {
  test('names, archive and streaming', () => {
    const streaming = BackupSource.streaming({ clusterName: 'pg-eu', host: 'pg-eu-rw.example.com' });
    expect([streaming.name, streaming.hasArchive, streaming.hasStreaming]).toEqual(['pg-eu', false, true]);
    const store = BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS });
    expect([store.name, store.hasArchive, store.hasStreaming]).toEqual(['old', true, false]);
    const hybrid = BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS, streaming: { host: 'h' } });
    expect([hybrid.hasArchive, hybrid.hasStreaming]).toEqual([true, true]);
    const { c } = reader();
    const src = new CnpgSharedCluster(c, 'src', { namespace: 'databases' });
    const backup = src.addBackup({ bucket: 'b-1', credentials: KEYS });
    const fromBackup = BackupSource.fromBackup(backup);
    expect([fromBackup.name, fromBackup.hasArchive, fromBackup.hasStreaming]).toEqual(['src', true, false]);
    const named = BackupSource.fromBackup(backup, { name: 'origin', streaming: { host: 'h' } });
    expect([named.name, named.hasArchive, named.hasStreaming]).toEqual(['origin', true, true]);
  });

  test('each factory checks its arguments and names itself', () => {
    expect(thrown(() => BackupSource.fromBackup({} as any))).toBe('BackupSource.fromBackup: backup = {} is an object, where an IClusterBackup goes. '
      + 'Fix: give a ClusterBackup (IClusterBackup)');
    expect(thrown(() => BackupSource.objectStore(1 as any))).toBe('BackupSource.objectStore: options = 1 is a number, where an object goes. '
      + 'Fix: give an object with the props of ObjectStoreSourceOptions (required: clusterName)');
    // The enumerations and the host are checked here, before any binding.
    expect(thrown(() => BackupSource.objectStore({ clusterName: 'old', method: 'pgbackrest' as any }))).toBe('BackupSource.objectStore: method = "pgbackrest" '
      + 'is not one of BackupMethod\'s values. Fix: use one of BackupMethod.PLUGIN ("plugin"), BackupMethod.BARMAN_OBJECT_STORE ("barmanObjectStore")');
    expect(thrown(() => BackupSource.streaming({ clusterName: 'pg-eu', host: 'h', sslMode: 'require' as any }))).toMatch(/^BackupSource\.streaming: sslMode = "require" is not one of StreamingSslMode's values\./);
    expect(thrown(() => BackupSource.streaming({ clusterName: 'pg-eu', host: 5 as any }))).toMatch(/^BackupSource\.streaming: host = 5 is a number, where a string goes\./);
    expect(thrown(() => BackupSource.objectStore({ clusterName: 'old', streaming: { host: 'h', sslMode: 'disable' as any } })))
      .toMatch(/^BackupSource\.objectStore: streaming\.sslMode = "disable" is not one of StreamingSslMode's values\./);
    expect(thrown(() => BackupSource.streaming(1 as any))).toBe('BackupSource.streaming: options = 1 is a number, where an object goes. '
      + 'Fix: give an object with the props of StreamingSourceOptions (required: clusterName, host)');
  });
});

describe('a streaming source', () => {
  const streamingEntry = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    connectionParameters: { host: 'pg-eu-rw.example.com', user: 'streaming_replica', dbname: 'postgres', sslmode: 'verify-full', ...extra },
    sslKey: { name: `${name}-replication`, key: 'tls.key' },
    sslCert: { name: `${name}-replication`, key: 'tls.crt' },
    sslRootCert: { name: `${name}-ca`, key: 'ca.crt' },
  });

  test('the streaming_replica user with its certificate, verify-full, port 5432 left out', () => {
    const { cluster } = reader();
    const bound = bind(BackupSource.streaming({ clusterName: 'pg-eu', host: 'pg-eu-rw.example.com' }), cluster);
    expect(bound).toEqual({ name: 'pg-eu', entry: streamingEntry('pg-eu'), streams: true, objects: [] });
    expect(bound.archive).toBeUndefined();
  });

  test('port, sslMode and the Secrets given', () => {
    const { cluster } = reader();
    const bound = bind(BackupSource.streaming({
      clusterName: 'pg-eu', host: 'pg-eu-rw.example.com', port: 6432, sslMode: StreamingSslMode.VERIFY_CA, replicationTlsSecret: 'repl', caSecret: 'ca',
    }), cluster);
    expect(bound.entry).toEqual({
      name: 'pg-eu',
      connectionParameters: { host: 'pg-eu-rw.example.com', port: '6432', user: 'streaming_replica', dbname: 'postgres', sslmode: 'verify-ca' },
      sslKey: { name: 'repl', key: 'tls.key' },
      sslCert: { name: 'repl', key: 'tls.crt' },
      sslRootCert: { name: 'ca', key: 'ca.crt' },
    });
  });

  test('the port from 1 to 65535', () => {
    for (const port of [1, 65535]) {
      expect(bind(BackupSource.streaming({ clusterName: 'pg-eu', host: 'pg-eu-rw.example.com', port }), reader().cluster).entry.connectionParameters?.port).toBe(String(port));
    }
    for (const port of [0, 65536, 5432.5]) {
      expect(bindError(BackupSource.streaming({ clusterName: 'pg-eu', host: 'h', port }))).toBe(`CnpgSharedCluster at 'test/reader': source.streaming.port = ${port} is not valid: `
        + 'it must be an integer between 1 and 65535. Fix: give a TCP port, e.g. 5432');
    }
  });

  test('host names, addresses and a whole Flux variable', () => {
    for (const host of ['a', 'A1', 'pg-eu-rw.example.com', '10.0.0.1', '${PRIMARY_HOST}', 'a.b-c.D']) {
      expect(bind(BackupSource.streaming({ clusterName: 'pg-eu', host }), reader().cluster).entry.connectionParameters?.host).toBe(host);
    }
    for (const host of ['', '-a', 'a-', '.a', 'a.', 'a b', 'a_b', 'x${H}', '${H}.example.com', '${1H}', 'a:5432']) {
      expect(bindError(BackupSource.streaming({ clusterName: 'pg-eu', host }))).toBe(`CnpgSharedCluster at 'test/reader': source.streaming.host = ${JSON.stringify(host)} `
        + 'is not a host name or address. Fix: give the source primary\'s host as this Kubernetes cluster reaches it, e.g. "pg-eu-south-rw.example.com"');
    }
  });

  test('the Secret names at 253 characters, and one more', () => {
    const long = 'a'.repeat(253);
    const ok = bind(BackupSource.streaming({ clusterName: 'pg-eu', host: 'h', replicationTlsSecret: long, caSecret: long }), reader().cluster).entry;
    expect([ok.sslKey?.name, ok.sslRootCert?.name]).toEqual([long, long]);
    expect(bindError(BackupSource.streaming({ clusterName: 'pg-eu', host: 'h', replicationTlsSecret: `${long}a` }))).toBe('CnpgSharedCluster at \'test/reader\': '
      + `source.streaming.replicationTlsSecret = "${long}a" is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters `
      + '(the field is source.streaming.replication_tls_secret in Python, Source.Streaming.ReplicationTlsSecret in Go)');
    expect(bindError(BackupSource.streaming({ clusterName: 'pg-eu', host: 'h', caSecret: `${long}a` }))).toBe('CnpgSharedCluster at \'test/reader\': '
      + `source.streaming.caSecret = "${long}a" is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters `
      + '(the field is source.streaming.ca_secret in Python, Source.Streaming.CaSecret in Go)');
  });

  test('the source\'s name: a DNS-1123 label of at most 63 characters', () => {
    const name = 'a'.repeat(63);
    expect(bind(BackupSource.streaming({ clusterName: name, host: 'h' }), reader().cluster).name).toBe(name);
    expect(bindError(BackupSource.streaming({ clusterName: `${name}a`, host: 'h' }))).toBe(`CnpgSharedCluster at 'test/reader': source.name = "${name}a" is 64 characters `
      + 'long, more than the 63 allowed. Fix: use a name of at most 63 characters');
  });
});

describe('an object-store source', () => {
  test('through the plugin: a read-only ObjectStore <name>-source in the reader\'s namespace, the archive it reads', () => {
    const { cluster } = reader();
    const bound = bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS }), cluster);
    expect(bound.entry).toEqual({ name: 'old', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'old-source', serverName: 'old' } } });
    expect([bound.name, bound.archive, bound.streams, bound.parameters]).toEqual(['old', { name: 'old', destinationPath: 's3://b-1/old', serverName: 'old' }, false, undefined]);
    expect(bound.objects).toHaveLength(1);
    expect(bound.objects[0].node.path).toBe('test/reader/Source-old/ObjectStore');
    expect(bound.objects[0].toJson()).toEqual({
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: { name: 'old-source', namespace: 'apps', labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'recovery-source' } },
      spec: {
        configuration: {
          destinationPath: 's3://b-1/old',
          s3Credentials: { accessKeyId: { name: 's3-keys', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 's3-keys', key: 'SECRET_ACCESS_KEY' } },
        },
      },
    });
  });

  test('the options resolved under the field, with the source\'s name as archive cluster and server name', () => {
    const { cluster } = reader();
    expect(bindError(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1' }), cluster)).toBe('CnpgSharedCluster at \'test/reader\': source.credentials = (unset) '
      + 'are required (no CNPG_MINIO_SECRET_PATH in the settings). Fix: give BackupCredentials.fromSecretStore("kubernetes/infra/cloudnative-pg/minio"), '
      + 'BackupCredentials.fromSecret("<secret>") or BackupCredentials.fromIamRole()');
    const bound = bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', serverName: 'old-2', credentials: BackupCredentials.fromSecretStore('k/s3') }), cluster);
    expect(bound.archive).toEqual({ name: 'old', destinationPath: 's3://b-1/old', serverName: 'old-2' });
    expect(bound.objects.map((o) => [o.kind, o.metadata.name])).toEqual([['ObjectStore', 'old-source'], ['ExternalSecret', 'old-backup-s3']]);
    expect(bound.objects[1].node.path).toBe('test/reader/Source-old/Credentials/Resource');
  });

  test('the in-tree method: the configuration in the entry, the Secret from the store, streaming beside it', () => {
    const { cluster } = reader();
    const bound = bind(BackupSource.objectStore({
      clusterName: 'old',
      bucket: 'b-1',
      method: BackupMethod.BARMAN_OBJECT_STORE,
      credentials: BackupCredentials.fromSecretStore('k/s3'),
      walMaxParallel: 4,
      streaming: { host: 'old-rw' },
    }), cluster);
    expect(bound.entry).toEqual({
      name: 'old',
      barmanObjectStore: {
        destinationPath: 's3://b-1/old',
        endpointUrl: undefined,
        endpointCa: undefined,
        s3Credentials: {
          accessKeyId: { name: 'old-backup-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'old-backup-s3', key: 'SECRET_ACCESS_KEY' }, region: undefined, sessionToken: undefined,
        },
        wal: { compression: undefined, encryption: undefined, maxParallel: 4 },
        data: undefined,
        serverName: 'old',
      },
      connectionParameters: { host: 'old-rw', user: 'streaming_replica', dbname: 'postgres', sslmode: 'verify-full' },
      sslKey: { name: 'old-replication', key: 'tls.key' },
      sslCert: { name: 'old-replication', key: 'tls.crt' },
      sslRootCert: { name: 'old-ca', key: 'ca.crt' },
    });
    expect([bound.streams, bound.archive]).toEqual([true, { name: 'old', destinationPath: 's3://b-1/old', serverName: 'old' }]);
    expect(bound.objects.map((o) => [o.kind, o.metadata.name])).toEqual([['ExternalSecret', 'old-backup-s3']]);
    expect(bind(BackupSource.objectStore({ clusterName: 'x', bucket: 'b-1', method: BackupMethod.BARMAN_OBJECT_STORE, credentials: KEYS }), cluster).objects).toEqual([]);
  });

  test('an IAM role: the role on the reader\'s ServiceAccount; none without a role', () => {
    const { c, cluster } = reader();
    bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/r' }) }), cluster);
    expect(one(Testing.synth(c), 'Cluster').spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/r' } } });
    const other = reader();
    bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromIamRole() }), other.cluster);
    expect(one(Testing.synth(other.c), 'Cluster').spec.serviceAccountTemplate).toBeUndefined();
  });

  test('one ObjectStore per archive and namespace: shared by the readers of one namespace, another archive under the name refused', () => {
    const c = chart();
    const a = reader('apps', c, 'a').cluster;
    const b = reader('apps', c, 'b').cluster;
    const other = reader('other', c, 'o').cluster;
    const first = bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS }), a);
    const second = bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS }), b);
    expect(second.objects[0]).toBe(first.objects[0]);
    expect(bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS }), other).objects[0]).not.toBe(first.objects[0]);
    expect(thrown(() => bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-2', credentials: KEYS }), b))).toBe('Construct at \'test/b/Source-old\': '
      + 'source = "old-source" is already an ObjectStore of another archive configuration in this namespace. Fix: give the source another name');
    // Another chart has its own.
    const elsewhere = reader('apps', chart(), 'a').cluster;
    expect(bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-2', credentials: KEYS }), elsewhere).objects[0].toJson().spec.configuration.destinationPath)
      .toBe('s3://b-2/old');
  });
});

describe('a backup of this program as source', () => {
  function source(c = chart(), method = BackupMethod.PLUGIN, credentials: BackupCredentials = KEYS) {
    const db = new CnpgSharedCluster(c, 'src', { namespace: 'databases', secretStore: STORE });
    const backup = db.addBackup({ bucket: 'b-1', credentials, method });
    return { c, db, backup };
  }

  test('in the same namespace: the source\'s own ObjectStore and Secret, its PostgreSQL parameters', () => {
    const { c, db, backup } = source();
    const cluster = reader('databases', c).cluster;
    const bound = bind(BackupSource.fromBackup(backup), cluster);
    expect(bound).toEqual({
      name: 'src',
      entry: { name: 'src', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'src-object-store', serverName: 'src' } } },
      archive: { name: 'src', destinationPath: 's3://b-1/src', serverName: 'src' },
      streams: false,
      objects: [],
      parameters: db._postgresParameters(),
    });
    expect(Object.keys(bound.parameters ?? {}).length).toBeGreaterThan(0);
  });

  test('in another namespace, plugin: a copy of the ObjectStore and of the Secret from the store', () => {
    const { c, db, backup } = source(chart(), BackupMethod.PLUGIN, BackupCredentials.fromSecretStore('k/s3'));
    const cluster = reader('apps', c).cluster;
    const bound = bind(BackupSource.fromBackup(backup, { streaming: { host: 'src-rw.databases' } }), cluster);
    expect(bound.entry).toMatchObject({ name: 'src', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'src-source', serverName: 'src' } } });
    expect(bound.entry.connectionParameters?.host).toBe('src-rw.databases');
    expect(bound.streams).toBe(true);
    expect(bound.objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([['ObjectStore', 'src-source', 'apps'], ['ExternalSecret', 'src-backup-s3', 'apps']]);
    expect(bound.parameters).toEqual(db._postgresParameters());
  });

  test('the in-tree method: the configuration in the entry; its Secret copied from the store into another namespace only', () => {
    const { c, backup } = source(chart(), BackupMethod.BARMAN_OBJECT_STORE, BackupCredentials.fromSecretStore('k/s3'));
    const same = bind(BackupSource.fromBackup(backup), reader('databases', c, 'same').cluster);
    expect(same.entry.barmanObjectStore?.destinationPath).toBe('s3://b-1/src');
    expect(same.entry.barmanObjectStore?.serverName).toBe('src');
    expect(same.objects).toEqual([]);
    const other = bind(BackupSource.fromBackup(backup), reader('apps', c, 'other').cluster);
    expect(other.entry).toEqual(same.entry);
    expect(other.objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([['ExternalSecret', 'src-backup-s3', 'apps']]);
    expect(other.objects[0].node.path).toBe('test/other/Source-src/Credentials/Resource');
    // Keys in an existing Secret: nothing to copy.
    const keys = source(chart(), BackupMethod.BARMAN_OBJECT_STORE);
    expect(bind(BackupSource.fromBackup(keys.backup), reader('apps', keys.c).cluster).objects).toEqual([]);
  });

  test('a name given; its own backup refused; what is not a backup of this library refused', () => {
    const { c, db, backup } = source();
    expect(bind(BackupSource.fromBackup(backup, { name: 'origin' }), reader('databases', c).cluster).entry.name).toBe('origin');
    expect(thrown(() => BackupSource.fromBackup(backup)._bind(db, 'bootstrap.source', db, db))).toBe('CnpgSharedCluster at \'test/src\': bootstrap.source = "src" '
      + 'is this cluster\'s own backup. Fix: recover from another cluster\'s backups, or from BackupSource.objectStore({...}) of an earlier cluster');
    const fake = Object.assign(new Construct(chart(), 'fake'), { cluster: db, destinationPath: 's3://b-1/src', serverName: 'src', credentialsSecretName: 'k' });
    expect(bindError(BackupSource.fromBackup(fake as any))).toBe('CnpgSharedCluster at \'test/reader\': source.backup = test/fake is not a backup of this library. '
      + 'Fix: pass the ClusterBackup that cluster.addBackup() returned');
    // Not a backup, with a cluster without a name: refused as no backup first.
    const bare = Object.assign(new Construct(chart(), 'bare'), { cluster: {}, destinationPath: 's3://b-1/src', serverName: 'src', credentialsSecretName: 'k' });
    expect(bindError(BackupSource.fromBackup(bare as any))).toBe('CnpgSharedCluster at \'test/reader\': source.backup = test/bare is not a backup of this library. '
      + 'Fix: pass the ClusterBackup that cluster.addBackup() returned');
    // One that reads like a backup, of a cluster that is not the library's.
    const foreign = Object.assign(new Construct(chart(), 'foreign'), {
      cluster: { clusterName: 'src', namespace: 'databases', toString: () => 'foreign-cluster' },
      destinationPath: 's3://b-1/src',
      serverName: 'src',
      credentialsSecretName: 'k',
      _recoverySource: () => ({ plugin: { name: PLUGIN } }),
    });
    expect(bindError(BackupSource.fromBackup(foreign as any))).toBe('CnpgSharedCluster at \'test/reader\': source.backup.cluster = foreign-cluster is not a cluster of this '
      + 'library. Fix: pass a CnpgSharedCluster (or use its addApplication/addBackup/addMonitoring methods)');
    // One that reads like a backup but whose cluster has no name.
    const nameless = Object.assign(new Construct(chart(), 'nameless'), {
      cluster: {}, destinationPath: 's3://b-1/src', serverName: 'src', credentialsSecretName: 'k', _recoverySource: () => ({}),
    });
    expect(bindError(BackupSource.fromBackup(nameless as any))).toBe('CnpgSharedCluster at \'test/reader\': source = (unset) has no cluster name. '
      + 'Fix: give clusterName (the name of the cluster that wrote the archive)');
  });
});

describe('the secret store of the reader', () => {
  const noStore = (c = chart()) => new CnpgSharedCluster(c, 'reader', { namespace: 'apps' });
  const message = (field: string) => 'CnpgSharedCluster at \'test/reader\': secretStore = (unset) is required by '
    + `${field} (the source's credentials), whose credentials come from the secret store. Fix: set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE `
    + 'in the settings) (the field is secret_store in Python, SecretStore in Go)';

  test('is required for credentials copied from the store, named by the source\'s field', () => {
    expect(thrown(() => bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: BackupCredentials.fromSecretStore('k/s3') }), noStore(),
      'bootstrap.source'))).toBe(message('bootstrap.source'));
    const c = chart();
    const src = new CnpgSharedCluster(c, 'src', { namespace: 'databases', secretStore: STORE });
    const backup = src.addBackup({ bucket: 'b-1', credentials: BackupCredentials.fromSecretStore('k/s3'), method: BackupMethod.BARMAN_OBJECT_STORE });
    expect(thrown(() => bind(BackupSource.fromBackup(backup), noStore(c), 'replica.source'))).toBe(message('replica.source'));
  });
});

describe('binding', () => {
  test('once per cluster; one description of a source given twice is one entry; two sources of one name refused', () => {
    const { cluster } = reader();
    const source = BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS });
    const bound = bind(source, cluster);
    expect(bind(source, cluster)).toBe(bound);
    const again = BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS });
    expect(bind(again, cluster)).toBe(bound);
    expect(bind(again, cluster)).toBe(bound);
    expect(bind(BackupSource.streaming({ clusterName: 'other', host: 'h' }), cluster).name).toBe('other');
    expect(thrown(() => bind(BackupSource.objectStore({ clusterName: 'old', bucket: 'b-1', credentials: KEYS, serverName: 'old-2' }), cluster, 'replica.source')))
      .toBe('CnpgSharedCluster at \'test/reader\': replica.source.name = "old" names two different sources of this cluster (externalClusters names are unique). '
        + 'Fix: describe the source once and pass the same BackupSource, or give each source its own name (BackupSource.fromBackup(backup, { name }) or clusterName)');
    // Another cluster binds it anew.
    expect(bind(source, reader('apps', chart()).cluster)).not.toBe(bound);
  });
});
