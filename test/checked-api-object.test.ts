/**
 * `CheckedApiObject` and `checkedObject` built directly, one chart per test (nothing at `describe`
 * level): the object as written (fields, overrides, deletions, JSON patches), the release it is
 * checked against, the rules, the metadata keys and values, the name clash, and each refusal whole.
 */
import { JsonPatch, Testing } from 'cdk8s';
import { CheckedApiObject } from '../src';
import { chart } from './util/synth';
import { checkedObject } from '../src/core/checked-api-object';

const DB = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Database' };
const dbSpec = { name: 'app', owner: 'app', cluster: { name: 'pg' } };
const configMap = (c = chart(), id = 'cm', props: Record<string, any> = {}) =>
  new CheckedApiObject(c, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, fields: { data: { a: 'b' } }, ...props });

describe('CheckedApiObject', () => {
  test('the object as written: apiVersion, kind, metadata, then the fields', () => {
    expect(configMap().toJson()).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { a: 'b' } });
    expect(new CheckedApiObject(chart(), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).toJson()).toEqual({
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' },
    });
    expect(() => new CheckedApiObject(chart(), 'x', undefined as any)).toThrow(new Error('CheckedApiObject at \'test/x\': props = (unset) is required. '
      + 'Fix: give an object with the props of CheckedApiObjectProps (required: apiVersion, kind)'));
  });

  test('without a release, the newest schema; with one, that release\'s', () => {
    const fdws = { fields: { spec: { ...dbSpec, fdws: [{ name: 'postgres_fdw' }] } }, metadata: { name: 'd', namespace: 'ns' }, ...DB };
    expect(new CheckedApiObject(chart(), 'd', fdws).toJson().spec.fdws).toEqual([{ name: 'postgres_fdw' }]);
    expect(new CheckedApiObject(chart(), 'd', { ...fdws, release: '1.28.0' }).toJson().spec.fdws).toEqual([{ name: 'postgres_fdw' }]);
    expect(() => new CheckedApiObject(chart(), 'd', { ...fdws, release: '1.27.1' }).toJson()).toThrow(new Error(
      'CheckedApiObject at \'test/d\': Database spec.fdws = [{"name":"postgres_fdw"}] is not a field of the Database CRD of CloudNativePG 1.27.1: '
      + 'only 1.28.0 and newer have it. Fix: target a release that has it (operatorVersion) once the operator runs it, or remove spec.fdws'));
  });

  test('checkedObject: the release read at synth, the rules, each problem on its line', () => {
    let release = '1.30.0';
    const o = checkedObject(chart(), 'd', {
      ...DB,
      metadata: { name: 'd', namespace: 'ns' },
      fields: { spec: { ...dbSpec, fdws: [] } },
      release: () => release,
      rules: [
        (json) => json.spec.owner === 'app' ? [{ path: 'spec.owner', value: json.spec.owner, problem: 'is taken', fix: 'use another' }] : [],
        () => [{ path: 'spec.name', value: 7, problem: 'is odd', fix: 'even it' }],
      ],
    });
    const where = 'CheckedApiObject at \'test/d\': Database';
    expect(() => o.toJson()).toThrow(new Error(`${where} spec.owner = "app" is taken. Fix: use another\n${where} spec.name = 7 is odd. Fix: even it`));
    o.addOverride('spec.owner', 'other');
    expect(() => o.toJson()).toThrow(new Error(`${where} spec.name = 7 is odd. Fix: even it`));
    release = '1.27.0';
    expect(() => o.toJson()).toThrow(/^CheckedApiObject at 'test\/d': Database spec\.fdws = \[\] is not a field of the Database CRD of CloudNativePG 1\.27\.0/);
    const plain = checkedObject(chart(), 'p', { ...DB, metadata: { name: 'd', namespace: 'ns' }, fields: { spec: dbSpec } });
    expect(plain.toJson().spec).toEqual(dbSpec);
  });

  test('addOverride: creates the objects on the way, escapes dots, indexes lists, replaces scalars, copies the value', () => {
    const o = configMap();
    const value = { k: ['v'] };
    o.addOverride('metadata.annotations.example\\.com/x', 'y');
    o.addOverride('metadata.labels.team', 'db');
    o.addOverride('data.a', 'c');
    o.addOverride('binaryData', null);
    o.addOverride('binaryData.x', 'YQ==');
    o.addOverride('immutable', true);
    const cm = { ...o.toJson() };
    expect(cm).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'ns', annotations: { 'example.com/x': 'y' }, labels: { team: 'db' } },
      data: { a: 'c' },
      binaryData: { x: 'YQ==' },
      immutable: true,
    });
    const scalar = configMap();
    scalar.addOverride('data.nested', 'x');
    scalar.addOverride('data.nested.deep', 'z');
    expect(() => scalar.toJson()).toThrow(/^CheckedApiObject at 'test\/cm': ConfigMap data\.nested = \{"deep":"z"\} is an object, but ConfigMap data\.nested is a string/);
    const d = new CheckedApiObject(chart(), 'd', { ...DB, metadata: { name: 'd', namespace: 'ns' }, fields: { spec: { ...dbSpec, extensions: [{ name: 'a', ensure: 'present' }, { name: 'b' }] } } });
    d.addOverride('spec.extensions.1.ensure', 'absent');
    d.addOverride('spec.extensions.0', { name: 'c' });
    d.addOverride('metadata.annotations.0', 'zero');
    d.addOverride('metadata.labels.x', value);
    expect(() => d.toJson()).toThrow(/\nCheckedApiObject at 'test\/d': Database metadata\.labels\["x"\] = \{"k":\["v"\]\} is not a string\. Fix: quote the value$/);
    d.addDeletionOverride('metadata.labels');
    const json = d.toJson();
    expect(json.spec.extensions).toEqual([{ name: 'c' }, { name: 'b', ensure: 'absent' }]);
    expect(json.metadata.annotations).toEqual({ 0: 'zero' });
    expect(Array.isArray(json.metadata.annotations)).toBe(false);
  });

  test('the value of an override is copied into the output', () => {
    const o = configMap();
    const value = { k: 'v' };
    o.addOverride('data', value);
    o.toJson().data.k = 'changed';
    expect(value).toEqual({ k: 'v' });
    expect(o.toJson().data).toEqual({ k: 'v' });
  });

  test('addDeletionOverride: removes a key or a list item; a missing path is no error and creates nothing', () => {
    const d = new CheckedApiObject(chart(), 'd', {
      ...DB,
      metadata: { name: 'd', namespace: 'ns', labels: { a: 'b' } },
      fields: { spec: { ...dbSpec, extensions: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], schemas: null } },
    });
    d.addDeletionOverride('spec.extensions.1');
    d.addDeletionOverride('metadata.labels.a');
    d.addDeletionOverride('spec.missing.deeper.field');
    d.addDeletionOverride('spec.owner.x');
    d.addDeletionOverride('spec.schemas.x');
    d.addDeletionOverride('spec.name');
    d.addOverride('spec.name', 'again');
    const json = d.toJson();
    expect(json.spec).toEqual({ name: 'again', owner: 'app', cluster: { name: 'pg' }, extensions: [{ name: 'a' }, { name: 'c' }] });
    expect(json.metadata).toEqual({ name: 'd', namespace: 'ns', labels: {} });
  });

  test('deleting a list item by an index of two digits, by what is no index, a numeric key of a map, the whole metadata', () => {
    const extensions = Array.from({ length: 11 }, (_, i) => ({ name: `e${i}` }));
    const d = new CheckedApiObject(chart(), 'd', { ...DB, metadata: { name: 'd', namespace: 'ns', annotations: { 0: 'zero', 1: 'one' } }, fields: { spec: { ...dbSpec, extensions } } });
    d.addDeletionOverride('spec.extensions.10');
    d.addDeletionOverride('spec.extensions.a1');
    d.addDeletionOverride('spec.extensions.1a');
    d.addDeletionOverride('metadata.annotations.0');
    const json = d.toJson();
    expect(json.spec.extensions).toEqual(extensions.slice(0, 10));
    expect(json.spec.extensions).toHaveLength(10);
    expect(json.metadata.annotations).toEqual({ 1: 'one' });
    const o = configMap();
    o.addDeletionOverride('metadata');
    expect(o.toJson()).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
  });

  test('overrides are applied after JSON patches', () => {
    const o = configMap();
    o.addJsonPatch(JsonPatch.add('/data/p', 'patched'));
    o.addOverride('data.p', 'override');
    expect(o.toJson().data).toEqual({ a: 'b', p: 'override' });
    expect(Testing.synth(o.chart)[0].data).toEqual({ a: 'b', p: 'override' });
  });

  test.each([
    ['', 'is not a field path', 'write the path with dots in the CRD\'s field names, e.g. "spec.postgresql.parameters.work_mem"'],
    [' ', 'is not a field path', 'write the path with dots in the CRD\'s field names, e.g. "spec.postgresql.parameters.work_mem"'],
    ['a..b', 'has an empty part', 'separate the fields with single dots, e.g. "spec.postgresql.parameters"'],
    ['.a', 'has an empty part', 'separate the fields with single dots, e.g. "spec.postgresql.parameters"'],
    ['a.', 'has an empty part', 'separate the fields with single dots, e.g. "spec.postgresql.parameters"'],
  ])('the override path %j is refused', (path, problem, fix) => {
    const message = new Error(`CheckedApiObject at 'test/cm': override path = ${JSON.stringify(path)} ${problem}. Fix: ${fix}`);
    expect(() => configMap().addOverride(path, 1)).toThrow(message);
    expect(() => configMap().addDeletionOverride(path)).toThrow(message);
  });

  test('a path of one part, a backslash not before a dot, and an escaped dot at the end', () => {
    const o = configMap();
    o.addOverride('data', { 'a\\b': 'x', 'c.': 'y' });
    o.addOverride('data.b\\c', 'z');
    o.addOverride('data.e\\.', 'w');
    expect(o.toJson().data).toEqual({ 'a\\b': 'x', 'c.': 'y', 'b\\c': 'z', 'e.': 'w' });
    const a = configMap();
    a.addOverride('metadata.annotations.ok\\.io/k', 'v');
    expect(a.toJson().metadata.annotations).toEqual({ 'ok.io/k': 'v' });
  });

  test('the argument checks of the escape hatches', () => {
    expect(() => configMap().addOverride(undefined as any, 1)).toThrow(new Error('CheckedApiObject.addOverride at \'test/cm\': path = (unset) is required. Fix: give a string'));
    expect(() => configMap().addDeletionOverride(3 as any)).toThrow(/^CheckedApiObject\.addDeletionOverride at 'test\/cm': path = 3 is a number, where a string goes/);
  });
});

