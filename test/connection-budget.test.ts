import { CnpgSharedCluster, CnpgVersion, ConnectionBudget, PgBouncerPooler, PgBouncerPoolerProps, PoolerType } from '../src';
import { chart, synth } from './util/synth';
import {
  AUTH_QUERY_CONNECTIONS, budgetShare, connectionBudget, DEFAULT_RESERVED_CONNECTIONS, poolerShareOfManifest, POSTGRES_CONNECTION_DEFAULTS,
  serverConnectionsPerInstance,
} from '../src/checks/connection-budget';

// The connection budget on its boundaries (issue #17): a budget that fits exactly is accepted,
// one connection more is refused, on the primary and on a standby; each pooler type counts where
// its connections land; one replica's bound is the least of its caps, plus the auth query.

const LIMITS = { maxConnections: 100, superuserReservedConnections: 3, reservedConnections: 10 };
const share = (name: string, type: string, instances: number, perInstance: number | undefined) =>
  budgetShare(name, name, type, instances, perInstance);

describe('the budget\'s arithmetic (src/checks/connection-budget.ts)', () => {
  test('the documented defaults: PostgreSQL 100/3, reservedConnections 10, one auth-query connection a replica', () => {
    expect(POSTGRES_CONNECTION_DEFAULTS).toEqual({ max_connections: 100, superuser_reserved_connections: 3 });
    expect(DEFAULT_RESERVED_CONNECTIONS).toBe(10);
    expect(AUTH_QUERY_CONNECTIONS).toBe(1);
  });

  test('available = max_connections − superuser_reserved_connections − reservedConnections', () => {
    expect(connectionBudget(LIMITS, []).available).toBe(87);
    expect(connectionBudget({ maxConnections: 50, superuserReservedConnections: 5, reservedConnections: 0 }, []).available).toBe(45);
  });

  test.each([
    ['rw', 87, true], ['rw', 88, false],
    ['r', 87, true], ['r', 88, false],
  ])('primary: a %s pooler opening %d of 87 fits = %s', (type, total, fits) => {
    const r = connectionBudget(LIMITS, [share('p', type, 1, total)]);
    expect(r.primaryDemand).toBe(total);
    expect(r.problems.some((p) => p.includes('on the primary'))).toBe(!fits);
  });

  test.each([
    ['ro', 87, true], ['ro', 88, false],
    ['r', 87, true], ['r', 88, false],
  ])('standby: a %s pooler opening %d of 87 fits = %s', (type, total, fits) => {
    const r = connectionBudget(LIMITS, [share('p', type, 1, total)]);
    expect(r.standbyDemand).toBe(total);
    expect(r.problems.some((p) => p.includes('on one standby'))).toBe(!fits);
  });

  test('rw lands on the primary only, ro on a standby only, r on both; the demands add up', () => {
    const r = connectionBudget(LIMITS, [share('a', 'rw', 3, 10), share('b', 'ro', 2, 7), share('c', 'r', 1, 5), share('d', 'rw', 1, 1)]);
    expect([r.primaryDemand, r.standbyDemand]).toEqual([30 + 5 + 1, 14 + 5]);
    expect(r.problems).toEqual([]);
    expect(r.unbounded).toEqual([]);
  });

  test('the problem sentences: the demand, the formula, and only the shares of the side that overflows', () => {
    const r = connectionBudget(LIMITS, [share('a', 'rw', 3, 20), share('b', 'ro', 2, 50), share('c', 'r', 1, 30)]);
    const formula = 'max_connections 100 − superuser_reserved_connections 3 − reservedConnections 10 = 87';
    expect(r.problems).toEqual([
      `the poolers can open 90 server connections on the primary, more than the ${formula} it accepts. Shares: a (a, rw): 3 × 20 = 60; c (c, r): 1 × 30 = 30`,
      `the poolers can open 130 server connections on one standby, more than the ${formula} it accepts. Shares: b (b, ro): 2 × 50 = 100; c (c, r): 1 × 30 = 30`,
    ]);
  });

  test('an unbounded pooler is named, counts nothing, and is left out of the share lines', () => {
    const r = connectionBudget(LIMITS, [share('open', 'rw', 3, undefined), share('a', 'rw', 1, 88), share('b', 'rw', 2, undefined)]);
    expect(r.unbounded).toEqual(['open', 'b']);
    expect(r.primaryDemand).toBe(88);
    expect(r.problems).toEqual([
      'the pooler(s) open, b accept every database and role, so the server connections they can open have no bound',
      expect.stringMatching(/on the primary, .* it accepts\. Shares: a \(a, rw\): 1 × 88 = 88$/),
    ]);
  });

  test('a share: instances × perInstance, undefined when unbounded', () => {
    expect(budgetShare('p', 'app', 'ro', 3, 11)).toEqual({ poolerName: 'p', application: 'app', type: 'ro', instances: 3, perInstance: 11, total: 33 });
    expect(budgetShare('p', 'app', 'rw', 3, undefined).total).toBeUndefined();
  });

  describe('one replica\'s bound', () => {
    const pool = { defaultPoolSize: 5, reservePoolSize: 2, maxDbConnections: 0, maxUserConnections: 0 };
    const pairs = (...p: [string, string][]) => p.map(([database, role]) => ({ database, role }));

    test('pairs × (default + reserve) + the auth query; unbounded without pairs', () => {
      expect(serverConnectionsPerInstance(undefined, pool)).toBeUndefined();
      expect(serverConnectionsPerInstance(pairs(['a', 'a']), pool)).toBe(8);
      expect(serverConnectionsPerInstance(pairs(['a', 'a'], ['a', 'b'], ['b', 'b']), pool)).toBe(22);
    });

    test('max_db_connections caps per distinct database, max_user_connections per distinct role; 0 is no cap', () => {
      const three = pairs(['a', 'x'], ['a', 'y'], ['b', 'x']);
      expect(serverConnectionsPerInstance(three, pool)).toBe(3 * 7 + 1);
      expect(serverConnectionsPerInstance(three, { ...pool, maxDbConnections: 4 })).toBe(2 * 4 + 1);
      expect(serverConnectionsPerInstance(three, { ...pool, maxUserConnections: 3 })).toBe(2 * 3 + 1);
      expect(serverConnectionsPerInstance(three, { ...pool, maxDbConnections: 4, maxUserConnections: 3 })).toBe(2 * 3 + 1);
      // A cap above the pools' sum changes nothing.
      expect(serverConnectionsPerInstance(three, { ...pool, maxDbConnections: 11, maxUserConnections: 11 })).toBe(3 * 7 + 1);
    });
  });
});

