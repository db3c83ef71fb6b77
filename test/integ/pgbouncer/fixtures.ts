/**
 * The four application Poolers the library will emit, as synthesized YAML objects. This is the ONE
 * place the PgBouncer lab takes them from: swap these for the construct's output (e.g. parse the
 * synthesized manifests and pick the `Pooler` documents) and the lab checks that output instead.
 *
 * Today they are the platform's hand-written poolers (k8s-gitops .../cloudnative-pg/poolers/*.yaml)
 * with the settings the library changes:
 * - `client_tls_sslmode: require` (the operator's default `prefer` lets plain-text clients in);
 * - `server_tls_sslmode: verify-full` (the operator's default is `verify-ca`: the CA, not the name);
 * - `max_prepared_statements` set explicitly for the transaction-mode profiles (PgBouncer >= 1.24
 *   defaults to 200, older images to 0, which breaks protocol-level prepared statements);
 * - `pg_hba`: `hostssl` rules only;
 * - Keycloak (session mode): `server_reset_query: DISCARD ALL` instead of `""`;
 * - no deprecated `spec.monitoring.enablePodMonitor`, and `template.spec.containers: []` (CRD schema).
 */
import type { PoolerManifest } from '../support/pgbouncer-config';

/** The shared CNPG Cluster every pooler points at. */
export const CLUSTER_NAME = 'shared-pg';
export const NAMESPACE = 'cnpg-system';

export interface PoolerProfile {
  /** The application, also the PostgreSQL role and database the lab creates for it. */
  readonly app: string;
  readonly pooler: PoolerManifest;
}

const HOSTSSL_ONLY = [
  'hostssl all all 0.0.0.0/0 scram-sha-256',
  'hostssl all all ::/0 scram-sha-256',
];

/** Parameters common to the hand-written poolers. */
function commonParameters(): Record<string, string> {
  return {
    max_db_connections: '0',
    max_user_connections: '0',
    server_check_query: 'SELECT 1',
    server_check_delay: '30',
    server_connect_timeout: '15',
    server_login_retry: '15',
    query_timeout: '0',
    query_wait_timeout: '120',
    client_idle_timeout: '0',
    idle_transaction_timeout: '0',
    server_idle_timeout: '600',
    server_lifetime: '3600',
    server_round_robin: '0',
    ignore_startup_parameters: 'extra_float_digits,options',
    application_name_add_host: '1',
    stats_period: '60',
    log_connections: '1',
    log_disconnections: '1',
    client_tls_sslmode: 'require',
    server_tls_sslmode: 'verify-full',
  };
}

function pooler(app: string, poolMode: 'session' | 'transaction', parameters: Record<string, string>): PoolerProfile {
  return {
    app,
    pooler: {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: {
        name: `${app}-pooler`,
        namespace: NAMESPACE,
        labels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/component': 'pooler', 'app': app },
      },
      spec: {
        cluster: { name: CLUSTER_NAME },
        instances: 2,
        type: 'rw',
        pgbouncer: {
          poolMode,
          parameters: { ...commonParameters(), ...parameters },
          pg_hba: [...HOSTSSL_ONLY],
        },
        template: {
          metadata: { labels: { app, component: 'pooler' } },
          spec: { containers: [] },
        },
      },
    },
  };
}

export const KEYCLOAK = pooler('keycloak', 'session', {
  max_client_conn: '200',
  default_pool_size: '20',
  min_pool_size: '10',
  reserve_pool_size: '5',
  // Session mode is where PgBouncer runs server_reset_query: when a client disconnects, before
  // the server connection goes to the next client. The hand-written pooler's `""` ("empty for
  // session mode") hands the next client the previous one's SETs, advisory locks, temp tables and
  // prepared statements; the lab shows both.
  server_reset_query: 'DISCARD ALL',
});

export const HARBOR = pooler('harbor', 'transaction', {
  max_client_conn: '200',
  default_pool_size: '15',
  min_pool_size: '5',
  reserve_pool_size: '5',
  server_reset_query: 'DISCARD ALL',
  max_prepared_statements: '200',
});

export const GITLAB = pooler('gitlab', 'transaction', {
  max_client_conn: '300',
  default_pool_size: '25',
  min_pool_size: '10',
  reserve_pool_size: '10',
  server_reset_query: 'DISCARD ALL',
  max_prepared_statements: '200',
});

export const SYNERGYFLOW = pooler('synergyflow', 'transaction', {
  max_client_conn: '150',
  default_pool_size: '10',
  min_pool_size: '5',
  reserve_pool_size: '5',
  server_reset_query: 'DISCARD ALL',
  max_prepared_statements: '200',
});

export const PROFILES: readonly PoolerProfile[] = [KEYCLOAK, HARBOR, GITLAB, SYNERGYFLOW];
