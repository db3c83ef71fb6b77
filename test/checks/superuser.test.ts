import { superuserProblems } from '../../src/checks/superuser';

const ENABLED_FIX = 'set enableSuperuserAccess: false (SuperuserAccess.disabled(), the library\'s default): the operator needs no password, '
  + 'and break-glass access goes through the pod\'s local socket (kubectl cnpg psql)';

describe('superuserProblems (a Cluster as written)', () => {
  test('access enabled without a Secret: the generated <cluster>-superuser Secret is named', () => {
    expect(superuserProblems({ spec: { enableSuperuserAccess: true } })).toEqual([{
      path: 'spec.enableSuperuserAccess',
      value: true,
      problem: 'lets the postgres superuser log in with a password (generated into <cluster>-superuser): anyone who reads that Secret owns every database of the cluster',
      fix: ENABLED_FIX,
    }]);
  });

  test('access enabled with a Secret: that Secret is named, and only the access is reported', () => {
    expect(superuserProblems({ spec: { enableSuperuserAccess: true, superuserSecret: { name: 'pg-root' } } })).toEqual([{
      path: 'spec.enableSuperuserAccess',
      value: true,
      problem: 'lets the postgres superuser log in with a password (from the Secret pg-root): anyone who reads that Secret owns every database of the cluster',
      fix: ENABLED_FIX,
    }]);
  });

  test('a Secret named while access is off (false, unset, or not the boolean true) is a credential kept for nothing', () => {
    const expected = [{
      path: 'spec.superuserSecret',
      value: 'pg-root',
      problem: 'names a superuser Secret while enableSuperuserAccess is off: the operator does not use it, yet a superuser credential is kept in the namespace',
      fix: 'remove spec.superuserSecret and the Secret (or its ExternalSecret), or enable access deliberately',
    }];
    expect(superuserProblems({ spec: { enableSuperuserAccess: false, superuserSecret: { name: 'pg-root' } } })).toEqual(expected);
    expect(superuserProblems({ spec: { superuserSecret: { name: 'pg-root' } } })).toEqual(expected);
    expect(superuserProblems({ spec: { enableSuperuserAccess: 'true', superuserSecret: { name: 'pg-root' } } })).toEqual(expected);
  });

  test('access off without a Secret, or no spec at all: nothing to report', () => {
    expect(superuserProblems({ spec: { enableSuperuserAccess: false } })).toEqual([]);
    expect(superuserProblems({ spec: { superuserSecret: {} } })).toEqual([]);
    expect(superuserProblems({ spec: {} })).toEqual([]);
    expect(superuserProblems({})).toEqual([]);
    expect(superuserProblems(undefined)).toEqual([]);
  });
});
