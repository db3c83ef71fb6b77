import { JsonPatch } from 'cdk8s';
import {
  ApplicationProfile, BackupCredentials, BackupSource, CheckedApiObject, ClusterBootstrap, CnpgSharedCluster, CnpgVersion, Credentials,
  RecoveryTarget, SuperuserAccess,
} from '../src';
import { chart, one, synth } from './util/synth';

/**
 * Every object the library writes is reachable through a documented accessor, and an override
 * written with the CRD's own field names (as in YAML) reaches the output, while an unknown or
 * misspelt field fails at synth with the path and the nearest known field.
 */
function platform(version: CnpgVersion = CnpgVersion.V1_30_0) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'shared-postgres', {
    operatorVersion: version,
    secretStore: { name: 'store' },
    superuserAccess: SuperuserAccess.fromSecretStore('k/superuser'),
    parameters: { maxConnections: 300 },
  });
  const app = db.addApplication('harbor', { profile: ApplicationProfile.HARBOR, credentials: { remoteKey: 'k/harbor' } });
  const shared = db.addSharedPooler('shared-pooler', {
    authQuery: 'SELECT usename, passwd FROM public.user_search($1)', authQueryCredentials: Credentials.fromSecretStore('k/pgbouncer'),
  });
  const gitlab = db.addApplication('gitlab', { profile: ApplicationProfile.GITLAB, login: Credentials.fromSecret('gitlab-pg'), sharedPooler: shared });
  const role = db.addRole('reporting', { credentials: Credentials.fromSecretStore('k/reporting'), inRoles: ['pg_read_all_data'] });
  const backup = db.addBackup({ bucket: 'backups', endpointUrl: 'https://s3.example.com', credentials: BackupCredentials.fromSecretStore('k/s3') });
  const monitoring = db.addMonitoring();
  const snapshots = db.addVolumeSnapshotBackup({ className: 'csi-snapclass' });
  // A cluster restored from an archive written elsewhere: the ObjectStore it reads through.
  const restored = new CnpgSharedCluster(c, 'restored', {
    operatorVersion: version,
    namespace: 'restore',
    bootstrap: ClusterBootstrap.recovery(BackupSource.objectStore({ clusterName: 'shared-postgres', bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') }),
      { target: RecoveryTarget.time('2026-03-01T10:00:00Z') }),
  });
  return { c, db, app, gitlab, shared, role, backup, monitoring, snapshots, restored };
}

type Objects = ReturnType<typeof platform>;

/** kind, name, accessor, a real field (CRD name) with a value, a misspelt field, the suggestion. */
const CASES: Array<[string, string, (o: Objects) => CheckedApiObject, string, unknown, string, string]> = [
  ['Cluster', 'shared-postgres', (o) => o.db.apiObject, 'spec.postgresql.shared_preload_libraries', ['pg_stat_statements'], 'spec.postgresql.sharedPreloadLibraries', 'spec.postgresql.shared_preload_libraries'],
  ['Namespace', 'databases', (o) => o.db.namespaceObject!, 'metadata.annotations.owner', 'platform', 'spec.finalizer', 'spec.finalizers'],
  ['Pooler', 'harbor-pooler', (o) => o.app.pooler.apiObject, 'spec.pgbouncer.parameters.log_connections', '1', 'spec.pgbouncer.pg_hab', 'spec.pgbouncer.pg_hba'],
  ['PodDisruptionBudget', 'harbor-pooler', (o) => o.app.pooler.podDisruptionBudget, 'spec.unhealthyPodEvictionPolicy', 'AlwaysAllow', 'spec.maxUnavailabe', 'spec.maxUnavailable'],
  ['PodMonitor', 'harbor-pooler', (o) => o.app.pooler.podMonitor!, 'spec.podMetricsEndpoints.0.scrapeTimeout', '10s', 'spec.jobLable', 'spec.jobLabel'],
  ['NetworkPolicy', 'harbor-pooler', (o) => o.app.pooler.networkPolicy!, 'spec.podSelector.matchLabels.extra', 'x', 'spec.policyType', 'spec.policyTypes'],
  ['Database', 'harbor', (o) => o.app.database, 'spec.connectionLimit', 50, 'spec.conectionLimit', 'spec.connectionLimit'],
  ['ExternalSecret', 'harbor-db-credentials', (o) => o.app.credentials!.apiObject, 'spec.refreshInterval', '15m', 'spec.refreshIntervall', 'spec.refreshInterval'],
  ['ExternalSecret', 'shared-postgres-superuser', (o) => o.db.superuserCredentials!.apiObject, 'spec.refreshInterval', '15m', 'spec.refreshIntervall', 'spec.refreshInterval'],
  ['ExternalSecret', 'reporting-role-credentials', (o) => o.role.credentials!.apiObject, 'spec.target.deletionPolicy', 'Retain', 'spec.target.deletionPolicey', 'spec.target.deletionPolicy'],
  ['Pooler', 'shared-pooler', (o) => o.shared.apiObject, 'spec.pgbouncer.parameters.log_connections', '0', 'spec.pgbouncer.poolmode', 'spec.pgbouncer.poolMode'],
  ['ExternalSecret', 'shared-pooler-auth-query', (o) => o.shared.authQueryCredentials!.apiObject, 'spec.refreshInterval', '5m', 'spec.refreshIntervall', 'spec.refreshInterval'],
  ['PodDisruptionBudget', 'shared-pooler', (o) => o.shared.podDisruptionBudget, 'spec.unhealthyPodEvictionPolicy', 'IfHealthyBudget', 'spec.minAvailabel', 'spec.minAvailable'],
  ['PodMonitor', 'shared-pooler', (o) => o.shared.podMonitor!, 'spec.podMetricsEndpoints.0.scrapeTimeout', '5s', 'spec.podTargetLabel', 'spec.podTargetLabels'],
  ['NetworkPolicy', 'shared-pooler', (o) => o.shared.networkPolicy!, 'spec.podSelector.matchLabels.extra', 'y', 'spec.ingres', 'spec.ingress'],
  ['Database', 'gitlab', (o) => o.gitlab.database, 'spec.tablespace', 'pg_default', 'spec.tablespaces', 'spec.tablespace'],
  ['ObjectStore', 'shared-postgres-object-store', (o) => o.backup.objectStore!, 'spec.configuration.s3Credentials.region', { name: 's3', key: 'region' }, 'spec.configuration.endpointUrl', 'spec.configuration.endpointURL'],
  ['ScheduledBackup', 'shared-postgres-backup', (o) => o.backup.scheduledBackup, 'spec.online', false, 'spec.suspended', 'spec.suspend'],
  ['ScheduledBackup', 'shared-postgres-snapshot-backup', (o) => o.snapshots.scheduledBackup, 'spec.online', false, 'spec.methd', 'spec.method'],
  ['Cluster', 'restored', (o) => o.restored.apiObject, 'spec.bootstrap.recovery.recoveryTarget.exclusive', true, 'spec.bootstrap.recovery.recoveryTargett', 'spec.bootstrap.recovery.recoveryTarget'],
  ['Namespace', 'restore', (o) => o.restored.namespaceObject!, 'metadata.labels.team', 'db', 'spec.finalizer', 'spec.finalizers'],
  ['ObjectStore', 'shared-postgres-source', (o) => o.restored.sourceObjects[0], 'spec.configuration.wal.maxParallel', 8, 'spec.configuration.destinationpath', 'spec.configuration.destinationPath'],
  ['CronJob', 'shared-postgres-backup-validation', (o) => o.backup.validationJob!.cronJob, 'spec.jobTemplate.spec.template.spec.priorityClassName', 'low', 'spec.concurrencypolicy', 'spec.concurrencyPolicy'],
  ['ConfigMap', 'shared-postgres-backup-validation', (o) => o.backup.validationJob!.configMap, 'data.extra', 'x', 'binarydata', 'binaryData'],
  ['NetworkPolicy', 'shared-postgres-backup-validation', (o) => o.backup.validationJob!.networkPolicy!, 'spec.ingress.0', { from: [] }, 'spec.egres', 'spec.egress'],
  ['PodMonitor', 'shared-postgres', (o) => o.monitoring.podMonitor!, 'spec.sampleLimit', 1000, 'spec.sampleLimmit', 'spec.sampleLimit'],
  ['PrometheusRule', 'shared-postgres-alerts', (o) => o.monitoring.prometheusRule!, 'metadata.labels.team', 'db', 'spec.group', 'spec.groups'],
  ['ConfigMap', 'shared-postgres-dashboard', (o) => o.monitoring.clusterDashboard!, 'metadata.annotations.note', 'x', 'imutable', 'immutable'],
  ['ConfigMap', 'shared-postgres-poolers-dashboard', (o) => o.monitoring.poolerDashboard!, 'metadata.labels.extra', 'x', 'dataa', 'data'],
];

describe('every object the library writes: overrides in the CRD\'s field names land, unknown fields fail at synth', () => {
  test('the accessors cover every object the reference-like chart writes', () => {
    const o = platform();
    const written = synth(o.c).map((m) => `${m.kind}/${m.metadata.name}`).sort();
    const reachable = CASES.map(([kind, name]) => `${kind}/${name}`);
    expect(written.filter((w) => !reachable.includes(w))).toEqual(['ExternalSecret/shared-postgres-backup-s3']);
    expect(o.backup.credentials!.apiObject.kind).toBe('ExternalSecret');
  });

  test.each(CASES)('%s %s: addOverride of a CRD field reaches the output', (kind, name, get, field, value) => {
    const o = platform();
    get(o).addOverride(field, value);
    const obj = one(synth(o.c), kind, name);
    const got = field.split('.').reduce((n: any, k) => (n === undefined ? undefined : n[/^\d+$/.test(k) ? Number(k) : k]), obj);
    expect(got).toEqual(value);
  });

  test.each(CASES)('%s %s: a misspelt field fails at synth with the path and the nearest field', (kind, name, get, _f, _v, wrong, suggestion) => {
    const o = platform();
    get(o).addOverride(wrong, 'x');
    const path = wrong.split('.');
    const parent = path.slice(0, -1).join('.');
    expect(() => synth(o.c)).toThrow(new RegExp(`${kind} ${wrong.replace(/\./g, '\\.')} = "x" is not a field of ${kind} ${parent ? parent.replace(/\./g, '\\.') : '\\(top level\\)'} .*did you mean ${suggestion.replace(/\./g, '\\.')}\\?`));
    void name;
  });

  test('JSON patches with the CRD\'s names land too (the escape hatch of cdk8s, never dropped)', () => {
    const o = platform();
    o.db.apiObject.addJsonPatch(JsonPatch.add('/spec/postgresql/shared_preload_libraries', ['pg_cron']));
    o.backup.objectStore!.addJsonPatch(JsonPatch.add('/spec/configuration/endpointCA', { name: 'ca', key: 'ca.crt' }));
    const m = synth(o.c);
    expect(one(m, 'Cluster', 'shared-postgres').spec.postgresql.shared_preload_libraries).toEqual(['pg_cron']);
    // The endpoint a recovery reads is the one written: nothing silently falls back to AWS.
    expect(one(m, 'ObjectStore', 'shared-postgres-object-store').spec.configuration).toMatchObject({ endpointURL: 'https://s3.example.com', endpointCA: { name: 'ca', key: 'ca.crt' } });
  });

  test('a wrong type, a value outside an enum and a deletion are checked or applied at synth', () => {
    const wrongType = platform();
    wrongType.db.apiObject.addOverride('spec.instances', '3');
    expect(() => synth(wrongType.c)).toThrow(/Cluster spec.instances = "3" is a string, but Cluster spec.instances is an integer. Fix: write the number 3 without quotes/);
    const wrongEnum = platform();
    wrongEnum.app.pooler.apiObject.addOverride('spec.pgbouncer.poolMode', 'statement');
    expect(() => synth(wrongEnum.c)).toThrow(/Pooler spec.pgbouncer.poolMode = "statement" is not one of \["session","transaction"\]/);
    const deleted = platform();
    deleted.db.apiObject.addDeletionOverride('spec.enablePDB');
    expect(one(synth(deleted.c), 'Cluster', 'shared-postgres').spec.enablePDB).toBeUndefined();
  });

  test('an override is checked against the targeted release, as the typed fields are', () => {
    const old = platform(CnpgVersion.V1_27_1);
    old.db.apiObject.addOverride('spec.primaryLease', { leaseDurationSeconds: 15 });
    expect(() => synth(old.c)).toThrow(/Cluster spec.primaryLease = \{"leaseDurationSeconds":15\} is not a field of the Cluster CRD of CloudNativePG 1.27.1: only 1.30.0 and newer have it/);
    const pooler = platform(CnpgVersion.V1_27_0);
    pooler.app.pooler.apiObject.addOverride('spec.pgbouncer.parameters.server_tls_sslmode', 'verify-full');
    expect(() => synth(pooler.c)).toThrow(/Pooler spec.pgbouncer.parameters.server_tls_sslmode = "verify-full" is allowed only since CloudNativePG 1.27.1/);
    const fixed = platform();
    fixed.app.pooler.apiObject.addOverride('spec.pgbouncer.parameters.listen_port', '6432');
    expect(() => synth(fixed.c)).toThrow(/Pooler spec.pgbouncer.parameters.listen_port = "6432" is forced by the operator/);
  });

  test('overrides of the Cluster go through the operator\'s rules the library knows, as the typed props do', () => {
    const fixed = platform();
    fixed.db.apiObject.addOverride('spec.postgresql.parameters.ssl', 'off');
    expect(() => synth(fixed.c)).toThrow(/Cluster spec.postgresql.parameters.ssl = "off" cannot be set: ssl is always on: the operator serves TLS itself and CloudNativePG's webhook rejects it \("Can't set fixed configuration parameter"\)/);
    const preload = platform();
    preload.db.apiObject.addOverride('spec.postgresql.parameters.shared_preload_libraries', 'pg_cron');
    expect(() => synth(preload.c)).toThrow(/parameters.shared_preload_libraries = "pg_cron" cannot be set.*Fix: list the libraries in the extensions or sharedPreloadLibraries props \(spec.postgresql.shared_preload_libraries\)/);
    const sync = platform();
    sync.db.apiObject.addOverride('spec.postgresql.synchronous.number', 3);
    expect(() => synth(sync.c)).toThrow(/Cluster spec.postgresql.synchronous.number = 3 must be less than the instances \(3\)/);
    const memory = platform();
    memory.db.apiObject.addOverride('spec.postgresql.parameters.shared_buffers', '4GB');
    expect(() => synth(memory.c)).toThrow(/Cluster spec.resources.requests.memory = "1024Mi" is lower than shared_buffers \(4GB\)/);
    const legacy = platform();
    legacy.db.apiObject.addOverride('spec.maxSyncReplicas', 1);
    expect(() => synth(legacy.c)).toThrow(/Cluster spec.maxSyncReplicas = 1 is the legacy synchronous replication setting/);
    const allowed = platform();
    allowed.db.apiObject.addOverride('spec.postgresql.parameters.log_min_duration_statement', '1s');
    expect(one(synth(allowed.c), 'Cluster', 'shared-postgres').spec.postgresql.parameters.log_min_duration_statement).toBe('1s');
  });

  test('override paths: a dot inside a key is written \\.; an empty part is refused', () => {
    const o = platform();
    o.db.apiObject.addOverride('metadata.annotations.cnpg\\.io/hibernation', 'off');
    expect(one(synth(o.c), 'Cluster', 'shared-postgres').metadata.annotations).toEqual({ 'cnpg.io/hibernation': 'off' });
    expect(() => o.db.apiObject.addOverride('spec..instances', 1)).toThrow(/override path = "spec..instances" has an empty part/);
  });
});
