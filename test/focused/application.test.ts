// CnpgApplication (src/application/application.ts), issue #17: every chart built inside its test
// and read through the objects' own checked toJson() (the Database's and the Cluster's schema
// and webhook rules run there), so that per-test coverage runs only the tests a mutant reaches;
// test/application.test.ts builds its first chart at `describe` level.
import { Testing } from 'cdk8s';
import {
  ApplicationProfile, ApplicationProps, ClusterSettings, CnpgApplication, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, Credentials,
  DatabaseReclaimPolicy, LocaleProvider, PoolMode, PoolerType, PostgresExtension, PostgresImage, PreparedStatementUse, SslMode,
  SynchronousReplication,
} from '../../src';
import { thrown } from '../util/errors';
import { chart, one, synth } from '../util/synth';

function cluster(props: CnpgSharedClusterProps = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'db', { secretStore: { name: 'store' }, operatorVersion: CnpgVersion.V1_30_0, parameters: { maxConnections: 400 }, ...props });
  return { c, db };
}

/** An application 'app' (or `name`) with a secret path, on a fresh cluster. */
function app(props: ApplicationProps = {}, name = 'app', clusterProps: CnpgSharedClusterProps = {}) {
  const { c, db } = cluster(clusterProps);
  const a = db.addApplication(name, { credentials: { remoteKey: 'k' }, ...props });
  return { c, db, a };
}

/** The message adding the application throws. */
const refusal = (props: ApplicationProps = {}, name = 'app', clusterProps: CnpgSharedClusterProps = {}) => thrown(() => app(props, name, clusterProps));
const at = (name = 'app') => `CnpgApplication at 'test/db/${name}'`;
const roles = (db: CnpgSharedCluster) => db.apiObject.toJson().spec.managed.roles;
/** A cluster with one standby (asynchronous: a synchronous one would block writes while it is down). */
const TWO_INSTANCES: CnpgSharedClusterProps = { instances: 2, replication: SynchronousReplication.asynchronous() };
const LIMIT_HINT = ' (the field is connection_limit in Python, ConnectionLimit in Go)';

