// PgBouncerPooler's own behaviour (issue #17), each chart built inside its test so that per-test
// coverage runs only the tests a mutant reaches (test/pooler.test.ts builds one at describe level):
// every default, every refusal with its whole message, every limit at the limit and one past, the
// version gates on both sides, the shared pooler's pairs, pg_hba and admissions.
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterSettings, CnpgSharedCluster, CnpgSharedClusterProps, CnpgVersion, Credentials, PgBouncerPooler, PgBouncerPoolerProps, PodAntiAffinity,
  PoolerServiceType, PoolerType, PoolMode, PreparedStatementUse, Quantity, SslMode, ZoneSpread,
} from '../../src';
import { checkPoolerName, emptyScrapers, newSharedPooler, poolerHbaRules, poolerHbaRulesOf } from '../../src/pooler/pgbouncer-pooler';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope, chart, ofKind, one, synth } from '../util/synth';

const AT = 'PgBouncerPooler at \'test/db/app-pooler\'';
const py = (snake: string, go: string) => ` (the field is ${snake} in Python, ${go} in Go)`;

function cluster(props: CnpgSharedClusterProps = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'db', { operatorVersion: CnpgVersion.V1_30_0, ...props });
  return { c, db };
}

/** A pooler bound to database and role `app` on a fresh 1.30.0 cluster. */
function build(props: Partial<PgBouncerPoolerProps> = {}, clusterProps: CnpgSharedClusterProps = {}) {
  const { c, db } = cluster(clusterProps);
  const p = new PgBouncerPooler(db, 'app-pooler', { cluster: db, allowedDatabases: ['app'], allowedRoles: ['app'], ...props });
  return { c, db, p };
}

const attempt = (props: Partial<PgBouncerPoolerProps> = {}, clusterProps: CnpgSharedClusterProps = {}) => thrown(() => build(props, clusterProps));
/** The Pooler's spec as written (checked against the CRD of the cluster's release). */
const specOf = (p: PgBouncerPooler) => p.apiObject.toJson().spec;

/** A shared pooler (cluster.addSharedPooler's construct) on a cluster with a secret store. */
function sharedPooler(props: Partial<PgBouncerPoolerProps> = {}, clusterProps: CnpgSharedClusterProps = {}) {
  const { c, db } = cluster({ secretStore: { name: 'store' }, parameters: { maxConnections: 500 }, ...clusterProps });
  const p = newSharedPooler(db, 'shared', { cluster: db, ...props });
  return { c, db, p };
}

/** What an application hands `_admit`. */
function app(name: string, more: Record<string, unknown> = {}) {
  return {
    application: name,
    database: name,
    role: name,
    clientNamespaces: [name],
    requiresSessionMode: false,
    overrideSessionRequirement: false,
    preparedStatements: PreparedStatementUse.NONE,
    profile: 'generic',
    ...more,
  } as any;
}

// First in the file: the first pooler the module builds is not a shared one.
test('a pooler of its own is not shared, from the first one built', () => {
  const { c, p } = build();
  expect(thrown(() => p._admit(new Construct(c, 'scope'), app('a')))).toContain('sharedPooler = "app-pooler" is not a shared pooler');
});

describe('PgBouncerPooler: what it writes by default', () => {
  test('the whole Pooler spec, its metadata and the typed outputs', () => {
    const { c, db, p } = build();
    const m = synth(c);
    const pooler = one(m, 'Pooler', 'app-pooler');
    expect(pooler.metadata).toEqual({
      name: 'app-pooler',
      namespace: 'databases',
      labels: { ...db.commonLabels, 'app.kubernetes.io/component': 'pooler', 'app.kubernetes.io/part-of': 'app-pooler' },
    });
    const podLabels = { ...db.commonLabels, 'app.kubernetes.io/component': 'pooler', 'app.kubernetes.io/part-of': 'app-pooler' };
    delete (podLabels as any)['app.kubernetes.io/name'];
    delete (podLabels as any)['app.kubernetes.io/managed-by'];
    expect(pooler.spec).toEqual({
      cluster: { name: 'db' },
      instances: 3,
      type: 'rw',
      pgbouncer: {
        poolMode: 'session',
        parameters: { client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full' },
        pg_hba: [
          'hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject',
          'hostssl app app 0.0.0.0/0 scram-sha-256', 'hostssl app app ::/0 scram-sha-256',
          'host all all 0.0.0.0/0 reject', 'host all all ::/0 reject',
        ],
      },
      deploymentStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          containers: [{ name: 'pgbouncer', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
        },
      },
    });
    expect(db.commonLabels['app.kubernetes.io/name']).toBeDefined();
    expect(db.commonLabels['app.kubernetes.io/managed-by']).toBeDefined();
    expect([p.poolerName, p.namespace, p.instances, p.type, p.poolMode, p.application]).toEqual(['app-pooler', 'databases', 3, PoolerType.READ_WRITE, PoolMode.SESSION, 'app-pooler']);
    expect(p.parameters).toEqual({ client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full' });
    expect([p.endpoint.serviceName, p.endpoint.namespace, p.endpoint.port, p.endpoint.fqdn]).toEqual(['app-pooler', 'databases', 5432, 'app-pooler.databases.svc.cluster.local']);
    expect(p.apiObject.kind).toBe('Pooler');
    expect(p.authQueryCredentials).toBeUndefined();
    expect(p.networkPolicy).toBeUndefined();
    expect(ofKind(m, 'NetworkPolicy')).toEqual([]);
    expect(p.applications).toEqual([]);
  });

  test('the PodDisruptionBudget and the PodMonitor', () => {
    const { c, db, p } = build();
    const m = synth(c);
    const labels = { ...db.commonLabels, 'app.kubernetes.io/component': 'pooler', 'app.kubernetes.io/part-of': 'app-pooler' };
    expect(one(m, 'PodDisruptionBudget', 'app-pooler')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'app-pooler', namespace: 'databases', labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } } },
    });
    expect(p.podDisruptionBudget.kind).toBe('PodDisruptionBudget');
    const pm = one(m, 'PodMonitor', 'app-pooler');
    expect(p.podMonitor?.kind).toBe('PodMonitor');
    expect(pm.metadata).toEqual({
      name: 'app-pooler',
      namespace: 'databases',
      labels: { ...db.monitoringLabels, 'app.kubernetes.io/component': 'pooler', 'app.kubernetes.io/part-of': 'app-pooler' },
    });
    expect(pm.spec).toEqual({
      selector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } },
      namespaceSelector: { matchNames: ['databases'] },
      podMetricsEndpoints: [{
        port: 'metrics',
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_poolerName'], targetLabel: 'pooler', action: 'replace' }],
      }],
    });
  });

  test('the Service names join the cluster\'s server certificate; registered for the budget', () => {
    const { c, db, p } = build();
    expect(one(synth(c), 'Cluster').spec.certificates).toEqual({
      serverAltDNSNames: ['app-pooler', 'app-pooler.databases', 'app-pooler.databases.svc', 'app-pooler.databases.svc.cluster.local'],
    });
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
    expect(p.serverConnectionsPerInstance).toBe(21);
  });

  test('poolerName defaults to the id; application to the pooler\'s name', () => {
    const { c, db } = cluster();
    const p = new PgBouncerPooler(db, 'pgb', { cluster: db, allowedDatabases: ['a'], allowedRoles: ['a'], poolerName: 'named', application: 'shop' });
    expect([p.poolerName, p.application, p.node.id]).toEqual(['named', 'shop', 'pgb']);
    const m = synth(c);
    expect(one(m, 'Pooler', 'named').metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
    expect(one(m, 'PodMonitor', 'named').metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
    expect(db.poolers[0].application).toBe('shop');
  });

  test('instances: the props, else the settings\' CNPG_POOLER_REPLICAS, else 3', () => {
    const settings = ClusterSettings.fromData({ CNPG_POOLER_REPLICAS: '5' });
    expect(build({}, { settings }).p.instances).toBe(5);
    expect(build({ instances: 4 }, { settings }).p.instances).toBe(4);
    expect(build().p.instances).toBe(3);
    expect(specOf(build({ instances: 4 }).p).instances).toBe(4);
  });
});

