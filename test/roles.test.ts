/**
 * Managed roles without synthesizing (so that mutation testing runs only the tests that reach a
 * mutant): `checkRoleName` and `renderRoleAttributes` (src/cluster/roles.ts) called directly, and
 * `CnpgRole` (src/cluster/managed-role.ts) read from the roles it hands the cluster. Each refusal is
 * checked with its whole message.
 */
import { Construct } from 'constructs';
import { CnpgRole, CnpgSharedCluster, CnpgVersion, Credentials } from '../src';
import { thrown } from './util/errors';
import { BOX_PATH, boxScope, chart } from './util/synth';
import { checkRoleName, renderRoleAttributes } from '../src/cluster/roles';

const scope = boxScope;
const where = BOX_PATH;

describe('checkRoleName', () => {
  const check = (name: any) => () => checkRoleName(scope(), 'roleName', name);
  const notAnIdentifier = (value: string, suggestion: string) => `${where}: roleName = ${value} is not a PostgreSQL identifier this library writes `
    + `(lower-case letters, digits and "_", starting with a letter or "_", at most 63). Fix: use e.g. "${suggestion}" (the field is role_name in Python, RoleName in Go)`;
  const reserved = (value: string) => `${where}: roleName = "${value}" is reserved by PostgreSQL (pg_*) or CloudNativePG (postgres, streaming_replica, cnpg_*). `
    + 'Fix: give the role a name of its own (the field is role_name in Python, RoleName in Go)';

  test('identifiers of 1 to 63 characters accepted', () => {
    for (const name of ['a', '_', 'a9', '_x_1', 'r'.repeat(63), 'pg', 'cnpg', 'postgres1', 'xpg_', 'my_cnpg_role']) {
      expect(check(name)).not.toThrow();
    }
  });

  test('what is no identifier refused, with a name to use instead', () => {
    expect(thrown(check(''))).toBe(notAnIdentifier('""', ''));
    expect(thrown(check('r'.repeat(64)))).toBe(notAnIdentifier(`"${'r'.repeat(64)}"`, 'r'.repeat(64)));
    expect(thrown(check('Report-Users'))).toBe(notAnIdentifier('"Report-Users"', 'report_users'));
    expect(thrown(check('9lives'))).toBe(notAnIdentifier('"9lives"', '_lives'));
    expect(thrown(check('a b.c'))).toBe(notAnIdentifier('"a b.c"', 'a_b_c'));
    expect(thrown(check('x\n'))).toBe(notAnIdentifier('"x\\n"', 'x_'));
    expect(thrown(check(' x'))).toBe(notAnIdentifier('" x"', '_x'));
    expect(thrown(check(12))).toBe(notAnIdentifier('12', '_2'));
    expect(thrown(check('Ab9'))).toBe(notAnIdentifier('"Ab9"', 'ab9'));
    // A list's text is its item's: the type check refuses it before the pattern.
    expect(thrown(check(['abc']))).toBe(notAnIdentifier('["abc"]', 'abc'));
  });

  test('the reserved names refused, a Flux variable unchecked', () => {
    for (const name of ['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer', 'cnpg_', 'pg_monitor', 'pg_']) {
      expect(thrown(check(name))).toBe(reserved(name));
    }
    expect(check('${ROLE}')).not.toThrow();
    expect(check('${ROLE:=Bad-Name}')).not.toThrow();
  });
});

