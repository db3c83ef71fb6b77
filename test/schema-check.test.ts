/**
 * The library's structural-schema checker (src/checks/schema.ts) on small crafted objects of real
 * kinds. Expected verdicts come from the vendored CRDs (vendor/crds/...): each test names the CRD
 * field it relies on. Every problem is asserted whole (path, value, problem, fix).
 */
import { checkObjectSchema, knownKinds, nearest, releasesWithField, schemaFor, schemaGroup } from '../src/checks/schema';

const CLUSTER = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster' };
const POOLER = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler' };
const SCHEDULED = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup' };
const CATALOG = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ImageCatalog' };
const META = { name: 'pg' };

/** A Cluster with `spec` (instances added unless given). */
function cluster(spec: Record<string, unknown>, release?: string) {
  return checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: 1, ...spec } }, release);
}

describe('unknown kinds and releases', () => {
  test('a kind without schema is one problem listing every known kind', () => {
    const problems = checkObjectSchema({ apiVersion: 'v1', kind: 'Pod', metadata: META });
    const kinds = knownKinds();
    expect(kinds.Cluster).toEqual(['postgresql.cnpg.io/v1']);
    expect(kinds.ConfigMap).toEqual(['v1']);
    expect(problems).toEqual([{
      path: 'kind',
      value: 'v1 Pod',
      problem: 'is not a kind whose schema the library knows',
      fix: `use one of ${Object.entries(kinds).map(([k, v]) => `${v.join('|')} ${k}`).join(', ')}`,
    }]);
    expect(problems[0].fix).toContain('postgresql.cnpg.io/v1 Cluster, ');
    expect(problems[0].fix).toContain('v1 ConfigMap');
  });

  test('an object that is not one', () => {
    expect(checkObjectSchema(undefined)[0]).toMatchObject({ path: 'kind', value: 'undefined undefined' });
  });

  test('a release the group does not have is an error naming the releases', () => {
    expect(() => cluster({}, '1.26.0')).toThrow(
      "no cnpg release 1.26.0 in the library's schemas (1.27.0, 1.27.1, 1.28.0, 1.28.1, 1.28.2, 1.29.0, 1.29.1, 1.30.0, 1.30.1)");
  });

  test('schemaFor and schemaGroup', () => {
    expect(schemaFor('v1', 'Pod')).toBeUndefined();
    const found = schemaFor('postgresql.cnpg.io/v1', 'Pooler')!;
    expect(found.group).toBe(schemaGroup('cnpg'));
    expect(found.kind.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(found.kind.namespaced).toBe(true);
    expect(schemaGroup('cnpg').releases[0]).toBe('1.27.0');
  });
});

describe('a valid object', () => {
  test('has no problem, status and unknown metadata content aside', () => {
    expect(cluster({ storage: { size: '1Gi' } })).toEqual([]);
    expect(checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: 3 }, status: { anything: 1 } })).toEqual([]);
  });

  test('null and undefined values are not checked (the API server drops nulls)', () => {
    expect(cluster({ description: null, storage: undefined })).toEqual([]);
  });
});