describe('PgBouncerPooler: options as written', () => {
  test('labels, type, pool mode, paused, image, resources, required anti-affinity, zone spread, scrape interval', () => {
    const { c, db, p } = build({
      labels: { 'team': 'shop', 'app.kubernetes.io/component': 'proxy' },
      type: PoolerType.ANY_INSTANCE,
      poolMode: PoolMode.TRANSACTION,
      paused: true,
      image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1',
      resources: { cpuRequest: Quantity.millicores(50), memoryLimit: Quantity.mebibytes(64) },
      antiAffinity: PodAntiAffinity.REQUIRED,
      zoneSpread: ZoneSpread.PREFERRED,
      scrapeInterval: Duration.seconds(15),
    });
    const m = synth(c);
    const spec = one(m, 'Pooler', 'app-pooler').spec;
    expect(one(m, 'Pooler', 'app-pooler').metadata.labels).toEqual({ ...db.commonLabels, 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/part-of': 'app-pooler', 'team': 'shop' });
    expect(spec.type).toBe('r');
    expect(p.type).toBe(PoolerType.ANY_INSTANCE);
    expect(spec.pgbouncer).toMatchObject({ poolMode: 'transaction', paused: true, image: 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1' });
    expect(spec.pgbouncer.parameters).toEqual({ client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full', max_prepared_statements: '200' });
    expect(spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '50m' }, limits: { memory: '64Mi' } });
    expect(spec.template.spec.affinity).toEqual({
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } }, topologyKey: 'kubernetes.io/hostname' }] },
    });
    expect(spec.template.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } },
    }]);
    expect(one(m, 'PodMonitor').spec.podMetricsEndpoints[0].interval).toBe('15s');
    expect(one(m, 'PodDisruptionBudget').metadata.labels.team).toBe('shop');
  });

  test('transaction mode: max_prepared_statements 200 unless given; session mode writes none', () => {
    expect(build({ poolMode: PoolMode.TRANSACTION }).p.parameters.max_prepared_statements).toBe('200');
    expect(build({ poolMode: PoolMode.TRANSACTION, parameters: { maxPreparedStatements: 1 } }).p.parameters.max_prepared_statements).toBe('1');
    expect(build({ poolMode: PoolMode.SESSION }).p.parameters.max_prepared_statements).toBeUndefined();
  });

  test('maxClientConnections and the pool size reach the budget\'s registration', () => {
    const { db } = build({ parameters: { maxClientConnections: 700, defaultPoolSize: 7 } });
    expect(db.poolers[0]).toMatchObject({ maxClientConnections: 700, defaultPoolSize: 7, serverConnectionsPerInstance: 8 });
  });

  test('the service template: each part alone', () => {
    const tpl = (serviceTemplate: any) => specOf(build({ serviceTemplate }).p).serviceTemplate;
    expect(tpl(undefined)).toBeUndefined();
    expect(tpl({})).toEqual({});
    expect(tpl({ labels: { a: 'b' } })).toEqual({ metadata: { labels: { a: 'b' } } });
    expect(tpl({ annotations: { a: 'b' } })).toEqual({ metadata: { annotations: { a: 'b' } } });
    expect(tpl({ type: PoolerServiceType.NODE_PORT })).toEqual({ spec: { type: 'NodePort' } });
    expect(tpl({ labels: { a: 'b' }, annotations: { c: 'd' }, type: PoolerServiceType.CLUSTER_IP })).toEqual({
      metadata: { labels: { a: 'b' }, annotations: { c: 'd' } }, spec: { type: 'ClusterIP' },
    });
  });

  test('podMonitor: false writes none', () => {
    const { c, p } = build({ podMonitor: false });
    expect(p.podMonitor).toBeUndefined();
    expect(ofKind(synth(c), 'PodMonitor')).toEqual([]);
    expect(build({ podMonitor: true }).p.podMonitor?.kind).toBe('PodMonitor');
  });

  test('its own client certificate: nothing added to the cluster\'s; the Secrets written by name', () => {
    const { c, p } = build({
      clientTlsSecret: 'pooler-tls', clientCaSecret: 'client-ca', serverTlsSecret: 'pgb-cert', serverCaSecret: 'server-ca', authQuery: 'SELECT 1',
    });
    const m = synth(c);
    expect(one(m, 'Cluster').spec.certificates).toBeUndefined();
    expect(specOf(p).pgbouncer).toEqual({
      poolMode: 'session',
      parameters: { client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full' },
      pg_hba: expect.any(Array),
      authQuery: 'SELECT 1',
      clientTLSSecret: { name: 'pooler-tls' },
      clientCASecret: { name: 'client-ca' },
      serverTLSSecret: { name: 'pgb-cert' },
      serverCASecret: { name: 'server-ca' },
    });
  });

  test('TLS modes as given', () => {
    expect(build({ clientTlsMode: SslMode.VERIFY_CA, serverTlsMode: SslMode.REQUIRE }).p.parameters).toEqual({ client_tls_sslmode: 'verify-ca', server_tls_sslmode: 'require' });
  });
});

