import {
  ApplicationProfile, ApplicationProps, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, Credentials, LocaleProvider, PostgresExtension,
  PostgresImage, RelabelAction, SuperuserAccess,
} from '../src';
import { chart, ofKind, one, synth } from './util/synth';

function cluster(props: CnpgSharedClusterProps = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' }, operatorVersion: CnpgVersion.V1_30_0, parameters: { maxConnections: 400 }, ...props });
  return { c, db };
}

describe('credentials from anywhere', () => {
  test('an application\'s login from an existing Secret (SOPS, Sealed Secrets, plain): referenced, nothing written', () => {
    const { c, db } = cluster();
    const app = db.addApplication('harbor', { login: Credentials.fromSecret('harbor-pg') });
    const m = synth(c);
    expect(app.credentialsSecretName).toBe('harbor-pg');
    expect(app.credentials).toBeUndefined();
    expect(ofKind(m, 'ExternalSecret')).toEqual([]);
    expect(one(m, 'Cluster').spec.managed.roles[0].passwordSecret).toEqual({ name: 'harbor-pg' });
  });

  test('an application\'s login from the secret store: an ExternalSecret with the item\'s properties', () => {
    const { c, db } = cluster();
    const app = db.addApplication('harbor', { login: Credentials.fromSecretStore('vault/harbor', { usernameProperty: 'user', passwordProperty: 'pass' }) });
    const es = one(synth(c), 'ExternalSecret', 'harbor-db-credentials');
    expect(app.credentials!.secretName).toBe('harbor-db-credentials');
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'vault/harbor', property: 'user' } },
      { secretKey: 'password', remoteRef: { key: 'vault/harbor', property: 'pass' } },
    ]);
    expect(es.spec.target.template.metadata.labels['cnpg.io/reload']).toBe('true');
  });

  test('an existing Secret needs no secret store', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    db.addApplication('harbor', { login: Credentials.fromSecret('harbor-pg') });
    expect(() => synth(c)).not.toThrow();
  });

  test.each<[string, ApplicationProps, RegExp]>([
    ['operator-generated', { login: Credentials.operatorGenerated() },
      /login = "Credentials.operatorGenerated\(\)" is not possible for an application role: the operator generates no password for a managed role/],
    ['login and the deprecated credentials', { login: Credentials.fromSecret('x'), credentials: { remoteKey: 'k' } }, /login = "Credentials" is given with the deprecated credentials/],
    ['a Secret name that is not one', { login: Credentials.fromSecret('Harbor PG') }, /login.secretName = "Harbor PG" is not a Secret name/],
  ])('%s is refused', (_n, props, message) => {
    expect(() => cluster().db.addApplication('harbor', props)).toThrow(message);
  });

  test('the superuser from an existing Secret, from the store (with an accessor), or the operator\'s', () => {
    const existing = cluster({ superuserAccess: SuperuserAccess.withCredentials(Credentials.fromSecret('pg-superuser-sealed')) });
    expect(one(synth(existing.c), 'Cluster').spec).toMatchObject({ enableSuperuserAccess: true, superuserSecret: { name: 'pg-superuser-sealed' } });
    expect(existing.db.superuserCredentials).toBeUndefined();
    const store = cluster({ superuserAccess: SuperuserAccess.withCredentials(Credentials.fromSecretStore('k/su')) });
    expect(store.db.superuserCredentials!.secretName).toBe('db-superuser');
    expect(one(synth(store.c), 'ExternalSecret', 'db-superuser').spec.target.template.type).toBe('kubernetes.io/basic-auth');
    const generated = cluster({ superuserAccess: SuperuserAccess.withCredentials(Credentials.operatorGenerated()) });
    const spec = one(synth(generated.c), 'Cluster').spec;
    expect(spec.enableSuperuserAccess).toBe(true);
    expect(spec.superuserSecret).toBeUndefined();
  });

  test('a pooler\'s auth query user from an existing Secret or the store; the operator\'s integration otherwise', () => {
    const { c, db } = cluster();
    db.addApplication('a', { credentials: { remoteKey: 'k/a' }, pooler: { authQuery: 'SELECT usename, passwd FROM public.user_search($1)', authQueryCredentials: Credentials.fromSecret('db-superuser') } });
    const b = db.addApplication('b', { credentials: { remoteKey: 'k/b' }, pooler: { authQuery: 'SELECT usename, passwd FROM public.user_search($1)', authQueryCredentials: Credentials.fromSecretStore('k/pgbouncer') } });
    const m = synth(c);
    expect(one(m, 'Pooler', 'a-pooler').spec.pgbouncer.authQuerySecret).toEqual({ name: 'db-superuser' });
    expect(one(m, 'Pooler', 'b-pooler').spec.pgbouncer.authQuerySecret).toEqual({ name: 'b-pooler-auth-query' });
    expect(b.pooler.authQueryCredentials!.apiObject.kind).toBe('ExternalSecret');
    expect(() => cluster().db.addApplication('x', { credentials: { remoteKey: 'k' }, pooler: { authQueryCredentials: Credentials.fromSecret('s') } }))
      .toThrow(/authQueryCredentials = "s" needs authQuery/);
    expect(() => cluster().db.addApplication('x', { credentials: { remoteKey: 'k' }, pooler: { authQuery: 'SELECT 1', authQueryCredentials: Credentials.operatorGenerated() } }))
      .toThrow(/authQuery = "SELECT 1" is a manual integration, but authQueryCredentials is the operator's/);
  });
});

