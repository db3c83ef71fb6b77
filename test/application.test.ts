import {
  ApplicationProfile, ApplicationProps, ClusterSettings, CnpgSharedCluster, CnpgVersion, DatabaseReclaimPolicy, PoolMode,
  PostgresExtension, PreparedStatementUse, SecretStoreKind, SettingsMode, SslMode,
} from '../src';
import { chart, one, ofKind, synth } from './util/synth';

const STORE = { name: 'onepassword' };

function cluster(props: Record<string, unknown> = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'shared-postgres', { secretStore: STORE, operatorVersion: CnpgVersion.V1_30, ...props });
  return { c, db };
}

describe('addApplication: one call gives role, credentials, database, pooler and guardrails', () => {
  const { c, db } = cluster();
  const app = db.addApplication('harbor', { profile: ApplicationProfile.HARBOR, credentials: { remoteKey: 'kubernetes/infra/cloudnative-pg/harbor' } });
  const m = synth(c);

  test('the objects, consistently named', () => {
    expect(m.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Cluster/shared-postgres', 'Database/harbor', 'ExternalSecret/harbor-db-credentials', 'Namespace/databases',
      'NetworkPolicy/harbor-pooler', 'PodDisruptionBudget/harbor-pooler', 'PodMonitor/harbor-pooler', 'Pooler/harbor-pooler',
    ]);
  });

  test('a managed login role without privileges, its password Secret referenced by name only', () => {
    expect(one(m, 'Cluster').spec.managed.roles).toEqual([{
      name: 'harbor',
      ensure: 'present',
      comment: 'application harbor (cnpg-constructs)',
      login: true,
      superuser: false,
      createdb: false,
      createrole: false,
      replication: false,
      bypassrls: false,
      inherit: true,
      connectionLimit: -1,
      passwordSecret: { name: 'harbor-db-credentials' },
    }]);
  });

  test('the ExternalSecret fills a basic-auth Secret with username and password, labelled cnpg.io/reload', () => {
    const es = one(m, 'ExternalSecret', 'harbor-db-credentials');
    expect(es.metadata.namespace).toBe('databases');
    expect(es.spec.secretStoreRef).toEqual({ name: 'onepassword', kind: 'ClusterSecretStore' });
    expect(es.spec.target).toMatchObject({ name: 'harbor-db-credentials', creationPolicy: 'Owner', template: { type: 'kubernetes.io/basic-auth' } });
    expect(es.spec.target.template.metadata.labels['cnpg.io/reload']).toBe('true');
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/harbor', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/harbor', property: 'password' } },
    ]);
  });

  test('the Database: owner, extensions as objects, reclaim policy retain', () => {
    expect(one(m, 'Database', 'harbor').spec).toEqual({
      cluster: { name: 'shared-postgres' }, name: 'harbor', owner: 'harbor', databaseReclaimPolicy: 'retain', extensions: [{ name: 'uuid-ossp' }],
    });
  });

  test('the pooler: the profile\'s mode and pool sizes, max_prepared_statements, TLS, pg_hba for its database and role only', () => {
    const pgb = one(m, 'Pooler', 'harbor-pooler').spec.pgbouncer;
    expect(pgb.poolMode).toBe('transaction');
    expect(pgb.parameters).toEqual({
      client_tls_sslmode: 'require',
      server_tls_sslmode: 'verify-full',
      max_prepared_statements: '200',
      max_client_conn: '200',
      default_pool_size: '15',
      min_pool_size: '5',
      reserve_pool_size: '5',
    });
    expect(pgb.pg_hba).toContain('hostssl harbor harbor 0.0.0.0/0 scram-sha-256');
  });

  test('the NetworkPolicy lets only the application\'s namespace reach the pooler', () => {
    expect(one(m, 'NetworkPolicy').spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'harbor' } }, podSelector: {} }]);
  });

  test('typed outputs', () => {
    expect(app.roleName).toBe('harbor');
    expect(app.databaseName).toBe('harbor');
    expect(app.credentialsSecretName).toBe('harbor-db-credentials');
    expect(app.poolMode).toBe(PoolMode.TRANSACTION);
    expect(app.endpoint.fqdn).toBe('harbor-pooler.databases.svc.cluster.local');
    expect(app.libpqUri()).toBe('postgresql://harbor-pooler.databases.svc.cluster.local:5432/harbor?sslmode=verify-full');
    expect(app.jdbcUrl(SslMode.VERIFY_CA)).toBe('jdbc:postgresql://harbor-pooler.databases.svc.cluster.local:5432/harbor?sslmode=verify-ca');
    expect(app.readOnlyEndpoint).toBeUndefined();
    expect(db.poolers.map((p) => p.application)).toEqual(['harbor']);
  });
});

