import { PGBOUNCER_DEFAULTS } from '../pooler/pgbouncer-parameters';

/**
 * The connection budget's arithmetic, on numbers: what the poolers of a cluster can open against
 * what its instances accept. `ConnectionBudget` (registered PgBouncerPoolers) and `ManifestAudit`
 * (Pooler manifests) both compute with it, so the sentences are the same.
 *
 * Each instance accepts `max_connections − superuser_reserved_connections − reservedConnections`.
 * The primary receives the `rw` and `r` poolers' connections; one standby can receive every `ro`
 * and `r` pooler's. A pooler opens at most `instances × perInstance`, where one replica's pools are
 * the database/role pairs it serves × (default_pool_size + reserve_pool_size), capped by
 * max_db_connections × databases and max_user_connections × roles, plus one auth-query connection.
 */

/** Server connections PgBouncer's auth_query pool holds per replica, as the budget counts it. @internal */
export const AUTH_QUERY_CONNECTIONS = 1;

/** The reservedConnections the library keeps out of the poolers' reach by default. @internal */
export const DEFAULT_RESERVED_CONNECTIONS = 10;

/** PostgreSQL's defaults of the two limits. @internal */
export const POSTGRES_CONNECTION_DEFAULTS = { max_connections: 100, superuser_reserved_connections: 3 };

/** The pool settings one replica's bound depends on. @internal */
export interface PoolSizes {
  readonly defaultPoolSize: number;
  readonly reservePoolSize: number;
  readonly maxDbConnections: number;
  readonly maxUserConnections: number;
}

/** A database and a role a pooler lets clients reach together (one PgBouncer pool). @internal */
export interface PoolPair {
  readonly database: string;
  readonly role: string;
}

/**
 * The most server connections one replica can open: its pools (the database/role pairs it
 * serves × (default_pool_size + reserve_pool_size)), capped by max_db_connections × databases and
 * max_user_connections × roles, plus one for the auth query; undefined when the pairs are not
 * bounded (`all`).
 *
 * @internal
 */
export function serverConnectionsPerInstance(pairs: readonly PoolPair[] | undefined, pool: PoolSizes): number | undefined {
  if (pairs === undefined) return undefined;
  const bounds = [pairs.length * (pool.defaultPoolSize + pool.reservePoolSize)];
  if (pool.maxDbConnections > 0) bounds.push(new Set(pairs.map((p) => p.database)).size * pool.maxDbConnections);
  if (pool.maxUserConnections > 0) bounds.push(new Set(pairs.map((p) => p.role)).size * pool.maxUserConnections);
  return Math.min(...bounds) + AUTH_QUERY_CONNECTIONS;
}

/** One pooler's share, as the budget counts it. @internal */
export interface BudgetShare {
  readonly poolerName: string;
  readonly application: string;
  readonly type: string;
  readonly instances: number;
  readonly perInstance?: number;
  readonly total?: number;
}

/** What the instances accept. @internal */
export interface BudgetLimits {
  readonly maxConnections: number;
  readonly superuserReservedConnections: number;
  readonly reservedConnections: number;
}

/** The budget's figures and its problems (one sentence each). @internal */
export interface BudgetResult {
  readonly available: number;
  readonly shares: BudgetShare[];
  readonly primaryDemand: number;
  readonly standbyDemand: number;
  readonly unbounded: string[];
  readonly problems: string[];
}

/** A share from a pooler's replicas and one replica's bound. @internal */
export function budgetShare(poolerName: string, application: string, type: string, instances: number, perInstance: number | undefined): BudgetShare {
  return { poolerName, application, type, instances, perInstance, total: perInstance === undefined ? undefined : instances * perInstance };
}