describe('renderRoleAttributes', () => {
  const render = (a: any, roleName = 'me') => renderRoleAttributes(scope(), 'role', a, roleName, 'the default comment');
  const refused = (a: any, roleName = 'me') => thrown(() => render(a, roleName));

  test('the defaults: every privilege off, inherit on, the default comment, no membership', () => {
    const defaults = {
      comment: 'the default comment',
      superuser: false,
      createdb: false,
      createrole: false,
      replication: false,
      bypassrls: false,
      inherit: true,
      inRoles: undefined,
      validUntil: undefined,
    };
    expect(render(undefined)).toEqual(defaults);
    expect(render({})).toEqual(defaults);
    expect(render({ inRoles: [] })).toEqual(defaults);
  });

  test('every attribute written as given', () => {
    const validUntil = new Date('2027-01-01T00:00:00Z');
    const inRoles = ['readers', 'pg_read_all_data', '${GROUP}'];
    const out = render({ inRoles, validUntil, createdb: true, createrole: true, bypassrls: true, replication: true, inherit: false, comment: 'reporting' });
    expect(out).toEqual({
      comment: 'reporting',
      superuser: false,
      createdb: true,
      createrole: true,
      replication: true,
      bypassrls: true,
      inherit: false,
      inRoles: ['readers', 'pg_read_all_data', '${GROUP}'],
      validUntil,
    });
    expect(out.inRoles).not.toBe(inRoles);
    expect(render({ comment: '' }).comment).toBe('');
    expect(render({ comment: 'c'.repeat(1000) }).comment).toBe('c'.repeat(1000));
  });

  test('inRoles: role names only, not itself, not the operator\'s, each once', () => {
    const notARole = (i: number, v: string) => `${where}: role.inRoles[${i}] = ${v} is not a role name. Fix: name a role, e.g. "pg_read_all_data" `
      + `or a role added with cluster.addRole (the field is role.in_roles[${i}] in Python, Role.InRoles[${i}] in Go)`;
    for (const r of ['a', '_', 'r'.repeat(63), 'pg_monitor']) expect(render({ inRoles: [r] }).inRoles).toEqual([r]);
    expect(refused({ inRoles: ['ok', 'Bad'] })).toBe(notARole(1, '"Bad"'));
    expect(refused({ inRoles: [''] })).toBe(notARole(0, '""'));
    expect(refused({ inRoles: ['9a'] })).toBe(notARole(0, '"9a"'));
    expect(refused({ inRoles: ['r'.repeat(64)] })).toBe(notARole(0, `"${'r'.repeat(64)}"`));
    expect(refused({ inRoles: [' a'] })).toBe(notARole(0, '" a"'));
    expect(refused({ inRoles: ['a\n'] })).toBe(notARole(0, '"a\\n"'));
    expect(refused({ inRoles: [5] })).toBe(notARole(0, '5'));
    expect(refused({ inRoles: [['readers']] })).toBe(notARole(0, '["readers"]'));
    expect(refused({ inRoles: ['x', 'me'] })).toBe(`${where}: role.inRoles[1] = "me" is the role itself. Fix: remove it (the field is role.in_roles[1] in Python, Role.InRoles[1] in Go)`);
    const operators = (v: string) => `${where}: role.inRoles[0] = "${v}" is one of the operator's own roles: membership would give its privileges away. `
      + 'Fix: grant a predefined role (pg_read_all_data, pg_monitor, ...) or a group role instead (the field is role.in_roles[0] in Python, Role.InRoles[0] in Go)';
    for (const r of ['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer', 'cnpg_']) expect(refused({ inRoles: [r] })).toBe(operators(r));
    expect(render({ inRoles: ['postgres_readers', 'xcnpg_'] }).inRoles).toEqual(['postgres_readers', 'xcnpg_']);
    expect(refused({ inRoles: ['a', 'b', 'a'] }))
      .toBe(`${where}: role.inRoles = ["a","b","a"] lists a role twice. Fix: list each role once (the field is role.in_roles in Python, Role.InRoles in Go)`);
  });

  test('validUntil: a valid Date', () => {
    const notADate = (v: string) => `${where}: role.validUntil = ${v} is not a date. Fix: give a date, e.g. new Date("2026-12-31T00:00:00Z") `
      + '(the field is role.valid_until in Python, Role.ValidUntil in Go)';
    expect(refused({ validUntil: new Date('never') })).toBe(notADate('Invalid Date'));
    expect(refused({ validUntil: '2027-01-01' })).toBe(notADate('"2027-01-01"'));
    expect(refused({ validUntil: 0 })).toBe(notADate('0'));
    expect(render({ validUntil: new Date(0) }).validUntil).toEqual(new Date(0));
  });

  test.each(['createdb', 'createrole', 'bypassrls', 'replication', 'inherit'])('%s: a boolean', (flag) => {
    expect(refused({ [flag]: 'yes' })).toBe(`${where}: role.${flag} = "yes" is not a boolean. Fix: write true or false`);
    expect(render({ [flag]: false })[flag as 'createdb']).toBe(false);
    expect(render({ [flag]: true })[flag as 'createdb']).toBe(true);
  });

  test('comment: a text of at most 1000 characters', () => {
    const tooLong = (v: string) => `${where}: role.comment = ${v} is not a comment of at most 1000 characters. Fix: shorten it`;
    expect(refused({ comment: 'c'.repeat(1001) })).toBe(tooLong(`"${'c'.repeat(1001)}"`));
    expect(refused({ comment: 7 })).toBe(tooLong('7'));
  });
});