describe('unknown fields', () => {
  test('the nearest field by letters ignoring case, _ and -', () => {
    expect(cluster({ primary_update_strategy: 'unsupervised' })).toEqual([{
      path: 'spec.primary_update_strategy',
      value: 'unsupervised',
      problem: 'is not a field of Cluster spec (CloudNativePG 1.30.1): the API server would drop or refuse it',
      fix: 'did you mean spec.primaryUpdateStrategy? (Cluster uses the CRD\'s own field names, as in YAML)',
    }]);
  });

  test('the nearest field by edit distance, at the top level', () => {
    expect(checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: 1 }, sepc: {} })).toEqual([{
      path: 'sepc',
      value: {},
      problem: 'is not a field of Cluster (top level) (CloudNativePG 1.30.1): the API server would drop or refuse it',
      fix: 'did you mean spec? (Cluster uses the CRD\'s own field names, as in YAML)',
    }]);
  });

  test('no near field: the known fields are listed', () => {
    // ScheduledBackup spec fields, postgresql.cnpg.io_scheduledbackups.yaml.
    const problems = checkObjectSchema({ ...SCHEDULED, metadata: META, spec: { cluster: { name: 'pg' }, schedule: '0 0 0 * * *', zzzzzzzz: 1 } });
    expect(problems).toEqual([{
      path: 'spec.zzzzzzzz',
      value: 1,
      problem: 'is not a field of ScheduledBackup spec (CloudNativePG 1.30.1): the API server would drop or refuse it',
      fix: 'use one of the fields of spec: backupOwnerReference, cluster, immediate, method, online, onlineConfiguration, '
        + 'pluginConfiguration, schedule, suspend, target',
    }]);
  });

  test('a key that is no identifier is quoted in the path', () => {
    const [p] = cluster({ 'a.b': 1 });
    expect(p.path).toBe('spec["a.b"]');
    const [top] = checkObjectSchema({ ...CLUSTER, 'metadata': META, 'spec': { instances: 1 }, '1x': 1 });
    expect(top.path).toBe('["1x"]');
  });

  test('maps (additionalProperties) check their values, not their keys', () => {
    // spec.postgresql.parameters: additionalProperties of type string.
    expect(cluster({ postgresql: { parameters: { 'any_name': '1', 'dotted.name': 'x' } } })).toEqual([]);
    expect(cluster({ postgresql: { parameters: { max_connections: 100 } } })).toEqual([{
      path: 'spec.postgresql.parameters.max_connections',
      value: 100,
      problem: 'is a number, but Cluster spec.postgresql.parameters.max_connections is a string',
      fix: 'write it as a string, e.g. "100"',
    }]);
  });

  test('metadata is Kubernetes ObjectMeta whatever the CRD says', () => {
    expect(checkObjectSchema({ ...CLUSTER, metadata: { name: 'pg', labels: { a: 'b' }, nmae: 'x' }, spec: { instances: 1 } })).toEqual([{
      path: 'metadata.nmae',
      value: 'x',
      problem: 'is not a field of Cluster metadata (Kubernetes 1.30.0): the API server would drop or refuse it',
      fix: 'did you mean metadata.name? (Cluster uses the CRD\'s own field names, as in YAML)',
    }]);
    expect(checkObjectSchema({ ...CLUSTER, metadata: { labels: { a: 1 } }, spec: { instances: 1 } })).toEqual([{
      path: 'metadata.labels.a',
      value: 1,
      problem: 'is a number, but Cluster metadata.labels.a is a string',
      fix: 'write it as a string, e.g. "1"',
    }]);
  });

  test('an object without metadata: the Cluster CRD requires it (required: metadata, spec)', () => {
    expect(checkObjectSchema({ ...CLUSTER, spec: { instances: 1 } })).toEqual([{
      path: 'metadata', value: undefined, problem: 'is missing: Cluster (top level) requires it', fix: 'set metadata',
    }]);
  });
});