/** The budget of a cluster's limits against its poolers' shares. @internal */
export function connectionBudget(limits: BudgetLimits, shares: BudgetShare[]): BudgetResult {
  const available = limits.maxConnections - limits.superuserReservedConnections - limits.reservedConnections;
  const sum = (types: string[]) => shares.filter((s) => types.includes(s.type)).reduce((a, s) => a + (s.total ?? 0), 0);
  const primaryDemand = sum(['rw', 'r']);
  const standbyDemand = sum(['ro', 'r']);
  const unbounded = shares.filter((s) => s.total === undefined).map((s) => s.poolerName);
  const problems: string[] = [];
  const formula = `max_connections ${limits.maxConnections} − superuser_reserved_connections ${limits.superuserReservedConnections} − reservedConnections ${limits.reservedConnections} = ${available}`;
  const lines = (types: string[]) => shares.filter((s) => types.includes(s.type) && s.total !== undefined)
    .map((s) => `${s.application} (${s.poolerName}, ${s.type}): ${s.instances} × ${s.perInstance} = ${s.total}`).join('; ');
  if (unbounded.length) {
    problems.push(`the pooler(s) ${unbounded.join(', ')} accept every database and role, so the server connections they can open have no bound`);
  }
  if (primaryDemand > available) {
    problems.push(`the poolers can open ${primaryDemand} server connections on the primary, more than the ${formula} it accepts. Shares: ${lines(['rw', 'r'])}`);
  }
  if (standbyDemand > available) {
    problems.push(`the poolers can open ${standbyDemand} server connections on one standby, more than the ${formula} it accepts. Shares: ${lines(['ro', 'r'])}`);
  }
  return { available, shares, primaryDemand, standbyDemand, unbounded, problems };
}

/** A PgBouncer integer parameter of a Pooler as written, or PgBouncer's default. */
function intParam(params: any, key: keyof typeof PGBOUNCER_DEFAULTS): number | undefined {
  const v = params?.[key];
  if (v === undefined) return PGBOUNCER_DEFAULTS[key];
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The database/role pairs a Pooler's pg_hba admits (rules of type host/hostssl whose method is not
 * `reject`, each rule's databases × its roles); undefined when a rule admits `all`. Without such
 * a rule, the operator's own `host all all 0.0.0.0/0 md5` admits everyone.
 */
function admittedPairs(rules: unknown): PoolPair[] | undefined {
  const pairs = new Map<string, PoolPair>();
  for (const raw of Array.isArray(rules) ? rules : []) {
    const f = String(raw).trim().split(/\s+/);
    if (!['host', 'hostssl'].includes(f[0]) || f[4] === 'reject' || f.length < 5) continue;
    const dbs = f[1].split(',');
    const roles = f[2].split(',');
    if (dbs.includes('all') || roles.includes('all')) return undefined;
    for (const database of dbs) for (const role of roles) pairs.set(`${database}\0${role}`, { database, role });
  }
  return pairs.size ? [...pairs.values()] : undefined;
}

/**
 * A Pooler manifest's share: its replicas (CloudNativePG's default 1), its type, and one
 * replica's bound from its pg_hba and parameters. `perPairBound` is what one replica opens for a
 * single database/role pair, the least an unbounded pooler can open when it is used at all.
 * Undefined when a value is not known (an unresolved Flux variable).
 *
 * @internal
 */
export function poolerShareOfManifest(pooler: any): { share: BudgetShare; perPairBound: number } | undefined {
  const spec = pooler?.spec ?? {};
  const instances = spec.instances ?? 1;
  if (typeof instances !== 'number') return undefined;
  const params = spec.pgbouncer?.parameters ?? {};
  const sizes = {
    defaultPoolSize: intParam(params, 'default_pool_size'),
    reservePoolSize: intParam(params, 'reserve_pool_size'),
    maxDbConnections: intParam(params, 'max_db_connections'),
    maxUserConnections: intParam(params, 'max_user_connections'),
  };
  if (Object.values(sizes).some((v) => v === undefined)) return undefined;
  const pool = sizes as PoolSizes;
  const pairs = admittedPairs(spec.pgbouncer?.pg_hba);
  const name = String(pooler?.metadata?.name);
  const application = pooler?.metadata?.labels?.['app.kubernetes.io/part-of'] ?? pooler?.metadata?.labels?.app ?? name;
  return {
    share: budgetShare(name, String(application), String(spec.type ?? 'rw'), instances, serverConnectionsPerInstance(pairs, pool)),
    perPairBound: serverConnectionsPerInstance([{ database: '', role: '' }], pool)!,
  };
}
