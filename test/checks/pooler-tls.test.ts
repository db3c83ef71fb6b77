import { poolerTlsProblem, poolerTlsRule } from '../../src/checks/pooler-tls';

const REJECT_V4 = 'hostnossl all all 0.0.0.0/0 reject';
const REJECT_V6 = 'hostnossl all all ::/0 reject';
const pooler = (pgbouncer: any) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', spec: { pgbouncer } });
const hba = (...rules: unknown[]) => pooler({ pg_hba: rules });

const FIX = 'set spec.pgbouncer.parameters.client_tls_sslmode to "require" (CloudNativePG 1.27.1 and newer), '
  + 'and put "hostnossl all all 0.0.0.0/0 reject" and "hostnossl all all ::/0 reject" first in spec.pgbouncer.pg_hba';
const REST = ', and no pg_hba rule rejects hostnossl connections before the operator\'s own "host all all 0.0.0.0/0 md5"';

describe('poolerTlsProblem: client_tls_sslmode', () => {
  test.each(['require', 'verify-ca', 'verify-full'])('%s enforces TLS', (mode) => {
    expect(poolerTlsProblem(pooler({ parameters: { client_tls_sslmode: mode } }))).toBeUndefined();
  });

  test('unset: the operator\'s default prefer lets plain-text clients in, reported on spec.pgbouncer', () => {
    const expected = { path: 'spec.pgbouncer', value: undefined, problem: `lets plain-text clients in: client_tls_sslmode is "prefer" (the operator's default)${REST}`, fix: FIX };
    expect(poolerTlsProblem(pooler({}))).toEqual(expected);
    expect(poolerTlsProblem(pooler({ parameters: {} }))).toEqual(expected);
    expect(poolerTlsProblem({ spec: {} })).toEqual(expected);
    expect(poolerTlsProblem({})).toEqual(expected);
    expect(poolerTlsProblem(undefined)).toEqual(expected);
  });

  test.each([
    ['prefer', '"prefer"'], ['allow', '"allow"'], ['disable', '"disable"'], ['REQUIRE', '"REQUIRE"'], [1, '1'],
  ])('%s does not enforce TLS, reported on the parameter with its value', (mode, shown) => {
    expect(poolerTlsProblem(pooler({ parameters: { client_tls_sslmode: mode } }))).toEqual({
      path: 'spec.pgbouncer.parameters.client_tls_sslmode',
      value: mode,
      problem: `lets plain-text clients in: client_tls_sslmode is ${shown}${REST}`,
      fix: FIX,
    });
  });
});

describe('poolerTlsProblem: pg_hba rules that reject plain text', () => {
  test('hostnossl rejects for IPv4 and IPv6 first (in either order, with spacing, after comments, blank and local lines) enforce TLS', () => {
    expect(poolerTlsProblem(hba(REJECT_V4, REJECT_V6))).toBeUndefined();
    expect(poolerTlsProblem(hba(REJECT_V6, REJECT_V4))).toBeUndefined();
    expect(poolerTlsProblem(hba('  hostnossl   all\tall 0.0.0.0/0  reject  ', REJECT_V6))).toBeUndefined();
    expect(poolerTlsProblem(hba('# comment', '', '   ', 'local all all trust', REJECT_V4, REJECT_V6, 'host all all 0.0.0.0/0 md5'))).toBeUndefined();
    expect(poolerTlsProblem(hba('hostnossl all all all reject'))).toBeUndefined();
  });

  test('rules that cannot admit a plain-text client may come before: hostssl, and host or hostnossl rejects', () => {
    expect(poolerTlsProblem(hba('hostssl all all 0.0.0.0/0 md5', 'host all all 10.0.0.0/8 reject', 'hostnossl app all 0.0.0.0/0 reject', REJECT_V4, REJECT_V6)))
      .toBeUndefined();
  });

  test.each([
    ['one address family only', [REJECT_V4]],
    ['the same family twice', [REJECT_V4, REJECT_V4]],
    ['the IPv6 family only', [REJECT_V6, 'hostnossl all all 10.0.0.0/8 reject']],
    ['a host rule that admits first', ['host all all 0.0.0.0/0 md5', REJECT_V4, REJECT_V6]],
    ['a hostnossl rule that admits first', ['hostnossl all all 0.0.0.0/0 md5', REJECT_V4, REJECT_V6]],
    ['a host rule for one database that admits first', ['host app all 10.0.0.0/8 scram-sha-256', REJECT_V4, REJECT_V6]],
    ['rejects for one database only', ['hostnossl app all 0.0.0.0/0 reject', 'hostnossl app all ::/0 reject']],
    ['rejects for one user only', ['hostnossl all app 0.0.0.0/0 reject', 'hostnossl all app ::/0 reject']],
    ['rejects for one network only', ['hostnossl all all 10.0.0.0/8 reject', 'hostnossl all all fd00::/8 reject']],
    ['a rule that is not a string', [{ rule: REJECT_V4 }, REJECT_V4, REJECT_V6]],
    ['no rules', []],
    ['host rejects (they do not single out plain-text clients)', ['host all all 0.0.0.0/0 reject', 'host all all ::/0 reject']],
    ['a commented-out reject', ['#hostnossl all all all reject']],
  ])('%s: not enforced', (_what, rules) => {
    expect(poolerTlsProblem(hba(...rules))?.path).toBe('spec.pgbouncer');
  });

  test('pg_hba that is not a list is not enforcing', () => {
    expect(poolerTlsProblem(pooler({ pg_hba: 'hostnossl all all all reject' }))?.path).toBe('spec.pgbouncer');
  });

  test('a non-enforcing mode with rejecting rules enforces TLS', () => {
    expect(poolerTlsProblem(pooler({ parameters: { client_tls_sslmode: 'prefer' }, pg_hba: [REJECT_V4, REJECT_V6] }))).toBeUndefined();
  });
});

describe('poolerTlsRule', () => {
  test('the problem as a list of one, or none', () => {
    expect(poolerTlsRule(pooler({}))).toEqual([poolerTlsProblem(pooler({}))]);
    expect(poolerTlsRule(pooler({}))).toHaveLength(1);
    expect(poolerTlsRule(pooler({ parameters: { client_tls_sslmode: 'require' } }))).toEqual([]);
  });
});
