/**
 * Gate 2: bad input. A table of invalid inputs across the public API: each must fail at synth
 * with a message that names, by structure, the construct and its path, the field, the bad value
 * and a fix (`<Construct> at '<path>': <field> = <value> <problem>. Fix: <fix>`). Then a
 * fuzz-style property: arbitrary, also ill-typed, props either synthesize to valid YAML or throw
 * an error of that shape, never a TypeError / RangeError from inside.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ApplicationProfile, ApplicationProps, BackupCredentials, BackupRetention, BackupSchedule, ClusterBackupOptions, ClusterSettings,
  CnpgMonitoringOptions, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, DataDurability, ExternalSecretSync, PoolMode,
  PostgresImage, PreparedStatementUse, Quantity, SuperuserAccess, SynchronousReplication,
} from '../../src';
import { errorOf, messagesOf, parseLibraryError, unacceptableError } from '../util/errors';
import { fuzzedApplicationProps, fuzzedBackupOptions, fuzzedClusterProps, fuzzOutcome, hostileString } from '../util/fuzz';
import { synth } from '../util/synth';

/** A fresh chart named "gate" in a fresh app. */
function gate(): Chart {
  return new Chart(Testing.app(), 'gate');
}

/** Builds `fn`'s constructs in a fresh chart and synthesizes them. */
function synthesize(fn: (c: Chart) => void): void {
  const c = gate();
  fn(c);
  synth(c);
}

interface BadInput {
  /** What the row checks. */
  readonly name: string;
  /** Builds (and synthesizes) the bad input. */
  readonly run: () => void;
  /** `CnpgSharedCluster at 'gate/db'`, or the source of a non-construct input. */
  readonly where: string;
  readonly field: string;
  /** The value as the message shows it (strings quoted). */
  readonly value: string;
}

const cluster = (props: CnpgSharedClusterProps, id = 'db') => () => synthesize((c) => new CnpgSharedCluster(c, id, props));
const AT_DB = "CnpgSharedCluster at 'gate/db'";
const settings = (data: Record<string, string>) => () => ClusterSettings.fromData(data);
const SETTINGS = 'ClusterSettings(data)';
/** A cluster with a secret store, and what `add` attaches to it. */
const withCluster = (add: (db: CnpgSharedCluster) => void, props: CnpgSharedClusterProps = {}) =>
  () => synthesize((c) => add(new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' }, ...props })));
const backup = (options: ClusterBackupOptions) => withCluster((db) => db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), ...options }));
const app = (name: string, props: ApplicationProps = {}, clusterProps: CnpgSharedClusterProps = {}) =>
  withCluster((db) => db.addApplication(name, { credentials: { remoteKey: 'kubernetes/infra/cloudnative-pg/app' }, ...props }), clusterProps);
const monitoring = (options: CnpgMonitoringOptions) => withCluster((db) => db.addMonitoring(options));
const AT_BACKUP = "ClusterBackup at 'gate/db/Backup'";
const AT_HARBOR_POOLER = "PgBouncerPooler at 'gate/db/harbor/Pooler'";

