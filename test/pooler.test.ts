import { Duration } from 'cdk8s';
import {
  CnpgSharedCluster, CnpgVersion, ConnectionBudget, PgBouncerPooler, PgBouncerPoolerProps, PodAntiAffinity, PoolerServiceType,
  PoolerType, PoolMode, PreparedStatementUse, Quantity, SslMode, ZoneSpread,
} from '../src';
import { chart, one, ofKind, synth } from './util/synth';
import {
  ALLOWED_PGBOUNCER_PARAMETERS, checkPgBouncerParameter, FORCED_PGBOUNCER_PARAMETERS, OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS,
} from '../src/pooler/pgbouncer-parameters';

/** A cluster on CNPG 1.30 (every pooler field available) or on the library's default (1.27). */
function cluster(operatorVersion = CnpgVersion.V1_30, props: Record<string, unknown> = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion, ...props });
  return { c, db };
}

/** A pooler bound to one database and role (what the budget needs). */
function pooler(db: CnpgSharedCluster, id: string, props: Partial<PgBouncerPoolerProps> = {}): PgBouncerPooler {
  return new PgBouncerPooler(db, id, { cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'], ...props });
}

describe('PgBouncerPooler defaults', () => {
  const { c, db } = cluster();
  const p = pooler(db, 'app-pooler');
  const m = synth(c);
  const spec = one(m, 'Pooler', 'app-pooler').spec;

  test('rw, session mode, 3 replicas, in the cluster\'s namespace', () => {
    expect(one(m, 'Pooler', 'app-pooler').metadata.namespace).toBe('databases');
    expect(spec).toMatchObject({ cluster: { name: 'shared-postgres' }, type: 'rw', instances: 3 });
    expect(spec.pgbouncer.poolMode).toBe('session');
    expect(p.poolMode).toBe(PoolMode.SESSION);
  });

  test('the pod template satisfies the CRD (containers present) with resources and preferred anti-affinity on cnpg.io/poolerName', () => {
    expect(spec.template.spec.containers).toEqual([{ name: 'pgbouncer', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }]);
    expect(spec.template.spec.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } }, topologyKey: 'kubernetes.io/hostname' },
        }],
      },
    });
    expect(spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('rolling updates one replica at a time, without surge (the connection budget counts `instances` replicas)', () => {
    expect(spec.deploymentStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  test('TLS: clients must use TLS, the server certificate is verified with its name (CNPG 1.30)', () => {
    expect(spec.pgbouncer.parameters).toEqual({ client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full' });
  });

  test('pg_hba: plain text rejected first, hostssl for the allowed database/role, the rest rejected before the operator\'s md5 catch-alls', () => {
    expect(spec.pgbouncer.pg_hba).toEqual([
      'hostnossl all all 0.0.0.0/0 reject',
      'hostnossl all all ::/0 reject',
      'hostssl app app 0.0.0.0/0 scram-sha-256',
      'hostssl app app ::/0 scram-sha-256',
      'host all all 0.0.0.0/0 reject',
      'host all all ::/0 reject',
    ]);
  });

  test('no deprecated spec.monitoring: an explicit PodMonitor on the metrics port (9127), with a pooler label', () => {
    expect(spec.monitoring).toBeUndefined();
    const pm = one(m, 'PodMonitor', 'app-pooler');
    expect(pm.metadata.labels).toMatchObject(db.monitoringLabels);
    expect(pm.spec).toEqual({
      selector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } },
      namespaceSelector: { matchNames: ['databases'] },
      podMetricsEndpoints: [{
        port: 'metrics',
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_poolerName'], targetLabel: 'pooler', action: 'replace' }],
      }],
    });
  });

  test('a PodDisruptionBudget allowing one replica down', () => {
    expect(one(m, 'PodDisruptionBudget', 'app-pooler').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } } });
  });

  test('typed outputs: the Service has the pooler\'s name (not <name>-rw); URIs carry no credentials', () => {
    expect(p.endpoint.serviceName).toBe('app-pooler');
    expect(p.endpoint.fqdn).toBe('app-pooler.databases.svc.cluster.local');
    expect(p.endpoint.port).toBe(5432);
    expect(p.endpoint.libpqUri('app')).toBe('postgresql://app-pooler.databases.svc.cluster.local:5432/app?sslmode=verify-full');
    expect(p.endpoint.jdbcUrl('app', SslMode.REQUIRE)).toBe('jdbc:postgresql://app-pooler.databases.svc.cluster.local:5432/app?sslmode=require');
  });

  test('the pooler\'s Service names join the server certificate the operator issues, so clients can verify-full', () => {
    expect(one(m, 'Cluster').spec.certificates).toEqual({
      serverAltDNSNames: ['app-pooler', 'app-pooler.databases', 'app-pooler.databases.svc', 'app-pooler.databases.svc.cluster.local'],
    });
  });

  test('registered on the cluster for monitoring and the budget', () => {
    expect(db.poolers).toEqual([{
      poolerName: 'app-pooler',
      namespace: 'databases',
      instances: 3,
      type: 'rw',
      application: 'app-pooler',
      poolMode: 'session',
      maxClientConnections: 100,
      defaultPoolSize: 20,
      serverConnectionsPerInstance: 21,
    }]);
    expect(p.serverConnectionsPerInstance).toBe(21); // 1 pair × 20 (PgBouncer's default_pool_size) + 1 auth query
  });

  test('no NetworkPolicy unless asked', () => {
    expect(ofKind(m, 'NetworkPolicy')).toEqual([]);
  });
});