describe('fields only some releases have', () => {
  // spec.primaryLease: in the Cluster CRD of 1.30.0 and 1.30.1, not before.
  test('contiguous to the newest release: "X and newer"', () => {
    expect(cluster({ primaryLease: {} }, '1.30.0')).toEqual([]);
    expect(cluster({ primaryLease: {} }, '1.29.1')).toEqual([{
      path: 'spec.primaryLease',
      value: {},
      problem: 'is not a field of the Cluster CRD of CloudNativePG 1.29.1: only 1.30.0 and newer have it',
      fix: 'target a release that has it (operatorVersion) once the operator runs it, or remove spec.primaryLease',
    }]);
  });

  // Pooler spec.template.spec.workloadRef: in the Pooler CRDs of 1.28.1, 1.28.2 and 1.29.0 only.
  test('not contiguous to the newest: the releases listed', () => {
    const pooler = (release: string) => checkObjectSchema({
      ...POOLER,
      metadata: META,
      spec: { cluster: { name: 'pg' }, pgbouncer: {}, template: { spec: { containers: [], workloadRef: { name: 'w', podGroup: 'g' } } } },
    }, release);
    expect(pooler('1.28.1')).toEqual([]);
    expect(pooler('1.29.0')).toEqual([]);
    expect(pooler('1.28.0')).toEqual([{
      path: 'spec.template.spec.workloadRef',
      value: { name: 'w', podGroup: 'g' },
      problem: 'is not a field of the Pooler CRD of CloudNativePG 1.28.0: only 1.28.1, 1.28.2, 1.29.0 have it',
      fix: 'target a release that has it (operatorVersion) once the operator runs it, or remove spec.template.spec.workloadRef',
    }]);
    expect(pooler('1.29.1').map((p) => p.problem)).toEqual([
      'is not a field of the Pooler CRD of CloudNativePG 1.29.1: only 1.28.1, 1.28.2, 1.29.0 have it',
    ]);
  });

  test('a field of another release is not suggested as the nearest one', () => {
    const [p] = cluster({ primaryLeas: {} }, '1.29.1');
    expect(p.fix).not.toContain('primaryLease');
    expect(p.fix).toMatch(/^use one of the fields of spec: /);
    const [q] = cluster({ primaryLeas: {} }, '1.30.1');
    expect(q.fix).toBe('did you mean spec.primaryLease? (Cluster uses the CRD\'s own field names, as in YAML)');
  });

  test('releasesWithField', () => {
    const g = schemaGroup('cnpg');
    expect(releasesWithField(g, 'Cluster', 'spec.primaryLease')).toEqual(['1.30.0', '1.30.1']);
    expect(releasesWithField(g, 'Cluster', 'spec.primaryLease.leaseDurationSeconds')).toEqual(['1.30.0', '1.30.1']);
    expect(releasesWithField(g, 'Cluster', 'spec.instances')).toEqual(g.releases);
    // extensions[].env: 1.28.2 and newer.
    expect(releasesWithField(g, 'Cluster', 'spec.postgresql.extensions[].env')).toEqual(['1.28.2', '1.29.0', '1.29.1', '1.30.0', '1.30.1']);
    expect(releasesWithField(g, 'Cluster', 'spec.postgresql.extensions.env')).toEqual([]);
    expect(releasesWithField(g, 'Pooler', 'spec.template.spec.workloadRef')).toEqual(['1.28.1', '1.28.2', '1.29.0']);
    expect(releasesWithField(g, 'Cluster', 'spec.nothing')).toEqual([]);
    expect(releasesWithField(g, 'NoKind', 'spec')).toEqual([]);
  });
});

