/**
 * The generated-configuration invariants (test/util/invariants.ts) catch what they exist for: a
 * passing configuration from the library, then one change each that a library bug could make.
 */
import { CnpgSharedCluster, CnpgVersion } from '../../src';
import { poolerInvariants, PoolerInvariantOptions } from '../util/invariants';
import { chart, synth } from '../util/synth';

/** One application (3 replicas × (20 + 1)) = 63 on the primary, against 100 − 3 − 10 = 87. */
function manifests(version = CnpgVersion.V1_30) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { operatorVersion: version, secretStore: { name: 'store' } });
  db.addApplication('app', { credentials: { remoteKey: 'k' } });
  return { m: synth(c), db };
}
const OPTIONS: PoolerInvariantOptions = { reducedAvailability: new Set(), reservedConnections: 10, tlsModesSettable: true };
const pooler = (m: any[]) => m.find((x) => x.kind === 'Pooler');

test('the library\'s own configuration passes, on both sides of the TLS-mode release', () => {
  const { m, db } = manifests();
  expect(db.reservedConnections).toBe(10);
  expect(poolerInvariants(m, OPTIONS)).toEqual([]);
  expect(poolerInvariants(manifests(CnpgVersion.V1_27_0).m, { ...OPTIONS, tlsModesSettable: false })).toEqual([]);
});

test('the budget counts reservedConnections: exactly at the limit passes, one connection less fails', () => {
  const { m } = manifests();
  const perReplica = pooler(m).spec.pgbouncer.parameters;
  const demand = 3 * (Number(perReplica.default_pool_size ?? 20) + Number(perReplica.reserve_pool_size ?? 0) + 1);
  expect(poolerInvariants(m, { ...OPTIONS, reservedConnections: 97 - demand })).toEqual([]);
  expect(poolerInvariants(m, { ...OPTIONS, reservedConnections: 98 - demand }))
    .toEqual([`poolers can open ${demand} server connections on the primary, more than the ${demand - 1} it accepts`]);
});

test.each([
  ['a plain-text accept', (h: string[]) => [...h.slice(0, -2), 'host app app 0.0.0.0/0 scram-sha-256', ...h.slice(-2)]],
  ['the plain-text reject moved after the accepts', (h: string[]) => [...h.slice(2, -2), ...h.slice(0, 2), ...h.slice(-2)]],
  ['md5 instead of scram-sha-256', (h: string[]) => h.map((r) => r.replace('scram-sha-256', 'md5'))],
  ['an IPv6 rule missing', (h: string[]) => h.filter((r) => !(r.startsWith('hostssl') && r.includes('::/0')))],
  ['the final reject missing', (h: string[]) => h.slice(0, -1)],
])('pg_hba: %s is refused', (_name, change) => {
  const { m } = manifests();
  const p = pooler(m);
  p.spec.pgbouncer.pg_hba = change(p.spec.pgbouncer.pg_hba);
  expect(poolerInvariants(m, OPTIONS)).toEqual([expect.stringMatching(/^Pooler\/app-pooler: pg_hba is not/)]);
});

test('pg_hba open to every database is unbounded', () => {
  const { m } = manifests();
  const p = pooler(m);
  p.spec.pgbouncer.pg_hba = p.spec.pgbouncer.pg_hba.map((r: string) => r.replace(/^hostssl \S+/, 'hostssl all'));
  expect(poolerInvariants(m, OPTIONS)).toEqual(['Pooler/app-pooler: accepts every database or role, so its server connections have no bound']);
});

test('TLS modes: plain prefer refused where settable; any mode refused where not', () => {
  const { m } = manifests();
  pooler(m).spec.pgbouncer.parameters.client_tls_sslmode = 'prefer';
  expect(poolerInvariants(m, OPTIONS)).toEqual([expect.stringMatching(/^Pooler\/app-pooler: TLS modes client prefer, server verify-full/)]);
  expect(poolerInvariants(manifests().m, { ...OPTIONS, tlsModesSettable: false })).toEqual([expect.stringMatching(/not settable on this release/)]);
});

test('fewer than 3 replicas is refused unless the application opted out', () => {
  const { m } = manifests();
  pooler(m).spec.instances = 2;
  expect(poolerInvariants(m, OPTIONS)).toEqual(['Pooler/app-pooler: 2 replicas (at least 3 unless opted out)']);
  expect(poolerInvariants(m, { ...OPTIONS, reducedAvailability: new Set(['app-pooler']) })).toEqual([]);
});
