import { Construct } from 'constructs';
import { PoolMode } from './pgbouncer-parameters';
import { checkPoolerName, emptyScrapers, newSharedPooler, PgBouncerPooler, PoolerOptions, PoolerType } from './pgbouncer-pooler';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { invalidInput } from '../common/errors';

/** Options of {@link CnpgSharedCluster.addSharedPooler}. */
export interface SharedPoolerOptions extends PoolerOptions {
  /**
   * The pool mode of every application that joins (one per pooler). An application whose
   * profile needs session mode cannot join a transaction-mode pooler.
   *
   * @default PoolMode.SESSION - every application works; TRANSACTION when every one keeps no
   * session state
   */
  readonly poolMode?: PoolMode;
  /**
   * The Service the pooler forwards to.
   *
   * @default PoolerType.READ_WRITE
   */
  readonly poolerType?: PoolerType;
  /**
   * Databases reachable besides the applications' own (with `allowedRoles`: every listed role
   * reaches every listed database), e.g. a reporting database.
   *
   * @default - only the applications' databases, each by its own role
   */
  readonly allowedDatabases?: string[];
  /**
   * Roles that may log in besides the applications' (with `allowedDatabases`).
   *
   * @default - only the applications' roles
   */
  readonly allowedRoles?: string[];
  /**
   * Write a NetworkPolicy: the applications' namespaces (and `clientNamespaces`) may connect.
   *
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Namespaces allowed to connect besides the applications' own.
   *
   * @default - only the applications' namespaces
   */
  readonly clientNamespaces?: string[];
  /**
   * Namespaces allowed to scrape the pooler's metrics (9127).
   *
   * @default - any namespace
   */
  readonly scraperNamespaces?: string[];
  /**
   * The Kubernetes API server's address ranges, for the egress rule.
   *
   * @default ['0.0.0.0/0', '::/0'] (ports 443 and 6443 only)
   */
  readonly apiServerCidrs?: string[];
}

/**
 * One pooler for several applications (what every real pooler configuration does): each
 * application that joins (`cluster.addApplication(name, { sharedPooler })`) adds its database and
 * role as one pair to pg_hba (its role reaches its own database only), to the pools counted in
 * the connection budget, and its namespaces to the NetworkPolicy.
 *
 * @internal
 */
export function addSharedPooler(scope: Construct, cluster: ICnpgCluster, name: string, options: SharedPoolerOptions): PgBouncerPooler {
  if ((options.allowedDatabases === undefined) !== (options.allowedRoles === undefined)) {
    throw invalidInput(scope, options.allowedDatabases === undefined ? 'allowedDatabases' : 'allowedRoles', undefined,
      'is needed with the other list: each listed role reaches each listed database', 'give both allowedDatabases and allowedRoles, or neither');
  }
  const { networkPolicy, clientNamespaces, scraperNamespaces, apiServerCidrs, poolerType, ...pooler } = options;
  if (scraperNamespaces !== undefined && scraperNamespaces.length === 0) throw emptyScrapers(scope, 'scraperNamespaces');
  checkPoolerName(scope, 'name', name, cluster.clusterName);
  if (poolerType === PoolerType.READ_ONLY && cluster.instances === 1) {
    throw invalidInput(scope, 'poolerType', poolerType, 'is READ_ONLY on a cluster of one instance: its -ro Service has no endpoints (there is no standby), so the pooler could never connect',
      'use PoolerType.READ_WRITE (the default), or run the cluster with instances of 2 or more');
  }
  return newSharedPooler(scope, name, {
    ...pooler,
    type: poolerType,
    cluster,
    poolerName: name,
    application: name,
    networkPolicy: (networkPolicy ?? true) ? { clientNamespaces: clientNamespaces ?? [], scraperNamespaces, apiServerCidrs } : undefined,
  });
}