describe('PgBouncerPooler options', () => {
  test('ro, transaction mode (max_prepared_statements 200), required anti-affinity, zone spread, resources, service template, paused, image', () => {
    const { c, db } = cluster();
    pooler(db, 'app-pooler-ro', {
      type: PoolerType.READ_ONLY,
      poolMode: PoolMode.TRANSACTION,
      antiAffinity: PodAntiAffinity.REQUIRED,
      zoneSpread: ZoneSpread.REQUIRED,
      resources: { cpuRequest: Quantity.millicores(50), cpuLimit: Quantity.cores(1), memoryRequest: Quantity.mebibytes(64) },
      serviceTemplate: { type: PoolerServiceType.LOAD_BALANCER, annotations: { 'lbipam.cilium.io/ips': '10.0.0.5' } },
      paused: true,
      image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1',
      instances: 4,
      scrapeInterval: Duration.seconds(30),
    });
    const m = synth(c);
    const spec = one(m, 'Pooler', 'app-pooler-ro').spec;
    expect(spec.type).toBe('ro');
    expect(spec.instances).toBe(4);
    expect(spec.pgbouncer).toMatchObject({ poolMode: 'transaction', paused: true, image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1' });
    expect(spec.pgbouncer.parameters.max_prepared_statements).toBe('200');
    expect(spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler-ro' } }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    expect(spec.template.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler-ro' } },
    }]);
    expect(spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1' } });
    expect(spec.serviceTemplate).toEqual({ metadata: { annotations: { 'lbipam.cilium.io/ips': '10.0.0.5' } }, spec: { type: 'LoadBalancer' } });
    expect(one(m, 'PodMonitor').spec.podMetricsEndpoints[0].interval).toBe('30s');
  });

  test('typed parameters and additional ones, each checked and written as PgBouncer reads them', () => {
    const { c, db } = cluster();
    const p = pooler(db, 'app-pooler', {
      poolMode: PoolMode.TRANSACTION,
      parameters: {
        maxClientConnections: 500,
        defaultPoolSize: 10,
        minPoolSize: 2,
        reservePoolSize: 3,
        reservePoolTimeout: Duration.seconds(3),
        maxDbConnections: 12,
        maxUserConnections: 12,
        maxPreparedStatements: 100,
        queryWaitTimeout: Duration.millis(1500),
        idleTransactionTimeout: Duration.minutes(5),
        serverIdleTimeout: Duration.minutes(10),
        serverLifetime: Duration.hours(1),
        serverResetQuery: 'DISCARD ALL',
        serverResetQueryAlways: false,
        applicationNameAddHost: true,
        logConnections: false,
        statsPeriod: Duration.seconds(60),
        ignoreStartupParameters: ['search_path'],
        trackExtraParameters: ['IntervalStyle', 'search_path'],
      },
      additionalParameters: { tcp_keepidle: '30', server_tls_protocols: 'tlsv1.3', dns_max_ttl: '2.5' },
    });
    const params = one(synth(c), 'Pooler').spec.pgbouncer.parameters;
    expect(params).toEqual({
      application_name_add_host: '1',
      client_tls_sslmode: 'require',
      default_pool_size: '10',
      dns_max_ttl: '2.5',
      idle_transaction_timeout: '300',
      ignore_startup_parameters: 'search_path',
      log_connections: '0',
      max_client_conn: '500',
      max_db_connections: '12',
      max_prepared_statements: '100',
      max_user_connections: '12',
      min_pool_size: '2',
      query_wait_timeout: '1.5',
      reserve_pool_size: '3',
      reserve_pool_timeout: '3',
      server_idle_timeout: '600',
      server_lifetime: '3600',
      server_reset_query: 'DISCARD ALL',
      server_reset_query_always: '0',
      server_tls_protocols: 'tlsv1.3',
      server_tls_sslmode: 'verify-full',
      stats_period: '60',
      tcp_keepidle: '30',
      track_extra_parameters: 'IntervalStyle,search_path',
    });
    expect(p.serverConnectionsPerInstance).toBe(13); // min(10 + 3, max_db 12, max_user 12) + 1 auth query
  });

  test('TLS modes and custom certificates (CNPG 1.30): VERIFY_CA server, VERIFY_FULL clients, own Secrets, manual auth query', () => {
    const { c, db } = cluster();
    pooler(db, 'app-pooler', {
      clientTlsMode: SslMode.VERIFY_FULL,
      serverTlsMode: SslMode.VERIFY_CA,
      clientTlsSecret: 'app-pooler-tls',
      clientCaSecret: 'clients-ca',
      serverTlsSecret: 'pgbouncer-client-cert',
      serverCaSecret: 'pg-ca',
      authQuery: 'SELECT usename, passwd FROM public.user_search($1)',
    });
    const m = synth(c);
    const pgb = one(m, 'Pooler').spec.pgbouncer;
    expect(pgb.parameters).toEqual({ client_tls_sslmode: 'verify-full', server_tls_sslmode: 'verify-ca' });
    expect(pgb).toMatchObject({
      clientTLSSecret: { name: 'app-pooler-tls' },
      clientCASecret: { name: 'clients-ca' },
      serverTLSSecret: { name: 'pgbouncer-client-cert' },
      serverCASecret: { name: 'pg-ca' },
      authQuery: 'SELECT usename, passwd FROM public.user_search($1)',
    });
    // Its own certificate: nothing is added to the cluster's.
    expect(one(m, 'Cluster').spec.certificates).toBeUndefined();
  });

  test('CNPG 1.27.0 (the library\'s default target): the TLS modes are forced by that operator, so only pg_hba refuses plain text', () => {
    const { c, db } = cluster(CnpgVersion.V1_27_0);
    pooler(db, 'app-pooler', { poolMode: PoolMode.TRANSACTION });
    const pgb = one(synth(c), 'Pooler').spec.pgbouncer;
    expect(pgb.parameters).toEqual({ max_prepared_statements: '200' });
    expect(pgb.pg_hba[0]).toBe('hostnossl all all 0.0.0.0/0 reject');
  });

  test('CNPG 1.27.1 (the platform\'s operator) has the TLS modes backported (PR #8674): written as on 1.30', () => {
    const { c, db } = cluster(CnpgVersion.V1_27_1);
    pooler(db, 'app-pooler', { poolMode: PoolMode.TRANSACTION });
    const pgb = one(synth(c), 'Pooler').spec.pgbouncer;
    expect(pgb.parameters).toEqual({ client_tls_sslmode: 'require', max_prepared_statements: '200', server_tls_sslmode: 'verify-full' });
    expect(pgb.pg_hba[0]).toBe('hostnossl all all 0.0.0.0/0 reject');
  });

  test('a cluster with its own server certificate gets no alt names (the webhook refuses them with serverTLSSecret)', () => {
    const { c, db } = cluster(CnpgVersion.V1_30, { tls: { serverTlsSecret: 'pg-server', serverCaSecret: 'pg-ca' } });
    pooler(db, 'app-pooler');
    expect(one(synth(c), 'Cluster').spec.certificates.serverAltDNSNames).toBeUndefined();
    expect(db._addServerAltDnsNames(['x'])).toBe(false);
  });

  test('settings: CNPG_POOLER_REPLICAS gives the replicas', () => {
    const c = chart();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ClusterSettings } = require('../src');
    const db = new CnpgSharedCluster(c, 'db', { settings: ClusterSettings.fromData({ CNPG_POOLER_REPLICAS: '4' }) });
    expect(pooler(db, 'app-pooler').instances).toBe(4);
  });

  test('fewer than 3 replicas with the explicit opt-out', () => {
    const { c, db } = cluster();
    pooler(db, 'app-pooler', { instances: 1, acceptReducedAvailability: true });
    expect(one(synth(c), 'Pooler').spec.instances).toBe(1);
  });

  test('transaction mode without max_prepared_statements is fine when the clients do not prepare', () => {
    const { c, db } = cluster();
    pooler(db, 'app-pooler', { poolMode: PoolMode.TRANSACTION, clientPreparedStatements: PreparedStatementUse.NONE, parameters: { maxPreparedStatements: 0 } });
    expect(one(synth(c), 'Pooler').spec.pgbouncer.parameters.max_prepared_statements).toBe('0');
  });

  test('a NetworkPolicy: clients from their namespaces on 5432, scrapers on 9127, egress to the instances, DNS and the API server', () => {
    const { c, db } = cluster();
    pooler(db, 'app-pooler', { networkPolicy: { clientNamespaces: ['app', 'app-jobs'], scraperNamespaces: ['observability'], apiServerCidrs: ['10.0.0.1/32'] } });
    const np = one(synth(c), 'NetworkPolicy', 'app-pooler');
    expect(np.metadata.namespace).toBe('databases');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } });
    expect(np.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(np.spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } }, podSelector: {} },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app-jobs' } }, podSelector: {} },
        ],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: {} }], ports: [{ port: 9127, protocol: 'TCP' }] },
    ]);
    expect(np.spec.egress[0]).toEqual({
      to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'shared-postgres', 'cnpg.io/podRole': 'instance' } } }],
      ports: [{ port: 5432, protocol: 'TCP' }],
    });
    expect(np.spec.egress.slice(1, 3).map((e: any) => e.ports)).toEqual([
      [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    ]);
    expect(np.spec.egress[3]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] });
  });

  test('a NetworkPolicy without egress restriction, scrapers from anywhere', () => {
    const { c, db } = cluster();
    pooler(db, 'app-pooler', { networkPolicy: { clientNamespaces: ['app'], restrictEgress: false } });
    const np = one(synth(c), 'NetworkPolicy', 'app-pooler');
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress[1].from).toEqual([{ namespaceSelector: {}, podSelector: {} }]);
  });

  test('the apiObject escape hatch reaches the Pooler', () => {
    const { db } = cluster();
    expect(pooler(db, 'app-pooler').apiObject.kind).toBe('Pooler');
  });
});