describe('PgBouncerPooler: the auth query and its Secret', () => {
  test('authQuerySecret with authQuery', () => {
    expect(specOf(build({ authQuerySecret: 'auth', authQuery: 'SELECT 1' }).p).pgbouncer).toMatchObject({ authQuery: 'SELECT 1', authQuerySecret: { name: 'auth' } });
  });

  test('credentials from an existing Secret are written as authQuerySecret', () => {
    const { p } = build({ authQueryCredentials: Credentials.fromSecret('pg-auth'), authQuery: 'SELECT 1' });
    expect(specOf(p).pgbouncer.authQuerySecret).toEqual({ name: 'pg-auth' });
    expect(p.authQueryCredentials).toBeUndefined();
  });

  test('credentials from the secret store: an ExternalSecret <pooler>-auth-query in the cluster\'s namespace', () => {
    const { c, db, p } = build({ authQueryCredentials: Credentials.fromSecretStore('vault/pg-auth'), authQuery: 'SELECT 1' }, { secretStore: { name: 'store' } });
    expect(specOf(p).pgbouncer.authQuerySecret).toEqual({ name: 'app-pooler-auth-query' });
    expect(p.authQueryCredentials?.secretName).toBe('app-pooler-auth-query');
    const es = one(synth(c), 'ExternalSecret', 'app-pooler-auth-query');
    expect(es.metadata).toEqual({ name: 'app-pooler-auth-query', namespace: 'databases', labels: { ...db.commonLabels, 'app.kubernetes.io/component': 'credentials' } });
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'store' });
  });

  test('the operator\'s credentials: the automated integration, no Secret written', () => {
    const { p } = build({ authQueryCredentials: Credentials.operatorGenerated() });
    expect(specOf(p).pgbouncer.authQuerySecret).toBeUndefined();
    expect(specOf(p).pgbouncer.authQuery).toBeUndefined();
  });

  test('serverTlsSecret with authQuery (the certificate replaces the auth query\'s password)', () => {
    expect(specOf(build({ serverTlsSecret: 'pgb-cert', authQuery: 'SELECT 1' }).p).pgbouncer).toMatchObject({ authQuery: 'SELECT 1', serverTLSSecret: { name: 'pgb-cert' } });
  });

  const needsQuery = (field: string, value: string, snake: string, go: string) => `${AT}: ${field} = "${value}" needs authQuery (CloudNativePG's webhook rejects the Secret without it). `
    + `Fix: give authQuery, e.g. "SELECT usename, passwd FROM public.user_search($1)", or drop the Secret${py(snake, go)}`;

  test('refusals, whole', () => {
    expect(attempt({ authQuerySecret: 'x', authQueryCredentials: Credentials.fromSecret('y') })).toBe(
      `${AT}: authQueryCredentials = "existing-secret" is given with authQuerySecret. Fix: give one of them (Credentials.fromSecret(name) is authQuerySecret)${py('auth_query_credentials', 'AuthQueryCredentials')}`);
    expect(attempt({ authQueryCredentials: Credentials.operatorGenerated(), authQuery: 'SELECT 1' })).toBe(
      `${AT}: authQuery = "SELECT 1" is a manual integration, but authQueryCredentials is the operator's (automated integration). `
      + `Fix: drop authQuery, or give the auth query user's credentials (Credentials.fromSecret or fromSecretStore)${py('auth_query', 'AuthQuery')}`);
    expect(attempt({ authQuery: 'SELECT 1' })).toBe(
      `${AT}: authQuery = "SELECT 1" needs authQuerySecret or serverTlsSecret (CloudNativePG's webhook rejects it alone). `
      + `Fix: give the Secret of the auth query's user, or drop authQuery to keep the operator's automated integration${py('auth_query', 'AuthQuery')}`);
    expect(attempt({ authQuery: '' })).toContain(`${AT}: authQuery = "" needs authQuerySecret or serverTlsSecret`);
    expect(attempt({ authQuerySecret: 'x' })).toBe(needsQuery('authQuerySecret', 'x', 'auth_query_secret', 'AuthQuerySecret'));
    expect(attempt({ authQuerySecret: 'x', authQuery: '' })).toBe(needsQuery('authQuerySecret', 'x', 'auth_query_secret', 'AuthQuerySecret'));
    expect(attempt({ authQueryCredentials: Credentials.fromSecret('y') })).toBe(needsQuery('authQueryCredentials', 'y', 'auth_query_credentials', 'AuthQueryCredentials'));
    expect(attempt({ serverTlsSecret: 'x' })).toBe(needsQuery('serverTlsSecret', 'x', 'server_tls_secret', 'ServerTlsSecret'));
    expect(attempt({ serverTlsSecret: 'x', authQuerySecret: 'y' })).toBe(needsQuery('authQuerySecret', 'y', 'auth_query_secret', 'AuthQuerySecret'));
  });

  test('the secret store is required for credentials from it', () => {
    expect(attempt({ authQueryCredentials: Credentials.fromSecretStore('k'), authQuery: 'SELECT 1' })).toBe(
      'CnpgSharedCluster at \'test/db\': secretStore = (unset) is required by the auth query of pooler "app-pooler", whose credentials come from the secret store. '
      + `Fix: set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE in the settings)${py('secret_store', 'SecretStore')}`);
  });
});