const CASES: BadInput[] = [
  // --- names ---
  { name: 'cluster name with upper case and "_"', run: cluster({ clusterName: 'Shared_PG' }), where: AT_DB, field: 'clusterName', value: '"Shared_PG"' },
  { name: 'cluster name starting with a digit', run: cluster({ clusterName: '9db' }), where: AT_DB, field: 'clusterName', value: '"9db"' },
  { name: 'cluster name of 51 characters', run: cluster({ clusterName: 'a'.repeat(51) }), where: AT_DB, field: 'clusterName', value: `"${'a'.repeat(51)}"` },
  { name: 'cluster name with unicode', run: cluster({ clusterName: 'pöstgres' }), where: AT_DB, field: 'clusterName', value: '"pöstgres"' },
  { name: 'construct id used as the name is invalid', run: cluster({}, 'Shared DB'), where: "CnpgSharedCluster at 'gate/Shared DB'", field: 'clusterName', value: '"Shared DB"' },
  { name: 'namespace of the operator', run: cluster({ namespace: 'cnpg-system' }), where: AT_DB, field: 'namespace', value: '"cnpg-system"' },
  { name: 'namespace with a dot', run: cluster({ namespace: 'data.base' }), where: AT_DB, field: 'namespace', value: '"data.base"' },
  { name: 'empty namespace', run: cluster({ namespace: '' }), where: AT_DB, field: 'namespace', value: '""' },
  { name: 'storage class with "_"', run: cluster({ storage: { storageClass: 'fast_ssd' } }), where: AT_DB, field: 'storage.storageClass', value: '"fast_ssd"' },
  { name: 'WAL storage class upper case', run: cluster({ walStorage: { size: Quantity.gibibytes(5), storageClass: 'NVMe' } }), where: AT_DB, field: 'walStorage.storageClass', value: '"NVMe"' },
  { name: 'TLS secret name invalid', run: cluster({ tls: { clientCaSecret: 'Client CA' } }), where: AT_DB, field: 'tls.clientCaSecret', value: '"Client CA"' },
  // --- sizes ---
  { name: 'instances 0', run: cluster({ instances: 0 }), where: AT_DB, field: 'instances', value: '0' },
  { name: 'instances fractional', run: cluster({ instances: 2.5 }), where: AT_DB, field: 'instances', value: '2.5' },
  { name: 'instances 101', run: cluster({ instances: 101 }), where: AT_DB, field: 'instances', value: '101' },
  { name: 'storage size in GB with a space', run: cluster({ storage: { size: Quantity.of('80 GB') } }), where: AT_DB, field: 'storage.size', value: '"80 GB"' },
  { name: 'storage size zero', run: cluster({ storage: { size: Quantity.gibibytes(0) } }), where: AT_DB, field: 'storage.size', value: '"0Gi"' },
  { name: 'storage size negative', run: cluster({ storage: { size: Quantity.of('-5Gi') } }), where: AT_DB, field: 'storage.size', value: '"-5Gi"' },
  { name: 'WAL storage without a size', run: cluster({ walStorage: { storageClass: 'fast' } }), where: AT_DB, field: 'walStorage.size', value: '(unset)' },
  { name: 'WAL size in PostgreSQL units', run: cluster({ walStorage: { size: Quantity.of('20GB') } }), where: AT_DB, field: 'walStorage.size', value: '"20GB"' },
  // --- image ---
  { name: 'PostgreSQL major only', run: cluster({ postgres: PostgresImage.version('16') }), where: AT_DB, field: 'postgres', value: '"16"' },
  { name: 'image :latest', run: cluster({ postgres: PostgresImage.fromImageName('ghcr.io/cloudnative-pg/postgresql:latest') }), where: AT_DB, field: 'postgres', value: '"ghcr.io/cloudnative-pg/postgresql:latest"' },
  { name: 'PostgreSQL 12', run: cluster({ postgres: PostgresImage.version('12.22') }), where: AT_DB, field: 'postgres', value: '"ghcr.io/cloudnative-pg/postgresql:12.22"' },
  // --- replication ---
  { name: 'synchronous on one instance', run: cluster({ instances: 1 }), where: AT_DB, field: 'replication.number', value: '1' },
  { name: 'sync number equal to instances', run: cluster({ instances: 3, replication: SynchronousReplication.first({ number: 3 }) }), where: AT_DB, field: 'replication.number', value: '3' },
  { name: 'preferred durability with standby names', run: cluster({ replication: SynchronousReplication.any({ dataDurability: DataDurability.PREFERRED, standbyNamesPost: ['dr'] }) }), where: AT_DB, field: 'replication.dataDurability', value: '"preferred"' },
  { name: 'maxStandbyNamesFromCluster below number', run: cluster({ instances: 5, replication: SynchronousReplication.any({ number: 3, maxStandbyNamesFromCluster: 2 }) }), where: AT_DB, field: 'replication.maxStandbyNamesFromCluster', value: '2' },
  { name: 'failoverQuorum on CNPG 1.27', run: cluster({ operatorVersion: CnpgVersion.V1_27, replication: SynchronousReplication.any({ failoverQuorum: true }) }), where: AT_DB, field: 'replication.failoverQuorum', value: 'true' },
  // --- parameters ---
  { name: 'fixed parameter ssl', run: cluster({ parameters: { additional: { ssl: 'off' } } }), where: AT_DB, field: 'parameters.additional["ssl"]', value: '"off"' },
  { name: 'fixed parameter archive_command', run: cluster({ parameters: { additional: { archive_command: '/bin/true' } } }), where: AT_DB, field: 'parameters.additional["archive_command"]', value: '"/bin/true"' },
  { name: 'TLS minimum through parameters', run: cluster({ parameters: { additional: { ssl_min_protocol_version: 'TLSv1' } } }), where: AT_DB, field: 'parameters.additional["ssl_min_protocol_version"]', value: '"TLSv1"' },
  { name: 'parameter name with upper case', run: cluster({ parameters: { additional: { Work_Mem: '4MB' } } }), where: AT_DB, field: 'parameters.additional["Work_Mem"]', value: '"4MB"' },
  { name: 'shared_buffers in Kubernetes units', run: cluster({ parameters: { sharedBuffers: '512Mi' } }), where: AT_DB, field: 'parameters.sharedBuffers', value: '"512Mi"' },
  { name: 'shared_buffers above the memory request', run: cluster({ parameters: { sharedBuffers: '4GB' } }), where: AT_DB, field: 'parameters.sharedBuffers', value: '"4GB"' },
  { name: 'max_connections negative', run: cluster({ parameters: { maxConnections: -1 } }), where: AT_DB, field: 'parameters.maxConnections', value: '-1' },
  { name: 'max_connections NaN', run: cluster({ parameters: { maxConnections: NaN } }), where: AT_DB, field: 'parameters.maxConnections', value: 'NaN' },
  { name: 'checkpoint_completion_target above 1', run: cluster({ parameters: { checkpointCompletionTarget: 2 } }), where: AT_DB, field: 'parameters.checkpointCompletionTarget', value: '2' },
  { name: 'wal_compression unknown', run: cluster({ parameters: { walCompression: 'gzip' } }), where: AT_DB, field: 'parameters.walCompression', value: '"gzip"' },
  { name: 'superuser reserved connections take all', run: cluster({ parameters: { maxConnections: 50, superuserReservedConnections: 50 } }), where: AT_DB, field: 'parameters.superuserReservedConnections', value: '50' },
  // --- TLS and secrets ---
  { name: 'server certificate without its CA', run: cluster({ tls: { serverTlsSecret: 'pg-server' } }), where: AT_DB, field: 'tls.serverCaSecret', value: '(unset)' },
  { name: 'superuser from the store without a store', run: cluster({ superuserAccess: SuperuserAccess.fromSecretStore('kubernetes/infra/pg/superuser') }), where: AT_DB, field: 'secretStore', value: '(unset)' },
  {
    name: 'secret path with white space',
    run: () => synthesize((c) => new ExternalSecretSync(c, 'creds', { store: { name: 'onepassword' }, secretName: 'app-creds', namespace: 'databases', entries: [{ secretKey: 'password', remoteKey: 'kubernetes/infra/my app' }] })),
    where: "ExternalSecretSync at 'gate/creds'",
    field: 'entries[0].remoteKey',
    value: '"kubernetes/infra/my app"',
  },
  {
    name: 'secret key twice',
    run: () => synthesize((c) => new ExternalSecretSync(c, 'creds', { store: { name: 'onepassword' }, secretName: 'app-creds', namespace: 'databases', entries: [{ secretKey: 'password', remoteKey: 'a' }, { secretKey: 'password', remoteKey: 'b' }] })),
    where: "ExternalSecretSync at 'gate/creds'",
    field: 'entries[1].secretKey',
    value: '"password"',
  },
  // --- settings: schedules, retention, URLs, secret paths, versions ---
  { name: 'five-field backup schedule', run: settings({ CNPG_BACKUP_SCHEDULE: '0 2 * * *' }), where: SETTINGS, field: 'CNPG_BACKUP_SCHEDULE', value: '"0 2 * * *"' },
  { name: 'retention in hours', run: settings({ CNPG_BACKUP_RETENTION: '48h' }), where: SETTINGS, field: 'CNPG_BACKUP_RETENTION', value: '"48h"' },
  { name: 'retention zero days', run: settings({ CNPG_BACKUP_RETENTION: '0d' }), where: SETTINGS, field: 'CNPG_BACKUP_RETENTION', value: '"0d"' },
  { name: 'endpoint URL without a scheme', run: settings({ CNPG_MINIO_ENDPOINT_URL: 'minio:9000' }), where: SETTINGS, field: 'CNPG_MINIO_ENDPOINT_URL', value: '"minio:9000"' },
  { name: 'endpoint URL ftp', run: settings({ CNPG_MINIO_ENDPOINT_URL: 'ftp://minio.example.com' }), where: SETTINGS, field: 'CNPG_MINIO_ENDPOINT_URL', value: '"ftp://minio.example.com"' },
  { name: 'bucket given as a URL', run: settings({ CNPG_BACKUP_BUCKET: 's3://backups' }), where: SETTINGS, field: 'CNPG_BACKUP_BUCKET', value: '"s3://backups"' },
  { name: 'empty application secret path', run: settings({ CNPG_HARBOR_SECRET_PATH: ' ' }), where: SETTINGS, field: 'CNPG_HARBOR_SECRET_PATH', value: '" "' },
  { name: 'unknown CNPG key (typo)', run: settings({ CNPG_INSTANCE: '3' }), where: SETTINGS, field: 'CNPG_INSTANCE', value: '"3"' },
  { name: 'instances not a number', run: settings({ CNPG_INSTANCES: 'three' }), where: SETTINGS, field: 'CNPG_INSTANCES', value: '"three"' },
  { name: 'pooler replicas zero', run: settings({ CNPG_POOLER_REPLICAS: '0' }), where: SETTINGS, field: 'CNPG_POOLER_REPLICAS', value: '"0"' },
  { name: 'sync method unknown', run: settings({ CNPG_SYNC_METHOD: 'all' }), where: SETTINGS, field: 'CNPG_SYNC_METHOD', value: '"all"' },
  { name: 'unsupported operator release', run: () => CnpgVersion.of('1.22'), where: 'CnpgVersion.of', field: 'version', value: '"1.22"' },
  // --- backups: schedules, retention, URLs, secret paths ---
  { name: 'five-field (crontab) backup schedule', run: backup({ schedule: BackupSchedule.expression('0 2 * * *') }), where: AT_BACKUP, field: 'schedule', value: '"0 2 * * *"' },
  { name: 'backup every second', run: backup({ schedule: BackupSchedule.expression('* * * * * *') }), where: AT_BACKUP, field: 'schedule', value: '"* * * * * *"' },
  { name: 'backup at 24:00', run: backup({ schedule: BackupSchedule.dailyAt(24) }), where: AT_BACKUP, field: 'schedule', value: '"dailyAt(24, 0)"' },
  { name: 'retention of zero days', run: backup({ retention: BackupRetention.days(0) }), where: AT_BACKUP, field: 'retention', value: '"0d"' },
  { name: 'retention with an unknown unit', run: backup({ retention: BackupRetention.of('30x') }), where: AT_BACKUP, field: 'retention', value: '"30x"' },
  { name: 'bucket given as a URL (construct)', run: backup({ bucket: 's3://backups' }), where: AT_BACKUP, field: 'bucket', value: '"s3://backups"' },
  { name: 'endpoint URL without http(s)', run: backup({ endpointUrl: 'minio:9000' }), where: AT_BACKUP, field: 'endpointUrl', value: '"minio:9000"' },
  { name: 'backup parallelism 0', run: backup({ parallelism: 0 }), where: AT_BACKUP, field: 'parallelism', value: '0' },
  {
    name: 'backup credentials path with white space',
    run: backup({ credentials: BackupCredentials.fromSecretStore('kubernetes/infra/my minio') }),
    where: "ExternalSecretSync at 'gate/db/Backup/Credentials'",
    field: 'entries[0].remoteKey',
    value: '"kubernetes/infra/my minio"',
  },
  { name: 'backup added twice', run: withCluster((db) => { db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') }); db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') }); }), where: AT_DB, field: 'backup', value: '"addBackup()"' },
  // --- applications: duplicates, names, secret paths, pool modes, profiles ---
  { name: 'duplicate application', run: withCluster((db) => { db.addApplication('harbor', { credentials: { remoteKey: 'a' } }); db.addApplication('harbor', { credentials: { remoteKey: 'b' } }); }), where: AT_DB, field: 'applications', value: '"harbor"' },
  { name: 'application name with upper case', run: app('Harbor_App'), where: "CnpgApplication at 'gate/db/Harbor_App'", field: 'name', value: '"Harbor_App"' },
  { name: 'application secret path with white space', run: app('harbor', { credentials: { remoteKey: 'kubernetes/infra/my app' } }), where: "ExternalSecretSync at 'gate/db/harbor/Credentials'", field: 'entries[0].remoteKey', value: '"kubernetes/infra/my app"' },
  { name: 'application without a secret path', run: withCluster((db) => db.addApplication('harbor')), where: "CnpgApplication at 'gate/db/harbor'", field: 'credentials.remoteKey', value: '(unset)' },
  { name: 'Keycloak in transaction mode', run: app('keycloak', { profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION }), where: "CnpgApplication at 'gate/db/keycloak'", field: 'poolMode', value: '"transaction"' },
  { name: 'custom profile name', run: () => ApplicationProfile.custom({ name: 'Billing', poolMode: PoolMode.SESSION, preparedStatements: PreparedStatementUse.NONE }), where: 'ApplicationProfile.custom("Billing")', field: 'name', value: '"Billing"' },
  { name: 'custom profile: SQL PREPARE in transaction mode', run: () => ApplicationProfile.custom({ name: 'billing', poolMode: PoolMode.TRANSACTION, preparedStatements: PreparedStatementUse.SQL_LEVEL }), where: 'ApplicationProfile.custom("billing")', field: 'poolMode', value: '"transaction"' },
  { name: 'application connection limit -2', run: app('harbor', { connectionLimit: -2 }), where: "CnpgApplication at 'gate/db/harbor'", field: 'connectionLimit', value: '-2' },
  // --- poolers and the connection budget ---
  { name: 'pooler with 2 replicas', run: app('harbor', { pooler: { instances: 2 } }), where: AT_HARBOR_POOLER, field: 'instances', value: '2' },
  { name: 'pooler maxDbConnections negative', run: app('harbor', { pooler: { parameters: { maxDbConnections: -5 } } }), where: AT_HARBOR_POOLER, field: 'parameters.maxDbConnections', value: '-5' },
  { name: 'pool_mode through the passthrough', run: app('harbor', { pooler: { additionalParameters: { pool_mode: 'statement' } } }), where: AT_HARBOR_POOLER, field: 'additionalParameters.pool_mode', value: '"statement"' },
  { name: 'client namespace invalid', run: app('harbor', { clientNamespaces: ['Harbor NS'] }), where: AT_HARBOR_POOLER, field: 'networkPolicy namespace', value: '"Harbor NS"' },
  { name: 'API server CIDR /33', run: app('harbor', { apiServerCidrs: ['10.0.0.0/33'] }), where: AT_HARBOR_POOLER, field: 'networkPolicy.apiServerCidrs[0]', value: '"10.0.0.0/33"' },
  {
    name: 'connection budget exceeded',
    run: app('gitlab', { profile: ApplicationProfile.GITLAB }, { parameters: { maxConnections: 50 } }),
    where: AT_DB,
    field: 'connection budget',
    value: 'the poolers can open 108 server connections on the primary,',
  },
  { name: 'reservedConnections above the budget', run: cluster({ reservedConnections: 200 }), where: AT_DB, field: 'reservedConnections', value: '200' },
  // Found by the generator: the default reservedConnections (10) with a small max_connections.
  { name: 'max_connections 12 leaves no room for the default reservedConnections', run: cluster({ parameters: { maxConnections: 12 } }), where: AT_DB, field: 'reservedConnections', value: '10' },
  // --- monitoring ---
  { name: 'scrape interval without the PodMonitor', run: monitoring({ podMonitor: false, scrapeInterval: Duration.seconds(30) }), where: "CnpgMonitoring at 'gate/db/Monitoring'", field: 'scrapeInterval', value: '"30 seconds"' },
  { name: 'runbook URL not http(s)', run: monitoring({ alerts: { runbookBaseUrl: 'wiki/runbooks' } }), where: "CnpgMonitoring at 'gate/db/Monitoring'", field: 'alerts.runbookBaseUrl', value: '"wiki/runbooks"' },
  { name: 'monitoring added twice', run: withCluster((db) => { db.addMonitoring(); db.addMonitoring(); }), where: AT_DB, field: 'monitoring', value: '"addMonitoring()"' },
];