describe('metadata keys and values', () => {
  const where = 'CheckedApiObject at \'test/cm\': ConfigMap';
  const KEY = 'is not a Kubernetes key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit). '
    + 'Fix: use a key such as "team" or "example.com/team"';
  const VALUE = 'is not a label value (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit). '
    + 'Fix: shorten or simplify the value, or put it in an annotation';
  const withMeta = (labels?: any, annotations?: any) => () => configMap(chart(), 'cm', { metadata: { name: 'cm', namespace: 'ns', labels, annotations } }).toJson();
  const prefix = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

  test.each([
    'a', 'A', '0', 'a.b_c-D', 'x'.repeat(63), 'example.com/team', 'a.b/k', 'ab.c.d/k', `${prefix}/k`, 'cnpg.io/reload', 'a/b', '${KEY}', 'x/${A} b',
  ])('the key %j is accepted on labels and annotations', (key) => {
    expect(withMeta({ [key]: 'v' }, { [key]: 'v' })().metadata.labels).toEqual({ [key]: 'v' });
  });

  test.each([
    '', '-a', 'a-', '_a', 'a_', 'x'.repeat(64), `${prefix}x/k`, 'Example.com/team', '/a', 'a/', 'a/b/c', 'a b', '.com/a', 'a..b/c', 'a/-b', 'ä', 'a\n',
  ])('the key %j is refused', (key) => {
    const shown = JSON.stringify(key);
    expect(withMeta({ [key]: 'v' })).toThrow(new Error(`${where} metadata.labels[${shown}] = ${shown} ${KEY}`));
    expect(withMeta(undefined, { [key]: 'v' })).toThrow(new Error(`${where} metadata.annotations[${shown}] = ${shown} ${KEY}`));
  });

  test.each(['', 'a', 'a.b_c-D', 'x'.repeat(63), '0', '${VALUE}', '${A} b'])('the label value %j is accepted', (value) => {
    expect(withMeta({ k: value })().metadata.labels.k).toBe(value);
  });

  test.each(['-a', 'a-', '_', 'a b', 'x'.repeat(64), 'a/b', 'a\n', 'ä'])('the label value %j is refused; as an annotation, accepted', (value) => {
    expect(withMeta({ k: value })).toThrow(new Error(`${where} metadata.labels["k"] = ${JSON.stringify(value)} ${VALUE}`));
    expect(withMeta(undefined, { k: value })().metadata.annotations.k).toBe(value);
  });

  test('a value that is not a string, on either map', () => {
    expect(withMeta({ k: 1 })).toThrow(/ConfigMap metadata\.labels\["k"\] = 1 is not a string\. Fix: quote the value/);
    expect(withMeta(undefined, { k: true })).toThrow(/ConfigMap metadata\.annotations\["k"\] = true is not a string\. Fix: quote the value/);
  });

  test('a map that is not an object is left to the schema', () => {
    const o = configMap();
    o.addOverride('metadata.labels', '-');
    expect(() => o.toJson()).toThrow(/^CheckedApiObject at 'test\/cm': ConfigMap metadata\.labels = "-" is a string, but ConfigMap metadata\.labels is an object/);
    expect(() => o.toJson()).not.toThrow(/\n/);
  });
});