describe('PgBouncerPooler: names and limits', () => {
  test('poolerName: DNS-1035, 63 characters accepted, 64 refused, not its cluster\'s nor one of its Services', () => {
    expect(build({ poolerName: 'a'.repeat(63) }).p.poolerName).toHaveLength(63);
    expect(attempt({ poolerName: 'a'.repeat(64) })).toBe(
      `${AT}: poolerName = "${'a'.repeat(64)}" is 64 characters long, more than the 63 allowed. Fix: use a name of at most 63 characters${py('pooler_name', 'PoolerName')}`);
    expect(attempt({ poolerName: '1x' })).toBe(
      `${AT}: poolerName = "1x" is not a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: use a name such as "x"${py('pooler_name', 'PoolerName')}`);
    expect(attempt({ poolerName: 'db' })).toBe(
      `${AT}: poolerName = "db" is the name of its Cluster, which CloudNativePG's webhook rejects (the pooler's Service would clash with the cluster's). Fix: name it e.g. "db-pooler"${py('pooler_name', 'PoolerName')}`);
    for (const s of ['rw', 'ro', 'r']) {
      expect(attempt({ poolerName: `db-${s}` })).toBe(
        `${AT}: poolerName = "db-${s}" is the name of the cluster's own ${s} Service: the pooler's Service of the same name would replace it. Fix: name it e.g. "db-pooler-${s}"${py('pooler_name', 'PoolerName')}`);
    }
    expect(build({ poolerName: 'db-rx' }).p.poolerName).toBe('db-rx');
  });

  test('checkPoolerName by itself', () => {
    expect(thrown(() => checkPoolerName(boxScope(), 'name', 'pg-ro', 'pg'))).toBe(
      `${BOX_PATH}: name = "pg-ro" is the name of the cluster's own ro Service: the pooler's Service of the same name would replace it. Fix: name it e.g. "pg-pooler-ro"`);
    expect(thrown(() => checkPoolerName(boxScope(), 'name', 'pg-r', 'pg'))).toContain('own r Service');
    expect(thrown(() => checkPoolerName(boxScope(), 'name', 'pg-rw', 'pg'))).toContain('own rw Service');
    expect(thrown(() => checkPoolerName(boxScope(), 'name', 'pg-rww', 'pg'))).toBe('(nothing thrown)');
    expect(thrown(() => checkPoolerName(boxScope(), 'name', 'pg', 'pg'))).toBe('(nothing thrown)');
  });

  test('instances: 1 and 100 accepted (1 and 2 with the opt-out), 0, 101 and 2.5 refused, 2 refused without the opt-out', () => {
    expect(build({ instances: 100 }).p.instances).toBe(100);
    expect(build({ instances: 3 }).p.instances).toBe(3);
    expect(build({ instances: 1, acceptReducedAvailability: true }).p.instances).toBe(1);
    expect(build({ instances: 2, acceptReducedAvailability: true }).p.instances).toBe(2);
    const invalid = (n: number) => `${AT}: instances = ${n} is not valid: it must be an integer between 1 and 100. Fix: give 3 or more replicas`;
    expect(attempt({ instances: 101 })).toBe(invalid(101));
    expect(attempt({ instances: 0, acceptReducedAvailability: true })).toBe(invalid(0));
    expect(attempt({ instances: 2.5 })).toBe(invalid(2.5));
    expect(attempt({ instances: 2 })).toBe(
      `${AT}: instances = 2 is fewer than 3: a node drain plus one crash (or, with one replica, any rollout) leaves app-pooler without a pooler. `
      + 'Fix: use 3 or more, or set acceptReducedAvailability: true for a development cluster');
    expect(attempt({ instances: 2, application: 'shop' })).toContain('leaves shop without a pooler');
    expect(attempt({ instances: 2, acceptReducedAvailability: false })).toContain('instances = 2 is fewer than 3');
    expect(attempt({}, { settings: ClusterSettings.fromData({ CNPG_POOLER_REPLICAS: '2' }) })).toContain('instances = 2 is fewer than 3');
  });

  test('the Secret names: each field checked, 253 characters accepted, 254 refused', () => {
    const fields: Array<[keyof PgBouncerPoolerProps, string, string, Partial<PgBouncerPoolerProps>]> = [
      ['clientTlsSecret', 'client_tls_secret', 'ClientTlsSecret', {}], ['clientCaSecret', 'client_ca_secret', 'ClientCaSecret', {}],
      ['serverTlsSecret', 'server_tls_secret', 'ServerTlsSecret', { authQuery: 'SELECT 1' }], ['serverCaSecret', 'server_ca_secret', 'ServerCaSecret', {}],
      ['authQuerySecret', 'auth_query_secret', 'AuthQuerySecret', { authQuery: 'SELECT 1' }],
    ];
    for (const [field, snake, go, more] of fields) {
      expect(attempt({ [field]: 'A', ...more })).toBe(
        `${AT}: ${field} = "A" is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: use a name such as "a"${py(snake, go)}`);
      expect(attempt({ [field]: 'a'.repeat(254), ...more })).toBe(
        `${AT}: ${field} = "${'a'.repeat(254)}" is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters${py(snake, go)}`);
      expect(attempt({ [field]: 'a'.repeat(253), ...more })).toBe('(nothing thrown)');
    }
  });

  test('a read-only or any-instance pooler needs its cluster Service; a read-write one always has it', () => {
    const ro = { managedServices: { disableReadOnlyService: true } };
    const r = { managedServices: { disableReadService: true } };
    const disabled = (t: string) => `${AT}: type = "${t}" forwards to the cluster's -${t} Service, which managedServices disables: PgBouncer would have no server to connect to. `
      + `Fix: keep the -${t} Service (drop it from managedServices), or use another pooler type`;
    expect(attempt({ type: PoolerType.READ_ONLY }, ro)).toBe(disabled('ro'));
    expect(attempt({ type: PoolerType.ANY_INSTANCE }, r)).toBe(disabled('r'));
    expect(attempt({ type: PoolerType.ANY_INSTANCE }, ro)).toBe('(nothing thrown)');
    expect(attempt({ type: PoolerType.READ_ONLY }, r)).toBe('(nothing thrown)');
    expect(attempt({}, { managedServices: { disableReadOnlyService: true, disableReadService: true } })).toBe('(nothing thrown)');
  });

  test('a prop of the wrong type names the construct', () => {
    expect(attempt({ instances: 'x' as any })).toBe(`${AT}: instances = "x" is a string, where a number goes. Fix: give a number`);
  });

  test('a cluster that is not the library\'s, named by its field', () => {
    const { c, db } = cluster();
    const handMade = Object.assign(Object.create(db), { _registerPooler: undefined });
    expect(thrown(() => new PgBouncerPooler(c, 'app-pooler', { cluster: handMade }))).toMatch(
      /^PgBouncerPooler at 'test\/app-pooler': cluster = .* is not a cluster of this library\. Fix: pass a CnpgSharedCluster \(or use its addApplication\/addBackup\/addMonitoring methods\)$/s);
  });
});