describe('CnpgRole', () => {
  const cluster = (secretStore = true) => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { ...(secretStore ? { secretStore: { name: 'onepassword' } } : {}), operatorVersion: CnpgVersion.V1_30_0 });
    // The roles handed to the cluster (`_addManagedRole`), read without synthesizing.
    const roles = () => (db as any).managedRoles as any[];
    return { db, roles };
  };
  const path = (name: string) => `CnpgRole at 'test/db/Role-${name}'`;

  test('refusals name the field: connectionLimit past its limit, generated credentials, a bad role in inRoles (whole messages)', () => {
    expect(() => cluster().db.addRole('x', { connectionLimit: 100_001 })).toThrow(new Error(`${path('x')}: connectionLimit = 100001 is not valid: it must be an integer `
      + 'between -1 and 100000. Fix: give -1 (no limit) or a positive number (the field is connection_limit in Python, ConnectionLimit in Go)'));
    expect(() => cluster().db.addRole('x', { connectionLimit: 100_000 })).not.toThrow();
    expect(() => cluster().db.addRole('x', { credentials: Credentials.operatorGenerated() })).toThrow(new Error(`${path('x')}: credentials = "Credentials.operatorGenerated()" `
      + 'is not possible for a managed role: the operator generates no password for it. '
      + 'Fix: use Credentials.fromSecret("<existing basic-auth Secret>") or Credentials.fromSecretStore("<path>")'));
    expect(() => cluster().db.addRole('x', { inRoles: ['bad role'] })).toThrow(new Error(`${path('x')}: role.inRoles[0] = "bad role" is not a role name. `
      + 'Fix: name a role, e.g. "pg_read_all_data" or a role added with cluster.addRole (the field is role.in_roles[0] in Python, Role.InRoles[0] in Go)'));
  });

  test('a cluster that is not the library\'s (a hand-made ICnpgCluster) refused by name, not used', () => {
    const { db } = cluster();
    // Every field of ICnpgCluster, read from a real cluster, on a construct of its own: the type
    // check accepts it, the role needs the cluster's hooks, which only CnpgSharedCluster has.
    const handMade: any = new Construct(db.node.scope as Construct, 'handmade');
    for (const field of ['clusterName', 'namespace', 'instances', 'postgres', 'replication', 'operatorVersion', 'settings', 'secretStore', 'clusterDomain',
      'readWriteService', 'readOnlyService', 'readService', 'maxConnections', 'superuserReservedConnections', 'reservedConnections', 'commonLabels',
      'monitoringLabels', 'backup', 'poolers', 'replicaOf']) {
      handMade[field] = (db as any)[field];
    }
    expect(thrown(() => new CnpgRole(db, 'Role-x', { cluster: handMade, roleName: 'x' }))).toBe(`${path('x')}: cluster = test/handmade is not a cluster of this library. `
      + 'Fix: pass a CnpgSharedCluster (or use its addApplication/addBackup/addMonitoring methods)');
    expect((db as any).managedRoles).toEqual([]);
  });

  test('a group role: no login, no password, no limit, every privilege off', () => {
    const { db, roles } = cluster();
    const role = db.addRole('readers');
    expect(role.roleName).toBe('readers');
    expect(role.secretName).toBeUndefined();
    expect(role.credentials).toBeUndefined();
    expect(roles()).toEqual([{
      name: 'readers',
      ensure: 'present',
      login: false,
      connectionLimit: -1,
      comment: 'role readers (cnpg-constructs)',
      superuser: false,
      createdb: false,
      createrole: false,
      replication: false,
      bypassrls: false,
      inherit: true,
      inRoles: undefined,
      validUntil: undefined,
      passwordSecret: undefined,
    }]);
  });

  test('with an existing Secret: login, the Secret, the attributes', () => {
    const { db, roles } = cluster();
    const role = db.addRole('reporting', { credentials: Credentials.fromSecret('reporting-pg'), inRoles: ['pg_read_all_data'], connectionLimit: 5, comment: 'bi' });
    expect(role.secretName).toBe('reporting-pg');
    expect(role.credentials).toBeUndefined();
    expect(roles()[0]).toEqual({
      name: 'reporting',
      ensure: 'present',
      login: true,
      connectionLimit: 5,
      comment: 'bi',
      superuser: false,
      createdb: false,
      createrole: false,
      replication: false,
      bypassrls: false,
      inherit: true,
      inRoles: ['pg_read_all_data'],
      validUntil: undefined,
      passwordSecret: { name: 'reporting-pg' },
    });
  });

  test('from the store: an ExternalSecret named after the role, labelled, with the reload label on its Secret', () => {
    const { db, roles } = cluster();
    const role = db.addRole('cdc_etl_user', { credentials: Credentials.fromSecretStore('k/debezium'), replication: true, superuser: true, login: false });
    expect(role.secretName).toBe('cdc-etl-user-role-credentials');
    expect(role.credentials?.secretName).toBe('cdc-etl-user-role-credentials');
    expect(roles()[0]).toMatchObject({ name: 'cdc_etl_user', login: false, replication: true, superuser: true, passwordSecret: { name: 'cdc-etl-user-role-credentials' } });
    const es = role.credentials!.apiObject.toJson();
    expect(es.metadata.namespace).toBe(db.namespace);
    expect(es.metadata.labels).toEqual({ ...db.commonLabels, 'app.kubernetes.io/component': 'credentials' });
    expect(es.spec.target.template.metadata.labels).toEqual({ ...db.commonLabels, 'app.kubernetes.io/component': 'credentials', 'cnpg.io/reload': 'true' });
  });

  test('login given explicitly wins over the default', () => {
    const { db, roles } = cluster();
    db.addRole('a', { login: true });
    db.addRole('b', { credentials: Credentials.fromSecret('b-pg') });
    expect(roles().map((r) => [r.name, r.login, r.superuser])).toEqual([['a', true, false], ['b', true, false]]);
  });

  test('connectionLimit: -1 and 1 to 100000 accepted; 0, -2 and 100001 refused', () => {
    const { db, roles } = cluster();
    for (const [i, n] of [-1, 1, 100_000].entries()) db.addRole(`r${i}`, { connectionLimit: n });
    expect(roles().map((r) => r.connectionLimit)).toEqual([-1, 1, 100_000]);
    expect(thrown(() => cluster().db.addRole('z', { connectionLimit: 0 })))
      .toBe(`${path('z')}: connectionLimit = 0 lets the role open no connection at all. Fix: give -1 (no limit) or a positive number, or login: false`
        + ' (the field is connection_limit in Python, ConnectionLimit in Go)');
    expect(thrown(() => cluster().db.addRole('z', { connectionLimit: -2 }))).toContain(`${path('z')}: connectionLimit = -2 `);
    expect(thrown(() => cluster().db.addRole('z', { connectionLimit: 100_001 }))).toContain(`${path('z')}: connectionLimit = 100001 `);
  });

  test('refusals: the name, the store, operator-generated', () => {
    expect(thrown(() => cluster().db.addRole('Bad'))).toContain(`${path('Bad')}: roleName = "Bad" is not a PostgreSQL identifier`);
    expect(thrown(() => cluster().db.addRole('pg_x'))).toContain(`${path('pg_x')}: roleName = "pg_x" is reserved`);
    expect(thrown(() => cluster(false).db.addRole('x', { credentials: Credentials.fromSecretStore('k/x') })))
      .toBe('CnpgSharedCluster at \'test/db\': secretStore = (unset) is required by role "x", whose credentials come from the secret store. '
        + 'Fix: set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE in the settings) (the field is secret_store in Python, SecretStore in Go)');
    expect(thrown(() => cluster().db.addRole('x', { credentials: Credentials.operatorGenerated() })))
      .toContain('is not possible for a managed role: the operator generates no password for it');
    // superuser that is not a boolean: refused by the argument check, before the role is built.
    expect(thrown(() => cluster().db.addRole('x', { superuser: 'yes' as any }))).toBe('CnpgSharedCluster.addRole at \'test/db\': superuser = "yes" is a string, '
      + 'where a boolean goes (any non-empty string, "false" too, would read as true). Fix: write true or false (True/False in Python)');
  });
});
