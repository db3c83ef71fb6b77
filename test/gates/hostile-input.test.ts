/**
 * Gate 2b: hostile and careless input (issue #13). Plain-JavaScript values where TypeScript types
 * would have stopped them (what Python, Go and plain-JS callers send), keywords of other systems,
 * contradictions, files: each must be refused at synth with the library's error, naming the
 * field, the value and a fix that is right (never the refused value, never a prop the caller
 * does not have, never the reference platform's names for another cluster, never a negative
 * minimum). Then valid edge inputs that must be accepted, and a fuzz of every public struct
 * field with wrong types, generated from the jsii assembly (assets/prop-types.json), so a new
 * prop is covered without editing this file.
 *
 * `HOSTILE_COUNTS=1 npx jest test/gates/hostile-input.test.ts` prints how many rows are refused
 * well, accepted silently, fail with a raw error or are refused with the wrong field (the
 * before/after figures of issue #13).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import {
  ApplicationProfile, BackupCredentials, BackupRetention, BackupSchedule, ClusterSettings,
  CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, Credentials, ExternalSecretSync, PoolMode, PostgresImage, Quantity,
  SynchronousReplication,
} from '../../src';
import { messagesOf, parseLibraryError, unacceptableError } from '../util/errors';
import { synth } from '../util/synth';

const H = (v: unknown): any => v; // a plain-JS value, as an untyped caller sends it

function synthesize(fn: (c: Chart) => void): void {
  const c = new Chart(Testing.app(), 'gate');
  fn(c);
  synth(c);
}

interface Row {
  readonly name: string;
  readonly run: () => void;
  /** The field the message names (exactly). */
  readonly field: string | RegExp;
  /** The start of the value as the message shows it; default: not checked. */
  readonly value?: string;
  /** Props the fix must not name (the caller's entry point has none of them). */
  readonly notProps?: string[];
}

const STORE = { name: 'onepassword' };
const cluster = (props: unknown, id = 'db') => () => synthesize((c) => new CnpgSharedCluster(c, id, H(props)));
const withCluster = (add: (db: CnpgSharedCluster) => void, props: CnpgSharedClusterProps = {}) =>
  () => synthesize((c) => add(new CnpgSharedCluster(c, 'db', { secretStore: STORE, parameters: { maxConnections: 400 }, ...props })));
const ONE_INSTANCE: CnpgSharedClusterProps = { instances: 1, replication: SynchronousReplication.asynchronous() };
const app = (props: unknown, clusterProps: CnpgSharedClusterProps = {}, name = 'billing') =>
  withCluster((db) => db.addApplication(name, H({ login: Credentials.fromSecret('billing-login'), ...(props as object) })), clusterProps);
const APP_ONLY = ['poolerName'];
const pooler = (props: unknown, clusterProps: CnpgSharedClusterProps = {}) => app({ pooler: props }, clusterProps);
const backup = (options: unknown) => withCluster((db) => db.addBackup(H({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), ...(options as object) })));
const monitoring = (options: unknown) => withCluster((db) => db.addMonitoring(H(options)));
const settings = (data: unknown) => () => ClusterSettings.fromData(H(data));
const settingsFile = (text: string) => () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
  const file = path.join(dir, 'cluster-settings.yaml');
  fs.writeFileSync(file, text);
  ClusterSettings.fromFile(file);
};

