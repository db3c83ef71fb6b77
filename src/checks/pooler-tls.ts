import type { SchemaProblem } from './schema';

/**
 * Whether a Pooler refuses plain-text clients. CloudNativePG's PgBouncer defaults to
 * `client_tls_sslmode=prefer` and appends `host all all 0.0.0.0/0 md5` and `host all all ::/0 md5`
 * to its HBA file (pkg/management/pgbouncer/config), which match plain-text connections: TLS is
 * enforced only by `client_tls_sslmode` require/verify-ca/verify-full (settable since 1.27.1), or by
 * `pg_hba` rules that reject `hostnossl` (IPv4 and IPv6) before any rule that admits a client.
 * PgBouncerPooler writes both where the release allows; its rule and `ManifestAudit` use this.
 */

const ENFORCING_MODES = ['require', 'verify-ca', 'verify-full'];

/** Whether the pg_hba rules reject every plain-text client before admitting anyone. */
function hbaRejectsPlainText(rules: unknown): boolean {
  if (!Array.isArray(rules)) return false;
  const covered = new Set<string>();
  for (const raw of rules) {
    if (typeof raw !== 'string') return false;
    // Blank lines, comments and `local` rules are neither a reject nor a rule that admits a TCP client.
    const [type, db, user, address, method] = raw.trim().split(/\s+/);
    if (type === 'hostnossl' && db === 'all' && user === 'all' && method === 'reject') {
      if (address === 'all') return true;
      covered.add(address);
      if (covered.has('0.0.0.0/0') && covered.has('::/0')) return true;
      continue;
    }
    // Any rule that can admit a plain-text client before both rejects: not enforced.
    if ((type === 'host' || type === 'hostnossl') && method !== 'reject') return false;
  }
  return false;
}

/**
 * The problem of a Pooler (as written) that lets plain-text clients in, or undefined.
 *
 * @internal
 */
export function poolerTlsProblem(pooler: any): SchemaProblem | undefined {
  const pgb = pooler?.spec?.pgbouncer ?? {};
  const mode = pgb.parameters?.client_tls_sslmode;
  if (typeof mode === 'string' && ENFORCING_MODES.includes(mode)) return undefined;
  if (hbaRejectsPlainText(pgb.pg_hba)) return undefined;
  return {
    path: mode === undefined ? 'spec.pgbouncer' : 'spec.pgbouncer.parameters.client_tls_sslmode',
    value: mode,
    problem: `lets plain-text clients in: client_tls_sslmode is ${mode === undefined ? '"prefer" (the operator\'s default)' : JSON.stringify(mode)}, `
      + 'and no pg_hba rule rejects hostnossl connections before the operator\'s own "host all all 0.0.0.0/0 md5"',
    fix: 'set spec.pgbouncer.parameters.client_tls_sslmode to "require" (CloudNativePG 1.27.1 and newer), '
      + 'and put "hostnossl all all 0.0.0.0/0 reject" and "hostnossl all all ::/0 reject" first in spec.pgbouncer.pg_hba',
  };
}

/** The rule of a Pooler as written (CheckedApiObject rules). @internal */
export function poolerTlsRule(json: any): SchemaProblem[] {
  const p = poolerTlsProblem(json);
  return p ? [p] : [];
}