describe('addApplication options', () => {
  test('profiles: Keycloak session, GitLab\'s extensions, custom profile; every preset is consistent', () => {
    const { c, db } = cluster({ parameters: { maxConnections: 200 } });
    db.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, credentials: { remoteKey: 'k' } });
    db.addApplication('gitlab', { profile: ApplicationProfile.GITLAB, credentials: { remoteKey: 'g' }, pooler: { parameters: { maxDbConnections: 5 } } });
    const billing = ApplicationProfile.custom({ name: 'billing', poolMode: PoolMode.TRANSACTION, preparedStatements: PreparedStatementUse.NONE, extensions: [{ name: 'pgcrypto' }] });
    db.addApplication('billing', { profile: billing, credentials: { remoteKey: 'b' }, pooler: { parameters: { maxPreparedStatements: 0, maxDbConnections: 5 } } });
    const m = synth(c);
    expect(one(m, 'Pooler', 'keycloak-pooler').spec.pgbouncer.poolMode).toBe('session');
    expect(one(m, 'Pooler', 'keycloak-pooler').spec.pgbouncer.parameters.max_prepared_statements).toBeUndefined();
    expect(one(m, 'Database', 'gitlab').spec.extensions).toEqual([{ name: 'pg_trgm' }, { name: 'btree_gist' }, { name: 'amcheck' }]);
    expect(one(m, 'Pooler', 'gitlab-pooler').spec.pgbouncer.parameters).toMatchObject({ default_pool_size: '25', max_db_connections: '5' });
    expect(one(m, 'Pooler', 'billing-pooler').spec.pgbouncer.parameters.max_prepared_statements).toBe('0');
    const { KEYCLOAK, HARBOR, GITLAB, SYNERGYFLOW, GENERIC } = ApplicationProfile;
    const presets = [KEYCLOAK, HARBOR, GITLAB, SYNERGYFLOW, GENERIC];
    for (const p of presets) {
      expect(p.poolMode === PoolMode.TRANSACTION && p.requiresSessionMode).toBe(false);
    }
    expect(ApplicationProfile.SYNERGYFLOW.poolMode).toBe(PoolMode.TRANSACTION);
  });

  test('Keycloak in transaction mode with the explicit override', () => {
    const { c, db } = cluster();
    db.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION, overrideSessionRequirement: true, credentials: { remoteKey: 'k' } });
    expect(one(synth(c), 'Pooler').spec.pgbouncer.poolMode).toBe('transaction');
  });

  test('names, credentials properties, schemas, reclaim policy, connection limit, read-only pooler, namespaces', () => {
    const { c, db } = cluster({ extensions: [PostgresExtension.pgStatStatements()] });
    const app = db.addApplication('my-app', {
      roleName: 'my_app_rw',
      databaseName: 'my_app',
      connectionLimit: 100,
      credentials: { remoteKey: 'vault/my-app', usernameProperty: 'user', passwordProperty: 'pass', secretName: 'my-app-pg' },
      schemas: [{ name: 'billing' }, { name: 'audit', owner: 'my_app_rw' }],
      extensions: [{ name: 'pg_stat_statements', version: '1.10', schema: 'public' }],
      databaseReclaimPolicy: DatabaseReclaimPolicy.DELETE,
      readOnlyPooler: true,
      clientNamespaces: ['my-app', 'my-app-jobs'],
      scraperNamespaces: ['observability'],
      pooler: { parameters: { defaultPoolSize: 10 } },
    });
    const m = synth(c);
    expect(one(m, 'Cluster').spec.managed.roles[0]).toMatchObject({ name: 'my_app_rw', connectionLimit: 100, passwordSecret: { name: 'my-app-pg' } });
    expect(one(m, 'ExternalSecret', 'my-app-pg').spec.data.map((d: any) => d.remoteRef.property)).toEqual(['user', 'pass']);
    expect(one(m, 'Database', 'my-app').spec).toMatchObject({
      name: 'my_app',
      owner: 'my_app_rw',
      databaseReclaimPolicy: 'delete',
      extensions: [{ name: 'pg_stat_statements', version: '1.10', schema: 'public' }],
      schemas: [{ name: 'billing', owner: 'my_app_rw' }, { name: 'audit', owner: 'my_app_rw' }],
    });
    expect(one(m, 'Pooler', 'my-app-pooler-ro').spec.type).toBe('ro');
    expect(one(m, 'Pooler', 'my-app-pooler-ro').spec.pgbouncer.pg_hba).toContain('hostssl my_app my_app_rw 0.0.0.0/0 scram-sha-256');
    expect(ofKind(m, 'PodDisruptionBudget').map((p) => p.metadata.name).sort()).toEqual(['my-app-pooler', 'my-app-pooler-ro']);
    expect(one(m, 'NetworkPolicy', 'my-app-pooler-ro').spec.ingress[0].from).toHaveLength(2);
    expect(app.readOnlyEndpoint?.serviceName).toBe('my-app-pooler-ro');
    expect(app.libpqUri()).toBe('postgresql://my-app-pooler.databases.svc.cluster.local:5432/my_app?sslmode=verify-full');
  });

  test('without NetworkPolicy', () => {
    const { c, db } = cluster();
    db.addApplication('app', { credentials: { remoteKey: 'a' }, networkPolicy: false });
    expect(ofKind(synth(c), 'NetworkPolicy')).toEqual([]);
  });

  test('from the reference settings in Flux mode: store, secret path and replicas', () => {
    const settings = ClusterSettings.fromData({
      EXTERNAL_SECRET_STORE: 'onepassword', CNPG_HARBOR_SECRET_PATH: 'kubernetes/infra/cloudnative-pg/harbor', CNPG_POOLER_REPLICAS: '4',
    }, { mode: SettingsMode.FLUX_VARIABLES });
    const c = chart();
    const db = new CnpgSharedCluster(c, 'shared-postgres', { settings, secretStore: { name: 'onepassword', kind: SecretStoreKind.CLUSTER_SECRET_STORE } });
    db.addApplication('harbor', { profile: ApplicationProfile.HARBOR });
    const m = synth(c);
    expect(one(m, 'ExternalSecret').spec.data[0].remoteRef.key).toBe('${CNPG_HARBOR_SECRET_PATH}');
    expect(one(m, 'Pooler').spec.instances).toBe(4);
    // The library's default operator target (1.27): the TLS modes are the operator's, pg_hba refuses plain text.
    expect(one(m, 'Pooler').spec.pgbouncer.parameters.client_tls_sslmode).toBeUndefined();
  });
});