const ROWS: Row[] = [
  // --- class 1: security-relevant values ---
  ...['all', 'sameuser', 'samerole', 'samegroup', 'replication', 'pgbouncer'].flatMap((kw): Row[] => [
    { name: `roleName ${kw}`, run: app({ roleName: kw }), field: 'roleName', value: `"${kw}"` },
    { name: `databaseName ${kw}`, run: app({ databaseName: kw }), field: 'databaseName', value: `"${kw}"` },
    { name: `application named ${kw}`, run: app({}, {}, kw), field: 'roleName', value: `"${kw}"` },
  ]),
  { name: 'scraperNamespaces empty', run: app({ scraperNamespaces: [] }), field: 'scraperNamespaces', value: '[]' },
  { name: 'shared pooler scraperNamespaces empty', run: withCluster((db) => db.addSharedPooler('shared', H({ clientNamespaces: ['a'], scraperNamespaces: [] }))), field: 'scraperNamespaces', value: '[]' },
  { name: 'clientNamespaces empty', run: app({ clientNamespaces: [] }), field: 'clientNamespaces', value: '[]' },
  { name: 'TLS minProtocolVersion TLSv1', run: cluster({ tls: { minProtocolVersion: 'TLSv1' } }), field: 'tls.minProtocolVersion', value: '"TLSv1"' },
  { name: 'TLS minProtocolVersion TLSv1.1', run: cluster({ tls: { minProtocolVersion: 'TLSv1.1' } }), field: 'tls.minProtocolVersion', value: '"TLSv1.1"' },
  ...['disable', 'allow', 'prefer'].flatMap((mode): Row[] => [
    { name: `clientTlsMode ${mode}`, run: pooler({ clientTlsMode: mode }), field: 'pooler.clientTlsMode', value: `"${mode}"` },
    { name: `serverTlsMode ${mode}`, run: pooler({ serverTlsMode: mode }), field: 'pooler.serverTlsMode', value: `"${mode}"` },
  ]),
  { name: 'libpqUri sslmode disable', run: withCluster((db) => db.addApplication('billing', { login: Credentials.fromSecret('l') }).libpqUri(H('disable'))), field: 'sslMode', value: '"disable"' },
  {
    name: 'two clusters in one namespace',
    run: () => synthesize((c) => { new CnpgSharedCluster(c, 'a', { clusterName: 'pg', namespace: 'db' }); new CnpgSharedCluster(c, 'b', { clusterName: 'pg', namespace: 'db', createNamespace: false }); }),
    field: 'Cluster metadata.name',
    value: '"pg"',
  },
  {
    name: 'one application on two clusters of one namespace',
    run: () => synthesize((c) => {
      for (const n of ['a', 'b']) new CnpgSharedCluster(c, n, { clusterName: `pg-${n}`, namespace: 'db', createNamespace: n === 'a' }).addApplication('billing', { login: Credentials.fromSecret('l') });
    }),
    field: /^[A-Za-z]+ metadata\.name$/,
    value: '"billing"',
  },
  ...['rw', 'ro', 'r'].map((s): Row => ({ name: `shared pooler named <cluster>-${s}`, run: withCluster((db) => db.addSharedPooler(`db-${s}`, { clientNamespaces: ['a'] })), field: 'name', value: `"db-${s}"`, notProps: ['poolerName'] })),

  // --- class 2: enum-like props checked at run time ---
  { name: 'antiAffinity misspelt', run: cluster({ antiAffinity: 'require' }), field: 'antiAffinity', value: '"require"' },
  { name: 'zoneSpread lower-case member name', run: cluster({ zoneSpread: 'required' }), field: 'zoneSpread', value: '"required"' },
  { name: 'imagePullPolicy lower case', run: cluster({ imagePullPolicy: 'always' }), field: 'imagePullPolicy', value: '"always"' },
  { name: 'logLevel unknown', run: cluster({ logLevel: 'verbose' }), field: 'logLevel', value: '"verbose"' },
  { name: 'primaryUpdateMethod unknown', run: cluster({ primaryUpdateMethod: 'rolling' }), field: 'primaryUpdateMethod', value: '"rolling"' },
  { name: 'primaryUpdateStrategy unknown', run: cluster({ primaryUpdateStrategy: 'manual' }), field: 'primaryUpdateStrategy', value: '"manual"' },
  { name: 'secretStore kind unknown', run: cluster({ secretStore: { name: 'x', kind: 'Vault' } }), field: 'secretStore.kind', value: '"Vault"' },
  { name: 'managed Service type unknown', run: cluster({ managedServices: { additional: [{ name: 'ext', selector: 'rw', serviceType: 'External' }] } }), field: 'managedServices.additional[0].serviceType', value: '"External"' },
  { name: 'managed Service selector unknown', run: cluster({ managedServices: { additional: [{ name: 'ext', selector: 'primary' }] } }), field: 'managedServices.additional[0].selector', value: '"primary"' },
  { name: 'managed Service updateStrategy unknown', run: cluster({ managedServices: { additional: [{ name: 'ext', selector: 'rw', updateStrategy: 'recreate' }] } }), field: 'managedServices.additional[0].updateStrategy', value: '"recreate"' },
  { name: 'toleration effect unknown', run: cluster({ tolerations: [{ key: 'k', effect: 'NoRun' }] }), field: 'tolerations[0].effect', value: '"NoRun"' },
  { name: 'topologySpread whenUnsatisfiable unknown', run: cluster({ topologySpread: [{ topologyKey: 'zone', whenUnsatisfiable: 'Maybe' }] }), field: 'topologySpread[0].whenUnsatisfiable', value: '"Maybe"' },
  { name: 'poolMode statement', run: app({ poolMode: 'statement' }), field: 'poolMode', value: '"statement"' },
  { name: 'poolMode upper case', run: app({ poolMode: 'SESSION' }), field: 'poolMode', value: '"SESSION"' },
  { name: 'preparedStatements unknown', run: app({ preparedStatements: 'yes' }), field: 'preparedStatements', value: '"yes"' },
  { name: 'databaseReclaimPolicy unknown', run: app({ databaseReclaimPolicy: 'keep' }), field: 'databaseReclaimPolicy', value: '"keep"' },
  { name: 'database localeProvider unknown', run: app({ database: { localeProvider: 'glibc' } }), field: 'database.localeProvider', value: '"glibc"' },
  { name: 'pooler antiAffinity unknown', run: pooler({ antiAffinity: 'strict' }), field: 'pooler.antiAffinity', value: '"strict"' },
  { name: 'pooler zoneSpread unknown', run: pooler({ zoneSpread: 'zones' }), field: 'pooler.zoneSpread', value: '"zones"' },
  { name: 'pooler Service type unknown', run: pooler({ serviceTemplate: { type: 'ExternalName' } }), field: 'pooler.serviceTemplate.type', value: '"ExternalName"' },
  { name: 'shared pooler poolerType unknown', run: withCluster((db) => db.addSharedPooler('shared', H({ clientNamespaces: ['a'], poolerType: 'readonly' }))), field: 'poolerType', value: '"readonly"' },
  { name: 'backup method unknown', run: backup({ method: 'volumeSnapshot' }), field: 'method', value: '"volumeSnapshot"' },
  { name: 'backup target unknown', run: backup({ target: 'standby' }), field: 'target', value: '"standby"' },
  { name: 'backup dataCompression unknown', run: backup({ dataCompression: 'zip' }), field: 'dataCompression', value: '"zip"' },
  { name: 'backup walCompression unknown', run: backup({ walCompression: 'brotli' }), field: 'walCompression', value: '"brotli"' },
  { name: 'backup encryption unknown', run: backup({ encryption: 'kms' }), field: 'encryption', value: '"kms"' },
  { name: 'snapshot owner reference unknown', run: withCluster((db) => db.addVolumeSnapshotBackup(H({ className: 'csi', snapshotOwnerReference: 'pvc' }))), field: 'snapshotOwnerReference', value: '"pvc"' },
  { name: 'alert severity unknown', run: monitoring({ alerts: { cluster: { fencingOn: { severity: 'page' } } } }), field: 'alerts.cluster.fencingOn.severity', value: '"page"' },
  { name: 'relabeling action unknown', run: monitoring({ relabelings: [{ action: 'rename' }] }), field: 'relabelings[0].action', value: '"rename"' },
  { name: 'replication dataDurability unknown', run: () => SynchronousReplication.any(H({ number: 1, dataDurability: 'strict' })), field: 'dataDurability', value: '"strict"' },
  { name: 'settings mode unknown', run: () => ClusterSettings.fromData({ CNPG_INSTANCES: '3' }, H({ mode: 'flux' })), field: 'mode', value: '"flux"' },

  // --- class 3: wrong JavaScript types ---
  { name: 'instances as a string', run: cluster({ instances: '3' }), field: 'instances', value: '"3"' },
  { name: 'instances null', run: cluster({ instances: null }), field: 'instances', value: 'null' },
  { name: 'instances boolean', run: cluster({ instances: true }), field: 'instances', value: 'true' },
  { name: 'instances list', run: cluster({ instances: [3] }), field: 'instances' },
  { name: 'instances NaN', run: cluster({ instances: NaN }), field: 'instances' },
  { name: 'misspelt prop instance', run: cluster({ instance: 3 }), field: 'instance', value: '3' },
  { name: 'misspelt prop storageSize', run: cluster({ storageSize: Quantity.gibibytes(8) }), field: 'storageSize' },
  { name: 'snake_case prop from Python habits', run: cluster({ cluster_name: 'pg' }), field: 'cluster_name', value: '"pg"' },
  { name: 'storage size as a string', run: cluster({ storage: { size: '80Gi' } }), field: 'storage.size', value: '"80Gi"' },
  { name: 'storage size as a number', run: cluster({ storage: { size: 80 } }), field: 'storage.size', value: '80' },
  { name: 'storage as a string', run: cluster({ storage: '80Gi' }), field: 'storage', value: '"80Gi"' },
  { name: 'storage null', run: cluster({ storage: null }), field: 'storage', value: 'null' },
  { name: 'WAL size as a string', run: cluster({ walStorage: { size: '5Gi' } }), field: 'walStorage.size', value: '"5Gi"' },
  { name: 'postgres as a string', run: cluster({ postgres: '16.4' }), field: 'postgres', value: '"16.4"' },
  { name: 'operatorVersion as a string', run: cluster({ operatorVersion: '1.27.1' }), field: 'operatorVersion', value: '"1.27.1"' },
  { name: 'settings as a path', run: cluster({ settings: 'cluster-settings.yaml' }), field: 'settings', value: '"cluster-settings.yaml"' },
  { name: 'secretStore as a string', run: cluster({ secretStore: 'onepassword' }), field: 'secretStore', value: '"onepassword"' },
  { name: 'secretStore without a name', run: cluster({ secretStore: {} }), field: 'secretStore.name' },
  { name: 'replication as an object', run: cluster({ replication: { number: 1 } }), field: 'replication' },
  { name: 'superuserAccess true', run: cluster({ superuserAccess: true }), field: 'superuserAccess', value: 'true' },
  { name: 'failoverDelay as a number', run: cluster({ failoverDelay: 30 }), field: 'failoverDelay', value: '30' },
  { name: 'failoverDelay as a string', run: cluster({ failoverDelay: '30s' }), field: 'failoverDelay', value: '"30s"' },
  { name: 'labels as a list', run: cluster({ labels: ['team=db'] }), field: 'labels' },
  { name: 'label value a number', run: cluster({ labels: { tier: 1 } }), field: 'labels["tier"]', value: '1' },
  { name: 'nodeSelector as a string', run: cluster({ nodeSelector: 'disk=ssd' }), field: 'nodeSelector', value: '"disk=ssd"' },
  { name: 'parameters maxConnections as a string', run: cluster({ parameters: { maxConnections: '200' } }), field: 'parameters.maxConnections', value: '"200"' },
  { name: 'parameters unknown key', run: cluster({ parameters: { max_connections: 200 } }), field: 'parameters.max_connections', value: '200' },
  { name: 'parameters.additional value a number', run: cluster({ parameters: { additional: { work_mem: 4 } } }), field: 'parameters.additional["work_mem"]', value: '4' },
  { name: 'extensions as strings', run: cluster({ extensions: ['pg_stat_statements'] }), field: 'extensions[0]', value: '"pg_stat_statements"' },
  { name: 'extensions with a hole', run: cluster({ extensions: [undefined] }), field: 'extensions[0]' },
  { name: 'createNamespace "false"', run: cluster({ createNamespace: 'false' }), field: 'createNamespace', value: '"false"' },
  { name: 'enablePodDisruptionBudget "no"', run: cluster({ enablePodDisruptionBudget: 'no' }), field: 'enablePodDisruptionBudget', value: '"no"' },
  { name: 'resources memory as a string', run: cluster({ resources: { memoryRequest: '2Gi' } }), field: 'resources.memoryRequest', value: '"2Gi"' },
  { name: 'resources misspelt', run: cluster({ resources: { memory: Quantity.gibibytes(2) } }), field: 'resources.memory' },
  { name: 'tablespace storage missing', run: cluster({ tablespaces: [{ name: 'fast' }] }), field: 'tablespaces[0].storage' },
  { name: 'id empty', run: () => synthesize((c) => new CnpgSharedCluster(c, '', {})), field: 'id', value: '""' },
  { name: 'id a number', run: () => synthesize((c) => new CnpgSharedCluster(c, H(7), {})), field: 'id', value: '7' },
  { name: 'id taken', run: () => synthesize((c) => { new CnpgSharedCluster(c, 'db', {}); new CnpgSharedCluster(c, 'db', {}); }), field: 'id', value: '"db"' },
  { name: 'scope not a construct', run: () => new CnpgSharedCluster(H({}), 'db', {}), field: 'scope' },
  { name: 'props a string', run: () => synthesize((c) => new CnpgSharedCluster(c, 'db', H('instances=3'))), field: 'props', value: '"instances=3"' },
  { name: 'application name a number', run: withCluster((db) => db.addApplication(H(42))), field: 'name', value: '42' },
  { name: 'application props a list', run: withCluster((db) => db.addApplication('billing', H([]))), field: 'props' },
  { name: 'readOnlyPooler "false"', run: app({ readOnlyPooler: 'false' }, { instances: 3 }), field: 'readOnlyPooler', value: '"false"' },
  { name: 'networkPolicy "true"', run: app({ networkPolicy: 'true' }), field: 'networkPolicy', value: '"true"' },
  { name: 'connectionLimit as a string', run: app({ connectionLimit: '50' }), field: 'connectionLimit', value: '"50"' },
  { name: 'profile as a string', run: app({ profile: 'gitlab' }), field: 'profile', value: '"gitlab"' },
  { name: 'profile as an object', run: app({ profile: { name: 'x', poolMode: 'session' } }), field: 'profile' },
  { name: 'login as a string', run: app({ login: 'billing-login' }), field: 'login', value: '"billing-login"' },
  { name: 'clientNamespaces a string', run: app({ clientNamespaces: 'billing' }), field: 'clientNamespaces', value: '"billing"' },
  { name: 'clientNamespaces with null', run: app({ clientNamespaces: ['billing', null] }), field: 'clientNamespaces[1]' },
  { name: 'pooler instances as a string', run: pooler({ instances: '2' }), field: 'pooler.instances', value: '"2"' },
  { name: 'pooler maxDbConnections as a string', run: pooler({ parameters: { maxDbConnections: '20' } }), field: 'pooler.parameters.maxDbConnections', value: '"20"' },
  { name: 'pooler parameter in PgBouncer spelling', run: pooler({ parameters: { max_db_connections: 20 } }), field: 'pooler.parameters.max_db_connections', value: '20' },
  { name: 'pooler queryTimeout a number', run: pooler({ parameters: { queryTimeout: 30 } }), field: 'pooler.parameters.queryTimeout', value: '30' },
  { name: 'pooler poolerName through addApplication', run: pooler({ poolerName: 'billing-pg' }), field: 'pooler.poolerName', value: '"billing-pg"' },
  { name: 'backup bucket a number', run: backup({ bucket: 42 }), field: 'bucket', value: '42' },
  { name: 'backup schedule a cron string', run: backup({ schedule: '0 0 2 * * *' }), field: 'schedule', value: '"0 0 2 * * *"' },
  { name: 'backup retention a string', run: backup({ retention: '30d' }), field: 'retention', value: '"30d"' },
  { name: 'backup credentials a string', run: backup({ credentials: 'minio' }), field: 'credentials', value: '"minio"' },
  { name: 'backup immediate "yes"', run: backup({ immediate: 'yes' }), field: 'immediate', value: '"yes"' },
  { name: 'backup parallelism a string', run: backup({ walMaxParallel: '4' }), field: 'walMaxParallel', value: '"4"' },
  { name: 'backup validation schedule a string', run: backup({ validation: { schedule: '0 3 * * *' } }), field: 'validation.schedule', value: '"0 3 * * *"' },
  { name: 'monitoring scrapeInterval a string', run: monitoring({ scrapeInterval: '30s' }), field: 'scrapeInterval', value: '"30s"' },
  { name: 'monitoring podMonitor "false"', run: monitoring({ podMonitor: 'false' }), field: 'podMonitor', value: '"false"' },
  { name: 'Quantity.of a number', run: () => Quantity.of(H(80)), field: 'value', value: '80' },
  { name: 'Quantity.gibibytes a string', run: () => Quantity.gibibytes(H('80')), field: 'amount', value: '"80"' },
  { name: 'Quantity.gibibytes null', run: () => Quantity.gibibytes(H(null)), field: 'amount', value: 'null' },
  { name: 'BackupSchedule.dailyAt a string', run: () => BackupSchedule.dailyAt(H('02:00')), field: 'hour', value: '"02:00"' },
  { name: 'BackupRetention.days a string', run: () => BackupRetention.days(H('30')), field: 'n', value: '"30"' },
  { name: 'CnpgVersion.of a number', run: () => CnpgVersion.of(H(1.27)), field: 'version', value: '1.27' },
  { name: 'PostgresImage.version a number', run: () => PostgresImage.version(H(16)), field: 'version', value: '16' },
  { name: 'ApplicationProfile.custom without poolMode', run: () => ApplicationProfile.custom(H({ name: 'x', preparedStatements: 'none' })), field: 'poolMode' },
  { name: 'ApplicationProfile.custom poolMode string', run: () => ApplicationProfile.custom(H({ name: 'x', poolMode: 'session ', preparedStatements: 'none' })), field: 'poolMode', value: '"session "' },
  { name: 'Credentials.fromSecretStore an object', run: () => Credentials.fromSecretStore(H({ remoteKey: 'a' })), field: 'remoteKey' },
  { name: 'settings data a number value', run: settings({ CNPG_INSTANCES: 3 }), field: 'data["CNPG_INSTANCES"]', value: '3' },
  { name: 'settings data a list', run: settings(['CNPG_INSTANCES=3']), field: 'data' },
  { name: 'ExternalSecretSync entries missing', run: () => synthesize((c) => new ExternalSecretSync(c, 'es', H({ store: STORE, secretName: 's', namespace: 'n' }))), field: 'entries' },
  { name: 'ExternalSecretSync store refreshInterval a string', run: () => synthesize((c) => new ExternalSecretSync(c, 'es', H({ store: { name: 'x', refreshInterval: '1h' }, secretName: 's', namespace: 'n', entries: [] }))), field: 'store.refreshInterval', value: '"1h"' },
  { name: 'addOverride path a list', run: withCluster((db) => db.apiObject.addOverride(H(['spec', 'instances']), 3)), field: 'path' },
  { name: 'addRole validUntil a string', run: withCluster((db) => db.addRole('reporting', H({ validUntil: '2027-01-01' }))), field: 'validUntil', value: '"2027-01-01"' },
  { name: 'addRole login "true"', run: withCluster((db) => db.addRole('reporting', H({ login: 'true' }))), field: 'login', value: '"true"' },

  // --- class 4: Kubernetes rules the API server applies later ---
  { name: 'clusterDomain with an empty label', run: cluster({ clusterDomain: 'cluster..local' }), field: 'clusterDomain', value: '"cluster..local"' },
  { name: 'clusterDomain upper case', run: cluster({ clusterDomain: 'Cluster.Local' }), field: 'clusterDomain', value: '"Cluster.Local"' },
  { name: 'label key with a space', run: cluster({ labels: { 'team name': 'db' } }), field: /metadata\.labels\["team name"\]$/, value: '"team name"' },
  { name: 'label value too long', run: cluster({ labels: { team: 'a'.repeat(64) } }), field: /metadata\.labels\["team"\]$/ },
  { name: 'label value with a slash', run: cluster({ labels: { team: 'db/core' } }), field: /metadata\.labels\["team"\]$/ },
  { name: 'annotation key with two slashes', run: cluster({ annotations: { 'a/b/c': 'x' } }), field: 'annotations["a/b/c"]' },
  { name: 'data volume of 100 bytes', run: cluster({ storage: { size: Quantity.of('100') } }), field: 'storage.size', value: '"100"' },
  { name: 'WAL volume of 512 bytes', run: cluster({ walStorage: { size: Quantity.of('512') } }), field: 'walStorage.size', value: '"512"' },
  { name: 'data volume of 10Ki', run: cluster({ storage: { size: Quantity.of('10Ki') } }), field: 'storage.size', value: '"10Ki"' },
  { name: 'memory request of 512 bytes', run: cluster({ resources: { memoryRequest: Quantity.of('512') } }), field: 'resources.memoryRequest', value: '"512"' },
  { name: 'memory limit of 2k', run: cluster({ resources: { memoryLimit: Quantity.of('2k') } }), field: 'resources.memoryLimit', value: '"2k"' },
  { name: 'pooler memory of 64 bytes', run: pooler({ resources: { memoryRequest: Quantity.of('64') } }), field: 'resources.memoryRequest', value: '"64"' },

  // --- class 5: contradictions ---
  { name: 'bucket and destinationPath', run: backup({ destinationPath: 's3://other/pg' }), field: 'bucket', value: '"backups"' },
  { name: 'read-only pooler on one instance', run: app({ readOnlyPooler: true }, ONE_INSTANCE), field: 'readOnlyPooler', value: 'true' },
  { name: 'read-only shared pooler on one instance', run: withCluster((db) => db.addSharedPooler('shared', H({ clientNamespaces: ['a'], poolerType: 'ro' })), ONE_INSTANCE), field: 'poolerType', value: '"ro"' },
  { name: 'login and credentials', run: app({ credentials: { remoteKey: 'a/b' } }), field: 'login' },
  { name: 'transaction mode for a session profile', run: app({ profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION }, { parameters: { maxConnections: 1000 } }), field: 'poolMode' },

  // --- class 6: files ---
  { name: 'settings file not YAML', run: settingsFile('kind: ConfigMap\ndata:\n  CNPG_INSTANCES: "3"\n  CNPG_SYNC_NUMBER: [1\n'), field: /^line \d+$/ },
  { name: 'settings file data a list', run: settingsFile('kind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  - CNPG_INSTANCES=3\n'), field: 'data' },
  { name: 'settings file data a string', run: settingsFile('kind: ConfigMap\ndata: CNPG_INSTANCES=3\n'), field: 'data', value: '"CNPG_INSTANCES=3"' },
  { name: 'settings file missing', run: () => ClusterSettings.fromFile('/nonexistent/cluster-settings.yaml'), field: 'path', value: '"/nonexistent/cluster-settings.yaml"' },
  { name: 'settings file without a ConfigMap', run: settingsFile('kind: Secret\ndata: {}\n'), field: 'kind' },

  // --- class 7: fixes that are right ---
  { name: 'connectionLimit negative', run: app({ connectionLimit: -5 }), field: 'connectionLimit', value: '-5' },
  { name: 'application name with upper case', run: app({}, {}, 'Billing'), field: 'name', value: '"Billing"' },
  { name: 'role with pg_ prefix', run: app({ roleName: 'pg_billing' }), field: 'roleName', value: '"pg_billing"' },
  { name: 'application named pg-reader (default role pg_reader)', run: app({}, {}, 'pg-reader'), field: 'roleName', value: '"pg_reader"' },
  { name: 'backup retention zero', run: backup({ retention: BackupRetention.days(0) }), field: 'retention' },
];