describe('a Pooler manifest\'s share (what ManifestAudit counts)', () => {
  const manifest = (spec: Record<string, unknown>, labels?: Record<string, string>) => ({ metadata: { name: 'p', labels }, spec });

  test('CloudNativePG\'s defaults: one replica, rw, PgBouncer\'s pool sizes (20 + 0), the name as the application', () => {
    const r = poolerShareOfManifest(manifest({ pgbouncer: { pg_hba: ['host app app 0.0.0.0/0 scram-sha-256'] } }))!;
    expect(r.share).toEqual({ poolerName: 'p', application: 'p', type: 'rw', instances: 1, perInstance: 21, total: 21 });
    expect(r.perPairBound).toBe(21);
  });

  test('parameters as the operator takes them (strings of digits), caps applied; a value that is not a number leaves the share unknown', () => {
    const spec = { instances: 2, type: 'ro', pgbouncer: { parameters: { default_pool_size: '10', reserve_pool_size: 3, max_db_connections: '5' }, pg_hba: ['hostssl app a,b 10.0.0.0/8 scram-sha-256'] } };
    expect(poolerShareOfManifest(manifest(spec))!.share).toMatchObject({ type: 'ro', instances: 2, perInstance: 6, total: 12 });
    expect(poolerShareOfManifest(manifest({ ...spec, pgbouncer: { ...spec.pgbouncer, parameters: { default_pool_size: '${POOL}' } } }))).toBeUndefined();
    expect(poolerShareOfManifest(manifest({ instances: '${REPLICAS}' }))).toBeUndefined();
    expect(poolerShareOfManifest(manifest({ pgbouncer: { parameters: { max_user_connections: '-1' } } }))).toBeUndefined();
  });

  test('pg_hba: host/hostssl rules admit their databases × roles; reject, local and short rules admit nothing; `all` is unbounded', () => {
    const bound = (...rules: string[]) => poolerShareOfManifest(manifest({ pgbouncer: { pg_hba: rules } }))!.share.perInstance;
    expect(bound('host a,b x,y 0.0.0.0/0 md5')).toBe(4 * 20 + 1);
    expect(bound('host a x 0.0.0.0/0 md5', 'hostssl a x 0.0.0.0/0 md5', 'host b x 0.0.0.0/0 reject', 'local c x md5', 'host d x md5')).toBe(21);
    expect(bound('host all x 0.0.0.0/0 md5')).toBeUndefined();
    expect(bound('host a all 0.0.0.0/0 md5')).toBeUndefined();
    expect(bound('host all x 0.0.0.0/0 reject', 'host a x 0.0.0.0/0 md5')).toBe(21);
    expect(bound()).toBeUndefined();
  });

  test('rules as the operator reads them: any whitespace between fields, entries that are not strings skipped', () => {
    const bound = (...rules: unknown[]) => poolerShareOfManifest(manifest({ pgbouncer: { pg_hba: rules } }))?.share.perInstance;
    expect(bound('  hostssl   a,b\tx   0.0.0.0/0   scram-sha-256  ')).toBe(2 * 20 + 1);
    expect(bound(42, 'host a x 0.0.0.0/0 md5')).toBe(21);
  });

  test('max_db_connections caps per distinct database of the admitted pairs', () => {
    const r = poolerShareOfManifest(manifest({ pgbouncer: { pg_hba: ['host a,b x 0.0.0.0/0 md5'], parameters: { max_db_connections: '5' } } }))!;
    expect(r.share.perInstance).toBe(2 * 5 + 1);
    // One pair's bound: the same caps, for one database and one role.
    expect(r.perPairBound).toBe(5 + 1);
  });

  test('a parameter that is only partly digits ("1e3", "20 ") is not known', () => {
    for (const v of ['1e3', '20 ', '0x10']) {
      expect(poolerShareOfManifest(manifest({ pgbouncer: { pg_hba: ['host a x 0.0.0.0/0 md5'], parameters: { default_pool_size: v } } }))).toBeUndefined();
    }
  });

  test('a manifest without metadata or spec: named "undefined", CloudNativePG\'s defaults, unbounded', () => {
    expect(poolerShareOfManifest({ spec: {} })!.share).toEqual({ poolerName: 'undefined', application: 'undefined', type: 'rw', instances: 1, perInstance: undefined, total: undefined });
    expect(poolerShareOfManifest(undefined)!.share).toMatchObject({ poolerName: 'undefined', instances: 1, perInstance: undefined });
  });

  test('the application: the part-of label, else the app label, else the name', () => {
    const app = (labels?: Record<string, string>) => poolerShareOfManifest(manifest({}, labels))!.share.application;
    expect(app({ 'app.kubernetes.io/part-of': 'harbor', 'app': 'other' })).toBe('harbor');
    expect(app({ app: 'other' })).toBe('other');
    expect(app()).toBe('p');
  });
});