describe('two objects of one kind, namespace and name in one chart', () => {
  const where = (id: string) => `CheckedApiObject at 'test/${id}'`;

  test('the second written is refused, naming the first; the same object written twice is not', () => {
    const c = chart();
    const a = configMap(c, 'a');
    const b = configMap(c, 'b');
    expect(a.toJson().metadata.name).toBe('cm');
    expect(a.toJson().metadata.name).toBe('cm');
    expect(() => b.toJson()).toThrow(new Error(`${where('b')}: ConfigMap metadata.name = "cm" is also the name of the ConfigMap written at 'test/a' in namespace ns: `
      + 'applied together, one would replace the other (and Flux\'s kustomize build refuses the duplicate). '
      + 'Fix: give one of them another name (e.g. another clusterName or application name), or put it in another namespace'));
    expect(a.toJson().metadata.name).toBe('cm');
  });

  test('another namespace, another kind, another group, another chart, or no name: no clash', () => {
    const c = chart();
    configMap(c, 'a').toJson();
    expect(configMap(c, 'b', { metadata: { name: 'cm', namespace: 'other' } }).toJson().metadata.namespace).toBe('other');
    expect(configMap(c, 'c', { metadata: { name: 'cm' } }).toJson().metadata).toEqual({ name: 'cm' });
    expect(new CheckedApiObject(c, 'd', { ...DB, metadata: { name: 'cm', namespace: 'ns' }, fields: { spec: dbSpec } }).toJson().kind).toBe('Database');
    expect(configMap(chart(), 'a').toJson().metadata.name).toBe('cm');
    expect(() => configMap(c, 'e', { apiVersion: 'example.com/v1' }).toJson()).toThrow(/ConfigMap kind = "example\.com\/v1 ConfigMap" is not a kind whose schema the library knows/);
    const unnamed = configMap(c, 'f', { metadata: { namespace: 'ns' } });
    unnamed.addOverride('metadata.name', 5);
    expect(() => unnamed.toJson()).toThrow(/metadata\.name = 5 is a number, but ConfigMap metadata\.name is a string/);
  });

  test('one group in two versions, and no namespace', () => {
    const c = chart();
    new CheckedApiObject(c, 'a', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const b = new CheckedApiObject(c, 'b', { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } });
    expect(() => c.node.findChild('a') && (c.node.findChild('a') as CheckedApiObject).toJson()).toThrow(/is not a kind whose schema the library knows/);
    expect(() => b.toJson()).toThrow(new Error(`${where('b')}: Widget metadata.name = "w" is also the name of the Widget written at 'test/a': `
      + 'applied together, one would replace the other (and Flux\'s kustomize build refuses the duplicate). '
      + 'Fix: give one of them another name (e.g. another clusterName or application name), or put it in another namespace'));
    const other = new CheckedApiObject(c, 'c', { apiVersion: 'other.example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(() => other.toJson()).toThrow(/^CheckedApiObject at 'test\/c': Widget kind = "other\.example\.com\/v1 Widget" is not a kind/);
  });

  test('an empty namespace is no namespace; core v1 and v2, a version and its beta, are one group; a name that is not a string is not compared', () => {
    const c = chart();
    configMap(c, 'a', { metadata: { name: 'cm', namespace: '' } }).toJson();
    expect(() => configMap(c, 'b', { metadata: { name: 'cm' } }).toJson()).toThrow(/^CheckedApiObject at 'test\/b': ConfigMap metadata\.name = "cm" is also the name of the ConfigMap written at 'test\/a': applied/);
    expect(() => configMap(c, 'c', { apiVersion: 'v2' }).toJson()).not.toThrow(/also the name/);
    expect(() => configMap(c, 'd', { apiVersion: 'v1' }).toJson()).toThrow(/^CheckedApiObject at 'test\/d': ConfigMap metadata\.name = "cm" is also the name of the ConfigMap written at 'test\/c' in namespace ns/);
    expect(() => new CheckedApiObject(c, 'e', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }).toJson()).toThrow(/is not a kind whose schema/);
    expect(() => new CheckedApiObject(c, 'f', { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' } }).toJson()).toThrow(/written at 'test\/e'/);
    const n1 = configMap(c, 'g');
    const n2 = configMap(c, 'h');
    n1.addOverride('metadata.name', 5);
    n2.addOverride('metadata.name', 5);
    expect(() => n1.toJson()).toThrow(/^CheckedApiObject at 'test\/g': ConfigMap metadata\.name = 5 is a number/);
    expect(() => n2.toJson()).toThrow(/^CheckedApiObject at 'test\/h': ConfigMap metadata\.name = 5 is a number/);
  });

  test('a Namespace written twice: the fix names createNamespace', () => {
    const c = chart();
    new CheckedApiObject(c, 'a', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).toJson();
    expect(() => new CheckedApiObject(c, 'b', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).toJson()).toThrow(new Error(
      `${where('b')}: Namespace metadata.name = "n" is also the name of the Namespace written at 'test/a': applied together, one would replace the other `
      + '(and Flux\'s kustomize build refuses the duplicate). Fix: let one construct write the Namespace: set createNamespace: false on the others'));
  });
});