describe('the PgBouncer parameter catalogue (CNPG 1.30 webhook allow-list, PgBouncer 1.24 types)', () => {
  test('the allow-list is the 57 keys of AllowedPgbouncerGenericConfigurationParameters (v1.30.0)', () => {
    expect(ALLOWED_PGBOUNCER_PARAMETERS).toHaveLength(57);
    expect(ALLOWED_PGBOUNCER_PARAMETERS).toContain('max_prepared_statements');
    expect(ALLOWED_PGBOUNCER_PARAMETERS).not.toContain('client_tls_protocols');
    for (const key of Object.keys(FORCED_PGBOUNCER_PARAMETERS)) expect(ALLOWED_PGBOUNCER_PARAMETERS).not.toContain(key);
    expect(OPERATOR_DEFAULT_PGBOUNCER_PARAMETERS.client_tls_sslmode).toBe('prefer');
  });

  test('keys allowed only since CNPG 1.28 are refused for 1.27', () => {
    expect(checkPgBouncerParameter('client_tls_sslmode', 'require', CnpgVersion.V1_27_0)?.problem).toMatch(/is allowed only since CloudNativePG 1\.27\.1; the manifests target operatorVersion 1\.27\.0, whose webhook rejects it/);
    expect(checkPgBouncerParameter('auth_type', 'hba', CnpgVersion.V1_27_0)?.problem).toMatch(/since CloudNativePG 1\.27\.1/);
    expect(checkPgBouncerParameter('client_tls_sslmode', 'require', CnpgVersion.V1_27_1)?.problem).not.toMatch(/allowed only since/);
    // The TLS 1.3 cipher keys: 1.28.2 and later (found by the real webhooks).
    expect(checkPgBouncerParameter('client_tls13_ciphers', 'TLS_AES_256_GCM_SHA384', CnpgVersion.V1_28_1)?.problem).toMatch(/since CloudNativePG 1\.28\.2/);
    expect(checkPgBouncerParameter('client_tls13_ciphers', 'TLS_AES_256_GCM_SHA384', CnpgVersion.V1_28_2)).toBeUndefined();
    expect(checkPgBouncerParameter('tcp_keepidle', '30', CnpgVersion.V1_27)).toBeUndefined();
    expect(checkPgBouncerParameter('max_prepared_statements', '200', CnpgVersion.V1_27)).toBeUndefined();
  });
});

