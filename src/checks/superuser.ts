import type { SchemaProblem } from './schema';

/**
 * Password access for the `postgres` superuser. The library writes `enableSuperuserAccess: false`
 * unless asked for break-glass access (SuperuserAccess); a hand-written Cluster that enables it, or
 * that names a superuser Secret without enabling it (a credential kept for nothing), is reported
 * by `ManifestAudit`.
 */

/**
 * The Cluster's own superuser settings: access enabled, or a Secret named while access is off.
 *
 * @internal
 */
export function superuserProblems(cluster: any): SchemaProblem[] {
  const spec = cluster?.spec ?? {};
  const secret = spec.superuserSecret?.name;
  if (spec.enableSuperuserAccess === true) {
    return [{
      path: 'spec.enableSuperuserAccess',
      value: true,
      problem: `lets the postgres superuser log in with a password${secret ? ` (from the Secret ${secret})` : ' (generated into <cluster>-superuser)'}: anyone who reads that Secret owns every database of the cluster`,
      fix: 'set enableSuperuserAccess: false (SuperuserAccess.disabled(), the library\'s default): the operator needs no password, and break-glass access goes through the pod\'s local socket (kubectl cnpg psql)',
    }];
  }
  if (secret) {
    return [{
      path: 'spec.superuserSecret',
      value: secret,
      problem: 'names a superuser Secret while enableSuperuserAccess is off: the operator does not use it, yet a superuser credential is kept in the namespace',
      fix: 'remove spec.superuserSecret and the Secret (or its ExternalSecret), or enable access deliberately',
    }];
  }
  return [];
}