describe('bad input fails at synth with path, field, value and fix', () => {
  test(`the table has at least 40 rows (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const e = errorOf(c.run);
    expect(unacceptableError(e)).toBeUndefined();
    const messages = messagesOf(e);
    expect(messages).toHaveLength(1);
    const parsed = parseLibraryError(messages[0]);
    expect(parsed).toBeDefined();
    // The four parts, by structure.
    expect(parsed!.where).toBe(c.where);
    expect(parsed!.field).toBe(c.field);
    expect(parsed!.rest.startsWith(`${c.value} `)).toBe(true);
    const problem = parsed!.rest.slice(c.value.length + 1);
    expect(problem.trim().length).toBeGreaterThan(5);
    expect(parsed!.fix.trim().length).toBeGreaterThan(5);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz: arbitrary props, also ill-typed.
// ---------------------------------------------------------------------------------------------

describe('fuzz: arbitrary props synthesize to valid YAML or fail with a library error', () => {
  const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261125 : Math.floor(Math.random() * 2 ** 31);
  const RUNS = Number(process.env.FC_FUZZ_RUNS ?? 500);

  test(`CnpgSharedCluster: ${RUNS} fuzzed props`, () => {
    // eslint-disable-next-line no-console
    console.log(`fast-check seed ${SEED} (replay: FC_SEED=${SEED})`);
    fc.assert(fc.property(fuzzedClusterProps, (props) => {
      const problem = fuzzOutcome((c) => new CnpgSharedCluster(c, 'db', props as CnpgSharedClusterProps));
      if (problem) throw new Error(problem);
    }), { seed: SEED, numRuns: RUNS });
  });

  test(`addApplication: ${RUNS} fuzzed application and pooler props`, () => {
    fc.assert(fc.property(fuzzedApplicationProps, (props) => {
      const problem = fuzzOutcome((c) => new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' } })
        .addApplication('app', { credentials: { remoteKey: 'kubernetes/infra/app' }, ...props } as ApplicationProps));
      if (problem) throw new Error(problem);
    }), { seed: SEED, numRuns: RUNS });
  });

  test(`addBackup: ${RUNS} fuzzed backup options`, () => {
    fc.assert(fc.property(fuzzedBackupOptions, (options) => {
      const problem = fuzzOutcome((c) => new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' } })
        .addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), ...options } as ClusterBackupOptions));
      if (problem) throw new Error(problem);
    }), { seed: SEED, numRuns: RUNS });
  });

  test(`ClusterSettings: ${RUNS} fuzzed ConfigMaps`, () => {
    const keys = fc.constantFrom('CNPG_INSTANCES', 'CNPG_SHARED_CLUSTER_NAME', 'CNPG_DATA_SIZE', 'CNPG_BACKUP_SCHEDULE', 'CNPG_BACKUP_RETENTION',
      'CNPG_MINIO_ENDPOINT_URL', 'CNPG_SYNC_NUMBER', 'CNPG_SYNC_METHOD', 'CNPG_OPERATOR_VERSION', 'CNPG_X_SECRET_PATH', 'EXTERNAL_SECRET_STORE', 'CNPG_POSTGRES_VERSION');
    fc.assert(fc.property(fc.dictionary(keys, hostileString, { maxKeys: 4, noNullPrototype: true }), (data) => {
      const problem = fuzzOutcome((c) => new CnpgSharedCluster(c, 'db', { instances: 3, settings: ClusterSettings.fromData(data as Record<string, string>) }));
      if (problem) throw new Error(problem);
    }), { seed: SEED, numRuns: RUNS });
  });
});