describe('managed roles: every attribute', () => {
  test('an application\'s role attributes', () => {
    const { c, db } = cluster();
    db.addRole('readers');
    db.addApplication('harbor', {
      credentials: { remoteKey: 'k' },
      role: { inRoles: ['readers', 'pg_read_all_stats'], validUntil: new Date('2027-01-01T00:00:00Z'), createdb: true, replication: true, comment: 'harbor core' },
    });
    const roles = one(synth(c), 'Cluster').spec.managed.roles;
    expect(roles.find((r: any) => r.name === 'harbor')).toEqual({
      name: 'harbor',
      ensure: 'present',
      login: true,
      connectionLimit: -1,
      comment: 'harbor core',
      superuser: false,
      createdb: true,
      createrole: false,
      replication: true,
      bypassrls: false,
      inherit: true,
      inRoles: ['readers', 'pg_read_all_stats'],
      validUntil: '2027-01-01T00:00:00.000Z',
      passwordSecret: { name: 'harbor-db-credentials' },
    });
    expect(roles.find((r: any) => r.name === 'readers').login).toBe(false);
    expect(roles.find((r: any) => r.name === 'readers').passwordSecret).toBeUndefined();
  });

  test('cluster.addRole: a reporting user with its password from an existing Secret or the store', () => {
    const { c, db } = cluster();
    db.addRole('reporting', { credentials: Credentials.fromSecret('reporting-pg'), inRoles: ['pg_read_all_data'], connectionLimit: 5 });
    const cdc = db.addRole('debezium', { credentials: Credentials.fromSecretStore('k/debezium'), replication: true });
    const m = synth(c);
    const roles = one(m, 'Cluster').spec.managed.roles;
    expect(roles[0]).toMatchObject({ name: 'reporting', login: true, connectionLimit: 5, inRoles: ['pg_read_all_data'], passwordSecret: { name: 'reporting-pg' } });
    expect(roles[1]).toMatchObject({ name: 'debezium', login: true, replication: true, passwordSecret: { name: 'debezium-role-credentials' } });
    expect(cdc.credentials!.secretName).toBe('debezium-role-credentials');
    expect(ofKind(m, 'ExternalSecret').map((e) => e.metadata.name)).toEqual(['debezium-role-credentials']);
  });

  test.each<[string, () => void, RegExp]>([
    ['a reserved role', () => cluster().db.addRole('cnpg_pooler_pgbouncer'), /roleName = "cnpg_pooler_pgbouncer" is reserved/],
    ['a pg_ role', () => cluster().db.addRole('pg_monitor'), /roleName = "pg_monitor" is reserved by PostgreSQL/],
    ['membership of the operator\'s role', () => cluster().db.addRole('x', { inRoles: ['streaming_replica'] }), /role.inRoles\[0\] = "streaming_replica" is one of the operator's own roles/],
    ['a role twice', () => {
      const { db } = cluster();
      db.addRole('x');
      db.addRole('x');
    }, /roles = "x" is added twice/],
    ['a role an application has', () => {
      const { c, db } = cluster();
      db.addRole('harbor');
      db.addApplication('harbor', { credentials: { remoteKey: 'k' } });
      synth(c);
    }, /managed.roles = "harbor" is declared twice/],
    ['an invalid date', () => cluster().db.addApplication('a', { credentials: { remoteKey: 'k' }, role: { validUntil: new Date('never') } }), /role.validUntil = "Invalid Date" is an invalid Date\. Fix: give a valid date/],
    ['operator-generated', () => cluster().db.addRole('x', { credentials: Credentials.operatorGenerated() }), /is not possible for a managed role/],
  ])('%s is refused', (_n, fn, message) => {
    expect(fn).toThrow(message);
  });

  test('an override of a role with a password and disablePassword fails at synth (validateManagedRoles)', () => {
    const { c, db } = cluster();
    db.addApplication('a', { credentials: { remoteKey: 'k' } });
    db.apiObject.addOverride('spec.managed.roles.0.disablePassword', true);
    expect(() => synth(c)).toThrow(/Cluster spec.managed.roles\[0\].disablePassword = true cannot be combined with passwordSecret/);
  });
});

describe('Database options', () => {
  test('encoding, locale, template, tablespace, owner, connection limit', () => {
    const { c, db } = cluster();
    db.addRole('app_owners');
    db.addApplication('app', {
      credentials: { remoteKey: 'k' },
      database: { encoding: 'UTF8', locale: 'en_US.UTF-8', template: 'template0', tablespace: 'fast', owner: 'app_owners', connectionLimit: 50 },
    });
    expect(one(synth(c), 'Database').spec).toEqual({
      cluster: { name: 'db' },
      name: 'app',
      owner: 'app_owners',
      databaseReclaimPolicy: 'retain',
      encoding: 'UTF8',
      locale: 'en_US.UTF-8',
      template: 'template0',
      tablespace: 'fast',
      connectionLimit: 50,
    });
  });

  test('ICU and the built-in provider', () => {
    const { c, db } = cluster();
    db.addApplication('icu', { credentials: { remoteKey: 'k' }, database: { localeProvider: LocaleProvider.ICU, icuLocale: 'de-DE', template: 'template0' } });
    db.addApplication('builtin', { credentials: { remoteKey: 'k' }, database: { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8', template: 'template0' } });
    const m = synth(c);
    expect(one(m, 'Database', 'icu').spec).toMatchObject({ localeProvider: 'icu', icuLocale: 'de-DE' });
    expect(one(m, 'Database', 'builtin').spec).toMatchObject({ localeProvider: 'builtin', builtinLocale: 'C.UTF-8' });
  });

  test.each<[string, ApplicationProps, RegExp, CnpgSharedClusterProps]>([
    ['a locale from template1', { database: { locale: 'en_US.UTF-8' } }, /database.template = \(unset\) must be template0 for an encoding or locale other than the cluster's/, {}],
    ['ICU options without ICU', { database: { icuLocale: 'de-DE', template: 'template0' } }, /database.icuLocale = "de-DE" needs localeProvider: LocaleProvider.ICU/, {}],
    ['ICU without a locale', { database: { localeProvider: LocaleProvider.ICU, template: 'template0' } }, /database.icuLocale = \(unset\) is required with the ICU provider/, {}],
    ['the built-in provider before PostgreSQL 17', { database: { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C', template: 'template0' } },
      /database.localeProvider = "builtin" needs PostgreSQL 17 or newer, but the cluster runs 16/, { postgres: PostgresImage.version('16.8') }],
    ['a connection limit of 0', { database: { connectionLimit: 0 } }, /database.connectionLimit = 0 is not -1/, {}],
    ['a schema twice', { schemas: [{ name: 's' }, { name: 's' }] }, /schemas = "s" is declared twice/, {}],
  ])('%s is refused', (_n, props, message, clusterProps) => {
    expect(() => cluster(clusterProps).db.addApplication('app', { credentials: { remoteKey: 'k' }, ...props })).toThrow(message);
  });

  test('an override duplicating an extension fails at synth (the Database webhook)', () => {
    const { c, db } = cluster();
    const app = db.addApplication('app', { credentials: { remoteKey: 'k' }, extensions: [{ name: 'pg_trgm' }] });
    app.database.addOverride('spec.extensions', [{ name: 'pg_trgm' }, { name: 'pg_trgm', version: '1.6' }]);
    expect(() => synth(c)).toThrow(/Database spec.extensions\[1\].name = "pg_trgm" is declared twice/);
  });
});

describe('an application\'s extensions need what the cluster preloads', () => {
  test.each<[string, string, RegExp]>([
    ['pg_stat_statements', 'pg_stat_statements', /extensions = "pg_stat_statements" does not work without the library pg_stat_statements.*Fix: add it to the cluster: extensions: \[PostgresExtension.pgStatStatements\(\)\]/],
    ['pgaudit', 'pgaudit', /Fix: add it to the cluster: extensions: \[PostgresExtension.pgAudit\(\)\]/],
    ['pg_cron', 'pg_cron', /Fix: add it to the cluster: extensions: \[PostgresExtension.pgCron\(\{ databaseName: 'app' \}\)\]/],
    ['timescaledb', 'timescaledb', /PostgresExtension.timescaleDb\(\)/],
  ])('%s without its library is refused', (_n, ext, message) => {
    expect(() => cluster().db.addApplication('app', { credentials: { remoteKey: 'k' }, extensions: [{ name: ext }] })).toThrow(message);
  });

  test('with the library (or a parameter the operator preloads it for) it is accepted', () => {
    const { c, db } = cluster({ extensions: [PostgresExtension.pgCron({ databaseName: 'app' })], parameters: { additional: { 'pgaudit.log': 'ddl' } } });
    db.addApplication('app', { credentials: { remoteKey: 'k' }, extensions: [{ name: 'pg_cron' }, { name: 'pgaudit' }] });
    expect(one(synth(c), 'Database').spec.extensions).toEqual([{ name: 'pg_cron' }, { name: 'pgaudit' }]);
  });

  test('pg_cron only in cron.database_name', () => {
    expect(() => cluster({ extensions: [PostgresExtension.pgCron({ databaseName: 'other' })] }).db.addApplication('app', { credentials: { remoteKey: 'k' }, extensions: [{ name: 'pg_cron' }] }))
      .toThrow(/extensions = "pg_cron" can only be created in pg_cron's database \(cron.database_name = other\), not in app/);
  });
});

describe('monitoring: relabelings on the library\'s PodMonitor', () => {
  test('target and metric relabelings are written after the library\'s', () => {
    const { c, db } = cluster();
    db.addMonitoring({
      relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }],
      metricRelabelings: [{ action: RelabelAction.DROP, sourceLabels: ['__name__'], regex: 'cnpg_pg_stat_archiver_.*' }],
    });
    const ep = one(synth(c), 'PodMonitor', 'db').spec.podMetricsEndpoints[0];
    expect(ep.relabelings).toEqual([
      { sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster', action: 'replace' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
    ]);
    expect(ep.metricRelabelings).toEqual([{ action: 'drop', sourceLabels: ['__name__'], regex: 'cnpg_pg_stat_archiver_.*' }]);
  });

  test('the cluster label the alerts select on is the library\'s', () => {
    expect(() => cluster().db.addMonitoring({ relabelings: [{ sourceLabels: ['x'], targetLabel: 'cluster' }] }))
      .toThrow(/relabelings\[0\].targetLabel = "cluster" is the label the alert presets and dashboards select on/);
    expect(() => cluster().db.addMonitoring({ metricRelabelings: [{ action: RelabelAction.LABELDROP, regex: 'clu.*' }] }))
      .toThrow(/metricRelabelings\[0\].regex = "clu.\*" drops the label cluster/);
    expect(() => cluster().db.addMonitoring({ podMonitor: false, relabelings: [{ sourceLabels: ['x'], targetLabel: 'y' }] }))
      .toThrow(/relabelings = "\[...\]" are set but the PodMonitor is off/);
  });
});

test('profiles are unchanged: an application still gets a pooler of its own by default', () => {
  const { c, db } = cluster();
  db.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, credentials: { remoteKey: 'k' } });
  expect(ofKind(synth(c), 'Pooler').map((p) => p.metadata.name)).toEqual(['keycloak-pooler']);
});