describe('PgBouncerPooler rejects bad input with the path, field, value and fix', () => {
  const at = (props: Partial<PgBouncerPoolerProps>, version = CnpgVersion.V1_30) => () => pooler(cluster(version).db, 'app-pooler', props);
  const cases: Array<[string, () => void, RegExp]> = [
    ['2 replicas', at({ instances: 2 }),
      /PgBouncerPooler at 'test\/shared-postgres\/app-pooler': instances = 2 is fewer than 3: a node drain plus one crash .* Fix: use 3 or more, or set acceptReducedAvailability: true/],
    ['0 replicas even with the opt-out', at({ instances: 0, acceptReducedAvailability: true }), /instances = 0 is not valid: it must be an integer between 1 and 100/],
    ['named like its cluster', at({ poolerName: 'shared-postgres' }), /poolerName = "shared-postgres" is the name of its Cluster, which CloudNativePG's webhook rejects.*Fix: name it e\.g\. "shared-postgres-pooler"/],
    ['name not DNS-1035', at({ poolerName: '1-pooler' }), /poolerName = "1-pooler" is not a DNS-1035 label/],
    ['authQuery alone', at({ authQuery: 'SELECT 1' }), /authQuery = "SELECT 1" needs authQuerySecret or serverTlsSecret/],
    ['authQuerySecret alone', at({ authQuerySecret: 'auth' }), /authQuerySecret = "auth" needs authQuery/],
    ['serverTlsSecret alone', at({ serverTlsSecret: 'tls' }), /serverTlsSecret = "tls" needs authQuery/],
    ['forced key listen_port', at({ additionalParameters: { listen_port: '6432' } }),
      /additionalParameters\.listen_port = "6432" is forced by the operator to "5432": the operator forces 5432, the port of the pooler's Service.*Fix: remove listen_port/],
    ['forced key admin_users', at({ additionalParameters: { admin_users: 'me' } }), /admin_users = "me" is forced by the operator to "pgbouncer"/],
    ['forced key auth_hba_file', at({ additionalParameters: { auth_hba_file: '/x' } }), /auth_hba_file = "\/x" is forced by the operator.*spec\.pgbouncer\.pg_hba/],
    ['template key pool_mode', at({ additionalParameters: { pool_mode: 'statement' } }), /pool_mode = "statement" is not a parameter CloudNativePG lets you set: .*use poolMode/],
    ['template key auth_dbname', at({ additionalParameters: { auth_dbname: 'x' } }), /auth_dbname = "x" is not a parameter CloudNativePG lets you set/],
    ['key outside the allow-list', at({ additionalParameters: { client_tls_protocols: 'tlsv1.3' } }),
      /client_tls_protocols = "tlsv1\.3" is not in the CloudNativePG 1\.30 allow-list \(AllowedPgbouncerGenericConfigurationParameters\): the webhook rejects the Pooler with "Invalid or reserved parameter"/],
    ['auth_type', at({ additionalParameters: { auth_type: 'trust' } }), /auth_type = "trust" must stay "hba"/],
    ['raw client_tls_sslmode', at({ additionalParameters: { client_tls_sslmode: 'prefer' } }), /client_tls_sslmode = "prefer" is set from clientTlsMode/],
    ['raw server_tls_sslmode', at({ additionalParameters: { server_tls_sslmode: 'disable' } }), /server_tls_sslmode = "disable" is set from serverTlsMode/],
    ['integer value', at({ additionalParameters: { tcp_keepidle: '30s' } }), /tcp_keepidle = "30s" is not a whole number from 0 to 2147483647, without leading zeros/],
    ['seconds with a unit', at({ additionalParameters: { dns_max_ttl: '15s' } }), /dns_max_ttl = "15s" is not a number of seconds \(PgBouncer reads a non-negative decimal, without a unit\)/],
    ['boolean value', at({ additionalParameters: { server_fast_close: 'true' } }), /server_fast_close = "true" is not 0 or 1/],
    ['uint value', at({ additionalParameters: { max_packet_size: '-1' } }), /max_packet_size = "-1" is not a whole number from 0 to 4294967295, without leading zeros/],
    ['TLS protocols', at({ additionalParameters: { server_tls_protocols: 'TLS1.3' } }), /server_tls_protocols = "TLS1\.3" is not a PgBouncer TLS protocol list/],
    ['list value', at({ additionalParameters: { track_extra_parameters: 'a b' } }), /track_extra_parameters = "a b" is not a comma-separated list/],
    ['line break', at({ additionalParameters: { server_check_query: 'select\n1' } }), /contains a line break/],
    ['operator\'s startup parameters repeated', at({ parameters: { ignoreStartupParameters: ['extra_float_digits', 'x'] } }),
      /parameters\.ignoreStartupParameters = \["extra_float_digits","x"\] repeats extra_float_digits, which the operator always prepends/],
    ['typed and raw twice', at({ parameters: { defaultPoolSize: 10 }, additionalParameters: { default_pool_size: '5' } }),
      /additionalParameters\.default_pool_size = "5" duplicates parameters\.defaultPoolSize/],
    ['fractional pool size', at({ parameters: { defaultPoolSize: 2.5 } }), /parameters\.defaultPoolSize = 2\.5 is not a whole number of zero or more/],
    ['negative pool size', at({ parameters: { reservePoolSize: -1 } }), /parameters\.reservePoolSize = -1 is not a whole number/],
    ['empty pools', at({ parameters: { defaultPoolSize: 0 } }), /parameters\.defaultPoolSize = 0 leaves the pools without a single server connection/],
    ['min above default', at({ parameters: { defaultPoolSize: 5, minPoolSize: 10 } }), /parameters\.minPoolSize = 10 is larger than defaultPoolSize \(5\); PgBouncer silently caps it/],
    ['no clients', at({ parameters: { maxClientConnections: 0 } }), /parameters\.maxClientConnections = 0 accepts no client at all/],
    ['stats_period fraction', at({ parameters: { statsPeriod: Duration.millis(1500) } }), /parameters\.statsPeriod = "1500ms" is not a whole, positive number of seconds/],
    ['transaction mode, prepared statements, tracking off', at({ poolMode: PoolMode.TRANSACTION, parameters: { maxPreparedStatements: 0 } }),
      /parameters\.maxPreparedStatements = 0 turns off PgBouncer's prepared-statement tracking, but the clients prepare statements at the protocol level.*Fix: set maxPreparedStatements > 0 \(e\.g\. 200, PgBouncer >= 1\.21\), or turn the driver's preparing off and declare clientPreparedStatements: PreparedStatementUse\.NONE/],
    ['transaction mode, SQL-level PREPARE', at({ poolMode: PoolMode.TRANSACTION, clientPreparedStatements: PreparedStatementUse.SQL_LEVEL }),
      /poolMode = "transaction" cannot serve clients that use SQL-level PREPARE\/EXECUTE.*Fix: use PoolMode\.SESSION/],
    ['clientTlsMode on CNPG 1.27.0', at({ clientTlsMode: SslMode.REQUIRE }, CnpgVersion.V1_27_0), /clientTlsMode = "require" needs CloudNativePG 1\.27\.1 or newer.*operatorVersion 1\.27\.0.*Fix: .*CnpgVersion\.V1_27_1/],
    ['serverTlsMode on CNPG 1.27.0', at({ serverTlsMode: SslMode.VERIFY_FULL }, CnpgVersion.V1_27_0), /serverTlsMode = "verify-full" needs CloudNativePG 1\.27\.1 or newer/],
    ['clientTlsSecret on CNPG 1.27.1', at({ clientTlsSecret: 'tls' }, CnpgVersion.V1_27_1), /clientTlsSecret = "tls" needs CloudNativePG 1\.28\.0 or newer \(Pooler spec\.pgbouncer\.clientTLSSecret\)/],
    ['image on CNPG 1.29.1', at({ image: 'pgbouncer:1.24' }, CnpgVersion.V1_29_1), /image = "pgbouncer:1\.24" needs CloudNativePG 1\.30\.0 or newer/],
    ['empty allowedDatabases', at({ allowedDatabases: [] }), /allowedDatabases = "\[\]" is empty: nobody could connect/],
    ['bad role name in pg_hba', at({ allowedRoles: ['App User'] }), /allowedRoles = "App User" is not a PostgreSQL name this library writes into pg_hba/],
    ['NetworkPolicy without clients', at({ networkPolicy: { clientNamespaces: [] } }), /networkPolicy\.clientNamespaces = "\[\]" is empty: no application could connect/],
    ['NetworkPolicy bad namespace', at({ networkPolicy: { clientNamespaces: ['My App'] } }), /networkPolicy namespace = "My App" is not a DNS-1123 label/],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });

  test('the same pooler name twice on one cluster', () => {
    const { db } = cluster();
    pooler(db, 'app-pooler');
    expect(() => new PgBouncerPooler(db, 'other', { cluster: db, poolerName: 'app-pooler' })).toThrow(/poolers = "app-pooler" is declared twice/);
  });
});

describe('the connection budget (checked at synth)', () => {
  test('fits: shares, primary and standby demand', () => {
    const { c, db } = cluster(CnpgVersion.V1_30, { parameters: { maxConnections: 100 } });
    pooler(db, 'a-pooler', { parameters: { defaultPoolSize: 10 } });
    pooler(db, 'a-pooler-ro', { type: PoolerType.READ_ONLY, parameters: { defaultPoolSize: 5, reservePoolSize: 2 } });
    synth(c);
    const budget = ConnectionBudget.of(db);
    expect(budget.available).toBe(100 - 3 - 10);
    expect(budget.shares.map((s) => [s.poolerName, s.type, s.perInstance, s.total])).toEqual([['a-pooler', 'rw', 11, 33], ['a-pooler-ro', 'ro', 8, 24]]);
    expect([budget.primaryDemand, budget.standbyDemand, budget.fits]).toEqual([33, 24, true]);
  });

  test('exceeded on the primary: the error shows every application\'s share and the formula', () => {
    const { c, db } = cluster(CnpgVersion.V1_30, { parameters: { maxConnections: 100 } });
    pooler(db, 'keycloak-pooler', { application: 'keycloak', parameters: { defaultPoolSize: 20, reservePoolSize: 5 } });
    pooler(db, 'harbor-pooler', { application: 'harbor', parameters: { defaultPoolSize: 15 } });
    expect(() => synth(c)).toThrow(new RegExp([
      "CnpgSharedCluster at 'test/shared-postgres': connection budget = the poolers can open 126 server connections on the primary, ",
      'more than the max_connections 100 − superuser_reserved_connections 3 − reservedConnections 10 = 87 it accepts\\. ',
      'Shares: keycloak \\(keycloak-pooler, rw\\): 3 × 26 = 78; harbor \\(harbor-pooler, rw\\): 3 × 16 = 48\\. ',
      'Fix: lower the pools \\(maxDbConnections caps',
    ].join('')));
  });

  test('exceeded on a standby by the read-only poolers', () => {
    const { c, db } = cluster(CnpgVersion.V1_30, { parameters: { maxConnections: 50 }, reservedConnections: 0 });
    pooler(db, 'a-pooler-ro', { type: PoolerType.READ_ONLY });
    pooler(db, 'b-pooler-any', { type: PoolerType.ANY_INSTANCE, parameters: { defaultPoolSize: 5 } });
    expect(() => synth(c)).toThrow(/can open 81 server connections on one standby, more than the max_connections 50 − superuser_reserved_connections 3 − reservedConnections 0 = 47/);
  });

  test('a pooler open to every database and role cannot be bounded', () => {
    const { c, db } = cluster();
    new PgBouncerPooler(db, 'open-pooler', { cluster: db });
    expect(() => synth(c)).toThrow(/connection budget = the pooler\(s\) open-pooler accept every database and role.*give every pooler allowedDatabases and allowedRoles/);
  });

  test('max_db_connections caps a pooler\'s share; reservedConnections is validated', () => {
    const { db } = cluster();
    expect(pooler(db, 'a-pooler', { allowedRoles: ['a', 'b'], parameters: { defaultPoolSize: 20, maxDbConnections: 7 } }).serverConnectionsPerInstance).toBe(8);
    expect(() => cluster(CnpgVersion.V1_30, { reservedConnections: 97 })).toThrow(/reservedConnections = 97 is not valid: it must be an integer between 0 and 96/);
  });
});