describe('PgBouncerPooler: version gates on both sides', () => {
  const gate = (field: string, value: string, first: string, crd: string, target: string, snakeGo: string) =>
    `${AT}: ${field} = "${value}" needs CloudNativePG ${first} or newer (Pooler ${crd}), but the manifests target operatorVersion ${target}, whose CRD does not have it. `
    + `Fix: upgrade the operator and set operatorVersion: CnpgVersion.V${first.replace(/\./g, '_')} (or the settings' CNPG_OPERATOR_VERSION), or leave ${field} unset${snakeGo}`;

  test('the TLS Secrets from 1.28.0, the image from 1.30.0', () => {
    const v1271 = { operatorVersion: CnpgVersion.V1_27_1 };
    const both = { authQuery: 'SELECT 1', authQuerySecret: 'auth' };
    expect(attempt({ clientTlsSecret: 'x' }, v1271)).toBe(gate('clientTlsSecret', 'x', '1.28.0', 'spec.pgbouncer.clientTLSSecret', '1.27.1', py('client_tls_secret', 'ClientTlsSecret')));
    expect(attempt({ clientCaSecret: 'x' }, v1271)).toBe(gate('clientCaSecret', 'x', '1.28.0', 'spec.pgbouncer.clientTLSSecret', '1.27.1', py('client_ca_secret', 'ClientCaSecret')));
    expect(attempt({ serverTlsSecret: 'x', ...both }, v1271)).toBe(gate('serverTlsSecret', 'x', '1.28.0', 'spec.pgbouncer.serverTLSSecret', '1.27.1', py('server_tls_secret', 'ServerTlsSecret')));
    expect(attempt({ serverCaSecret: 'x' }, v1271)).toBe(gate('serverCaSecret', 'x', '1.28.0', 'spec.pgbouncer.serverTLSSecret', '1.27.1', py('server_ca_secret', 'ServerCaSecret')));
    expect(attempt({ image: 'pgbouncer:1' }, { operatorVersion: CnpgVersion.V1_29_1 })).toBe(gate('image', 'pgbouncer:1', '1.30.0', 'spec.pgbouncer.image', '1.29.1', ''));
    const v1280 = { operatorVersion: CnpgVersion.V1_28_0 };
    for (const field of ['clientTlsSecret', 'clientCaSecret', 'serverTlsSecret', 'serverCaSecret']) expect(attempt({ [field]: 'x', ...both }, v1280)).toBe('(nothing thrown)');
    expect(attempt({ image: 'pgbouncer:1' })).toBe('(nothing thrown)');
  });

  test('the TLS modes: settable from 1.27.1, refused on 1.27.0 and not written there', () => {
    const v1270 = { operatorVersion: CnpgVersion.V1_27_0 };
    const refused = (field: string, value: string, snake: string, go: string) => `${AT}: ${field} = "${value}" needs CloudNativePG 1.27.1 or newer `
      + '(client_tls_sslmode/server_tls_sslmode are settable since 1.27.1), but the manifests target operatorVersion 1.27.0. '
      + `Fix: upgrade the operator and set operatorVersion (e.g. CnpgVersion.V1_27_1), or leave it unset (the pg_hba rules still refuse plain-text clients)${py(snake, go)}`;
    expect(attempt({ clientTlsMode: SslMode.REQUIRE }, v1270)).toBe(refused('clientTlsMode', 'require', 'client_tls_mode', 'ClientTlsMode'));
    expect(attempt({ serverTlsMode: SslMode.VERIFY_CA }, v1270)).toBe(refused('serverTlsMode', 'verify-ca', 'server_tls_mode', 'ServerTlsMode'));
    expect(build({}, v1270).p.parameters).toEqual({});
    const v1271 = { operatorVersion: CnpgVersion.V1_27_1 };
    expect(build({ clientTlsMode: SslMode.VERIFY_FULL, serverTlsMode: SslMode.VERIFY_CA }, v1271).p.parameters).toEqual({
      client_tls_sslmode: 'verify-full', server_tls_sslmode: 'verify-ca',
    });
    expect(build({}, { operatorVersion: CnpgVersion.V1_27_1 }).p.parameters).toEqual({ client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full' });
  });

  test('the Pooler is checked against its cluster\'s release: a 1.30 field refused on 1.29.1 when written through an escape hatch', () => {
    const { c, p } = build({}, { operatorVersion: CnpgVersion.V1_29_1 });
    p.apiObject.addOverride('spec.pgbouncer.image', 'pgbouncer:1');
    expect(thrown(() => synth(c))).toContain('Pooler spec.pgbouncer.image = "pgbouncer:1" is not a field of the Pooler CRD of CloudNativePG 1.29.1');
  });
});

describe('PgBouncerPooler: the rules checked on the Pooler as written', () => {
  test('a parameter outside the allow-list, added through an escape hatch', () => {
    const { c, p } = build();
    p.apiObject.addOverride('spec.pgbouncer.parameters.client_tls_protocols', 'tlsv1.3');
    expect(thrown(() => synth(c))).toContain('spec.pgbouncer.parameters.client_tls_protocols = "tlsv1.3" is not in the CloudNativePG 1.30 allow-list');
  });

  test('a parameter allowed only since 1.27.1, on 1.27.0', () => {
    const { c, p } = build({}, { operatorVersion: CnpgVersion.V1_27_0 });
    p.apiObject.addOverride('spec.pgbouncer.parameters.client_tls_sslmode', 'require');
    expect(thrown(() => synth(c))).toContain('client_tls_sslmode = "require" is allowed only since CloudNativePG 1.27.1');
  });

  test('a refused field (the deprecated monitoring) and a TLS mode that lets plain text in', () => {
    const a = build();
    a.p.apiObject.addOverride('spec.monitoring.enablePodMonitor', true);
    expect(thrown(() => synth(a.c))).toContain('Pooler spec.monitoring');
    const b = build();
    b.p.apiObject.addOverride('spec.pgbouncer.parameters.client_tls_sslmode', 'prefer');
    expect(thrown(() => synth(b.c))).toBe('(nothing thrown)');
    b.p.apiObject.addOverride('spec.pgbouncer.pg_hba', ['hostssl all all 0.0.0.0/0 scram-sha-256']);
    expect(thrown(() => synth(b.c))).toContain('Pooler spec.pgbouncer.parameters.client_tls_sslmode = "prefer" lets plain-text clients in');
  });
});

describe('PgBouncerPooler: prepared statements against the pool mode', () => {
  const sqlLevel = `${AT}: poolMode = "transaction" cannot serve clients that use SQL-level PREPARE/EXECUTE: PgBouncer does not track them in transaction mode, `
    + `so EXECUTE lands on a server connection without the statement. Fix: use PoolMode.SESSION for this application${py('pool_mode', 'PoolMode')}`;
  const trackingOff = `${AT}: parameters.maxPreparedStatements = 0 turns off PgBouncer's prepared-statement tracking, but the clients prepare statements at the protocol level: `
    + 'in transaction mode they fail with "prepared statement ... does not exist" or "... already exists". '
    + 'Fix: set maxPreparedStatements > 0 (e.g. 200, PgBouncer >= 1.21), or turn the driver\'s preparing off and declare clientPreparedStatements: PreparedStatementUse.NONE'
    + py('parameters.max_prepared_statements', 'Parameters.MaxPreparedStatements');

  test('transaction mode: SQL-level refused; protocol level needs max_prepared_statements 1 or more (the default)', () => {
    const tx = { poolMode: PoolMode.TRANSACTION };
    expect(attempt({ ...tx, clientPreparedStatements: PreparedStatementUse.SQL_LEVEL })).toBe(sqlLevel);
    expect(attempt({ ...tx, parameters: { maxPreparedStatements: 0 } })).toBe(trackingOff);
    const protocol = PreparedStatementUse.PROTOCOL_LEVEL;
    expect(attempt({ ...tx, clientPreparedStatements: protocol, parameters: { maxPreparedStatements: 0 } })).toBe(trackingOff);
    expect(attempt({ ...tx, parameters: { maxPreparedStatements: 1 } })).toBe('(nothing thrown)');
    expect(attempt({ ...tx, clientPreparedStatements: PreparedStatementUse.NONE, parameters: { maxPreparedStatements: 0 } })).toBe('(nothing thrown)');
    expect(attempt({ ...tx, additionalParameters: { max_prepared_statements: '0' } })).toBe(trackingOff);
  });

  test('session mode is not checked', () => {
    expect(attempt({ clientPreparedStatements: PreparedStatementUse.SQL_LEVEL, parameters: { maxPreparedStatements: 0 } })).toBe('(nothing thrown)');
    expect(attempt({ clientPreparedStatements: PreparedStatementUse.PROTOCOL_LEVEL, parameters: { maxPreparedStatements: 0 } })).toBe('(nothing thrown)');
  });
});

describe('PgBouncerPooler: pg_hba', () => {
  test('the allowed lists: names deduplicated and joined, limits, Flux variables', () => {
    const hba = (allowedDatabases?: string[], allowedRoles?: string[]) => build({ allowedDatabases, allowedRoles }).p.hbaRules;
    expect(hba(['a', 'b', 'a'], ['r'])[2]).toBe('hostssl a,b r 0.0.0.0/0 scram-sha-256');
    expect(hba(['_a$-9'], ['${APP_ROLE}'])[3]).toBe('hostssl _a$-9 ${APP_ROLE} ::/0 scram-sha-256');
    expect(hba(['a'.repeat(63)], ['r'])[2]).toBe(`hostssl ${'a'.repeat(63)} r 0.0.0.0/0 scram-sha-256`);
    expect(hba(undefined, undefined)).toEqual([
      'hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject', 'hostssl all all 0.0.0.0/0 scram-sha-256', 'hostssl all all ::/0 scram-sha-256',
    ]);
    expect(hba(['a'], undefined)).toHaveLength(6);
    expect(hba(undefined, ['r'])[2]).toBe('hostssl all r 0.0.0.0/0 scram-sha-256');
    const bad = (field: string, v: string, snake: string, go: string) => `${AT}: ${field} = ${JSON.stringify(v)} is not a PostgreSQL name this library writes into pg_hba `
      + `(lower-case letters, digits, "_", "-", "$"; at most 63). Fix: use the database or role name as PostgreSQL knows it${py(snake, go)}`;
    for (const v of ['a'.repeat(64), 'A', '1a', '$a', '-a', 'a b', 'a,b', '']) {
      expect(attempt({ allowedDatabases: ['ok', v] })).toBe(bad('allowedDatabases', v, 'allowed_databases', 'AllowedDatabases'));
    }
    expect(attempt({ allowedRoles: ['x\ny'] })).toBe(bad('allowedRoles', 'x\ny', 'allowed_roles', 'AllowedRoles'));
    expect(attempt({ allowedDatabases: ['a'], allowedRoles: ['ok\n'] })).toBe(bad('allowedRoles', 'ok\n', 'allowed_roles', 'AllowedRoles'));
    expect(attempt({ allowedDatabases: [] })).toBe(
      `${AT}: allowedDatabases = "[]" is empty: nobody could connect. Fix: list at least one name, or leave it unset for all${py('allowed_databases', 'AllowedDatabases')}`);
    expect(attempt({ allowedRoles: [] })).toBe(
      `${AT}: allowedRoles = "[]" is empty: nobody could connect. Fix: list at least one name, or leave it unset for all${py('allowed_roles', 'AllowedRoles')}`);
  });

  test('unbounded without both lists: no share in the budget', () => {
    expect(build({ allowedDatabases: undefined }).p.serverConnectionsPerInstance).toBeUndefined();
    expect(build({ allowedRoles: undefined }).p.serverConnectionsPerInstance).toBeUndefined();
    expect(build({ allowedDatabases: ['a', 'b'], allowedRoles: ['x', 'y', 'x'] }).p.serverConnectionsPerInstance).toBe(4 * 20 + 1);
  });

  test('poolerHbaRules and poolerHbaRulesOf by themselves', () => {
    expect(poolerHbaRules('all', 'all')).toEqual([
      'hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject', 'hostssl all all 0.0.0.0/0 scram-sha-256', 'hostssl all all ::/0 scram-sha-256',
    ]);
    expect(poolerHbaRules(['a', 'b'], 'all')).toEqual([
      'hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject', 'hostssl a,b all 0.0.0.0/0 scram-sha-256', 'hostssl a,b all ::/0 scram-sha-256',
      'host all all 0.0.0.0/0 reject', 'host all all ::/0 reject',
    ]);
    expect(poolerHbaRules('all', ['r', 's'])[5]).toBe('host all all ::/0 reject');
    expect(poolerHbaRules('all', ['r', 's'])[2]).toBe('hostssl all r,s 0.0.0.0/0 scram-sha-256');
    expect(poolerHbaRulesOf([])).toEqual(['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject', 'host all all 0.0.0.0/0 reject', 'host all all ::/0 reject']);
    expect(poolerHbaRulesOf([['a', 'x'], ['b', 'y']])).toEqual([
      'hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject',
      'hostssl a x 0.0.0.0/0 scram-sha-256', 'hostssl a x ::/0 scram-sha-256', 'hostssl b y 0.0.0.0/0 scram-sha-256', 'hostssl b y ::/0 scram-sha-256',
      'host all all 0.0.0.0/0 reject', 'host all all ::/0 reject',
    ]);
  });
});

describe('PgBouncerPooler: the NetworkPolicy', () => {
  test('the whole policy with every default', () => {
    const { c, db, p } = build({ networkPolicy: { clientNamespaces: ['shop', 'shop-jobs', 'shop'] } });
    const np = one(synth(c), 'NetworkPolicy', 'app-pooler');
    expect(p.networkPolicy?.kind).toBe('NetworkPolicy');
    const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
    const dns = [{ port: 53, protocol: 'UDP' }, ...tcp(53)];
    expect(np).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'app-pooler', namespace: 'databases', labels: { ...db.commonLabels, 'app.kubernetes.io/component': 'pooler', 'app.kubernetes.io/part-of': 'app-pooler' } },
      spec: {
        podSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-pooler' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: ['shop', 'shop-jobs'].map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } }, podSelector: {} })),
            ports: tcp(5432),
          },
          { from: [{ namespaceSelector: {}, podSelector: {} }], ports: tcp(9127) },
        ],
        egress: [
          { to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } } }], ports: tcp(5432) },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: dns },
          { to: [{ ipBlock: { cidr: '::/0' } }], ports: dns },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443, 6443) },
          { to: [{ ipBlock: { cidr: '::/0' } }], ports: tcp(443, 6443) },
        ],
      },
    });
  });

  test('scrapers, API server ranges (a Flux variable passes), egress open', () => {
    const np = (networkPolicy: any) => build({ networkPolicy }).p.networkPolicy!.toJson().spec;
    const a = np({ clientNamespaces: ['shop'], scraperNamespaces: ['monitoring', 'vm'], apiServerCidrs: ['10.0.0.1/32', '${API_CIDR}'] });
    expect(a.ingress[1].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['monitoring', 'vm']);
    expect(a.egress.slice(3).map((e: any) => e.to[0].ipBlock.cidr)).toEqual(['10.0.0.1/32', '${API_CIDR}']);
    const b = np({ clientNamespaces: ['shop'], restrictEgress: false });
    expect(b.policyTypes).toEqual(['Ingress']);
    expect(b.egress).toBeUndefined();
    expect(np({ clientNamespaces: ['shop'], restrictEgress: true }).egress).toHaveLength(5);
  });

  test('refusals, whole', () => {
    const np = (networkPolicy: any) => attempt({ networkPolicy });
    expect(np({ clientNamespaces: [] })).toBe(
      `${AT}: networkPolicy.clientNamespaces = "[]" is empty: no application could connect. Fix: list the namespaces of the application's pods${py('network_policy.client_namespaces', 'NetworkPolicy.ClientNamespaces')}`);
    expect(np({ clientNamespaces: ['a'], scraperNamespaces: [] })).toBe(
      `${AT}: networkPolicy.scraperNamespaces = [] is empty: in a NetworkPolicy rule an empty list of peers admits every source, not none. `
      + 'Fix: list the namespaces of the metrics scrapers (e.g. ["monitoring"]), or leave it unset to admit any namespace on the metrics port'
      + py('network_policy.scraper_namespaces', 'NetworkPolicy.ScraperNamespaces'));
    const badNs = (v: string) => `${AT}: networkPolicy namespace = "${v}" is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: use a name such as "a"`;
    expect(np({ clientNamespaces: ['a', 'A'] })).toBe(badNs('A'));
    expect(np({ clientNamespaces: ['a'], scraperNamespaces: ['A'] })).toBe(badNs('A'));
    expect(np({ clientNamespaces: ['a'], apiServerCidrs: ['10.0.0.1/32', '10.0.0.1'] })).toBe(
      `${AT}: networkPolicy.apiServerCidrs[1] = "10.0.0.1" is not an IPv4 or IPv6 CIDR (the API server rejects the NetworkPolicy). `
      + `Fix: give the API server's range, e.g. "10.96.0.1/32" or "fd00:10:96::1/128"${py('network_policy.api_server_cidrs[1]', 'NetworkPolicy.ApiServerCidrs[1]')}`);
    expect(np({ clientNamespaces: ['a'], apiServerCidrs: ['x'] })).toContain('networkPolicy.apiServerCidrs[0] = "x" is not');
    expect(np({ clientNamespaces: ['a'], restrictEgress: false, apiServerCidrs: ['x'] })).toBe('(nothing thrown)');
  });

  test('emptyScrapers by itself', () => {
    expect(emptyScrapers(boxScope(), 'scrapers').message).toBe(
      `${BOX_PATH}: scrapers = [] is empty: in a NetworkPolicy rule an empty list of peers admits every source, not none. `
      + 'Fix: list the namespaces of the metrics scrapers (e.g. ["monitoring"]), or leave it unset to admit any namespace on the metrics port');
  });
});

