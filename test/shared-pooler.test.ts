import {
  ApplicationProfile, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, ConnectionBudget, PoolMode, PreparedStatementUse,
} from '../src';
import { chart, ofKind, one, synth } from './util/synth';

function cluster(props: CnpgSharedClusterProps = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' }, operatorVersion: CnpgVersion.V1_30_0, parameters: { maxConnections: 300 }, ...props });
  return { c, db };
}

describe('one pooler for several databases', () => {
  const { c, db } = cluster();
  const shared = db.addSharedPooler('shared-pooler', { poolMode: PoolMode.TRANSACTION, parameters: { defaultPoolSize: 10 } });
  const harbor = db.addApplication('harbor', { profile: ApplicationProfile.HARBOR, credentials: { remoteKey: 'k/harbor' }, sharedPooler: shared });
  const gitlab = db.addApplication('gitlab', { profile: ApplicationProfile.GITLAB, credentials: { remoteKey: 'k/gitlab' }, sharedPooler: shared, clientNamespaces: ['gitlab', 'gitlab-runner'] });
  const m = synth(c);

  test('one Pooler, PDB, PodMonitor and NetworkPolicy for both applications', () => {
    expect(ofKind(m, 'Pooler').map((p) => p.metadata.name)).toEqual(['shared-pooler']);
    expect(ofKind(m, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['shared-pooler']);
    expect(ofKind(m, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['shared-pooler']);
    expect(ofKind(m, 'Database').map((d) => d.metadata.name)).toEqual(['harbor', 'gitlab']);
    expect(shared.applications).toEqual(['harbor', 'gitlab']);
  });

  test('each role reaches its own database only (one pg_hba rule per application)', () => {
    expect(one(m, 'Pooler').spec.pgbouncer.pg_hba).toEqual([
      'hostnossl all all 0.0.0.0/0 reject',
      'hostnossl all all ::/0 reject',
      'hostssl harbor harbor 0.0.0.0/0 scram-sha-256',
      'hostssl harbor harbor ::/0 scram-sha-256',
      'hostssl gitlab gitlab 0.0.0.0/0 scram-sha-256',
      'hostssl gitlab gitlab ::/0 scram-sha-256',
      'host all all 0.0.0.0/0 reject',
      'host all all ::/0 reject',
    ]);
  });

  test('the applications connect to the shared pooler, their own database', () => {
    expect(harbor.pooler).toBe(shared);
    expect(harbor.libpqUri()).toBe('postgresql://shared-pooler.databases.svc.cluster.local:5432/harbor?sslmode=verify-full');
    expect(gitlab.jdbcUrl()).toBe('jdbc:postgresql://shared-pooler.databases.svc.cluster.local:5432/gitlab?sslmode=verify-full');
    expect(harbor.poolMode).toBe(PoolMode.TRANSACTION);
  });

  test('the NetworkPolicy admits every application\'s namespaces', () => {
    const from = one(m, 'NetworkPolicy').spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
    expect(from).toEqual(['harbor', 'gitlab', 'gitlab-runner']);
  });

  test('the connection budget counts one pool per database/role pair (not the cross product)', () => {
    expect(shared.serverConnectionsPerInstance).toBe(2 * 10 + 1);
    const share = ConnectionBudget.of(db).shares.find((s) => s.poolerName === 'shared-pooler')!;
    expect(share).toMatchObject({ instances: 3, perInstance: 21, total: 63 });
  });
});

describe('a shared pooler stays inside the budget and the profiles\' needs', () => {
  test('too many pools for max_connections fail at synth with every share', () => {
    const { c, db } = cluster({ parameters: { maxConnections: 100 } });
    const shared = db.addSharedPooler('shared-pooler');
    for (const a of ['a', 'b', 'c']) db.addApplication(a, { credentials: { remoteKey: `k/${a}` }, sharedPooler: shared });
    expect(() => synth(c)).toThrow(/connection budget = the poolers can open 183 server connections on the primary, more than the max_connections 100 .* = 87 it accepts. Shares: shared-pooler \(shared-pooler, rw\): 3 × 61 = 183/);
  });

  test('maxDbConnections caps each database of the shared pooler', () => {
    const { c, db } = cluster({ parameters: { maxConnections: 100 } });
    const shared = db.addSharedPooler('shared-pooler', { parameters: { maxDbConnections: 8 } });
    for (const a of ['a', 'b', 'c']) db.addApplication(a, { credentials: { remoteKey: `k/${a}` }, sharedPooler: shared });
    expect(() => synth(c)).not.toThrow();
    expect(shared.serverConnectionsPerInstance).toBe(3 * 8 + 1);
  });

  test('explicit databases and roles besides the applications\'', () => {
    const { c, db } = cluster();
    const shared = db.addSharedPooler('shared-pooler', { allowedDatabases: ['reports'], allowedRoles: ['reporting', 'bi'] });
    db.addApplication('a', { credentials: { remoteKey: 'k/a' }, sharedPooler: shared });
    const hba = one(synth(c), 'Pooler').spec.pgbouncer.pg_hba;
    expect(hba.slice(2, 6)).toEqual([
      'hostssl reports reporting,bi 0.0.0.0/0 scram-sha-256', 'hostssl reports reporting,bi ::/0 scram-sha-256',
      'hostssl a a 0.0.0.0/0 scram-sha-256', 'hostssl a a ::/0 scram-sha-256',
    ]);
    expect(shared.serverConnectionsPerInstance).toBe(3 * 20 + 1);
  });

  test.each<[string, (db: CnpgSharedCluster) => void, RegExp]>([
    ['a session-only profile in a transaction pooler', (db) => {
      const shared = db.addSharedPooler('shared-pooler', { poolMode: PoolMode.TRANSACTION });
      db.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, credentials: { remoteKey: 'k' }, sharedPooler: shared });
    }, /sharedPooler = "shared-pooler" pools in transaction mode, which is not safe for the keycloak profile/],
    ['an explicit pool mode that differs', (db) => {
      const shared = db.addSharedPooler('shared-pooler');
      db.addApplication('a', { credentials: { remoteKey: 'k' }, sharedPooler: shared, poolMode: PoolMode.TRANSACTION });
    }, /poolMode = "transaction" differs from the shared pooler's session/],
    ['SQL-level prepared statements in transaction mode', (db) => {
      const shared = db.addSharedPooler('shared-pooler', { poolMode: PoolMode.TRANSACTION });
      db.addApplication('a', { credentials: { remoteKey: 'k' }, sharedPooler: shared, preparedStatements: PreparedStatementUse.SQL_LEVEL });
    }, /preparedStatements = "sql-level" needs session mode/],
    ['pooler options on an application that shares', (db) => {
      const shared = db.addSharedPooler('shared-pooler');
      db.addApplication('a', { credentials: { remoteKey: 'k' }, sharedPooler: shared, pooler: { instances: 5 } });
    }, /pooler = \{"instances":5\} belongs to the shared pooler, which this application joins/],
    ['a pooler of another cluster', (db) => {
      const other = new CnpgSharedCluster(db.node.scope!, 'other', { secretStore: { name: 's' } });
      db.addApplication('a', { credentials: { remoteKey: 'k' }, sharedPooler: other.addSharedPooler('p') });
    }, /sharedPooler = "p" belongs to another cluster/],
    ['an application\'s own pooler passed as shared', (db) => {
      const a = db.addApplication('a', { credentials: { remoteKey: 'k' } });
      db.addApplication('b', { credentials: { remoteKey: 'k' }, sharedPooler: a.pooler });
    }, /sharedPooler = "a-pooler" belongs to another cluster|sharedPooler = "a-pooler" is not a shared pooler/],
    ['a connection limit below the role\'s pools', (db) => {
      const shared = db.addSharedPooler('shared-pooler');
      db.addApplication('a', { credentials: { remoteKey: 'k' }, sharedPooler: shared, connectionLimit: 10 });
    }, /connectionLimit = 10 is below the 60 server connections the role's pools can open on one instance/],
    ['only one of allowedDatabases and allowedRoles', (db) => {
      db.addSharedPooler('shared-pooler', { allowedDatabases: ['x'] });
    }, /allowedRoles = \(unset\) is needed with the other list/],
  ])('%s is refused', (_n, fn, message) => {
    expect(() => fn(cluster().db)).toThrow(message);
  });

  test('a shared pooler that no application joins fails at synth', () => {
    const { c, db } = cluster();
    db.addSharedPooler('shared-pooler');
    expect(() => synth(c)).toThrow(/PgBouncerPooler at 'test\/db\/shared-pooler': applications = "\[\]" is empty: the shared pooler serves no database/);
  });
});