describe('types', () => {
  const wrong = (value: unknown) => cluster({ instances: value });

  test('integers (spec.instances: integer, minimum 1)', () => {
    expect(wrong(2)).toEqual([]);
    expect(wrong('3')).toEqual([{
      path: 'spec.instances',
      value: '3',
      problem: 'is a string, but Cluster spec.instances is an integer',
      fix: 'write the number 3 without quotes',
    }]);
    expect(wrong('-3')[0].fix).toBe('write the number -3 without quotes');
    expect(wrong('3x')[0].fix).toBe('write an integer');
    expect(wrong('x3')[0].fix).toBe('write an integer');
    expect(wrong(1.5)).toEqual([{
      path: 'spec.instances',
      value: 1.5,
      problem: 'is not a whole number, but Cluster spec.instances is an integer',
      fix: 'write an integer',
    }]);
    expect(wrong(Infinity)[0].problem).toBe('is not a whole number, but Cluster spec.instances is an integer');
    expect(wrong(NaN)[0].problem).toBe('is not a whole number, but Cluster spec.instances is an integer');
    expect(wrong(true)[0].problem).toBe('is a boolean, but Cluster spec.instances is an integer');
    expect(wrong([1])[0].problem).toBe('is a list, but Cluster spec.instances is an integer');
    expect(wrong({})[0].problem).toBe('is an object, but Cluster spec.instances is an integer');
  });

  test('a minimum of 0 (podMonitorRelabelings[].modulus: integer, minimum 0)', () => {
    // spec.monitoring.podMonitorRelabelings[].modulus is integer (format int64), minimum 0.
    const relabel = (modulus: unknown) => cluster({ monitoring: { podMonitorRelabelings: [{ modulus }] } });
    expect(relabel(0)).toEqual([]);
    expect(relabel(-1)).toEqual([{
      path: 'spec.monitoring.podMonitorRelabelings[0].modulus',
      value: -1,
      problem: 'is below the minimum 0',
      fix: 'give 0 or more',
    }]);
  });

  test('booleans', () => {
    const b = (v: unknown) => checkObjectSchema({ ...SCHEDULED, metadata: META, spec: { cluster: { name: 'pg' }, schedule: '0 0 0 * * *', suspend: v } });
    expect(b(true)).toEqual([]);
    expect(b(false)).toEqual([]);
    expect(b('True')).toEqual([{
      path: 'spec.suspend',
      value: 'True',
      problem: 'is a string, but ScheduledBackup spec.suspend is a boolean (true or false)',
      fix: 'write true without quotes',
    }]);
    expect(b('FALSE')[0].fix).toBe('write false without quotes');
    expect(b('yes')[0].fix).toBe('write true or false');
    expect(b('true ')[0].fix).toBe('write true or false');
    expect(b(' false')[0].fix).toBe('write true or false');
    expect(b(1)).toEqual([{
      path: 'spec.suspend',
      value: 1,
      problem: 'is a number, but ScheduledBackup spec.suspend is a boolean (true or false)',
      fix: 'write true or false',
    }]);
  });

  test('strings', () => {
    expect(cluster({ description: 5 })).toEqual([{
      path: 'spec.description',
      value: 5,
      problem: 'is a number, but Cluster spec.description is a string',
      fix: 'write it as a string, e.g. "5"',
    }]);
    expect(cluster({ description: false })[0].fix).toBe('write it as a string, e.g. "false"');
  });

  test('int-or-string (resources.requests: x-kubernetes-int-or-string, with the quantity pattern)', () => {
    const req = (v: unknown) => cluster({ resources: { requests: { cpu: v } } });
    expect(req('500m')).toEqual([]);
    expect(req(2)).toEqual([]);
    expect(req(1.5)).toEqual([{
      path: 'spec.resources.requests.cpu',
      value: 1.5,
      problem: 'is a number, but Cluster spec.resources.requests.cpu is an integer or a string',
      fix: 'write a whole number or a string',
    }]);
    expect(req(true)[0].problem).toBe('is a boolean, but Cluster spec.resources.requests.cpu is an integer or a string');
    expect(req('5 cores')).toEqual([{
      path: 'spec.resources.requests.cpu',
      value: '5 cores',
      problem: `does not match the pattern ${QUANTITY} of Cluster spec.resources.requests.cpu`,
      fix: `write a value that matches ${QUANTITY}`,
    }]);
  });

  test('quantities of the Kubernetes schemas (int-or-string without pattern there: any string or number)', () => {
    const job = (v: unknown) => checkObjectSchema({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: META,
      spec: { template: { spec: { containers: [{ name: 'c', resources: { limits: { memory: v } } }] } } },
    });
    expect(job('1Gi')).toEqual([]);
    expect(job(2.5)).toEqual([]);
    expect(job(true)).toEqual([{
      path: 'spec.template.spec.containers[0].resources.limits.memory',
      value: true,
      problem: 'is a boolean, but Job spec.template.spec.containers[0].resources.limits.memory is a quantity (e.g. "1Gi" or 500m)',
      fix: 'write a Kubernetes quantity such as "1Gi", "500m" or 2',
    }]);
  });

  test('objects', () => {
    // spec.storage is an object; spec.bootstrap.recovery... ; ScheduledBackup spec.cluster requires name.
    expect(cluster({ storage: '1Gi' })).toEqual([{
      path: 'spec.storage',
      value: '1Gi',
      problem: 'is a string, but Cluster spec.storage is an object',
      fix: 'write an object with the fields of spec.storage',
    }]);
    const sb = (c: unknown) => checkObjectSchema({ ...SCHEDULED, metadata: META, spec: { cluster: c, schedule: '0 0 0 * * *' } });
    expect(sb('pg')).toEqual([{
      path: 'spec.cluster',
      value: 'pg',
      problem: 'is a string, but ScheduledBackup spec.cluster is an object',
      fix: 'write an object with its required field name, e.g. {name: "pg"}',
    }]);
    expect(sb(['pg'])).toEqual([{
      path: 'spec.cluster',
      value: ['pg'],
      problem: 'is a list, but ScheduledBackup spec.cluster is an object',
      fix: 'write an object with the fields of spec.cluster (required: name)',
    }]);
    // ObjectStore-free object with two required fields: Cluster spec.postgresql.extensions[] requires image and name before 1.28.2.
    const ext = checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: 1, postgresql: { extensions: ['x'] } } }, '1.28.0');
    expect(ext).toEqual([{
      path: 'spec.postgresql.extensions[0]',
      value: 'x',
      problem: 'is a string, but Cluster spec.postgresql.extensions[0] is an object',
      fix: 'write an object with the fields of spec.postgresql.extensions[0] (required: image, name)',
    }]);
  });

  test('lists', () => {
    expect(cluster({ managed: { roles: 'app' } })).toEqual([{
      path: 'spec.managed.roles',
      value: 'app',
      problem: 'is a string, but Cluster spec.managed.roles is a list',
      fix: 'write a list of object items',
    }]);
    // spec.postgresql.shared_preload_libraries: list of strings.
    expect(cluster({ postgresql: { shared_preload_libraries: 'x' } })[0].fix).toBe('write a list of string items');
    expect(cluster({ postgresql: { shared_preload_libraries: ['a', 2] } })).toEqual([{
      path: 'spec.postgresql.shared_preload_libraries[1]',
      value: 2,
      problem: 'is a number, but Cluster spec.postgresql.shared_preload_libraries[1] is a string',
      fix: 'write it as a string, e.g. "2"',
    }]);
  });
});