describe('a shared pooler: pairs, pg_hba, NetworkPolicy and admissions', () => {
  test('empty at synth: refused, whole', () => {
    const { c } = sharedPooler();
    expect(thrown(() => synth(c))).toContain(
      '[test/db/shared] PgBouncerPooler at \'test/db/shared\': applications = "[]" is empty: the shared pooler serves no database. '
      + 'Fix: add applications with cluster.addApplication(name, { sharedPooler }) or give allowedDatabases and allowedRoles');
  });

  test('with explicit lists and no application: its pairs, no refusal', () => {
    const { c, p } = sharedPooler({ allowedDatabases: ['a', 'b'], allowedRoles: ['x', 'y'] });
    expect(p.hbaRules.slice(2, 4)).toEqual(['hostssl a,b x,y 0.0.0.0/0 scram-sha-256', 'hostssl a,b x,y ::/0 scram-sha-256']);
    expect(p.serverConnectionsPerInstance).toBe(4 * 20 + 1);
    expect(one(synth(c), 'Pooler', 'shared').spec.pgbouncer.pg_hba).toHaveLength(6);
  });

  test('applications admitted: one rule each, their pairs in the pools, their namespaces in the policy', () => {
    const { c, p } = sharedPooler({ allowedDatabases: ['ops'], allowedRoles: ['ops'], networkPolicy: { clientNamespaces: ['ops'] } });
    const scope = new Construct(c, 'scope');
    p._admit(scope, app('a', { clientNamespaces: ['a', 'ops'] }));
    p._admit(scope, app('b'));
    p._admit(scope, app('c', { database: 'ops', role: 'ops' }));
    expect(p.applications).toEqual(['a', 'b', 'c']);
    expect(p.hbaRules).toEqual(poolerHbaRulesOf([['ops', 'ops'], ['a', 'a'], ['b', 'b'], ['ops', 'ops']]));
    expect(p.serverConnectionsPerInstance).toBe(3 * 20 + 1);
    const np = p.networkPolicy!.toJson().spec;
    expect(np.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['ops', 'a', 'b', 'c']);
  });

  test('a shared pooler open to every role still counts the pairs of its applications', () => {
    const { c, p } = sharedPooler({ allowedDatabases: ['ops'] });
    p._admit(new Construct(c, 'scope'), app('a'));
    expect(p.hbaRules).toEqual(poolerHbaRulesOf([['a', 'a']]));
    expect(p.serverConnectionsPerInstance).toBe(20 + 1);
  });

  test('a shared pooler open to every database counts the pairs of its applications only', () => {
    const { c, p } = sharedPooler({ allowedRoles: ['ops'] });
    p._admit(new Construct(c, 'scope'), app('a'));
    expect(p.hbaRules).toEqual(poolerHbaRulesOf([['a', 'a']]));
    expect(p.serverConnectionsPerInstance).toBe(20 + 1);
  });

  test('_admit counts only the pairs of the admitted role', () => {
    const { c, p } = sharedPooler({ allowedDatabases: ['ops'], allowedRoles: ['ops'] });
    const scope = new Construct(c, 'scope');
    expect(p._admit(scope, app('a'))).toBe(3 * 20);
    expect(p._admit(scope, app('b', { role: 'ops' }))).toBe(3 * 2 * 20);
  });

  test('a shared NetworkPolicy without client namespaces: refused at synth when no application joined', () => {
    const { c, p } = sharedPooler({ allowedDatabases: ['ops'], allowedRoles: ['ops'], networkPolicy: { clientNamespaces: [] } });
    expect(thrown(() => synth(c))).toContain(
      'PgBouncerPooler at \'test/db/shared\': networkPolicy.clientNamespaces = "[]" is empty: no application could connect. Fix: list the namespaces of the applications\' pods');
    p._admit(new Construct(c, 'scope'), app('a'));
    expect(thrown(() => synth(c))).toBe('(nothing thrown)');
  });

  test('_admit returns the role\'s server connections on one instance: pools, max_user_connections, max_db_connections', () => {
    const admit = (parameters: any, more: Record<string, unknown> = {}, props: Partial<PgBouncerPoolerProps> = {}) => {
      const { c, p } = sharedPooler({ parameters, ...props });
      return p._admit(new Construct(c, 'scope'), app('a', more));
    };
    expect(admit({})).toBe(3 * 20);
    expect(admit({ defaultPoolSize: 10, reservePoolSize: 2 })).toBe(3 * 12);
    expect(admit({ defaultPoolSize: 10, maxUserConnections: 4 })).toBe(3 * 4);
    expect(admit({ defaultPoolSize: 10, maxDbConnections: 5 })).toBe(3 * 5);
    expect(admit({ defaultPoolSize: 10, maxDbConnections: 11, maxUserConnections: 12 })).toBe(3 * 10);
    expect(admit({}, {}, { instances: 4 })).toBe(4 * 20);
    // The role's pairs: the explicit lists' and its own, its databases for max_db_connections.
    expect(admit({ defaultPoolSize: 10, maxDbConnections: 15 }, {}, { allowedDatabases: ['x', 'y'], allowedRoles: ['a'] })).toBe(3 * Math.min(3 * 10, 3 * 15));
    expect(admit({ defaultPoolSize: 10, maxDbConnections: 4 }, {}, { allowedDatabases: ['x', 'y'], allowedRoles: ['a'] })).toBe(3 * 3 * 4);
    expect(admit({ defaultPoolSize: 10 }, {}, { allowedDatabases: ['a'], allowedRoles: ['a'] })).toBe(3 * 10);
  });

  test('_admit refusals, whole', () => {
    const at = 'Construct at \'test/scope\'';
    const sp = py('shared_pooler', 'SharedPooler');
    const { c, p } = sharedPooler({ poolMode: PoolMode.TRANSACTION });
    const scope = new Construct(c, 'scope');
    p._admit(scope, app('a'));
    expect(thrown(() => p._admit(scope, app('a')))).toBe(`${at}: sharedPooler = "shared" already serves a. Fix: add each application once${sp}`);
    expect(thrown(() => p._admit(scope, app('b', { poolMode: PoolMode.SESSION })))).toBe(
      `${at}: poolMode = "session" differs from the shared pooler's transaction (one pool mode per pooler). Fix: drop poolMode, or give the application a pooler of its own${py('pool_mode', 'PoolMode')}`);
    expect(thrown(() => p._admit(scope, app('b', { poolMode: PoolMode.TRANSACTION })))).toBe('(nothing thrown)');
    expect(thrown(() => p._admit(scope, app('c', { requiresSessionMode: true, profile: 'keycloak' })))).toBe(
      `${at}: sharedPooler = "shared" pools in transaction mode, which is not safe for the keycloak profile (it relies on session state). `
      + `Fix: share a session-mode pooler, give the application a pooler of its own, or set overrideSessionRequirement: true${sp}`);
    expect(thrown(() => p._admit(scope, app('c', { requiresSessionMode: true, overrideSessionRequirement: true })))).toBe('(nothing thrown)');
    expect(thrown(() => p._admit(scope, app('d', { preparedStatements: PreparedStatementUse.SQL_LEVEL })))).toBe(
      `${at}: preparedStatements = "sql-level" needs session mode, but the shared pooler pools transactions. Fix: share a session-mode pooler${py('prepared_statements', 'PreparedStatements')}`);
    expect(thrown(() => p._admit(scope, app('d', { preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL })))).toBe('(nothing thrown)');
    expect(p.applications).toEqual(['a', 'b', 'c', 'd']);
  });

  test('_admit: protocol-level statements need max_prepared_statements above 0 in transaction mode; session mode takes anything', () => {
    const at = 'Construct at \'test/scope\'';
    const none = PreparedStatementUse.NONE;
    const tx = sharedPooler({ poolMode: PoolMode.TRANSACTION, parameters: { maxPreparedStatements: 0 }, clientPreparedStatements: none });
    expect(thrown(() => tx.p._admit(new Construct(tx.c, 'scope'), app('a', { preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL })))).toBe(
      `${at}: preparedStatements = "protocol-level" prepares statements at the protocol level, but the shared pooler has max_prepared_statements 0 (transaction mode). `
      + `Fix: set maxPreparedStatements > 0 on the shared pooler, or turn the driver's preparing off${py('prepared_statements', 'PreparedStatements')}`);
    expect(thrown(() => tx.p._admit(new Construct(tx.c, 'scope2'), app('b')))).toBe('(nothing thrown)');
    const one1 = sharedPooler({ poolMode: PoolMode.TRANSACTION, parameters: { maxPreparedStatements: 1 } });
    expect(thrown(() => one1.p._admit(new Construct(one1.c, 'scope'), app('a', { preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL })))).toBe('(nothing thrown)');
    const session = sharedPooler({ parameters: { maxPreparedStatements: 0 } });
    const scope = new Construct(session.c, 'scope');
    expect(thrown(() => session.p._admit(scope, app('a', { preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL, requiresSessionMode: true })))).toBe('(nothing thrown)');
    expect(thrown(() => session.p._admit(scope, app('b', { preparedStatements: PreparedStatementUse.SQL_LEVEL })))).toBe('(nothing thrown)');
    expect(thrown(() => session.p._admit(scope, app('c', { poolMode: PoolMode.TRANSACTION })))).toContain('poolMode = "transaction" differs from the shared pooler\'s session');
  });

  test('a pooler of its own admits no application', () => {
    const { c, p } = build();
    expect(thrown(() => p._admit(new Construct(c, 'scope'), app('a')))).toBe(
      'Construct at \'test/scope\': sharedPooler = "app-pooler" is not a shared pooler. Fix: create it with cluster.addSharedPooler(name, options)' + py('shared_pooler', 'SharedPooler'));
  });

  test('the shared flag does not leak to the next pooler, even when the shared one fails', () => {
    const { c, db } = cluster({ secretStore: { name: 'store' } });
    expect(thrown(() => newSharedPooler(db, 'bad', { cluster: db, instances: 0 }))).toContain('instances = 0 is not valid');
    expect(thrown(() => newSharedPooler(db, 'worse', undefined as any))).toBe(
      'PgBouncerPooler at \'test/db/worse\': props = (unset) is required. Fix: give an object with the props of PgBouncerPoolerProps (required: cluster)');
    const own = new PgBouncerPooler(db, 'own', { cluster: db, allowedDatabases: ['a'], allowedRoles: ['a'] });
    expect(thrown(() => own._admit(new Construct(c, 'scope'), app('a')))).toContain('is not a shared pooler');
    const shared = newSharedPooler(db, 'shared', { cluster: db });
    const after = new PgBouncerPooler(db, 'after', { cluster: db, allowedDatabases: ['a'], allowedRoles: ['a'] });
    expect(thrown(() => shared._admit(new Construct(c, 'scope2'), app('a')))).toBe('(nothing thrown)');
    expect(thrown(() => after._admit(new Construct(c, 'scope3'), app('b')))).toContain('is not a shared pooler');
  });
});

