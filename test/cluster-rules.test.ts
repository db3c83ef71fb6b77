/**
 * The Cluster kind rules (src/cluster/cluster-rules.ts) called on Clusters as written (plain
 * JSON, as an escape hatch leaves them): each rule of the operator's webhook the library copies,
 * each library refusal, with the whole problem (path, value, problem, fix) and its limits on both
 * sides. How the typed props reach the same rules is tested in test/cluster-options.test.ts; that
 * the real webhooks agree is tested by test/integ/real-systems.
 */
import { webhookPgBytes } from '../src/checks/cluster-rules';
import {
  clusterProblems, clusterRules, imageTag, REFUSED_CLUSTER_FIELDS, REFUSED_POOLER_FIELDS, refusedFieldProblems, reservedEnvironmentVariable,
  tagVersion, tolerationProblems,
} from '../src/cluster/cluster-rules';

/** A Cluster as written: its name, the spec and the metadata given. */
const cluster = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', ...metadata }, spec });
const problem = (path: string, value: unknown, text: string, fix: string) => ({ path, value, problem: text, fix });
const params = (parameters: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  clusterProblems(cluster({ ...spec, postgresql: { parameters } }));

describe('a valid Cluster', () => {
  test('has no problem, and nothing given is nothing to check', () => {
    expect(clusterProblems(cluster({ instances: 3 }))).toEqual([]);
    expect(clusterProblems({})).toEqual([]);
    expect(clusterProblems(undefined)).toEqual([]);
    expect(clusterProblems({ spec: { postgresql: { parameters: 'x' } } })).toEqual([]);
  });

  test('clusterRules: the shared webhook rules, then these', () => {
    const rules = clusterRules();
    expect(rules).toHaveLength(2);
    const json = cluster({ instances: 1, primaryUpdateStrategy: 'supervised' });
    expect(rules[1](json)).toEqual(clusterProblems(json));
    expect(rules[1](json)).toHaveLength(1);
  });
});

describe('fields the library refuses even through escape hatches', () => {
  const PODMONITOR = REFUSED_CLUSTER_FIELDS[0];
  test('each with its reason and fix; false, empty and zero values are not refused', () => {
    expect(clusterProblems(cluster({ monitoring: { enablePodMonitor: true } }))).toEqual([problem('spec.monitoring.enablePodMonitor', true,
      'is deprecated since CloudNativePG 1.30 (the webhook warns, a later release removes it), and the library writes its own PodMonitor (addMonitoring): both would scrape every instance twice',
      'use cluster.addMonitoring() (its podMonitor, relabelings and metricRelabelings options)')]);
    expect(PODMONITOR.field).toBe('spec.monitoring.enablePodMonitor');
    const off = { enablePodMonitor: false, podMonitorRelabelings: [], podMonitorMetricRelabelings: [] };
    expect(clusterProblems(cluster({ monitoring: off }))).toEqual([]);
    expect(clusterProblems(cluster({ monitoring: { enablePodMonitor: 'true', podMonitorRelabelings: 'x' } }))).toEqual([]);
    const relabeling = [{ action: 'drop' }];
    expect(clusterProblems(cluster({ monitoring: { podMonitorRelabelings: relabeling, podMonitorMetricRelabelings: relabeling } }))).toEqual([
      problem('spec.monitoring.podMonitorRelabelings', relabeling, 'configures the deprecated operator-managed PodMonitor, which the library does not use',
        'give the relabelings to cluster.addMonitoring({ relabelings })'),
      problem('spec.monitoring.podMonitorMetricRelabelings', relabeling, 'configures the deprecated operator-managed PodMonitor, which the library does not use',
        'give the metric relabelings to cluster.addMonitoring({ metricRelabelings })'),
    ]);
    const legacy = 'is the legacy synchronous replication setting; the operator refuses it together with spec.postgresql.synchronous, which the library writes';
    expect(clusterProblems(cluster({ instances: 3, minSyncReplicas: 1, maxSyncReplicas: 2 }))).toEqual([
      problem('spec.minSyncReplicas', 1, legacy, 'use the replication prop (SynchronousReplication.any({ number }))'),
      problem('spec.maxSyncReplicas', 2, legacy, 'use the replication prop (SynchronousReplication.any({ number }))'),
    ]);
    expect(clusterProblems(cluster({ instances: 3, minSyncReplicas: 0, maxSyncReplicas: 0 }))).toEqual([]);
    expect(clusterProblems(cluster({ instances: 3, minSyncReplicas: '1', maxSyncReplicas: '2' }))).toEqual([]);
  });

  test('a path through null or a missing object finds nothing', () => {
    expect(refusedFieldProblems({ spec: { monitoring: null } }, REFUSED_CLUSTER_FIELDS)).toEqual([]);
    expect(refusedFieldProblems({ spec: null }, REFUSED_CLUSTER_FIELDS)).toEqual([]);
    expect(refusedFieldProblems(undefined, REFUSED_CLUSTER_FIELDS)).toEqual([]);
  });

  test('the Pooler\'s', () => {
    const relabeling = [{ action: 'drop' }];
    const monitoring = { enablePodMonitor: true, podMonitorRelabelings: relabeling, podMonitorMetricRelabelings: relabeling };
    expect(refusedFieldProblems({ spec: { monitoring } }, REFUSED_POOLER_FIELDS)).toEqual([
      problem('spec.monitoring.enablePodMonitor', true,
        'is deprecated since CloudNativePG 1.30 (the webhook warns), and the library writes the pooler\'s own PodMonitor: both would scrape every replica twice',
        'keep the library\'s PodMonitor (podMonitor, scrapeInterval), or turn it off with podMonitor: false and scrape the pooler some other way'),
      ...['podMonitorRelabelings', 'podMonitorMetricRelabelings'].map((f) => problem(`spec.monitoring.${f}`, relabeling,
        'configures the deprecated operator-managed PodMonitor, which the library does not use',
        'add the relabeling to the library\'s PodMonitor (pooler.podMonitor.addOverride(\'spec.podMetricsEndpoints.0.relabelings\', [...]))')),
    ]);
    expect(refusedFieldProblems({ spec: { monitoring: { enablePodMonitor: false, podMonitorRelabelings: [], podMonitorMetricRelabelings: 'x' } } },
      REFUSED_POOLER_FIELDS)).toEqual([]);
  });
});

describe('validateName: a DNS-1035 label of at most 50 characters', () => {
  const refused = (name: string) => [problem('metadata.name', name,
    'is not a DNS-1035 label of at most 50 characters, which CloudNativePG requires of a Cluster\'s name', 'use e.g. "shared-postgres"')];
  test.each(['a', 'db', 'a-b', 'a1', `a${'b'.repeat(49)}`])('%s is accepted', (name) => {
    expect(clusterProblems(cluster({}, { name }))).toEqual([]);
  });
  test.each([`a${'b'.repeat(50)}`, 'Db', '1db', 'db-', '-db', 'd_b', 'd.b', ' db', 'db '])('%s is refused', (name) => {
    expect(clusterProblems(cluster({}, { name }))).toEqual(refused(name));
  });
  test('a Flux variable or a name that is not a string is not checked', () => {
    expect(clusterProblems(cluster({}, { name: '${CLUSTER_NAME}' }))).toEqual([]);
    expect(clusterProblems(cluster({}, { name: 1 }))).toEqual([]);
  });
});

describe('validateConfiguration: parameters', () => {
  test('names: a GUC name, optionally with one namespace', () => {
    for (const key of ['work_mem', '_x', 'X1', 'a$', 'pg_stat_statements.max', 'a.b_$1']) expect(params({ [key]: '1' })).toEqual([]);
    for (const key of ['1x', '$x', 'a.b.c', 'a.', '.a', 'a-b', 'a b', 'a.1b', 'work_mem ']) {
      expect(params({ [key]: '1' })).toEqual([problem(`spec.postgresql.parameters.${key}`, '1',
        'is not a PostgreSQL parameter name (a GUC name, optionally namespaced with one dot)', 'use the parameter\'s PostgreSQL name, e.g. "log_min_duration_statement"')]);
    }
  });

  test('the operator\'s fixed parameters, shared_preload_libraries with its own fix', () => {
    expect(params({ port: '5433' })).toEqual([problem('spec.postgresql.parameters.port', '5433',
      'cannot be set: port is set by the operator (5432) and CloudNativePG\'s webhook rejects it ("Can\'t set fixed configuration parameter")',
      'remove "port" from the parameters')]);
    expect(params({ shared_preload_libraries: 'pg_cron' })).toEqual([problem('spec.postgresql.parameters.shared_preload_libraries', 'pg_cron',
      'cannot be set: shared_preload_libraries is set by the operator from spec.postgresql.shared_preload_libraries and CloudNativePG\'s webhook rejects it ("Can\'t set fixed configuration parameter")',
      'list the libraries in the extensions or sharedPreloadLibraries props (spec.postgresql.shared_preload_libraries), not in the parameters')]);
  });

  test('a name of Object.prototype is no fixed parameter (the webhook reads a Go map)', () => {
    expect(params({ constructor: 'x', toString: 'y', hasOwnProperty: '1', __proto__x: '1' })).toEqual([]);
  });

  test('wal_level: replica or logical; minimal only with one instance', () => {
    for (const walLevel of ['replica', 'logical']) expect(params({ wal_level: walLevel }, { instances: 3 })).toEqual([]);
    expect(params({ wal_level: 'minimal' }, { instances: 1 })).toEqual([]);
    expect(params({ wal_level: 'minimal' })).toEqual([]);
    expect(params({ wal_level: 'minimal' }, { instances: 2 })).toEqual([problem('spec.postgresql.parameters.wal_level', 'minimal',
      'cannot stream to standbys: the operator requires logical or replica with more than one instance or WAL archiving', 'use "replica" (the default) or "logical"')]);
    expect(params({ wal_level: 'archive' })).toEqual([problem('spec.postgresql.parameters.wal_level', 'archive', 'is not a wal_level the operator knows',
      'use "replica" (the default) or "logical"')]);
    expect(params({ wal_level: '${WAL_LEVEL}' }, { instances: 3 })).toEqual([]);
    expect(params({ wal_level: 1 })).toEqual([]);
  });

  test('booleans as PostgreSQL reads them; wal_log_hints on with standbys', () => {
    for (const v of ['1', 'on', 'y', 'ye', 'yes', 't', 'tr', 'tru', 'true', 'ON', 'True', '0', 'of', 'off', 'n', 'no', 'f', 'fa', 'fal', 'fals', 'false', 'OFF']) {
      expect(params({ hot_standby_feedback: v, sync_replication_slots: v })).toEqual([]);
    }
    for (const key of ['hot_standby_feedback', 'sync_replication_slots', 'wal_log_hints']) {
      for (const v of ['o', 'yess', 'truee', '2', '', ' on']) {
        expect(params({ [key]: v })).toEqual([problem(`spec.postgresql.parameters.${key}`, v, 'is not a PostgreSQL boolean', 'write "on" or "off"')]);
      }
      expect(params({ [key]: '${FLAG}' })).toEqual([]);
    }
    expect(params({ wal_log_hints: 'off' }, { instances: 1 })).toEqual([]);
    expect(params({ wal_log_hints: 'on' }, { instances: 3 })).toEqual([]);
    expect(params({ hot_standby_feedback: 'off', sync_replication_slots: 'off' }, { instances: 3 })).toEqual([]);
    expect(params({ wal_log_hints: 'false' }, { instances: 2 })).toEqual([problem('spec.postgresql.parameters.wal_log_hints', 'false',
      'must be on with more than one instance (pg_rewind needs it to rejoin a former primary)', 'remove it (the operator turns it on)')]);
  });

  test('pg_failover_slots needs hot_standby_feedback on and the high-availability slots', () => {
    const slots = { 'pg_failover_slots.synchronous_slot_names': 'x' };
    const needsFeedback = (v: unknown) => problem('spec.postgresql.parameters.hot_standby_feedback', v, 'must be on to use pg_failover_slots', 'set hot_standby_feedback to "on"');
    expect(params(slots)).toEqual([needsFeedback(undefined)]);
    expect(params({ ...slots, hot_standby_feedback: 'off' })).toEqual([needsFeedback('off')]);
    expect(params({ ...slots, hot_standby_feedback: 'on' })).toEqual([]);
    expect(params({ ...slots, hot_standby_feedback: 'yes' })).toEqual([]);
    expect(params({ hot_standby_feedback: 'off', pg_failover_slots_x: '1' })).toEqual([]);
    expect(params({ ...slots, hot_standby_feedback: 'on' }, { replicationSlots: { highAvailability: { enabled: false } } })).toEqual([
      problem('spec.replicationSlots.highAvailability.enabled', false, 'must be on to use pg_failover_slots', 'keep the high-availability replication slots on (the library\'s default)'),
    ]);
    expect(params({ ...slots, hot_standby_feedback: 'on' }, { replicationSlots: { highAvailability: { enabled: true } } })).toEqual([]);
    expect(params({ ...slots, hot_standby_feedback: 'on' }, { replicationSlots: {} })).toEqual([]);
    expect(params({ hot_standby_feedback: 'on' }, { replicationSlots: { highAvailability: { enabled: false } } })).toEqual([]);
  });
});

describe('validateImageName', () => {
  const IMAGE = 'ghcr.io/cloudnative-pg/postgresql';
  test('the tag starts with a PostgreSQL version of 13 or newer', () => {
    for (const image of [`${IMAGE}:13`, `${IMAGE}:17.6-3.5`, `${IMAGE}:17.6-standard-bookworm`, `${IMAGE}:100`, 'localhost:5000/postgresql:16', `${IMAGE}:latest`, IMAGE,
      `${IMAGE}@sha256:${'a'.repeat(64)}`, 'localhost:5000/postgresql', '${POSTGRES_IMAGE}', `${IMAGE}:\${PG_TAG}`, '']) {
      expect(clusterProblems(cluster({ imageName: image }))).toEqual([]);
    }
    expect(clusterProblems(cluster({ imageName: `${IMAGE}:12.22` }))).toEqual([problem('spec.imageName', `${IMAGE}:12.22`,
      'runs PostgreSQL 12; CloudNativePG supports 13 or newer', 'use PostgreSQL 13 or newer')]);
    expect(clusterProblems(cluster({ imageName: `${IMAGE}:9` }))[0].problem).toBe('runs PostgreSQL 9; CloudNativePG supports 13 or newer');
    expect(clusterProblems(cluster({ imageName: `${IMAGE}:bookworm` }))).toEqual([problem('spec.imageName', `${IMAGE}:bookworm`,
      'has the tag "bookworm", which does not start with a PostgreSQL version: CloudNativePG refuses it ("invalid version tag")',
      'use a tag that starts with the PostgreSQL version, e.g. "17.6-3.5" or "17.6-standard-bookworm"')]);
    expect(clusterProblems(cluster({ imageName: `${IMAGE}:v17@sha256:${'a'.repeat(64)}` }))[0].problem).toMatch(/^has the tag "v17", which/);
  });

  test('an image and a catalog together (a CRD rule)', () => {
    expect(clusterProblems(cluster({ imageName: `${IMAGE}:17`, imageCatalogRef: { kind: 'ImageCatalog', name: 'pg', major: 17 } }))).toEqual([
      problem('spec.imageName', `${IMAGE}:17`, 'cannot be combined with spec.imageCatalogRef (CRD rule)', 'give either an image or a catalog (PostgresImage.fromImageCatalog)'),
    ]);
    expect(clusterProblems(cluster({ imageName: '', imageCatalogRef: { name: 'pg' } }))).toHaveLength(1);
    expect(clusterProblems(cluster({ imageCatalogRef: { name: 'pg' } }))).toEqual([]);
  });

  test('imageTag and tagVersion read a reference as the operator does', () => {
    expect(imageTag(`${IMAGE}:17.6`)).toBe('17.6');
    expect(imageTag(`${IMAGE}:17.6@sha256:abc`)).toBe('17.6');
    expect(imageTag(`${IMAGE}@sha256:abc`)).toBe('');
    expect(imageTag('localhost:5000/postgresql')).toBe('');
    expect(imageTag('localhost:5000/postgresql:16')).toBe('16');
    expect(imageTag('postgresql:16')).toBe('16');
    expect(imageTag('postgresql')).toBe('');
    expect(tagVersion('17.6-3.5')).toEqual({ major: 17, minor: 6 });
    expect(tagVersion('17')).toEqual({ major: 17, minor: undefined });
    expect(tagVersion('13.22')).toEqual({ major: 13, minor: 22 });
    expect(tagVersion('17-bookworm')).toEqual({ major: 17, minor: undefined });
    expect(tagVersion('v17')).toBeUndefined();
    expect(tagVersion('')).toBeUndefined();
  });
});

describe('synchronous replication', () => {
  const sync = (synchronous: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
    clusterProblems(cluster({ ...spec, postgresql: { synchronous } }));
  test('number below the instances plus the standby names listed', () => {
    expect(sync({ method: 'any', number: 2 }, { instances: 3 })).toEqual([]);
    expect(sync({ method: 'any', number: 3 }, { instances: 3 })).toEqual([problem('spec.postgresql.synchronous.number', 3,
      'must be less than the instances (3) plus the listed standby names (0), which CloudNativePG requires', 'lower number to at most 2, or raise instances')]);
    expect(sync({ method: 'any', number: 1 })).toEqual([problem('spec.postgresql.synchronous.number', 1,
      'must be less than the instances (1) plus the listed standby names (0), which CloudNativePG requires', 'lower number to at most 0, or raise instances')]);
    const named = { method: 'first', standbyNamesPre: ['a'], standbyNamesPost: ['b', 'c'] };
    expect(sync({ ...named, number: 3 }, { instances: 1 })).toEqual([]);
    expect(sync({ ...named, number: 4 }, { instances: 1 })).toEqual([problem('spec.postgresql.synchronous.number', 4,
      'must be less than the instances (1) plus the listed standby names (3), which CloudNativePG requires', 'lower number to at most 3, or raise instances')]);
    expect(sync({ standbyNamesPre: 'a', standbyNamesPost: 'b', number: 3 }, { instances: 3 })[0].problem).toBe(
      'must be less than the instances (3) plus the listed standby names (0), which CloudNativePG requires');
    expect(sync({ number: '9' }, { instances: 3 })).toEqual([]);
    expect(sync({ number: 9 }, { instances: '9' })[0].problem).toMatch(/^must be less than the instances \(1\)/);
  });

  test('preferred durability without standby names (a CRD rule)', () => {
    const preferred = problem('spec.postgresql.synchronous.dataDurability', 'preferred', 'cannot be combined with standbyNamesPre/standbyNamesPost (CRD rule)',
      'drop the standby names or use "required"');
    expect(sync({ number: 1, dataDurability: 'preferred', standbyNamesPre: ['a'] }, { instances: 3 })).toEqual([preferred]);
    expect(sync({ number: 1, dataDurability: 'preferred', standbyNamesPost: ['a'] }, { instances: 3 })).toEqual([preferred]);
    expect(sync({ number: 1, dataDurability: 'preferred', standbyNamesPre: [], standbyNamesPost: [] }, { instances: 3 })).toEqual([]);
    expect(sync({ number: 1, dataDurability: 'required', standbyNamesPre: ['a'] }, { instances: 3 })).toEqual([]);
  });

  test('not with the legacy minSyncReplicas/maxSyncReplicas', () => {
    const synchronous = { method: 'any', number: 1 };
    for (const legacy of [{ minSyncReplicas: 1 }, { maxSyncReplicas: 1 }]) {
      expect(sync(synchronous, { instances: 3, ...legacy })).toContainEqual(problem('spec.postgresql.synchronous', synchronous,
        'cannot be combined with the legacy minSyncReplicas/maxSyncReplicas (the webhook refuses both)', 'remove minSyncReplicas and maxSyncReplicas'));
    }
    expect(sync(synchronous, { instances: 3, minSyncReplicas: 0, maxSyncReplicas: 0 })).toEqual([]);
    expect(clusterProblems(cluster({ instances: 3, postgresql: { synchronous: 'any' } }))).toEqual([]);
    expect(clusterProblems(cluster({ instances: 3, postgresql: { synchronous: null } }))).toEqual([]);
    // Only the legacy field itself: a synchronous section that is no object is the schema's to refuse.
    expect(clusterProblems(cluster({ instances: 3, minSyncReplicas: 1, postgresql: { synchronous: 'any' } })).map((p) => p.path)).toEqual(['spec.minSyncReplicas']);
  });
});

describe('validateResources', () => {
  const resources = (requests: Record<string, unknown>, limits: Record<string, unknown>, parameters: Record<string, unknown> = {}) =>
    clusterProblems(cluster({ resources: { requests, limits }, postgresql: { parameters } }));
  test('a request above its limit, per resource', () => {
    expect(resources({ 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1Gi' }, { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1Gi' })).toEqual([]);
    expect(resources({ cpu: '1001m' }, { cpu: '1' })).toEqual([problem('spec.resources.requests.cpu', '1001m', 'is greater than the limit (1), which CloudNativePG refuses',
      'lower the request or raise the limit')]);
    expect(resources({ memory: '1025Mi' }, { memory: '1Gi' })).toEqual([problem('spec.resources.requests.memory', '1025Mi',
      'is greater than the limit (1Gi), which CloudNativePG refuses', 'lower the request or raise the limit')]);
    expect(resources({ 'ephemeral-storage': 2 }, { 'ephemeral-storage': 1 })).toEqual([problem('spec.resources.requests.ephemeral-storage', 2,
      'is greater than the limit (1), which CloudNativePG refuses', 'lower the request or raise the limit')]);
    expect(resources({ cpu: '2' }, {})).toEqual([]);
    expect(resources({ cpu: '${CPU}' }, { cpu: '1' })).toEqual([]);
    expect(resources({ cpu: true }, { cpu: '1' })).toEqual([]);
  });

  test('hugepages: the request equals the limit', () => {
    expect(resources({ 'hugepages-2Mi': '1Gi' }, { 'hugepages-2Mi': '1024Mi' })).toEqual([]);
    expect(resources({ 'hugepages-2Mi': '512Mi' }, { 'hugepages-2Mi': '1Gi' })).toEqual([problem('spec.resources.requests.hugepages-2Mi', '512Mi',
      'differs from its limit (1Gi): Kubernetes and CloudNativePG require hugepages requests to equal the limits', 'give the same quantity to both')]);
    expect(resources({ 'hugepages-2Mi': '2Gi' }, { 'hugepages-2Mi': '1Gi' })).toHaveLength(1);
    expect(resources({}, { 'hugepages-2Mi': '1Gi', 'hugepages-1Gi': '2Gi' })).toEqual([]);
    expect(resources({ 'hugepages-2Mi': '1Gi' }, {})).toEqual([]);
    expect(resources({ 'hugepages-2Mi': '1Gi' }, { 'hugepages-2Mi': '${HUGE}' })).toEqual([]);
    expect(resources({ 'hugepages-2Mi': '${HUGE}' }, { 'hugepages-2Mi': '1Gi' })).toEqual([]);
    expect(resources({ 'hugepages-2Mi': '1Gi', 'hugepages-1Gi': '2Gi' }, { 'hugepages-2Mi': '1Gi', 'hugepages-1Gi': '2Gi' })).toEqual([]);
    expect(resources({ memory: '1Gi' }, { memory: '2Gi' })).toEqual([]);
  });

  test('shared_buffers within the memory request (a bare number is MB), or within hugepages', () => {
    const lower = (value: string) => [problem('spec.resources.requests.memory', '1Gi', `is lower than shared_buffers (${value}), which CloudNativePG refuses`,
      'raise the memory request (or give hugepages that hold shared_buffers), or lower shared_buffers')];
    for (const ok of ['1024MB', '1024', '1GB', '1048576kB', ' 1024 MB ', '512MB']) expect(resources({ memory: '1Gi' }, {}, { shared_buffers: ok })).toEqual([]);
    for (const over of ['1025MB', '1025', '2GB', '1048577kB', '1TB']) expect(resources({ memory: '1Gi' }, {}, { shared_buffers: over })).toEqual(lower(over));
    expect(resources({ 'memory': '1Gi', 'hugepages-2Mi': '2Gi' }, { 'hugepages-2Mi': '2Gi' }, { shared_buffers: '2GB' })).toEqual([]);
    expect(resources({ 'memory': '1Gi', 'hugepages-2Mi': '2Gi' }, { 'hugepages-2Mi': '2Gi' }, { shared_buffers: '2049MB' })).toEqual(lower('2049MB'));
    expect(resources({ memory: '0' }, {}, { shared_buffers: '2GB' })).toEqual([]);
    expect(resources({}, {}, { shared_buffers: '2GB' })).toEqual([]);
    expect(resources({ memory: '1Gi' }, {}, { shared_buffers: '2 GiB' })).toEqual([]);
    expect(resources({ memory: '1Gi' }, {}, { shared_buffers: 2048 })).toEqual([]);
  });

  test('webhookPgBytes: PostgreSQL sizes as the webhook reads them', () => {
    expect(webhookPgBytes('1')).toBe(2 ** 20);
    expect(webhookPgBytes('3kB')).toBe(3 * 2 ** 10);
    expect(webhookPgBytes('3MB')).toBe(3 * 2 ** 20);
    expect(webhookPgBytes('3GB')).toBe(3 * 2 ** 30);
    expect(webhookPgBytes('3TB')).toBe(3 * 2 ** 40);
    // Spaces before the number and the unit; a fraction with a unit (the webhook's quantity 1.5Gi, PostgreSQL rounds).
    expect(webhookPgBytes(' 3 GB')).toBe(3 * 2 ** 30);
    expect(webhookPgBytes('1.5GB')).toBe(1.5 * 2 ** 30);
    expect(webhookPgBytes('.5 MB')).toBe(2 ** 19);
    // The webhook refuses a space after the unit or around a bare number, and a fraction without a unit (strconv.Atoi,
    // then "must end with B"); PostgreSQL refuses the other units and cases, a sign and a space inside the number.
    for (const v of ['3GB ', ' 3', '3 ', '1.5', '3gb', '3KB', '3PB', '3B', 'x3MB', '3MBx', '-1', '+1', '1 0GB', '1.GB', '']) expect(webhookPgBytes(v)).toBeUndefined();
  });
});

describe('the other webhook rules', () => {
  test('validateCerts: a server certificate needs its CA, replication TLS the client CA', () => {
    expect(clusterProblems(cluster({ certificates: { serverTLSSecret: 'tls' } }))).toEqual([problem('spec.certificates.serverCASecret', undefined,
      'is required with serverTLSSecret', 'name the Secret with the CA (ca.crt) that signed the server certificate')]);
    expect(clusterProblems(cluster({ certificates: { replicationTLSSecret: 'repl' } }))).toEqual([problem('spec.certificates.clientCASecret', undefined,
      'is required with replicationTLSSecret', 'name the Secret with the client CA')]);
    expect(clusterProblems(cluster({ certificates: { serverTLSSecret: 'tls', serverCASecret: 'ca', replicationTLSSecret: 'repl', clientCASecret: 'cca' } }))).toEqual([]);
    expect(clusterProblems(cluster({ certificates: { serverCASecret: 'ca', clientCASecret: 'cca' } }))).toEqual([]);
    expect(clusterProblems(cluster({ certificates: 'tls' }))).toEqual([]);
    expect(clusterProblems(cluster({ certificates: null }))).toEqual([]);
  });

  test('validatePrimaryUpdateStrategy: supervised needs a standby', () => {
    const single = [problem('spec.primaryUpdateStrategy', 'supervised', 'is not allowed with a single instance (the webhook refuses it): there is no standby to switch over to',
      'use "unsupervised", or raise instances')];
    expect(clusterProblems(cluster({ instances: 1, primaryUpdateStrategy: 'supervised' }))).toEqual(single);
    expect(clusterProblems(cluster({ primaryUpdateStrategy: 'supervised' }))).toEqual(single);
    expect(clusterProblems(cluster({ instances: 2, primaryUpdateStrategy: 'supervised' }))).toEqual([]);
    expect(clusterProblems(cluster({ instances: 1, primaryUpdateStrategy: 'unsupervised' }))).toEqual([]);
  });

  test('validateServiceAccountConfig: a name or a template', () => {
    expect(clusterProblems(cluster({ serviceAccountName: 'sa', serviceAccountTemplate: { metadata: {} } }))).toEqual([problem('spec.serviceAccountName', 'sa',
      'cannot be combined with serviceAccountTemplate (the webhook refuses both)', 'give either an existing ServiceAccount or a template for the operator\'s')]);
    expect(clusterProblems(cluster({ serviceAccountName: 'sa' }))).toEqual([]);
    expect(clusterProblems(cluster({ serviceAccountTemplate: { metadata: {} } }))).toEqual([]);
  });

  test('validateHibernationAnnotation: on or off', () => {
    for (const v of ['on', 'off']) expect(clusterProblems(cluster({}, { annotations: { 'cnpg.io/hibernation': v } }))).toEqual([]);
    expect(clusterProblems(cluster({}, { annotations: { other: 'x' } }))).toEqual([]);
    for (const v of ['true', 'ON', '', 1]) {
      expect(clusterProblems(cluster({}, { annotations: { 'cnpg.io/hibernation': v } }))).toEqual([problem('metadata.annotations["cnpg.io/hibernation"]', v,
        'must be "on" or "off" (the webhook refuses anything else)', 'use ClusterAnnotation.hibernate() for "on", or remove it')]);
    }
  });

  test('validateEnv: the names the operator reserves, in any case', () => {
    const env = ['PGDATA', 'pgport', 'CNPG_X', 'cnpg_secret', 'POD_NAME', 'namespace', 'CLUSTER_NAME', 'MY_PG', 'NAMESPACES', 'CNPG', 'XPGDATA'].map((name) => ({ name, value: '1' }));
    expect(clusterProblems(cluster({ env: [...env, { value: 'no name' }, null] }))).toEqual(['PGDATA', 'pgport', 'CNPG_X', 'cnpg_secret', 'POD_NAME', 'namespace', 'CLUSTER_NAME']
      .map((name, i) => problem(`spec.env[${i}].name`, name, 'is reserved for the operator (CNPG_*, PG*, POD_NAME, NAMESPACE, CLUSTER_NAME)', 'use another name')));
    expect(clusterProblems(cluster({ env: { name: 'PGDATA' } }))).toEqual([]);
    expect(reservedEnvironmentVariable('Pg')).toBe(true);
    expect(reservedEnvironmentVariable('P')).toBe(false);
    expect(reservedEnvironmentVariable('CNPG')).toBe(false);
  });

  test('validateManagedServices', () => {
    const services = (s: Record<string, unknown>) => clusterProblems(cluster({ managed: { services: s } }));
    expect(services({ disabledDefaultServices: ['ro', 'r'] })).toEqual([]);
    expect(services({ disabledDefaultServices: ['ro', 'rw'] })).toEqual([problem('spec.managed.services.disabledDefaultServices', ['ro', 'rw'],
      'lists "rw": the read-write Service cannot be disabled', 'disable only "ro" or "r"')]);
    expect(services({ disabledDefaultServices: 'rw' })).toEqual([]);
    const additional = (...items: unknown[]) => services({ additional: items });
    const named = (name: unknown, spec?: unknown) => ({ selectorType: 'rw', serviceTemplate: { metadata: { name }, ...(spec ? { spec } : {}) } });
    expect(additional(named('db-extra'), named('db-rw-extra'), named('other-rw'))).toEqual([]);
    expect(additional({ selectorType: 'rw' }, named(''))).toEqual([
      problem('spec.managed.services.additional[0].serviceTemplate.metadata.name', undefined, 'is required for an additional Service', 'name the Service'),
      problem('spec.managed.services.additional[1].serviceTemplate.metadata.name', '', 'is required for an additional Service', 'name the Service'),
    ]);
    expect(additional(named('db-rw'), named('db-ro'), named('db-r'), named('db-any'))).toEqual(['db-rw', 'db-ro', 'db-r', 'db-any'].map((n, i) =>
      problem(`spec.managed.services.additional[${i}].serviceTemplate.metadata.name`, n, 'is reserved for the operator\'s own Services', 'use another name')));
    expect(additional(named('x'), named('y'), named('x'))).toEqual([problem('spec.managed.services.additional[2].serviceTemplate.metadata.name', 'x',
      'is used by two additional Services', 'give each Service its own name')]);
    expect(additional(named('x', { selector: { app: 'x' } }), named('y', { selector: {} }))).toEqual([problem('spec.managed.services.additional[0].serviceTemplate.spec.selector',
      { app: 'x' }, 'is managed by the operator (from selectorType)', 'remove the selector; choose the instances with selectorType')]);
    expect(services({ additional: named('x') })).toEqual([]);
    expect(clusterProblems({ spec: { managed: { services: { additional: [named('undefined-rw')] } } } })).toEqual([]);
    expect(clusterProblems(cluster({ managed: { services: 'x' } }))).toEqual([]);
    expect(clusterProblems(cluster({ managed: { services: null } }))).toEqual([]);
    expect(additional(null, { serviceTemplate: {} }, { selectorType: 'rw' }).map((p) => [p.path, p.problem])).toEqual([0, 1, 2].map((i) =>
      [`spec.managed.services.additional[${i}].serviceTemplate.metadata.name`, 'is required for an additional Service']));
    expect(additional(named(1), named(1)).map((p) => p.problem)).toEqual([]);
  });

  test('validateManagedRoles', () => {
    const roles = (...r: unknown[]) => clusterProblems(cluster({ managed: { roles: r } }));
    expect(roles({ name: 'app', connectionLimit: -1 }, { name: 'b', connectionLimit: 0, disablePassword: true }, { name: 'c', disablePassword: false, passwordSecret: { name: 's' } }))
      .toEqual([]);
    expect(roles({ name: 'app' }, { name: 'app' })).toEqual([problem('spec.managed.roles[1].name', 'app', 'is declared twice', 'give each role one entry')]);
    expect(roles({ name: 'postgres' }, { name: 'streaming_replica' }, { name: 'cnpg_pooler_pgbouncer' })).toEqual(['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer']
      .map((n, i) => problem(`spec.managed.roles[${i}].name`, n, 'is reserved for the operator', 'use another role name')));
    expect(roles({ name: 'cnpg' }, { name: 'my_cnpg_x' })).toEqual([]);
    expect(roles({ name: 'a', connectionLimit: -2 })).toEqual([problem('spec.managed.roles[0].connectionLimit', -2, 'must be -1 (no limit) or positive',
      'give -1 or a positive number')]);
    expect(roles({ name: 'a', disablePassword: true, passwordSecret: { name: 's' } })).toEqual([problem('spec.managed.roles[0].disablePassword', true,
      'cannot be combined with passwordSecret (the role both sets and disables a password)', 'drop one of them')]);
    expect(roles({ connectionLimit: -5 }, null, { name: 1 }, { name: 'x', connectionLimit: '-5' })).toEqual([]);
    expect(clusterProblems(cluster({ managed: { roles: 'app' } }))).toEqual([]);
  });

  test('validateTablespaceNames: unique without case, not pg_', () => {
    const tablespaces = (...names: unknown[]) => clusterProblems(cluster({ tablespaces: names.map((name) => ({ name })) }));
    expect(tablespaces('fast', 'slow', 'xpg_')).toEqual([]);
    expect(tablespaces('fast', 'Fast')).toEqual([problem('spec.tablespaces[1].name', 'Fast', 'is declared twice (tablespace names are case-insensitive)',
      'give each tablespace its own name')]);
    expect(tablespaces('pg_data', 'PG_X')).toEqual(['pg_data', 'PG_X'].map((n, i) => problem(`spec.tablespaces[${i}].name`, n, 'starts with "pg_", which PostgreSQL reserves',
      'use another name')));
    expect(tablespaces(1, undefined)).toEqual([]);
    expect(clusterProblems(cluster({ tablespaces: [null] }))).toEqual([]);
    expect(clusterProblems(cluster({ tablespaces: { name: 'pg_x' } }))).toEqual([]);
  });

  test('validateExtensions: image volumes with their own names and an image without a catalog', () => {
    const extensions = (list: unknown[], spec: Record<string, unknown> = {}) =>
      clusterProblems(cluster({ ...spec, postgresql: { extensions: list } }));
    const image = { reference: 'ghcr.io/x/y:1' };
    expect(extensions([{ name: 'pg_ivm', image }, { name: 'postgis', image }])).toEqual([]);
    expect(extensions([{ name: 'pg_ivm', image }, { name: 'pg-ivm', image }])).toEqual([problem('spec.postgresql.extensions[1].name', 'pg-ivm',
      'is declared twice (or gives the same volume name: "_" becomes "-")', 'give each extension image its own name')]);
    expect(extensions([{ name: 'a_b_c', image }, { name: 'a-b-c', image }])).toHaveLength(1);
    expect(extensions([{ name: 'postgis' }, { name: 'x', image: {} }])).toEqual([
      problem('spec.postgresql.extensions[0].image.reference', undefined, 'is required when the cluster uses no image catalog', 'give the extension image\'s reference'),
      problem('spec.postgresql.extensions[1].image.reference', undefined, 'is required when the cluster uses no image catalog', 'give the extension image\'s reference'),
    ]);
    expect(extensions([{ name: 'postgis' }], { imageCatalogRef: { name: 'pg' } })).toEqual([]);
    expect(extensions([{ name: '' }, { image }, null])).toEqual([]);
    expect(clusterProblems(cluster({ postgresql: { extensions: { name: 'x' } } }))).toEqual([]);
  });

  test('validatePluginConfiguration: one WAL archiver, and not beside barmanObjectStore', () => {
    const plugins = (list: unknown[], spec: Record<string, unknown> = {}) => clusterProblems(cluster({ ...spec, plugins: list }));
    expect(plugins([{ name: 'a', isWALArchiver: true }, { name: 'b', isWALArchiver: true, enabled: false }, { name: 'c' }, { name: 'd', isWALArchiver: 'true' }])).toEqual([]);
    expect(plugins([{ name: 'a', isWALArchiver: true }, { name: 'b', isWALArchiver: true, enabled: true }])).toEqual([problem('spec.plugins', ['a', 'b'],
      'enable more than one WAL archiver', 'keep one plugin with isWALArchiver: true')]);
    expect(plugins([{ name: 'a', isWALArchiver: true }], { backup: { barmanObjectStore: { destinationPath: 's3://x' } } })).toEqual([problem('spec.plugins', ['a'],
      'enable a WAL archiver plugin while spec.backup.barmanObjectStore is configured', 'use one backup method')]);
    expect(plugins([{ name: 'a' }], { backup: { barmanObjectStore: { destinationPath: 's3://x' } } })).toEqual([]);
    expect(plugins([null])).toEqual([]);
    expect(clusterProblems(cluster({ plugins: { name: 'a', isWALArchiver: true }, backup: { barmanObjectStore: {} } }))).toEqual([]);
  });

  test('validateEphemeralVolumeSource: not with a temporaryData size limit', () => {
    const source = { volumeClaimTemplate: { spec: {} } };
    expect(clusterProblems(cluster({ ephemeralVolumeSource: source, ephemeralVolumesSizeLimit: { temporaryData: '1Gi' } }))).toEqual([problem('spec.ephemeralVolumeSource',
      source, 'conflicts with ephemeralVolumesSizeLimit.temporaryData', 'give only one of them')]);
    expect(clusterProblems(cluster({ ephemeralVolumeSource: source, ephemeralVolumesSizeLimit: { shm: '1Gi' } }))).toEqual([]);
    expect(clusterProblems(cluster({ ephemeralVolumesSizeLimit: { temporaryData: '1Gi' } }))).toEqual([]);
    expect(clusterProblems(cluster({ ephemeralVolumeSource: source }))).toEqual([]);
  });

  test('validateLDAP: a server, and bind or bind+search', () => {
    const ldap = (l: unknown) => clusterProblems(cluster({ postgresql: { ldap: l } }));
    expect(ldap({ server: 'ldap.example.com', bindAsAuth: { prefix: 'cn=' } })).toEqual([]);
    expect(ldap({ server: 'ldap.example.com', bindSearchAuth: { baseDN: 'dc=x' } })).toEqual([]);
    expect(ldap({ bindAsAuth: { prefix: 'cn=' } })).toEqual([problem('spec.postgresql.ldap.server', undefined, 'cannot be empty when other LDAP settings are given',
      'name the LDAP server')]);
    expect(ldap({ server: '', port: 389 })[0].value).toBe('');
    expect(ldap({ server: 'ldap', bindAsAuth: {}, bindSearchAuth: {} })).toEqual([problem('spec.postgresql.ldap', 'bindAsAuth and bindSearchAuth', 'cannot both be given',
      'use bind+search or bind, not both')]);
    expect(ldap('ldap')).toEqual([]);
  });
});

describe('validateTolerations', () => {
  const KEY = { problem: 'has the key "a b", which is not a label name', fix: 'use a taint key such as "dedicated" or "node-role.kubernetes.io/db"' };
  test('valid tolerations', () => {
    for (const t of [
      { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'db' },
      { key: 'node-role.kubernetes.io/db', operator: 'Exists', effect: 'PreferNoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      { operator: 'Exists' },
      { key: 'k', operator: 'Exists', value: '' },
      { key: 'k', value: '' },
      { key: 'k', value: 'a' },
      { key: `k${'x'.repeat(62)}`, value: 'a.b_c-d' },
      { key: 'k', value: 'A1' },
      { key: 'a/b', value: 'x' },
      { key: 'ab.c/d', value: 'x' },
    ]) expect(tolerationProblems(t)).toEqual([]);
    expect(tolerationProblems(null)).toEqual([]);
    expect(tolerationProblems('x')).toEqual([]);
  });

  test('each problem, with its fix', () => {
    expect(tolerationProblems({ key: 'a b' })).toEqual([KEY]);
    for (const key of ['-a', 'a-', `k${'x'.repeat(63)}`, 'A.b/c', '/c', 'a/']) expect(tolerationProblems({ key })[0].problem).toBe(`has the key "${key}", which is not a label name`);
    expect(tolerationProblems({ value: 'x' })).toEqual([{ problem: 'has no key, so its operator must be Exists (matching every taint)', fix: 'give the taint\'s key, or operator Exists' }]);
    expect(tolerationProblems({ key: '', operator: 'Equal' })).toHaveLength(1);
    expect(tolerationProblems({ key: 'k', tolerationSeconds: 60, effect: 'NoSchedule' })).toEqual([{
      problem: 'sets tolerationSeconds, which only NoExecute taints take',
      fix: 'set effect NoExecute, or drop tolerationSeconds',
    }]);
    expect(tolerationProblems({ key: 'k', tolerationSeconds: 0 })).toHaveLength(1);
    expect(tolerationProblems({ key: 'k', operator: 'Exists', value: 'x' })).toEqual([{ problem: 'has a value with operator Exists', fix: 'drop the value, or use operator Equal' }]);
    for (const value of ['-a', 'a-', 'a b', '.a']) {
      expect(tolerationProblems({ key: 'k', value })).toEqual([{ problem: `has the value "${value}", which is not a label value`, fix: 'use letters, digits, "-", "_" and "." (at most 63)' }]);
      expect(tolerationProblems({ key: 'k', operator: 'Equal', value })).toHaveLength(1);
    }
    expect(tolerationProblems({ key: 'k', operator: 'In', value: 'x' })).toEqual([{ problem: 'has the operator "In"', fix: 'use Equal or Exists' }]);
    expect(tolerationProblems({ key: 'k', operator: 'exists' })).toEqual([{ problem: 'has the operator "exists"', fix: 'use Equal or Exists' }]);
    expect(tolerationProblems({ key: 'k', operator: 'In', value: 'a b' })).toEqual([{ problem: 'has the operator "In"', fix: 'use Equal or Exists' }]);
    expect(tolerationProblems({ key: 'k', effect: 'NoRun' })).toEqual([{ problem: 'has the effect "NoRun"', fix: 'use NoSchedule, PreferNoSchedule or NoExecute' }]);
    expect(tolerationProblems({ key: 'a b', operator: 'In', effect: 'X', tolerationSeconds: 1 }).map((p) => p.problem)).toEqual([
      'has the key "a b", which is not a label name', 'sets tolerationSeconds, which only NoExecute taints take', 'has the operator "In"', 'has the effect "X"',
    ]);
  });

  test('in a Cluster: each toleration\'s problems at its index', () => {
    const t = { key: 'a b' };
    expect(clusterProblems(cluster({ affinity: { tolerations: [{ key: 'k' }, t] } }))).toEqual([problem('spec.affinity.tolerations[1]', t, KEY.problem, KEY.fix)]);
    expect(clusterProblems(cluster({ affinity: { tolerations: t } }))).toEqual([]);
  });
});