const QUANTITY = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

describe('required fields', () => {
  test('missing or null, with the release gate of a required field', () => {
    expect(checkObjectSchema({ ...CLUSTER, metadata: META, spec: {} })).toEqual([{
      path: 'spec.instances',
      value: undefined,
      problem: 'is missing: Cluster spec requires it',
      fix: 'set spec.instances',
    }]);
    expect(checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: null } })).toHaveLength(1);
    expect(checkObjectSchema({ ...CLUSTER, metadata: META })).toEqual([{
      path: 'spec',
      value: undefined,
      problem: 'is missing: Cluster (top level) requires it',
      fix: 'set spec',
    }]);
    // extensions[].image is required up to 1.28.1 and optional from 1.28.2 (postgresql.cnpg.io_clusters.yaml).
    const ext = (release: string) => checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: 1, postgresql: { extensions: [{ name: 'vector' }] } } }, release);
    expect(ext('1.28.1')).toEqual([{
      path: 'spec.postgresql.extensions[0].image',
      value: undefined,
      problem: 'is missing: Cluster spec.postgresql.extensions[0] requires it',
      fix: 'set spec.postgresql.extensions[0].image',
    }]);
    expect(ext('1.28.2')).toEqual([]);
  });
});

describe('enums', () => {
  test('a value not in the enum, with the nearest one', () => {
    // spec.primaryUpdateStrategy: enum unsupervised, supervised.
    expect(cluster({ primaryUpdateStrategy: 'Unsupervised' })).toEqual([{
      path: 'spec.primaryUpdateStrategy',
      value: 'Unsupervised',
      problem: 'is not one of ["unsupervised","supervised"] (Cluster spec.primaryUpdateStrategy)',
      fix: 'did you mean "unsupervised"?',
    }]);
    expect(cluster({ primaryUpdateStrategy: 'automatic' })).toEqual([{
      path: 'spec.primaryUpdateStrategy',
      value: 'automatic',
      problem: 'is not one of ["unsupervised","supervised"] (Cluster spec.primaryUpdateStrategy)',
      fix: 'use one of ["unsupervised","supervised"]',
    }]);
    expect(cluster({ primaryUpdateStrategy: 'supervised' })).toEqual([]);
  });

  test('an enum value only some releases accept (data compression lz4: 1.30.0 and newer)', () => {
    const data = (compression: string, release: string) => cluster({
      backup: { barmanObjectStore: { destinationPath: 's3://b', data: { compression } } },
    }, release);
    expect(data('lz4', '1.30.0')).toEqual([]);
    expect(data('gzip', '1.29.1')).toEqual([]);
    expect(data('lz4', '1.29.1')).toEqual([{
      path: 'spec.backup.barmanObjectStore.data.compression',
      value: 'lz4',
      problem: 'is not allowed by the Cluster CRD of CloudNativePG 1.29.1: only 1.30.0 and newer accept it',
      fix: 'use one of ["bzip2","gzip","snappy"], or target a release that accepts it (operatorVersion) once the operator runs it',
    }]);
    expect(data('lz', '1.29.1')).toEqual([{
      path: 'spec.backup.barmanObjectStore.data.compression',
      value: 'lz',
      problem: 'is not one of ["bzip2","gzip","snappy"] (Cluster spec.backup.barmanObjectStore.data.compression)',
      fix: 'use one of ["bzip2","gzip","snappy"]',
    }]);
  });

  test('a Flux variable is not checked against the enum, the pattern or the length', () => {
    expect(cluster({ primaryUpdateStrategy: '${STRATEGY}' })).toEqual([]);
    expect(cluster({ resources: { requests: { cpu: '${CPU}' } } })).toEqual([]);
    expect(cluster({ postgresql: { extensions: [{ name: '${EXTENSION_NAME_THAT_IS_LONGER_THAN_FIFTY_NINE_CHARACTERS_AS_WRITTEN}' }] } })).toEqual([]);
  });
});