describe('what one application writes', () => {
  test('the defaults: the generic profile, names from the application, a retained Database, one read-write pooler', () => {
    const { db, a } = app({}, 'my-web-app');
    expect(a.name).toBe('my-web-app');
    expect(a.profile).toBe(ApplicationProfile.GENERIC);
    expect(a.poolMode).toBe(PoolMode.SESSION);
    expect(a.roleName).toBe('my_web_app');
    expect(a.databaseName).toBe('my_web_app');
    expect(a.credentialsSecretName).toBe('my-web-app-db-credentials');
    expect(a.readOnlyPooler).toBeUndefined();
    expect(a.readOnlyEndpoint).toBeUndefined();
    expect(a.database.toJson()).toEqual({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Database',
      metadata: {
        name: 'my-web-app',
        namespace: 'databases',
        labels: { ...db.commonLabels, 'app.kubernetes.io/part-of': 'my-web-app', 'app.kubernetes.io/component': 'database' },
      },
      spec: { cluster: { name: 'db' }, name: 'my_web_app', owner: 'my_web_app', databaseReclaimPolicy: 'retain' },
    });
    expect(roles(db)).toEqual([{
      name: 'my_web_app',
      ensure: 'present',
      comment: 'application my-web-app (cnpg-constructs)',
      login: true,
      superuser: false,
      createdb: false,
      createrole: false,
      replication: false,
      bypassrls: false,
      inherit: true,
      connectionLimit: -1,
      passwordSecret: { name: 'my-web-app-db-credentials' },
    }]);
    expect(a.pooler.poolerName).toBe('my-web-app-pooler');
    expect(a.pooler.type).toBe(PoolerType.READ_WRITE);
    expect(a.pooler.poolMode).toBe(PoolMode.SESSION);
    expect(a.endpoint).toBe(a.pooler.endpoint);
    expect(db.poolers.map((p) => [p.application, p.poolerName])).toEqual([['my-web-app', 'my-web-app-pooler']]);
  });

  test('the ExternalSecret of the login: the secret path, default properties, labels, cnpg.io/reload on the Secret', () => {
    const { db, a } = app();
    const es = a.credentials!.apiObject.toJson();
    expect(es.metadata).toEqual({
      name: 'app-db-credentials',
      namespace: 'databases',
      labels: { ...db.commonLabels, 'app.kubernetes.io/part-of': 'app', 'app.kubernetes.io/component': 'credentials' },
    });
    expect(es.spec.secretStoreRef).toEqual({ name: 'store', kind: 'ClusterSecretStore' });
    expect(es.spec.target.template.metadata.labels).toEqual({
      ...db.commonLabels, 'app.kubernetes.io/part-of': 'app', 'app.kubernetes.io/component': 'credentials', 'cnpg.io/reload': 'true',
    });
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'k', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'k', property: 'password' } },
    ]);
  });

  test('the whole chart passes the CRDs of its release and the newest', () => {
    const { c } = app({ readOnlyPooler: true, schemas: [{ name: 's' }], extensions: [{ name: 'pgcrypto' }] }, 'app', TWO_INSTANCES);
    expect(one(synth(c), 'Database', 'app').spec.extensions).toEqual([{ name: 'pgcrypto' }]);
  });

  test('the pooler: the profile\'s parameters under the caller\'s, its database and role only, the application\'s label, the NetworkPolicy', () => {
    const { a } = app({
      profile: ApplicationProfile.HARBOR,
      roleName: 'r',
      databaseName: 'd',
      pooler: { instances: 4, parameters: { defaultPoolSize: 7 } },
      clientNamespaces: ['web'],
      scraperNamespaces: ['mon'],
      apiServerCidrs: ['10.0.0.0/16'],
    });
    const spec = a.pooler.apiObject.toJson();
    expect(spec.metadata.labels['app.kubernetes.io/part-of']).toBe('app');
    expect(spec.spec.instances).toBe(4);
    expect(spec.spec.pgbouncer.poolMode).toBe('transaction');
    expect(spec.spec.pgbouncer.parameters).toMatchObject({ max_client_conn: '200', default_pool_size: '7', min_pool_size: '5', reserve_pool_size: '5', max_prepared_statements: '200' });
    expect(spec.spec.pgbouncer.pg_hba).toContain('hostssl d r 0.0.0.0/0 scram-sha-256');
    const policy = a.pooler.networkPolicy!.toJson();
    expect(policy.spec.ingress.map((i: any) => i.from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']))).toEqual([['web'], ['mon']]);
    expect(policy.spec.egress[policy.spec.egress.length - 1].to).toEqual([{ ipBlock: { cidr: '10.0.0.0/16' } }]);
  });

  test('the pooler\'s NetworkPolicy admits the application\'s namespace by default, and is left out with networkPolicy: false', () => {
    const policy = app().a.pooler.networkPolicy!.toJson();
    expect(policy.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } }, podSelector: {} }]);
    expect(policy.spec.ingress[1].from).toEqual([{ namespaceSelector: {}, podSelector: {} }]);
    expect(app({ networkPolicy: false }).a.pooler.networkPolicy).toBeUndefined();
    expect(app({ networkPolicy: true }).a.pooler.networkPolicy).toBeDefined();
  });

  test('prepared statements: the profile\'s, or the caller\'s', () => {
    // Transaction mode without PgBouncer's tracking: refused for a driver that prepares, accepted once it does not.
    const untracked = (props: ApplicationProps) =>
      refusal({ profile: ApplicationProfile.HARBOR, pooler: { parameters: { maxPreparedStatements: 0 } }, ...props });
    expect(untracked({})).toMatch(/^PgBouncerPooler at 'test\/db\/app\/Pooler': parameters\.maxPreparedStatements = 0 turns off PgBouncer's prepared-statement tracking/);
    expect(untracked({ preparedStatements: PreparedStatementUse.NONE })).toBe('(nothing thrown)');
    const custom = ApplicationProfile.custom({ name: 'plain', poolMode: PoolMode.TRANSACTION, preparedStatements: PreparedStatementUse.NONE });
    expect(refusal({ profile: custom, pooler: { parameters: { maxPreparedStatements: 0 } } })).toBe('(nothing thrown)');
  });

  test('a read-only pooler beside it: same settings, the -ro name and type, its endpoint', () => {
    const { a } = app({ readOnlyPooler: true, pooler: { parameters: { defaultPoolSize: 5 } } }, 'app', TWO_INSTANCES);
    expect(a.readOnlyPooler!.poolerName).toBe('app-pooler-ro');
    expect(a.readOnlyPooler!.type).toBe(PoolerType.READ_ONLY);
    expect(a.readOnlyPooler!.apiObject.toJson().spec.pgbouncer.parameters.default_pool_size).toBe('5');
    expect(a.readOnlyEndpoint!.serviceName).toBe('app-pooler-ro');
    expect(app({ readOnlyPooler: false }).a.readOnlyPooler).toBeUndefined();
  });

  test('names, owner, reclaim policy, schemas and extensions as given', () => {
    const { db, a } = app({
      profile: ApplicationProfile.GITLAB,
      roleName: 'gl_rw',
      databaseName: 'gl',
      databaseReclaimPolicy: DatabaseReclaimPolicy.DELETE,
      extensions: [{ name: 'pg_trgm', version: '1.6', schema: 'ext' }, { name: 'uuid-ossp' }],
      schemas: [{ name: 'billing' }, { name: 'audit', owner: 'auditor' }],
      database: { owner: 'owner_role' },
    });
    expect(a.roleName).toBe('gl_rw');
    expect(a.databaseName).toBe('gl');
    expect(roles(db)[0].name).toBe('gl_rw');
    expect(a.database.toJson().spec).toEqual({
      cluster: { name: 'db' },
      name: 'gl',
      owner: 'owner_role',
      databaseReclaimPolicy: 'delete',
      extensions: [{ name: 'pg_trgm', version: '1.6', schema: 'ext' }, { name: 'btree_gist' }, { name: 'amcheck' }, { name: 'uuid-ossp' }],
      schemas: [{ name: 'billing', owner: 'gl_rw' }, { name: 'audit', owner: 'auditor' }],
    });
  });

  test('the database options are written, checked against the cluster\'s PostgreSQL major', () => {
    const { a } = app({ database: { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8', template: 'template0' } });
    expect(a.database.toJson().spec).toMatchObject({ localeProvider: 'builtin', builtinLocale: 'C.UTF-8', template: 'template0' });
    expect(refusal({ database: { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8', template: 'template0' } }, 'app', { postgres: PostgresImage.version('16.10') }))
      .toBe(`${at()}: database.localeProvider = "builtin" needs PostgreSQL 17 or newer, but the cluster runs 16. Fix: use LocaleProvider.LIBC or ICU`
        + ' (the field is database.locale_provider in Python, Database.LocaleProvider in Go)');
  });

  test('the Database is checked for the cluster\'s release: fdws (1.28) refused on 1.27.1, accepted on 1.30.0', () => {
    const fdws = (operatorVersion: CnpgVersion) => {
      const { a } = app({}, 'app', { operatorVersion });
      a.database.addOverride('spec.fdws', [{ name: 'postgres_fdw' }]);
      return thrown(() => a.database.toJson());
    };
    expect(fdws(CnpgVersion.V1_30_0)).toBe('(nothing thrown)');
    expect(fdws(CnpgVersion.V1_27_1)).toMatch(/^CheckedApiObject at 'test\/db\/app\/Database': Database spec\.fdws = .* 1\.27\.1/);
  });

  test('the Database webhook\'s rules: an extension or schema twice (added by an override) is refused with its path', () => {
    const twice = (list: string, items: unknown[]) => {
      const { a } = app();
      a.database.addOverride(`spec.${list}`, items);
      return thrown(() => a.database.toJson());
    };
    expect(twice('extensions', [{ name: 'a' }, { name: 'b' }, { name: 'a' }])).toBe(
      'CheckedApiObject at \'test/db/app/Database\': Database spec.extensions[2].name = "a" is declared twice (the operator refuses it). Fix: list each name once');
    expect(twice('schemas', [{ name: 's' }, { name: 's' }])).toBe(
      'CheckedApiObject at \'test/db/app/Database\': Database spec.schemas[1].name = "s" is declared twice (the operator refuses it). Fix: list each name once');
    expect(twice('schemas', [{ name: 's' }, { name: 't' }])).toBe('(nothing thrown)');
    expect(twice('extensions', [{ name: 'a' }, { name: 'a' }, { name: 'a' }]).split('\n')).toHaveLength(2);
  });

  test('the Database webhook\'s rules skip what the schema check reports instead (an item without a name, a list that is not one)', () => {
    const { a } = app();
    a.database.addOverride('spec.schemas', [{ owner: 'x' }, { owner: 'y' }]);
    expect(thrown(() => a.database.toJson())).not.toMatch(/declared twice/);
    const b = app().a;
    b.database.addOverride('spec.extensions', 'pg_trgm');
    expect(thrown(() => b.database.toJson())).not.toMatch(/declared twice/);
  });

  test('the Database webhook\'s rules on a spec deleted or an item that is null: the schema check\'s problems, no TypeError', () => {
    const { a } = app();
    a.database.addDeletionOverride('spec');
    expect(thrown(() => a.database.toJson())).toMatch(/^CheckedApiObject at 'test\/db\/app\/Database': Database spec = \(unset\) /);
    const b = app().a;
    b.database.addOverride('spec.extensions', [null, { name: 'a' }, { name: 'a' }]);
    expect(thrown(() => b.database.toJson())).toBe(
      'CheckedApiObject at \'test/db/app/Database\': Database spec.extensions[2].name = "a" is declared twice (the operator refuses it). Fix: list each name once');
  });

  test('typed outputs: libpq URI and JDBC URL of the database through the read-write pooler', () => {
    const { a } = app({ databaseName: 'shop' }, 'web');
    expect(a.libpqUri()).toBe('postgresql://web-pooler.databases.svc.cluster.local:5432/shop?sslmode=verify-full');
    expect(a.libpqUri(SslMode.REQUIRE)).toBe('postgresql://web-pooler.databases.svc.cluster.local:5432/shop?sslmode=require');
    expect(a.jdbcUrl()).toBe('jdbc:postgresql://web-pooler.databases.svc.cluster.local:5432/shop?sslmode=verify-full');
    expect(a.jdbcUrl(SslMode.VERIFY_CA)).toBe('jdbc:postgresql://web-pooler.databases.svc.cluster.local:5432/shop?sslmode=verify-ca');
    expect(thrown(() => a.libpqUri('x' as SslMode))).toMatch(/^CnpgApplication\.libpqUri\b|CnpgApplication at 'test\/db\/web': .*sslMode/);
    expect(thrown(() => a.jdbcUrl('x' as SslMode))).toMatch(/^CnpgApplication\.jdbcUrl\b|CnpgApplication at 'test\/db\/web': .*sslMode/);
  });

  test('constructed directly: the argument checks name the constructor', () => {
    const { db } = cluster();
    expect(thrown(() => new CnpgApplication(db, 'x', { cluster: db, name: 5 as any }))).toBe(
      'CnpgApplication at \'test/db/x\': name = 5 is a number, where a string goes. Fix: write the value as a string, in quotes');
    const ok = new CnpgApplication(db, 'x', { cluster: db, name: 'direct', credentials: { remoteKey: 'k' } });
    expect(ok.node.path).toBe('test/db/x');
  });
});

describe('the pool mode against the profile', () => {
  const mode = (props: ApplicationProps) => app(props).a.poolMode;

  test('the profile\'s mode by default, the caller\'s when given', () => {
    expect(mode({ profile: ApplicationProfile.HARBOR })).toBe(PoolMode.TRANSACTION);
    expect(mode({ profile: ApplicationProfile.KEYCLOAK })).toBe(PoolMode.SESSION);
    expect(mode({ profile: ApplicationProfile.HARBOR, poolMode: PoolMode.SESSION })).toBe(PoolMode.SESSION);
    expect(mode({ poolMode: PoolMode.TRANSACTION })).toBe(PoolMode.TRANSACTION);
  });

  test('a profile that needs session mode: transaction refused with its description, accepted with the override', () => {
    expect(refusal({ profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION })).toBe(
      `${at()}: poolMode = "transaction" is not safe for the keycloak profile (session mode: pgjdbc keeps named server-side prepared statements and session state per connection): `
      + 'transaction pooling hands its session state to other clients. Fix: keep PoolMode.SESSION, or set overrideSessionRequirement: true once you have checked the application keeps no session state'
      + ' (the field is pool_mode in Python, PoolMode in Go)');
    expect(mode({ profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION, overrideSessionRequirement: true }))
      .toBe(PoolMode.TRANSACTION);
    expect(refusal({ profile: ApplicationProfile.KEYCLOAK, poolMode: PoolMode.TRANSACTION, overrideSessionRequirement: false })).toMatch(/is not safe for the keycloak profile/);
  });

  test('a custom profile without a description: "it relies on session state"', () => {
    const sticky = ApplicationProfile.custom({ name: 'sticky', poolMode: PoolMode.SESSION, preparedStatements: PreparedStatementUse.NONE, requiresSessionMode: true });
    expect(refusal({ profile: sticky, poolMode: PoolMode.TRANSACTION })).toMatch(/^CnpgApplication at 'test\/db\/app': poolMode = "transaction" is not safe for the sticky profile \(it relies on session state\): /);
  });
});

describe('names', () => {
  test('the application\'s name: a DNS-1035 label, at most 48 characters (its -db-credentials Secret)', () => {
    expect(app({}, 'a'.repeat(48)).a.credentialsSecretName).toBe(`${'a'.repeat(48)}-db-credentials`);
    expect(refusal({ roleName: 'r', databaseName: 'd' }, 'a'.repeat(49))).toBe(
      `${at('a'.repeat(49))}: name = "${'a'.repeat(49)}" gives the derived name "${'a'.repeat(49)}-db-credentials" of 64 characters, more than Kubernetes' 63. `
      + 'Fix: shorten the name to at most 48 characters');
    expect(refusal({}, '1app')).toBe(
      `${at('1app')}: name = "1app" is not a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: use a name such as "app"`);
  });

  test('every "-" of the name becomes "_" in the default role and database', () => {
    const { a } = app({}, 'a-b-c');
    expect([a.roleName, a.databaseName]).toEqual(['a_b_c', 'a_b_c']);
  });

  test('identifiers: 63 characters accepted, 64 refused; a Flux variable unchecked', () => {
    expect(app({ roleName: `r${'x'.repeat(62)}` }).a.roleName).toHaveLength(63);
    expect(app({ databaseName: `_${'9'.repeat(62)}` }).a.databaseName).toHaveLength(63);
    expect(refusal({ roleName: 'r'.repeat(64) })).toBe(
      `${at()}: roleName = "${'r'.repeat(64)}" is not a PostgreSQL identifier this library writes (lower-case letters, digits and "_", starting with a letter or "_", at most 63). `
      + `Fix: use e.g. "${'r'.repeat(64)}" (the field is role_name in Python, RoleName in Go)`);
    expect(app({ roleName: '${APP_ROLE}', databaseName: '${APP_DB}' }).a.roleName).toBe('${APP_ROLE}');
  });

  test('the suggested identifier: lower case, every other character "_", a leading digit replaced', () => {
    expect(refusal({ databaseName: '9Shop-DB.x' })).toBe(
      `${at()}: databaseName = "9Shop-DB.x" is not a PostgreSQL identifier this library writes (lower-case letters, digits and "_", starting with a letter or "_", at most 63). `
      + 'Fix: use e.g. "_shop_db_x" (the field is database_name in Python, DatabaseName in Go)');
    expect(refusal({ roleName: 'a$b' })).toMatch(/roleName = "a\$b" is not a PostgreSQL identifier .*Fix: use e\.g\. "a_b"/);
    expect(refusal({ roleName: 'Ab' })).toMatch(/Fix: use e\.g\. "ab"/);
    expect(refusal({ roleName: 'Shop9' })).toMatch(/Fix: use e\.g\. "shop9"/);
  });

  test('reserved names: the fix for a given name and for one derived from the application\'s', () => {
    expect(refusal({ roleName: 'postgres' }, 'my-app')).toBe(
      `${at('my-app')}: roleName = "postgres" is reserved by PostgreSQL or CloudNativePG. Fix: give roleName another name, e.g. "app_my_app" (the field is role_name in Python, RoleName in Go)`);
    expect(refusal({ roleName: 'r' }, 'postgres')).toBe(
      `${at('postgres')}: databaseName = "postgres" is reserved by PostgreSQL or CloudNativePG. `
      + 'Fix: give databaseName explicitly, e.g. databaseName: "app_postgres", or give the application another name (the field is database_name in Python, DatabaseName in Go)');
    // A role derived from the application's name: only the role is reserved, the database is not.
    expect(refusal({}, 'streaming-replica')).toBe(
      `${at('streaming-replica')}: roleName = "streaming_replica" is reserved by PostgreSQL or CloudNativePG. `
      + 'Fix: give roleName explicitly, e.g. roleName: "app_streaming_replica", or give the application another name (the field is role_name in Python, RoleName in Go)');
    for (const r of ['streaming_replica', 'cnpg_pooler_pgbouncer', 'pg_monitor', 'pg_']) expect(refusal({ roleName: r })).toMatch(new RegExp(`roleName = "${r}" is reserved`));
    for (const d of ['template0', 'template1']) expect(refusal({ databaseName: d })).toMatch(new RegExp(`databaseName = "${d}" is reserved`));
    // pg_ is reserved for roles only; the databases' list is not the roles'.
    expect(app({ databaseName: 'pg_data', roleName: 'template0' }).a.databaseName).toBe('pg_data');
    expect(refusal({ databaseName: 'streaming_replica' })).toBe('(nothing thrown)');
  });

  test('the suggestion is cut at 63 characters', () => {
    // Only a Flux variable in the application's name (not checked as a label) makes it that long.
    const name = `\${${'A'.repeat(60)}}`;
    expect(refusal({ roleName: 'postgres', databaseName: 'd' }, name)).toContain(`Fix: give roleName another name, e.g. "app_\${${'A'.repeat(57)}" (`);
  });

  test('pg_hba keywords and PgBouncer\'s console database are refused as role and database names', () => {
    expect(refusal({ roleName: 'all' })).toBe(
      `${at()}: roleName = "all" is a pg_hba keyword: the pooler's and the cluster's pg_hba rules would read it as every role or database, not as this name. `
      + 'Fix: give roleName another name, e.g. "app_app" (the field is role_name in Python, RoleName in Go)');
    expect(refusal({ databaseName: 'replication' })).toBe(
      `${at()}: databaseName = "replication" is a pg_hba keyword: the pooler's and the cluster's pg_hba rules would read it as the keyword replication, not as this name. `
      + 'Fix: give databaseName another name, e.g. "app_app" (the field is database_name in Python, DatabaseName in Go)');
    for (const k of ['sameuser', 'samerole', 'samegroup']) expect(refusal({ roleName: k })).toMatch(new RegExp(`read it as the keyword ${k},`));
    expect(refusal({ databaseName: 'pgbouncer' })).toBe(
      `${at()}: databaseName = "pgbouncer" is the name of PgBouncer's admin console database: clients of the pooler would reach the console, not PostgreSQL. `
      + 'Fix: give databaseName another name, e.g. "app_app" (the field is database_name in Python, DatabaseName in Go)');
    expect(refusal({ roleName: 'pgbouncer' })).toMatch(/roleName = "pgbouncer" is the name of PgBouncer's admin console database/);
  });

  test('schemas: identifiers, not the built-in ones, each once; pg_hba keywords and pg_ are fine there', () => {
    expect(refusal({ schemas: [{ name: 'public' }] })).toBe(
      `${at()}: schemas = "public" is reserved by PostgreSQL or CloudNativePG. Fix: give schemas another name, e.g. "app_app"`);
    for (const s of ['pg_catalog', 'information_schema']) expect(refusal({ schemas: [{ name: s }] })).toMatch(new RegExp(`schemas = "${s}" is reserved`));
    expect(refusal({ schemas: [{ name: 'Bad' }] })).toMatch(/schemas = "Bad" is not a PostgreSQL identifier/);
    expect(refusal({ schemas: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })).toBe(
      `${at()}: schemas = "a" is declared twice (the operator refuses it). Fix: list each schema once`);
    expect(app({ schemas: [{ name: 'all' }, { name: 'pgbouncer' }, { name: 'pg_x' }, { name: 'postgres' }] }).a.database.toJson().spec.schemas.map((s: any) => s.name))
      .toEqual(['all', 'pgbouncer', 'pg_x', 'postgres']);
  });
});

describe('extensions', () => {
  test('names: a dash allowed, 63 characters accepted, 64 refused, upper case and a leading digit refused', () => {
    const ext = (name: string) => app({ extensions: [{ name }] }).a.database.toJson().spec.extensions;
    expect(ext('uuid-ossp')).toEqual([{ name: 'uuid-ossp' }]);
    expect(ext(`_${'x'.repeat(62)}`)).toEqual([{ name: `_${'x'.repeat(62)}` }]);
    expect(refusal({ extensions: [{ name: 'x'.repeat(64) }] })).toBe(
      `${at()}: extensions = "${'x'.repeat(64)}" is not an extension name. Fix: use the name of CREATE EXTENSION, e.g. "pg_trgm"`);
    for (const n of ['PgCrypto', '1ext', '-x', 'a b']) expect(refusal({ extensions: [{ name: n }] })).toMatch(new RegExp(`extensions = "${n}" is not an extension name`));
  });

  test('the profile\'s extensions are checked too; the caller\'s of the same name wins', () => {
    const odd = ApplicationProfile.custom({ name: 'odd', poolMode: PoolMode.SESSION, preparedStatements: PreparedStatementUse.NONE, extensions: [{ name: 'Bad' }] });
    expect(refusal({ profile: odd })).toMatch(/extensions = "Bad" is not an extension name/);
    expect(app({ profile: ApplicationProfile.HARBOR, extensions: [{ name: 'uuid-ossp', version: '1.1' }] }).a.database.toJson().spec.extensions)
      .toEqual([{ name: 'uuid-ossp', version: '1.1' }]);
  });

  test('an extension whose library the cluster does not preload: the factory of that library in the fix', () => {
    const missing = (name: string) => refusal({ extensions: [{ name }] });
    const problem = (lib: string) => `does not work without the library ${lib} in shared_preload_libraries, which the cluster does not load (CREATE EXTENSION or its functions fail)`;
    expect(missing('pg_stat_statements')).toBe(`${at()}: extensions = "pg_stat_statements" ${problem('pg_stat_statements')}. Fix: add it to the cluster: extensions: [PostgresExtension.pgStatStatements()]`);
    expect(missing('pgaudit')).toBe(`${at()}: extensions = "pgaudit" ${problem('pgaudit')}. Fix: add it to the cluster: extensions: [PostgresExtension.pgAudit()]`);
    expect(missing('pg_cron')).toBe(`${at()}: extensions = "pg_cron" ${problem('pg_cron')}. Fix: add it to the cluster: extensions: [PostgresExtension.pgCron({ databaseName: 'app' })]`);
    expect(missing('timescaledb')).toBe(`${at()}: extensions = "timescaledb" ${problem('timescaledb')}. Fix: add it to the cluster: extensions: [PostgresExtension.timescaleDb()]`);
    expect(missing('pg_squeeze')).toBe(`${at()}: extensions = "pg_squeeze" ${problem('pg_squeeze')}. Fix: add it to the cluster: extensions: [PostgresExtension.preload('pg_squeeze')]`);
  });

  test('with the library preloaded each is accepted', () => {
    const db = app({ databaseName: 'jobs', extensions: [{ name: 'pg_cron' }, { name: 'pg_squeeze' }, { name: 'pg_stat_statements' }] }, 'app', {
      extensions: [PostgresExtension.pgCron({ databaseName: 'jobs' }), PostgresExtension.preload('pg_squeeze'), PostgresExtension.pgStatStatements()],
    }).a.database.toJson().spec.extensions;
    expect(db.map((e: any) => e.name)).toEqual(['pg_cron', 'pg_squeeze', 'pg_stat_statements']);
  });

  test('pg_cron preloaded as a plain library: its database is pg_cron\'s default, postgres', () => {
    expect(refusal({ extensions: [{ name: 'pg_cron' }] }, 'app', { extensions: [PostgresExtension.preload('pg_cron')] })).toBe(
      `${at()}: extensions = "pg_cron" can only be created in pg_cron's database (cron.database_name = postgres), not in app. `
      + 'Fix: set PostgresExtension.pgCron({ databaseName: \'app\' }) on the cluster, or drop pg_cron from this application');
  });

  test('pg_cron only in cron.database_name', () => {
    expect(refusal({ databaseName: 'other', extensions: [{ name: 'pg_cron' }] }, 'app', { extensions: [PostgresExtension.pgCron({ databaseName: 'jobs' })] })).toBe(
      `${at()}: extensions = "pg_cron" can only be created in pg_cron's database (cron.database_name = jobs), not in other. `
      + 'Fix: set PostgresExtension.pgCron({ databaseName: \'other\' }) on the cluster, or drop pg_cron from this application');
  });
});

describe('connection limit and namespaces', () => {
  const limit = (connectionLimit: number, props: ApplicationProps = {}, clusterProps: CnpgSharedClusterProps = {}) =>
    roles(app({ connectionLimit, ...props }, 'app', clusterProps).db)[0].connectionLimit;

  test('-1 and 100000 accepted, -2 and 100001 refused, 0 refused', () => {
    expect(limit(-1)).toBe(-1);
    expect(limit(100_000)).toBe(100_000);
    expect(refusal({ connectionLimit: -2 })).toBe(`${at()}: connectionLimit = -2 is not valid: it must be an integer between -1 and 100000. Fix: give -1 (no limit) or a positive number${LIMIT_HINT}`);
    expect(refusal({ connectionLimit: 100_001 })).toMatch(/connectionLimit = 100001 is not valid: it must be an integer between -1 and 100000/);
    expect(refusal({ connectionLimit: 0 })).toBe(`${at()}: connectionLimit = 0 lets the role open no connection at all. Fix: give -1 (no limit) or a positive number${LIMIT_HINT}`);
  });

  test('at least what the pools open on one instance: 3 replicas × (20 + 1 − 1) = 60 accepted, 59 refused', () => {
    expect(limit(60)).toBe(60);
    expect(refusal({ connectionLimit: 59 })).toBe(
      `${at()}: connectionLimit = 59 is below the 60 server connections the role's pools can open on one instance, so PgBouncer would get "too many connections for role" under load. `
      + `Fix: raise it to at least 60 (plus room for direct sessions), lower the pools, or leave it unset${LIMIT_HINT}`);
  });

  test('the larger of the two poolers counts, not their sum', () => {
    const ro = { readOnlyPooler: true, pooler: { instances: 4 } };
    expect(limit(80, ro, TWO_INSTANCES)).toBe(80);
    expect(refusal({ connectionLimit: 79, ...ro }, 'app', TWO_INSTANCES)).toMatch(/connectionLimit = 79 is below the 80 server connections/);
  });

  test('an empty list of scrapers or of clients is refused; clients may be empty without a NetworkPolicy', () => {
    expect(refusal({ scraperNamespaces: [] })).toBe(
      `${at()}: scraperNamespaces = [] is empty: in a NetworkPolicy rule an empty list of peers admits every source, not none. `
      + 'Fix: list the namespaces of the metrics scrapers (e.g. ["monitoring"]), or leave it unset to admit any namespace on the metrics port (the field is scraper_namespaces in Python, ScraperNamespaces in Go)');
    expect(refusal({ clientNamespaces: [] })).toBe(
      `${at()}: clientNamespaces = [] is empty: the NetworkPolicy would let no application reach the pooler. `
      + 'Fix: list the namespaces of the application\'s pods, or leave it unset for the namespace "app" (the field is client_namespaces in Python, ClientNamespaces in Go)');
    expect(refusal({ clientNamespaces: [], networkPolicy: true })).toMatch(/clientNamespaces = \[\] is empty/);
    expect(refusal({ clientNamespaces: [], networkPolicy: false })).toBe('(nothing thrown)');
  });

  test('a read-only pooler on one instance is refused', () => {
    expect(refusal({ readOnlyPooler: true }, 'app', { instances: 1, replication: SynchronousReplication.asynchronous() })).toBe(
      `${at()}: readOnlyPooler = true is set on a cluster of one instance: its -ro Service has no endpoints (there is no standby), so the read-only pooler could never connect. `
      + 'Fix: leave readOnlyPooler unset (readers use the read-write pooler), or run the cluster with instances of 2 or more (the field is read_only_pooler in Python, ReadOnlyPooler in Go)');
  });
});

describe('credentials', () => {
  test('the deprecated credentials: path, properties and Secret name', () => {
    const { a } = app({ credentials: { remoteKey: 'vault/app', usernameProperty: 'u', passwordProperty: 'p', secretName: 'app-pg' } });
    expect(a.credentialsSecretName).toBe('app-pg');
    expect(a.credentials!.apiObject.toJson().spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'vault/app', property: 'u' } },
      { secretKey: 'password', remoteRef: { key: 'vault/app', property: 'p' } },
    ]);
  });

  test('the deprecated credentials are named as such in a refusal', () => {
    expect(refusal({ credentials: { remoteKey: 'k', secretName: 'Bad_Name' } })).toMatch(
      /^CnpgApplication at 'test\/db\/app': credentials\.secretName = "Bad_Name" is not a Secret name \(a DNS-1123 subdomain\)\. /);
    expect(refusal({ login: Credentials.fromSecretStore('k', { secretName: 'Bad_Name' }), credentials: undefined })).toMatch(
      /^CnpgApplication at 'test\/db\/app': login\.secretName = "Bad_Name" is not a Secret name/);
  });

  test('the secret path from the settings', () => {
    const settings = ClusterSettings.fromData({ EXTERNAL_SECRET_STORE: 'store', CNPG_MY_APP2_SECRET_PATH: 'infra/my-app2' });
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { settings, secretStore: { name: 'store' } });
    const a = db.addApplication('my-app2', {});
    expect(a.credentials!.apiObject.toJson().spec.data[0].remoteRef.key).toBe('infra/my-app2');
  });

  test('no secret path: the settings\' key named, upper-case with "_"', () => {
    const { db } = cluster();
    expect(thrown(() => db.addApplication('my-app2', {}))).toBe(
      `${at('my-app2')}: credentials.remoteKey = (unset) is unset and the settings have no CNPG_MY_APP2_SECRET_PATH. `
      + 'Fix: give login: Credentials.fromSecretStore("<item path>") or Credentials.fromSecret("<existing Secret>"), or add the key to the cluster-settings (the field is credentials.remote_key in Python, Credentials.RemoteKey in Go)');
  });

  test('login: an existing Secret (nothing written) or the store; never with credentials; not operator-generated', () => {
    const { db } = cluster();
    const existing = db.addApplication('a', { login: Credentials.fromSecret('a-pg') });
    expect(existing.credentialsSecretName).toBe('a-pg');
    expect(existing.credentials).toBeUndefined();
    expect(roles(db)[0].passwordSecret).toEqual({ name: 'a-pg' });
    const store = db.addApplication('b', { login: Credentials.fromSecretStore('vault/b') });
    expect(store.credentialsSecretName).toBe('b-db-credentials');
    expect(store.credentials!.apiObject.toJson().spec.data[1].remoteRef).toEqual({ key: 'vault/b', property: 'password' });
    expect(thrown(() => db.addApplication('c', { login: Credentials.fromSecret('c-pg'), credentials: { remoteKey: 'k' } }))).toBe(
      `${at('c')}: login = "Credentials" is given with the deprecated credentials. `
      + 'Fix: give only login: Credentials.fromSecretStore(remoteKey, {...}) or Credentials.fromSecret(name)');
    expect(thrown(() => db.addApplication('d', { login: Credentials.operatorGenerated() }))).toMatch(
      /^CnpgApplication at 'test\/db\/d': login = "Credentials\.operatorGenerated\(\)" is not possible for an application role: the operator generates no password for a managed role\. Fix: /);
  });

  test('the store: needed for an ExternalSecret, named with the application', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    expect(thrown(() => db.addApplication('app', { credentials: { remoteKey: 'k' } }))).toMatch(/secretStore = \(unset\) is required by application "app"/);
    expect(thrown(() => db.addApplication('app2', { login: Credentials.fromSecretStore('k') }))).toMatch(/secretStore = \(unset\) is required by application "app2"/);
    expect(db.addApplication('app3', { login: Credentials.fromSecret('s') }).credentials).toBeUndefined();
  });

  test('the managed role: attributes, comment, connection limit and password Secret', () => {
    const { db } = app({ role: { createdb: true, inRoles: ['readers'], comment: 'mine' }, connectionLimit: 100 });
    expect(roles(db)[0]).toMatchObject({ name: 'app', ensure: 'present', login: true, createdb: true, inRoles: ['readers'], comment: 'mine', connectionLimit: 100, passwordSecret: { name: 'app-db-credentials' } });
    expect(thrown(() => app({ role: { inRoles: ['app'] } }))).toBe(`${at()}: role.inRoles[0] = "app" is the role itself. Fix: remove it (the field is role.in_roles[0] in Python, Role.InRoles[0] in Go)`);
  });
});

describe('joining a shared pooler', () => {
  function joined(props: ApplicationProps = {}, sharedOptions = {}) {
    const { c, db } = cluster();
    const shared = db.addSharedPooler('shared', sharedOptions);
    const a = db.addApplication('app', { credentials: { remoteKey: 'k' }, sharedPooler: shared, ...props });
    return { c, db, shared, a };
  }

  test('no pooler of its own: the shared one, its mode, its pg_hba and NetworkPolicy take the application', () => {
    const { shared, a, db } = joined({ clientNamespaces: ['web'] }, { poolMode: PoolMode.TRANSACTION });
    expect(a.pooler).toBe(shared);
    expect(a.poolMode).toBe(PoolMode.TRANSACTION);
    expect(a.readOnlyPooler).toBeUndefined();
    expect(shared.applications).toEqual(['app']);
    expect(db.poolers.map((p) => p.poolerName)).toEqual(['shared']);
    expect(shared.hbaRules).toContain('hostssl app app 0.0.0.0/0 scram-sha-256');
    const ingress = shared.networkPolicy!.toJson().spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
    expect(ingress).toEqual(['web']);
    expect(joined().shared.networkPolicy!.toJson().spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('app');
    expect(joined({ clientNamespaces: [] }).a.pooler.poolerName).toBe('shared');
  });

  test('the pooler\'s own options are refused with the application', () => {
    const refused = (props: ApplicationProps) => thrown(() => joined(props));
    const fix = 'Fix: set it on cluster.addSharedPooler(\'shared\', {...}), or drop sharedPooler';
    expect(refused({ pooler: { instances: 3 } })).toBe(`${at()}: pooler = {"instances":3} belongs to the shared pooler, which this application joins. ${fix}`);
    expect(refused({ readOnlyPooler: false })).toBe(`${at()}: readOnlyPooler = false belongs to the shared pooler, which this application joins. ${fix} (the field is read_only_pooler in Python, ReadOnlyPooler in Go)`);
    expect(refused({ networkPolicy: true })).toBe(`${at()}: networkPolicy = true belongs to the shared pooler, which this application joins. ${fix} (the field is network_policy in Python, NetworkPolicy in Go)`);
    expect(refused({ scraperNamespaces: ['m'] })).toBe(`${at()}: scraperNamespaces = ["m"] belongs to the shared pooler, which this application joins. ${fix} (the field is scraper_namespaces in Python, ScraperNamespaces in Go)`);
    expect(refused({ apiServerCidrs: ['10.0.0.0/8'] })).toBe(`${at()}: apiServerCidrs = ["10.0.0.0/8"] belongs to the shared pooler, which this application joins. ${fix} (the field is api_server_cidrs in Python, ApiServerCidrs in Go)`);
  });

  test('a pooler that is not one, or of another cluster', () => {
    const { db } = cluster();
    // The argument check reads the class name (another copy of the library passes); the construct checks the class.
    const lookalike = new (class PgBouncerPooler { public toString() { return 'lookalike'; } })();
    expect(thrown(() => db.addApplication('app', { credentials: { remoteKey: 'k' }, sharedPooler: lookalike as any }))).toBe(
      `${at()}: sharedPooler = lookalike is not a pooler. Fix: pass the result of cluster.addSharedPooler(name, options) (the field is shared_pooler in Python, SharedPooler in Go)`);
    const other = new CnpgSharedCluster(chart(), 'other', { secretStore: { name: 'store' } });
    const foreign = other.addSharedPooler('foreign');
    expect(thrown(() => db.addApplication('app2', { credentials: { remoteKey: 'k' }, sharedPooler: foreign }))).toBe(
      `${at('app2')}: sharedPooler = "foreign" belongs to another cluster. Fix: share a pooler of this application's cluster (the field is shared_pooler in Python, SharedPooler in Go)`);
    const sameNamespace = new CnpgSharedCluster(db.node.scope as any, 'db2', { secretStore: { name: 'store' }, clusterName: 'db2' });
    expect(thrown(() => sameNamespace.addApplication('app3', { credentials: { remoteKey: 'k' }, sharedPooler: db.addSharedPooler('mine') }))).toMatch(/sharedPooler = "mine" belongs to another cluster/);
    const otherNamespace = new CnpgSharedCluster(chart(), 'db', { secretStore: { name: 'store' }, namespace: 'elsewhere' });
    expect(otherNamespace.namespace).toBe('elsewhere');
  });

  test('session requirement: refused in transaction mode unless overridden', () => {
    expect(thrown(() => joined({ profile: ApplicationProfile.KEYCLOAK }, { poolMode: PoolMode.TRANSACTION }))).toMatch(/keycloak/);
    expect(joined({ profile: ApplicationProfile.KEYCLOAK, overrideSessionRequirement: true }, { poolMode: PoolMode.TRANSACTION }).a.poolMode)
      .toBe(PoolMode.TRANSACTION);
  });

  test('prepared statements: the profile\'s unless given, against a transaction pooler (SQL-level PREPARE needs session mode)', () => {
    const sqlLevel = ApplicationProfile.custom({ name: 'sql', poolMode: PoolMode.SESSION, preparedStatements: PreparedStatementUse.SQL_LEVEL });
    const transaction = { poolMode: PoolMode.TRANSACTION };
    expect(thrown(() => joined({ profile: sqlLevel }, transaction))).toBe(
      `${at()}: preparedStatements = "sql-level" needs session mode, but the shared pooler pools transactions. Fix: share a session-mode pooler`
      + ' (the field is prepared_statements in Python, PreparedStatements in Go)');
    expect(thrown(() => joined({ preparedStatements: PreparedStatementUse.SQL_LEVEL }, transaction))).toMatch(/preparedStatements = "sql-level" needs session mode/);
    expect(joined({ profile: sqlLevel, preparedStatements: PreparedStatementUse.NONE }, transaction).a.pooler.poolerName).toBe('shared');
  });

  test('the role\'s connection limit against the pairs it adds: 60 accepted, 59 refused', () => {
    expect(roles(joined({ connectionLimit: 60 }).db)[0].connectionLimit).toBe(60);
    expect(thrown(() => joined({ connectionLimit: 59 }))).toMatch(/^CnpgApplication at 'test\/db\/app': connectionLimit = 59 is below the 60 server connections/);
  });
});

test('synthesized whole: the objects of one application', () => {
  const { c } = app({}, 'web');
  expect(Testing.synth(c).map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
    'Cluster/db', 'Database/web', 'ExternalSecret/web-db-credentials', 'Namespace/databases', 'NetworkPolicy/web-pooler', 'PodDisruptionBudget/web-pooler',
    'PodMonitor/web-pooler', 'Pooler/web-pooler',
  ]);
});