describe('the synth-time check on its boundary', () => {
  /**
   * Poolers of 3 replicas × 29 (28 + the auth query): 87 on the primary (rw) and 87 on a standby
   * (ro), against 100 − 3 − reservedConnections.
   */
  function platform(primaryReserved: number, standbyExtra = 0) {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: CnpgVersion.V1_30, parameters: { maxConnections: 100 }, reservedConnections: primaryReserved });
    const pooler = (id: string, defaultPoolSize: number, props: Partial<PgBouncerPoolerProps>) => new PgBouncerPooler(db, id, {
      cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'], parameters: { defaultPoolSize, reservePoolSize: 0 }, ...props,
    });
    pooler('rw-pooler', 28, {});
    pooler('ro-pooler', 28 + standbyExtra, { type: PoolerType.READ_ONLY });
    return { c, db };
  }

  test('exactly the 87 available on the primary and on a standby: accepted', () => {
    const { c, db } = platform(10);
    const budget = ConnectionBudget.of(db);
    expect([budget.available, budget.primaryDemand, budget.standbyDemand, budget.fits]).toEqual([87, 87, 87, true]);
    expect(() => synth(c)).not.toThrow();
  });

  test('one connection less available (reservedConnections 11): refused on both sides', () => {
    const { c, db } = platform(11);
    expect([ConnectionBudget.of(db).available, ConnectionBudget.of(db).fits]).toEqual([86, false]);
    expect(ConnectionBudget.of(db).problems).toHaveLength(2);
    expect(() => synth(c)).toThrow(/can open 87 server connections on the primary, more than the .* = 86 it accepts/);
  });

  test('a standby over by one replica\'s extra connection: refused on the standby only', () => {
    const { c, db } = platform(10, 1);
    const budget = ConnectionBudget.of(db);
    expect([budget.primaryDemand, budget.standbyDemand, budget.fits]).toEqual([87, 90, false]);
    expect(budget.problems).toEqual([expect.stringMatching(/^the poolers can open 90 server connections on one standby, more than the .* = 87 it accepts/)]);
    expect(() => synth(c)).toThrow(/connection budget = the poolers can open 90 server connections on one standby/);
  });

  test('two problems, one message: each sentence once, joined by ". Also, ", with the whole fix', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: CnpgVersion.V1_30, parameters: { maxConnections: 100 } });
    new PgBouncerPooler(db, 'open', { cluster: db });
    new PgBouncerPooler(db, 'big', { cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'], parameters: { defaultPoolSize: 40 } });
    let message = '';
    try {
      synth(c);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/connection budget = /g)).toHaveLength(1);
    expect(message).toContain("CnpgSharedCluster at 'test/shared-postgres': connection budget = the pooler(s) open accept every database and role, "
      + 'so the server connections they can open have no bound. Also, the poolers can open 123 server connections on the primary, more than the '
      + 'max_connections 100 − superuser_reserved_connections 3 − reservedConnections 10 = 87 it accepts. Shares: big (big, rw): 3 × 41 = 123. '
      + 'Fix: lower the pools (maxDbConnections caps what one replica opens per database; or defaultPoolSize/reservePoolSize), '
      + 'use fewer replicas, raise parameters.maxConnections, or lower reservedConnections; '
      + 'give every pooler allowedDatabases and allowedRoles (applications do)');
  });

  test('an unbounded pooler alone fails the budget, whatever the demand', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: CnpgVersion.V1_30 });
    new PgBouncerPooler(db, 'open', { cluster: db });
    const budget = ConnectionBudget.of(db);
    expect([budget.primaryDemand, budget.unbounded, budget.fits]).toEqual([0, ['open'], false]);
    expect(budget.problems).toEqual(['the pooler(s) open accept every database and role, so the server connections they can open have no bound']);
  });
});