describe('limits on both sides', () => {
  const wal = (walSegmentSize: unknown) => cluster({ bootstrap: { initdb: { walSegmentSize } } });
  test('minimum and maximum (initdb.walSegmentSize: 1 to 1024)', () => {
    expect(wal(1)).toEqual([]);
    expect(wal(1024)).toEqual([]);
    expect(wal(0)).toEqual([{
      path: 'spec.bootstrap.initdb.walSegmentSize', value: 0, problem: 'is below the minimum 1', fix: 'give 1 or more',
    }]);
    expect(wal(1025)).toEqual([{
      path: 'spec.bootstrap.initdb.walSegmentSize', value: 1025, problem: 'is above the maximum 1024', fix: 'give 1024 or less',
    }]);
    expect(cluster({ instances: 0 })).toEqual([{
      path: 'spec.instances', value: 0, problem: 'is below the minimum 1', fix: 'give 1 or more',
    }]);
  });

  test('string lengths (extensions[].name: 1 to 59 characters, pattern ^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$)', () => {
    const name = (n: string) => cluster({ postgresql: { extensions: [{ name: n, image: { reference: 'i' } }] } });
    const at = 'spec.postgresql.extensions[0].name';
    expect(name('a'.repeat(59))).toEqual([]);
    expect(name('a'.repeat(60))).toEqual([{ path: at, value: 'a'.repeat(60), problem: 'is longer than 59 characters', fix: 'shorten it to 59 characters at most' }]);
    expect(name('')).toEqual([
      { path: at, value: '', problem: 'is shorter than 1 characters', fix: 'give at least 1 characters' },
      {
        path: at,
        value: '',
        problem: 'does not match the pattern ^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$ of Cluster spec.postgresql.extensions[0].name',
        fix: 'write a value that matches ^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$',
      },
    ]);
    expect(name('a_b')).toEqual([]);
    expect(name('a_')[0].problem).toBe('does not match the pattern ^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$ of Cluster spec.postgresql.extensions[0].name');
  });

  test('item counts (ImageCatalog spec.images: 1 to 8 items)', () => {
    const images = (n: number) => checkObjectSchema({
      ...CATALOG, metadata: META, spec: { images: Array.from({ length: n }, (_x, i) => ({ image: `pg:${i + 10}`, major: i + 10 })) },
    });
    expect(images(1)).toEqual([]);
    expect(images(8)).toEqual([]);
    expect(images(0)).toEqual([{ path: 'spec.images', value: [], problem: 'has 0 items, fewer than the 1 it needs', fix: 'give at least 1' }]);
    const nine = images(9);
    expect(nine).toEqual([{ path: 'spec.images', value: expect.any(Array), problem: 'has 9 items, more than the 8 it allows', fix: 'give at most 8' }]);
    // images[].major: minimum 10.
    expect(checkObjectSchema({ ...CATALOG, metadata: META, spec: { images: [{ image: 'pg:9', major: 9 }] } })).toEqual([{
      path: 'spec.images[0].major', value: 9, problem: 'is below the minimum 10', fix: 'give 10 or more',
    }]);
  });
});