describe('addApplication rejects bad input with the path, field, value and fix', () => {
  const add = (props: ApplicationProps, name = 'app', clusterProps: Record<string, unknown> = {}) =>
    () => cluster(clusterProps).db.addApplication(name, { credentials: { remoteKey: 'x' }, ...props });
  const cases: Array<[string, () => void, RegExp]> = [
    ['Keycloak in transaction mode', add({ profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION }, 'keycloak'),
      /CnpgApplication at 'test\/shared-postgres\/keycloak': poolMode = "transaction" is not safe for the keycloak profile .* Fix: keep PoolMode\.SESSION, or set overrideSessionRequirement: true/],
    ['no secret path', () => cluster().db.addApplication('app', {}),
      /credentials\.remoteKey = \(unset\) is unset and the settings have no CNPG_APP_SECRET_PATH/],
    ['no secret store', add({}, 'app', { secretStore: undefined }), /secretStore = \(unset\) is required by application "app"/],
    ['application name', add({}, 'My_App'), /CnpgApplication at 'test\/shared-postgres\/My_App': name = "My_App" is not a DNS-1035 label/],
    ['application name too long for its pooler', add({}, 'a'.repeat(55)), /gives the derived name "a{55}-db-credentials" of 70 characters/],
    ['reserved role', add({ roleName: 'postgres' }), /roleName = "postgres" is reserved by PostgreSQL or CloudNativePG/],
    ['pg_ role', add({ roleName: 'pg_monitor' }), /roleName = "pg_monitor" is reserved/],
    ['pooler role', add({ roleName: 'cnpg_pooler_pgbouncer' }), /roleName = "cnpg_pooler_pgbouncer" is reserved/],
    ['reserved database', add({ databaseName: 'template1' }), /databaseName = "template1" is reserved/],
    ['role not an identifier', add({ roleName: 'App-User' }), /roleName = "App-User" is not a PostgreSQL identifier this library writes.*Fix: use e\.g\. "app_user"/],
    ['schema public', add({ schemas: [{ name: 'public' }] }), /schemas = "public" is reserved/],
    ['extension name', add({ extensions: [{ name: 'pg trgm' }] }), /extensions = "pg trgm" is not an extension name/],
    ['connection limit 0', add({ connectionLimit: 0 }), /connectionLimit = 0 lets the role open no connection at all/],
    ['connection limit -2', add({ connectionLimit: -2 }), /connectionLimit = -2 is not valid: it must be an integer between -1 and 100000/],
    ['connection limit below the pools', add({ connectionLimit: 20 }),
      /connectionLimit = 20 is below the 60 server connections the role's pools can open on one instance, so PgBouncer would get "too many connections for role"/],
    ['transaction mode, preparing driver, tracking off', add({ profile: ApplicationProfile.HARBOR, pooler: { parameters: { maxPreparedStatements: 0 } } }),
      /PgBouncerPooler at 'test\/shared-postgres\/app\/Pooler': parameters\.maxPreparedStatements = 0 turns off PgBouncer's prepared-statement tracking/],
    ['pooler with 2 replicas', add({ pooler: { instances: 2 } }), /instances = 2 is fewer than 3/],
    ['a forced PgBouncer key', add({ pooler: { additionalParameters: { listen_addr: '0.0.0.0' } } }), /additionalParameters\.listen_addr = "0\.0\.0\.0" is forced by the operator to "\*"/],
    ['custom profile: transaction with session requirement', () => ApplicationProfile.custom({ name: 'x', poolMode: PoolMode.TRANSACTION, preparedStatements: PreparedStatementUse.NONE, requiresSessionMode: true }),
      /ApplicationProfile\.custom\("x"\): poolMode = "transaction" contradicts requiresSessionMode: true/],
    ['custom profile: transaction with SQL PREPARE', () => ApplicationProfile.custom({ name: 'x', poolMode: PoolMode.TRANSACTION, preparedStatements: PreparedStatementUse.SQL_LEVEL }),
      /poolMode = "transaction" cannot serve SQL-level PREPARE\/EXECUTE/],
    ['custom profile: name', () => ApplicationProfile.custom({ name: 'Billing App', poolMode: PoolMode.SESSION, preparedStatements: PreparedStatementUse.NONE }),
      /name = "Billing App" is not a short lower-case name/],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });

  test('the same application twice', () => {
    const { db } = cluster();
    db.addApplication('app', { credentials: { remoteKey: 'x' } });
    expect(() => db.addApplication('app2', { roleName: 'app', credentials: { remoteKey: 'x' } })).toThrow(/managed\.roles = "app" is declared twice/);
  });

  test('the budget check at synth names each application\'s share', () => {
    const { c, db } = cluster({ parameters: { maxConnections: 100 } });
    db.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, credentials: { remoteKey: 'k' } });
    db.addApplication('gitlab', { profile: ApplicationProfile.GITLAB, credentials: { remoteKey: 'g' } });
    expect(() => synth(c)).toThrow(/the poolers can open 186 server connections on the primary, more than the max_connections 100 − superuser_reserved_connections 3 − reservedConnections 10 = 87 it accepts\. Shares: keycloak \(keycloak-pooler, rw\): 3 × 26 = 78; gitlab \(gitlab-pooler, rw\): 3 × 36 = 108/);
  });
});