// ---------------------------------------------------------------------------------------------

/** Why a fix is not right, or undefined. */
function wrongFix(row: Row, fix: string, shownValue: string): string | undefined {
  if (shownValue.length >= 3 && !['true', 'false', 'null', '[]', '{}'].includes(shownValue) && fix.includes(shownValue)) {
    return `the fix proposes the refused value ${shownValue}`;
  }
  if (/shared-postgres/.test(fix)) return 'the fix names the reference platform\'s cluster';
  if (/(at least|minimum|>=|from) -\d/.test(fix)) return 'the fix gives a negative minimum';
  for (const p of row.notProps ?? APP_ONLY) {
    if (new RegExp(`\\b${p}\\b`).test(fix) && !String(row.field).includes(p)) return `the fix names ${p}, which the caller does not have`;
  }
  return undefined;
}

type Outcome = 'refused well' | 'accepted silently' | 'raw error' | 'refused, wrong field or fix';

function outcome(row: Row): { outcome: Outcome; detail: string } {
  let e: unknown;
  try {
    row.run();
    return { outcome: 'accepted silently', detail: '' };
  } catch (err) {
    e = err;
  }
  const bad = unacceptableError(e);
  if (bad) return { outcome: 'raw error', detail: bad };
  const messages = messagesOf(e);
  const parsed = parseLibraryError(messages[0])!;
  if (typeof row.field === 'string' ? parsed.field !== row.field : !row.field.test(parsed.field)) return { outcome: 'refused, wrong field or fix', detail: `field ${parsed.field}: ${messages[0]}` };
  if (row.value !== undefined && !parsed.rest.startsWith(`${row.value} `)) return { outcome: 'refused, wrong field or fix', detail: `value: ${messages[0]}` };
  const shown = parsed.rest.split(' ')[0];
  const why = wrongFix(row, parsed.fix, row.value ?? shown);
  if (why) return { outcome: 'refused, wrong field or fix', detail: `${why}: ${messages[0]}` };
  return { outcome: 'refused well', detail: messages[0] };
}