describe('patterns are Go RE2 expressions', () => {
  // PrometheusRule spec.groups[].partial_response_strategy: ^(?i)(abort|warn)?$ (inline flag).
  const rule = (s: string) => checkObjectSchema({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: META,
    spec: { groups: [{ name: 'g', rules: [], partial_response_strategy: s }] },
  });
  test('an inline (?i) flag becomes a RegExp flag', () => {
    expect(rule('WARN')).toEqual([]);
    expect(rule('Abort')).toEqual([]);
    expect(rule('')).toEqual([]);
    expect(rule('warning')).toEqual([{
      path: 'spec.groups[0].partial_response_strategy',
      value: 'warning',
      problem: 'does not match the pattern ^(?i)(abort|warn)?$ of PrometheusRule spec.groups[0].partial_response_strategy',
      fix: 'write a value that matches ^(?i)(abort|warn)?$',
    }]);
  });

  test('the same pattern twice is read once and gives the same verdicts', () => {
    expect(rule('warn')).toEqual([]);
    expect(rule('x')).toHaveLength(1);
  });

  test('quantities (the Kubernetes quantity pattern)', () => {
    const req = (v: string) => cluster({ resources: { requests: { memory: v } } });
    for (const ok of ['1Gi', '500m', '1e3', '.5', '+1', '-1Ki', '1.']) expect([ok, req(ok)]).toEqual([ok, []]);
    for (const bad of ['1GB', '1 Gi', 'Gi', '1gi', '']) expect([bad, req(bad).length]).toEqual([bad, 1]);
  });

  test('retention policy ^[1-9][0-9]*[dwm]$', () => {
    const ret = (retentionPolicy: string) => cluster({ backup: { retentionPolicy } });
    expect(ret('30d')).toEqual([]);
    expect(ret('0d')[0].problem).toBe('does not match the pattern ^[1-9][0-9]*[dwm]$ of Cluster spec.backup.retentionPolicy');
  });
});