describe('connectionLimit on its boundaries (issue #17: exactly at the limit accepted, one past refused)', () => {
  const withLimit = (connectionLimit: number, props: Partial<ApplicationProps> = {}) => {
    const { c, db } = cluster();
    db.addApplication('app', { credentials: { remoteKey: 'x' }, connectionLimit, ...props });
    return one(synth(c), 'Cluster').spec.managed.roles[0].connectionLimit;
  };
  const refused = (need: number) => new RegExp(`connectionLimit = ${need - 1} is below the ${need} server connections the role's pools can open on one instance`);

  test('the own read-write pooler: 3 replicas × 20 server connections = 60 accepted, 59 refused', () => {
    expect(withLimit(60)).toBe(60);
    expect(() => withLimit(59)).toThrow(refused(60));
  });

  test('with a read-only pooler (both of 4 replicas): each instance serves one of the two pools, so they do not add up: 80 accepted, 79 refused', () => {
    expect(withLimit(80, { readOnlyPooler: true, pooler: { instances: 4 } })).toBe(80);
    expect(() => withLimit(79, { readOnlyPooler: true, pooler: { instances: 4 } })).toThrow(refused(80));
  });

  test('the range: -1 (no limit) and 100000 accepted, -2 and 100001 refused', () => {
    expect(withLimit(-1)).toBe(-1);
    expect(withLimit(100_000)).toBe(100_000);
    for (const v of [-2, 100_001]) {
      expect(() => withLimit(v)).toThrow(new RegExp(`connectionLimit = ${v} is not valid: it must be an integer between -1 and 100000`));
    }
  });

  test('an application that joins a shared pooler: the pairs it adds count, 60 accepted, 59 refused', () => {
    const join = (connectionLimit: number) => {
      const { c, db } = cluster();
      const shared = db.addSharedPooler('shared-pooler');
      db.addApplication('a', { credentials: { remoteKey: 'k' }, sharedPooler: shared, connectionLimit });
      return one(synth(c), 'Cluster').spec.managed.roles[0].connectionLimit;
    };
    expect(join(60)).toBe(60);
    expect(() => join(59)).toThrow(refused(60));
  });
});