describe('hostile input is refused at synth with field, value and a right fix', () => {
  test(`the table has at least 150 rows (${ROWS.length})`, () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
  });

  if (process.env.HOSTILE_COUNTS) {
    test('counts', () => {
      const counts: Record<string, number> = {};
      const lines: string[] = [];
      for (const row of ROWS) {
        const o = outcome(row);
        counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
        if (o.outcome !== 'refused well') lines.push(`${o.outcome}: ${row.name}: ${o.detail.split('\n')[0].slice(0, 300)}`);
      }
      // eslint-disable-next-line no-console
      console.log(`${JSON.stringify(counts)}\n${lines.join('\n')}`);
    });
    return;
  }

  test.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const o = outcome(row);
    expect(`${o.outcome}: ${o.detail}`).toMatch(/^refused well: /);
  });
});

// ---------------------------------------------------------------------------------------------
// Valid edge inputs: must be accepted.
// ---------------------------------------------------------------------------------------------

const VALID: Array<[string, () => void]> = [
  ['one instance, no read-only pooler', app({}, ONE_INSTANCE)],
  ['three instances with a read-only pooler', app({ readOnlyPooler: true }, { instances: 3 })],
  ['readOnlyPooler false on one instance', app({ readOnlyPooler: false }, ONE_INSTANCE)],
  ['role name with a digit and "_"', app({ roleName: 'billing_2' })],
  ['role name starting with "_"', app({ roleName: '_billing' })],
  ['role name of 63 characters', app({ roleName: `r${'a'.repeat(62)}` })],
  ['role named all_users (not the keyword)', app({ roleName: 'all_users' })],
  ['database named replication_log', app({ databaseName: 'replication_log' })],
  ['application named pgbouncer-stats', app({}, {}, 'pgbouncer-stats')],
  ['Flux variable as role name', app({ roleName: '${BILLING_ROLE}' })],
  ['Flux variable as storage size', cluster({ storage: { size: Quantity.of('${CNPG_DATA_SIZE}') } })],
  ['data volume of 64Mi', cluster({ storage: { size: Quantity.mebibytes(64) } })],
  ['data volume in decimal units', cluster({ storage: { size: Quantity.of('100G') } })],
  ['memory of 1.5Gi', cluster({ resources: { memoryRequest: Quantity.of('1.5Gi') } })],
  ['pooler memory of 64Mi', pooler({ resources: { memoryRequest: Quantity.mebibytes(64) } })],
  ['scraperNamespaces with one namespace', app({ scraperNamespaces: ['monitoring'] })],
  ['scraperNamespaces unset', app({})],
  ['TLS 1.2 floor', cluster({ tls: { minProtocolVersion: 'TLSv1.2' } })],
  ['pooler TLS verify-ca', pooler({ clientTlsMode: 'verify-ca', serverTlsMode: 'verify-ca' }, { operatorVersion: CnpgVersion.V1_27_1 })],
  ['enum values as their strings (what Python sends)', cluster({ antiAffinity: 'preferred', zoneSpread: 'ScheduleAnyway' })],
  ['undefined props left out', cluster({ instances: undefined, storage: undefined })],
  ['empty props', cluster({})],
  ['labels with a prefix', cluster({ labels: { 'example.com/team': 'db' } })],
  ['label value empty', cluster({ labels: { team: '' } })],
  ['annotation value long', cluster({ annotations: { note: 'x'.repeat(500) } })],
  ['clusterDomain of a custom cluster', cluster({ clusterDomain: 'k8s.example.internal' })],
  ['bucket only', backup({})],
  ['destinationPath only', withCluster((db) => db.addBackup({ destinationPath: 's3://backups/pg', credentials: BackupCredentials.fromSecret('s3') }))],
  ['failoverDelay as a Duration', cluster({ failoverDelay: Duration.seconds(30) })],
  ['two clusters in one namespace write its Namespace once', () => synthesize((c) => { new CnpgSharedCluster(c, 'a', { clusterName: 'pg-a', namespace: 'db' }); new CnpgSharedCluster(c, 'b', { clusterName: 'pg-b', namespace: 'db' }); })],
  ['two clusters in two namespaces', () => synthesize((c) => { new CnpgSharedCluster(c, 'a', { clusterName: 'pg', namespace: 'one' }); new CnpgSharedCluster(c, 'b', { clusterName: 'pg', namespace: 'two' }); })],
  ['two applications on one cluster', withCluster((db) => { db.addApplication('billing', { login: Credentials.fromSecret('a') }); db.addApplication('orders', { login: Credentials.fromSecret('b') }); })],
  ['shared pooler named <cluster>-pooler', withCluster((db) => db.addSharedPooler('db-pooler', { clientNamespaces: ['a'], allowedDatabases: ['a'], allowedRoles: ['a'] }))],
  ['settings file with comments and a second document', settingsFile('# settings\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  CNPG_INSTANCES: "3"\n---\nkind: Secret\n')],
  ['settings data empty', settings({})],
  ['Quantity.gibibytes fractional', () => Quantity.gibibytes(1.5)],
];

describe('valid edge inputs are accepted', () => {
  test(`at least 30 (${VALID.length})`, () => expect(VALID.length).toBeGreaterThanOrEqual(30));
  test.each(VALID)('%s', (_name, run) => {
    expect(run).not.toThrow();
  });
});