describe('nearest', () => {
  test('the same letters first, then the smallest edit distance within max(2, length/4)', () => {
    expect(nearest('shared_preload_libraries', ['sharedPreloadLibraries', 'x'])).toBe('sharedPreloadLibraries');
    expect(nearest('Instances', ['instances'])).toBe('instances');
    expect(nearest('instanses', ['instances', 'storage'])).toBe('instances');
    expect(nearest('instanxx', ['instances'])).toBeUndefined(); // 3 edits, limit max(2, 8/4)
    expect(nearest('abcd', ['abxy'])).toBe('abxy'); // 2 edits, limit 2
    expect(nearest('abcd', ['axyz'])).toBeUndefined(); // 3 edits, limit 2
    expect(nearest('abcdefghijkl', ['abcdefghixyz'])).toBe('abcdefghixyz'); // 3 edits, limit 12/4 = 3
    expect(nearest('abcdefghijkl', ['abcdefghwxyz'])).toBeUndefined(); // 4 edits
    expect(nearest('abcdefghijklmno', ['abcdefghijklxyz'])).toBe('abcdefghijklxyz'); // 15/4 floors to 3
    expect(nearest('abcdefghijklmno', ['abcdefghijkwxyz'])).toBeUndefined();
    expect(nearest('x', [])).toBeUndefined();
  });

  test('the first of equally near candidates, insertions and deletions counted once', () => {
    expect(nearest('abc', ['abd', 'abe'])).toBe('abd');
    expect(nearest('abc', ['zzzz', 'abe', 'abd'])).toBe('abe');
    expect(nearest('abcdef', ['abcdefgh'])).toBe('abcdefgh');
    expect(nearest('abcdefgh', ['abcdef'])).toBe('abcdef');
    expect(nearest('abcdefgh', ['abcdefghijk'])).toBeUndefined();
    expect(nearest('bcdefgh', ['abcdefgh', 'bcdefghij'])).toBe('abcdefgh');
    expect(nearest('ab', ['ba'])).toBe('ba');
    expect(nearest('ab_c', ['a-bc'])).toBe('a-bc');
  });
});

describe('the edges the mutation run found', () => {
  test('each schema group is named in the message (ObjectStore, PodMonitor, ExternalSecret, Kustomization)', () => {
    const group = (apiVersion: string, kind: string) => checkObjectSchema({ apiVersion, kind, metadata: META, spec: {}, zzzzzzzz: 1 })
      .filter((p) => p.path === 'zzzzzzzz').map((p) => p.problem);
    const problem = (kind: string, label: string) => `is not a field of ${kind} (top level) (${label}): the API server would drop or refuse it`;
    expect(group('barmancloud.cnpg.io/v1', 'ObjectStore')).toEqual([problem('ObjectStore', 'the Barman Cloud plugin 0.14.0')]);
    expect(group('monitoring.coreos.com/v1', 'PodMonitor')).toEqual([problem('PodMonitor', 'prometheus-operator 0.93.0')]);
    expect(group('external-secrets.io/v1', 'ExternalSecret')).toEqual([problem('ExternalSecret', 'external-secrets 2.9.0')]);
    expect(group('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toEqual([problem('Kustomization', 'Flux kustomize-controller 1.9.6')]);
    expect(group('v1', 'ConfigMap')).toEqual([problem('ConfigMap', 'Kubernetes 1.30.0')]);
  });

  test('an int-or-string field without a pattern takes any string (Service targetPort)', () => {
    const port = (targetPort: unknown) => checkObjectSchema({ apiVersion: 'v1', kind: 'Service', metadata: META, spec: { ports: [{ port: 5432, targetPort }] } });
    expect(port('postgres')).toEqual([]);
    expect(port(5432)).toEqual([]);
  });

  test('the required fields named for a scalar are those of the targeted release', () => {
    // extensions[]: image and name required up to 1.28.1, only name from 1.28.2.
    const ext = (release: string) => checkObjectSchema({ ...CLUSTER, metadata: META, spec: { instances: 1, postgresql: { extensions: ['vector'] } } }, release);
    expect(ext('1.28.2').map((p) => p.fix)).toEqual(['write an object with its required field name, e.g. {name: "vector"}']);
  });

  test('the fix of a non-string value is never "without quotes"', () => {
    expect(cluster({ instances: [1] })[0].fix).toBe('write an integer');
    expect(cluster({ instances: '-30' })[0].fix).toBe('write the number -30 without quotes');
    expect(cluster({ instances: '30' })[0].fix).toBe('write the number 30 without quotes');
  });

  test('a list path under a field that does not exist', () => {
    expect(releasesWithField(schemaGroup('cnpg'), 'Cluster', 'spec.nothing[]')).toEqual([]);
  });
});
