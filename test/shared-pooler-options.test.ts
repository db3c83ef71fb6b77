// addSharedPooler's own options and refusals (issue #17), each chart built inside its test so
// that per-test coverage runs only the tests a mutant reaches (test/shared-pooler.test.ts builds
// one at describe level).
import { CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, PoolMode, PoolerType, SharedPoolerOptions, SynchronousReplication } from '../src';
import { chart, ofKind, one, synth } from './util/synth';

function cluster(props: CnpgSharedClusterProps = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' }, operatorVersion: CnpgVersion.V1_30_0, parameters: { maxConnections: 300 }, ...props });
  return { c, db };
}

/** A shared pooler with the options and one application 'a' in it, synthesized. */
function shared(options: SharedPoolerOptions, props: CnpgSharedClusterProps = {}) {
  const { c, db } = cluster(props);
  const pooler = db.addSharedPooler('shared', options);
  db.addApplication('a', { credentials: { remoteKey: 'k/a' }, sharedPooler: pooler });
  return { pooler, m: synth(c) };
}

const namespaces = (rule: any) => rule.from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);

describe('addSharedPooler: what it writes', () => {
  test('the defaults: read-write, session mode, a NetworkPolicy admitting the applications\' namespaces and any scraper', () => {
    const { pooler, m } = shared({});
    expect(pooler.poolerName).toBe('shared');
    expect(pooler.poolMode).toBe(PoolMode.SESSION);
    expect(one(m, 'Pooler', 'shared').spec.type).toBe('rw');
    const policy = one(m, 'NetworkPolicy', 'shared');
    expect(namespaces(policy.spec.ingress[0])).toEqual(['a']);
    expect(policy.spec.ingress[1]).toEqual({ from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 9127, protocol: 'TCP' }] });
    expect(policy.spec.egress.map((e: any) => e.ports[0].port)).toEqual([5432, 53, 53, 443, 443]);
  });

  test('client and scraper namespaces, API server CIDRs, transaction mode', () => {
    const { pooler, m } = shared({ poolMode: PoolMode.TRANSACTION, clientNamespaces: ['web'], scraperNamespaces: ['monitoring'], apiServerCidrs: ['10.0.0.0/16'] });
    expect(pooler.poolMode).toBe(PoolMode.TRANSACTION);
    const policy = one(m, 'NetworkPolicy', 'shared');
    expect(namespaces(policy.spec.ingress[0])).toEqual(['web', 'a']);
    expect(namespaces(policy.spec.ingress[1])).toEqual(['monitoring']);
    expect(policy.spec.egress).toHaveLength(4);
    expect(policy.spec.egress[3]).toEqual({ ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.0.0.0/16' } }] });
  });

  test('networkPolicy: false writes none; true is the default', () => {
    expect(ofKind(shared({ networkPolicy: false }).m, 'NetworkPolicy')).toEqual([]);
    expect(ofKind(shared({ networkPolicy: true }).m, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['shared']);
  });

  test('a read-only pooler on a cluster of two instances (the fewest with a standby)', () => {
    const { m } = shared({ poolerType: PoolerType.READ_ONLY }, { instances: 2, replication: SynchronousReplication.asynchronous() });
    expect(one(m, 'Pooler', 'shared').spec.type).toBe('ro');
  });

  test('the pooler options pass through (instances)', () => {
    expect(one(shared({ instances: 4 }).m, 'Pooler', 'shared').spec.instances).toBe(4);
  });
});

describe('addSharedPooler: refusals with the construct path, field, value and fix', () => {
  const at = 'CnpgSharedCluster at \'test/db\'';
  const both = 'is needed with the other list: each listed role reaches each listed database. Fix: give both allowedDatabases and allowedRoles, or neither';

  test('one of allowedDatabases and allowedRoles without the other, each by its name', () => {
    expect(() => cluster().db.addSharedPooler('shared', { allowedDatabases: ['x'] })).toThrow(`${at}: allowedRoles = (unset) ${both}`);
    expect(() => cluster().db.addSharedPooler('shared', { allowedRoles: ['x'] })).toThrow(`${at}: allowedDatabases = (unset) ${both}`);
  });

  test('an empty list of scraper namespaces', () => {
    expect(() => cluster().db.addSharedPooler('shared', { scraperNamespaces: [] })).toThrow(
      `${at}: scraperNamespaces = [] is empty: in a NetworkPolicy rule an empty list of peers admits every source, not none. `
      + 'Fix: list the namespaces of the metrics scrapers (e.g. ["monitoring"]), or leave it unset to admit any namespace on the metrics port');
  });

  test('the name of one of the cluster\'s Services', () => {
    expect(() => cluster().db.addSharedPooler('db-rw')).toThrow(
      `${at}: name = "db-rw" is the name of the cluster's own rw Service: the pooler's Service of the same name would replace it. Fix: name it e.g. "db-pooler-rw"`);
  });

  test('read-only on a cluster of one instance', () => {
    expect(() => cluster({ instances: 1, replication: SynchronousReplication.asynchronous() }).db.addSharedPooler('shared', { poolerType: PoolerType.READ_ONLY })).toThrow(
      `${at}: poolerType = "ro" is READ_ONLY on a cluster of one instance: its -ro Service has no endpoints (there is no standby), so the pooler could never connect. `
      + 'Fix: use PoolerType.READ_WRITE (the default), or run the cluster with instances of 2 or more');
    expect(() => cluster({ instances: 1, replication: SynchronousReplication.asynchronous() }).db.addSharedPooler('shared', { poolerType: PoolerType.READ_WRITE })).not.toThrow();
  });
});