describe('PgBouncerPooler: more edges', () => {
  test('the construct paths of the objects it writes (what errors and escape hatches name)', () => {
    const { p } = build({ networkPolicy: { clientNamespaces: ['a'] }, authQueryCredentials: Credentials.fromSecretStore('k'), authQuery: 'SELECT 1' }, { secretStore: { name: 's' } });
    expect([p.apiObject, p.podDisruptionBudget, p.podMonitor!, p.networkPolicy!, p.authQueryCredentials!].map((o) => o.node.path)).toEqual([
      'test/db/app-pooler/Resource', 'test/db/app-pooler/PodDisruptionBudget', 'test/db/app-pooler/PodMonitor', 'test/db/app-pooler/NetworkPolicy',
      'test/db/app-pooler/AuthQueryCredentials',
    ]);
  });

  test('a LoadBalancer Service', () => {
    expect(specOf(build({ serviceTemplate: { type: PoolerServiceType.LOAD_BALANCER } }).p).serviceTemplate).toEqual({ spec: { type: 'LoadBalancer' } });
  });

  test('the credentials and the resources are checked under their fields', () => {
    expect(attempt({ authQueryCredentials: Credentials.fromSecret('A'), authQuery: 'SELECT 1' })).toBe(
      `${AT}: authQueryCredentials.secretName = "A" is not a Secret name (a DNS-1123 subdomain). Fix: give the Secret's name, e.g. "harbor-db-credentials"`
      + py('auth_query_credentials.secret_name', 'AuthQueryCredentials.SecretName'));
    expect(attempt({ resources: { cpuRequest: Quantity.millicores(200), cpuLimit: Quantity.millicores(100) } })).toMatch(
      /^PgBouncerPooler at 'test\/db\/app-pooler': resources\.cpuRequest = "200m" is above cpuLimit \(100m\)/);
  });

  test('a pooler of its own open to every database and role fails the budget only (not as an empty shared pooler)', () => {
    const { c, db } = cluster();
    new PgBouncerPooler(db, 'open', { cluster: db });
    const message = thrown(() => synth(c));
    expect(message).toContain('connection budget = the pooler(s) open accept every database and role');
    expect(message).not.toContain('applications = "[]"');
  });

  test('the Pooler\'s rules read a Pooler whose pgbouncer section an escape hatch removed', () => {
    const { c, p } = build();
    p.apiObject.addDeletionOverride('spec.pgbouncer');
    expect(thrown(() => synth(c))).toMatch(/^CheckedApiObject at 'test\/db\/app-pooler\/Resource': Pooler spec\.pgbouncer/);
    const b = build();
    b.p.apiObject.addDeletionOverride('spec');
    expect(thrown(() => synth(b.c))).toMatch(/^CheckedApiObject at 'test\/db\/app-pooler\/Resource': Pooler spec/);
  });
});
