// ApplicationProfile on its own (issue #17): every preset's documented values, custom()'s checks
// with their whole messages. Nothing is synthesized, so a mutant of the presets (module-level,
// "static") reruns only this file.
import { ApplicationProfile, ApplicationProfileProps, PoolMode, PreparedStatementUse } from '../src';

const plain = (p: ApplicationProfile) => ({
  name: p.name,
  poolMode: p.poolMode,
  preparedStatements: p.preparedStatements,
  requiresSessionMode: p.requiresSessionMode,
  extensions: p.extensions,
  poolerParameters: p.poolerParameters,
  description: p.description,
});

describe('the presets, as documented', () => {
  test('KEYCLOAK: session mode, session state required, pgjdbc\'s pools', () => {
    expect(plain(ApplicationProfile.KEYCLOAK)).toEqual({
      name: 'keycloak',
      poolMode: 'session',
      preparedStatements: 'protocol-level',
      requiresSessionMode: true,
      extensions: [],
      poolerParameters: { maxClientConnections: 200, defaultPoolSize: 20, minPoolSize: 10, reservePoolSize: 5 },
      description: 'session mode: pgjdbc keeps named server-side prepared statements and session state per connection',
    });
  });

  test('HARBOR: transaction mode, uuid-ossp', () => {
    expect(plain(ApplicationProfile.HARBOR)).toEqual({
      name: 'harbor',
      poolMode: 'transaction',
      preparedStatements: 'protocol-level',
      requiresSessionMode: false,
      extensions: [{ name: 'uuid-ossp' }],
      poolerParameters: { maxClientConnections: 200, defaultPoolSize: 15, minPoolSize: 5, reservePoolSize: 5 },
      description: 'transaction mode; Go drivers prepare statements, so max_prepared_statements > 0',
    });
  });

  test('GITLAB: transaction mode, pg_trgm, btree_gist and amcheck', () => {
    expect(plain(ApplicationProfile.GITLAB)).toEqual({
      name: 'gitlab',
      poolMode: 'transaction',
      preparedStatements: 'protocol-level',
      requiresSessionMode: false,
      extensions: [{ name: 'pg_trgm' }, { name: 'btree_gist' }, { name: 'amcheck' }],
      poolerParameters: { maxClientConnections: 300, defaultPoolSize: 25, minPoolSize: 10, reservePoolSize: 10 },
      description: 'transaction mode; Rails prepares statements unless told not to, so max_prepared_statements > 0',
    });
  });

  test('SYNERGYFLOW: transaction mode, no extension', () => {
    expect(plain(ApplicationProfile.SYNERGYFLOW)).toEqual({
      name: 'synergyflow',
      poolMode: 'transaction',
      preparedStatements: 'protocol-level',
      requiresSessionMode: false,
      extensions: [],
      poolerParameters: { maxClientConnections: 150, defaultPoolSize: 10, minPoolSize: 5, reservePoolSize: 5 },
      description: 'transaction mode; assumed to prepare statements, so max_prepared_statements > 0',
    });
  });

  test('GENERIC: session mode, PgBouncer\'s own pool sizes', () => {
    expect(plain(ApplicationProfile.GENERIC)).toEqual({
      name: 'generic',
      poolMode: 'session',
      preparedStatements: 'protocol-level',
      requiresSessionMode: false,
      extensions: [],
      poolerParameters: {},
      description: 'session mode: safe for any application',
    });
  });
});

describe('ApplicationProfile.custom', () => {
  const base: ApplicationProfileProps = { name: 'billing', poolMode: PoolMode.TRANSACTION, preparedStatements: PreparedStatementUse.NONE };

  test('the defaults: no session requirement, no extension, PgBouncer\'s settings, no description', () => {
    expect(plain(ApplicationProfile.custom(base))).toEqual({
      name: 'billing', poolMode: 'transaction', preparedStatements: 'none', requiresSessionMode: false, extensions: [], poolerParameters: {}, description: undefined,
    });
  });

  test('everything given is kept, copied (a later change of the caller\'s arrays does not reach the profile)', () => {
    const extensions = [{ name: 'pgcrypto', version: '1.3', schema: 'ext' }];
    const poolerParameters = { defaultPoolSize: 7 };
    const p = ApplicationProfile.custom({ ...base, poolMode: PoolMode.SESSION, requiresSessionMode: true, extensions, poolerParameters, description: 'd' });
    extensions.push({ name: 'x', version: '1', schema: 's' });
    (poolerParameters as any).minPoolSize = 1;
    expect(plain(p)).toEqual({
      name: 'billing',
      poolMode: 'session',
      preparedStatements: 'none',
      requiresSessionMode: true,
      extensions: [{ name: 'pgcrypto', version: '1.3', schema: 'ext' }],
      poolerParameters: { defaultPoolSize: 7 },
      description: 'd',
    });
  });

  test('names: lower-case letters, digits and "-", starting with a letter', () => {
    for (const name of ['b', 'billing-2', 'a9']) expect(ApplicationProfile.custom({ ...base, name }).name).toBe(name);
    for (const name of ['', '2fa', 'Billing', 'bill_ing', '-x', 'bill ing', ' billing', 'billing ']) {
      expect(() => ApplicationProfile.custom({ ...base, name })).toThrow(
        `ApplicationProfile.custom(${JSON.stringify(name)}): name = ${JSON.stringify(name)} is not a short lower-case name. Fix: use e.g. "billing"`);
    }
  });

  test('transaction mode with session state', () => {
    expect(() => ApplicationProfile.custom({ ...base, requiresSessionMode: true })).toThrow(
      'ApplicationProfile.custom("billing"): poolMode = "transaction" contradicts requiresSessionMode: true. Fix: use PoolMode.SESSION, or drop requiresSessionMode');
    expect(ApplicationProfile.custom({ ...base, requiresSessionMode: false }).requiresSessionMode).toBe(false);
    expect(ApplicationProfile.custom({ ...base, poolMode: PoolMode.SESSION, requiresSessionMode: true }).requiresSessionMode).toBe(true);
  });

  test('transaction mode with SQL-level PREPARE; session mode serves it', () => {
    expect(() => ApplicationProfile.custom({ ...base, preparedStatements: PreparedStatementUse.SQL_LEVEL })).toThrow(
      'ApplicationProfile.custom("billing"): poolMode = "transaction" cannot serve SQL-level PREPARE/EXECUTE (PgBouncer does not track them in transaction mode). '
      + 'Fix: use PoolMode.SESSION');
    expect(ApplicationProfile.custom({ ...base, poolMode: PoolMode.SESSION, preparedStatements: PreparedStatementUse.SQL_LEVEL }).preparedStatements).toBe('sql-level');
    expect(ApplicationProfile.custom({ ...base, preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL }).poolMode).toBe('transaction');
  });
});
