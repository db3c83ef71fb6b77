import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifests, yamlFiles } from '../src/audit/manifests';

/**
 * The audit's reader (src/audit/manifests.ts) on small files written in each test: which files a
 * directory gives, which documents are objects, the lines of objects and fields, the errors, and
 * Flux's substitution. Nothing is built at `describe` level (mutation testing reruns only the tests
 * that reach a mutant).
 */

function dir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-audit-manifests-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function read(text: string, vars?: Record<string, string>, strict = false) {
  const root = dir({ 'm.yaml': text });
  const file = path.join(root, 'm.yaml');
  return { file, set: readManifests([file], vars, strict) };
}

const CM = (name: string, data = 'a: "1"') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;

describe('yamlFiles', () => {
  test('directories recursively and sorted; .yaml, .yml in any case; hidden entries, node_modules and other files skipped', () => {
    const root = dir({
      'b.yaml': '',
      'a.YML': '',
      'c.yml': '',
      'd.Yaml': '',
      'e.json': '',
      'f.yaml.bak': '',
      'g.yamlx': '',
      'xyaml': '',
      '.hidden.yaml': '',
      '.git/h.yaml': '',
      'node_modules/i.yaml': '',
      'node_modules2/j.yaml': '',
      'sub/k.yaml': '',
      'sub.txt/l.yaml': '',
      'sub/deeper/m.yml': '',
    });
    expect(yamlFiles([root]).map((f) => path.relative(root, f))).toEqual([
      'a.YML', 'b.yaml', 'c.yml', 'd.Yaml', 'node_modules2/j.yaml', 'sub/deeper/m.yml', 'sub/k.yaml', 'sub.txt/l.yaml',
    ]);
  });

  test('sorted whatever order the directory lists them in (40 files written in a shuffled order)', () => {
    const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}.yaml`);
    const shuffled = names.map((_n, i) => names[(i * 17) % 40]);
    expect(new Set(shuffled).size).toBe(40);
    const root = dir(Object.fromEntries(shuffled.map((n) => [n, ''])));
    expect(yamlFiles([root]).map((f) => path.basename(f))).toEqual(names);
  });

  test('a file given by name is read whatever its name; a file given twice (or found again) once', () => {
    const root = dir({ 'notes.txt': '', '.hidden.yaml': '', 'a.yaml': '' });
    const files = [path.join(root, 'notes.txt'), path.join(root, '.hidden.yaml'), path.join(root, 'a.yaml'), root, path.join(root, 'notes.txt')];
    expect(yamlFiles(files).map((f) => path.relative(root, f))).toEqual(['notes.txt', '.hidden.yaml', 'a.yaml']);
  });

  test('a path that does not exist throws (the command line checks the paths first)', () => {
    expect(() => yamlFiles(['/no/such/path'])).toThrow(/ENOENT: no such file or directory, stat '\/no\/such\/path'/);
  });
});

describe('readManifests: documents', () => {
  test('every object of a multi-document file, with the line where it starts (comments, empty documents and document markers before it)', () => {
    const { file, set } = read(`# a comment\n\n${CM('one')}---\n# another\n${CM('two')}---\n---\n\n${CM('three')}`);
    expect(set.files).toEqual([file]);
    expect(set.objects.map((o) => [o.file, o.line, o.object.metadata.name])).toEqual([[file, 3, 'one'], [file, 11, 'two'], [file, 20, 'three']]);
    // An empty document (only markers, or nothing) is neither an object nor skipped.
    expect(set.skipped).toEqual([]);
    expect(set.errors).toEqual([]);
  });

  test('documents that are not objects are skipped, each with its line and reason', () => {
    const { file, set } = read([
      'just text', // line 1
      '---\n- a\n- b', // line 3
      '---\nkind: ConfigMap', // line 6
      '---\napiVersion: 1\nkind: ConfigMap', // line 8
      '---\napiVersion: v1\nkind: 2', // line 11
      '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]', // line 14
      '---\napiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component', // line 18
      '---\n42', // line 21
      '---\n' + CM('kept'), // line 23
    ].join('\n'));
    expect(set.skipped).toEqual([
      { file, line: 1, reason: 'not a Kubernetes object (not a mapping)' },
      { file, line: 3, reason: 'not a Kubernetes object (not a mapping)' },
      { file, line: 6, reason: 'not a Kubernetes object (no apiVersion and kind)' },
      { file, line: 8, reason: 'not a Kubernetes object (no apiVersion and kind)' },
      { file, line: 11, reason: 'not a Kubernetes object (no apiVersion and kind)' },
      { file, line: 14, reason: 'a kustomize Kustomization (kustomize.config.k8s.io/v1beta1): build input, not an object of the cluster' },
      { file, line: 18, reason: 'a kustomize Component (kustomize.config.k8s.io/v1alpha1): build input, not an object of the cluster' },
      { file, line: 21, reason: 'not a Kubernetes object (not a mapping)' },
    ]);
    expect(set.objects.map((o) => [o.line, o.object.metadata.name])).toEqual([[23, 'kept']]);
  });

  test('an apiVersion that only contains the kustomize group is an object', () => {
    const { set } = read('apiVersion: x.kustomize.config.k8s.io/v1\nkind: Thing\nmetadata:\n  name: t\n');
    expect(set.skipped).toEqual([]);
    expect(set.objects.map((o) => o.object.kind)).toEqual(['Thing']);
  });

  test('only a List is read item by item: another kind with an items list is one object', () => {
    const { set } = read('apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n');
    expect(set.objects.map((o) => [o.line, o.object.kind, o.object.metadata.name])).toEqual([[1, 'Thing', 't']]);
    expect(set.objects[0].lineOf('items[0].kind')).toBe(7);
  });

  test('an item of a List that is no object (empty, a string, without kind) is skipped with its line and reason', () => {
    const { file, set } = read([
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  -', // line 4
      '  - text', // line 5
      '  - apiVersion: v1', // line 6
      '    metadata: {name: x}',
      '  - apiVersion: v1', // line 8
      '    kind: ConfigMap',
      '    metadata: {name: kept}',
      '',
    ].join('\n'));
    expect(set.objects.map((o) => [o.line, o.object.metadata.name])).toEqual([[8, 'kept']]);
    expect(set.skipped).toEqual([
      { file, line: 4, reason: 'items[0] of a List: an empty item' },
      { file, line: 5, reason: 'items[1] of a List: not a Kubernetes object (not a mapping)' },
      { file, line: 6, reason: 'items[2] of a List: not a Kubernetes object (no apiVersion and kind)' },
    ]);
  });

  test('the items of a List, each with its own line; a List without items is an object', () => {
    const { set } = read([
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1', // line 4
      '    kind: ConfigMap',
      '    metadata:',
      '      name: first',
      '  # between',
      '  - apiVersion: v1', // line 9
      '    kind: Secret',
      '    metadata:',
      '      name: second',
      '    data:',
      '      k: dg==', // line 14
      '---',
      'apiVersion: v1', // line 16
      'kind: List',
      'items: none',
      '',
    ].join('\n'));
    expect(set.objects.map((o) => [o.line, o.object.kind, o.object.metadata?.name])).toEqual([[4, 'ConfigMap', 'first'], [9, 'Secret', 'second'], [16, 'List', undefined]]);
    expect(set.objects[1].written).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'second' }, data: { k: 'dg==' } });
    // Field lines inside an item, from the item.
    expect(set.objects[1].lineOf('data.k')).toBe(14);
    expect(set.objects[1].lineOf('metadata')).toBe(12); // its value's first line
    expect(set.objects[1].lineOf('kind')).toBe(10);
    expect(set.objects[1].lineOf('spec.missing')).toBe(9);
    expect(set.objects[0].lineOf('')).toBe(4);
    expect(set.objects[2].lineOf('items')).toBe(18);
  });
});

describe('readManifests: errors', () => {
  test('a file that cannot be read: line 1, with the system\'s message; the other files are still read', () => {
    const { file } = read(CM('ok'));
    const missing = path.join(path.dirname(file), 'missing.yaml');
    const set = readManifests([missing, file], undefined, false);
    expect(set.errors).toEqual([{ file: missing, line: 1, message: `cannot be read: ENOENT: no such file or directory, open '${missing}'` }]);
    expect(set.objects.map((o) => o.object.metadata.name)).toEqual(['ok']);
    expect(set.files).toEqual([missing, file]);
  });

  test('a YAML error: the line of its first error and its message\'s first line; the next documents are still read', () => {
    const { file, set } = read(`${CM('one')}---\napiVersion: v1\nkind: ConfigMap\nkind: Secret\n---\n${CM('two')}`);
    expect(set.errors).toEqual([{ file, line: 10, message: 'Map keys must be unique' }]);
    expect(set.objects.map((o) => o.object.metadata.name)).toEqual(['one', 'two']);
  });

  test('an error message of several lines keeps its first (a duplicate key of an ordered map whose key has a line break)', () => {
    const { file, set } = read('apiVersion: v1\nkind: ConfigMap\ndata:\n  X: !!omap\n    - "a\\nb": 1\n    - "a\\nb": 2\n');
    expect(set.errors).toEqual([{ file, line: 4, message: 'Ordered maps must not include duplicate keys: a' }]);
    expect(set.objects).toEqual([]);
  });

  test('a document that parses but cannot be converted (an unknown alias, too many aliases): the document\'s line', () => {
    const laughs = 'x: &a [1,1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n';
    const { file, set } = read(`${CM('one')}---\n# a comment\na: &x 1\nb: *y\n---\n${laughs}`);
    expect(set.errors).toEqual([
      { file, line: 9, message: 'Unresolved alias (the anchor must be set before the alias): y' },
      { file, line: 12, message: 'Excessive alias count indicates a resource exhaustion attack' },
    ]);
    expect(set.objects.map((o) => o.object.metadata.name)).toEqual(['one']);
  });
});

describe('readManifests: the lines of fields', () => {
  const text = [
    'apiVersion: monitoring.coreos.com/v1', // 1
    'kind: PrometheusRule',
    'metadata:',
    '  name: r',
    '  labels:', // 5
    '    app.kubernetes.io/name: x',
    '    "a\\"b": y',
    '    empty:',
    'spec:',
    '  groups:', // 10
    '    - name: g',
    '      rules:',
    '        - alert: A',
    '          expr: up == 0',
    '        - alert: B', // 15
    '          expr: |',
    '            down',
    '          for:',
    '',
  ].join('\n');

  test('the line of a field path: names, indexes, quoted keys with dots and escapes', () => {
    const { set } = read(text);
    const o = set.objects[0];
    expect(o.line).toBe(1);
    expect(o.lineOf('spec.groups[0].rules[1].expr')).toBe(16);
    expect(o.lineOf('spec.groups[0].rules[0].expr')).toBe(14);
    expect(o.lineOf('spec.groups[0].rules[1]')).toBe(15);
    expect(o.lineOf('spec.groups[0].name')).toBe(11);
    expect(o.lineOf('metadata.labels["app.kubernetes.io/name"]')).toBe(6);
    expect(o.lineOf('metadata.labels["a\\"b"]')).toBe(7);
    expect(o.lineOf('spec')).toBe(10);
  });

  test('a key without a value: the key\'s line; a missing field: its deepest existing parent; nothing found: the object', () => {
    const { set } = read(text);
    const o = set.objects[0];
    expect(o.lineOf('metadata.labels.empty')).toBe(8);
    expect(o.lineOf('spec.groups[0].rules[1].for')).toBe(18);
    expect(o.lineOf('spec.groups[0].rules[1].for.x')).toBe(18);
    expect(o.lineOf('spec.groups[0].rules[7].expr')).toBe(13);
    expect(o.lineOf('spec.groups[3]')).toBe(11);
    expect(o.lineOf('spec.groups[0].rules[0].missing')).toBe(13);
    expect(o.lineOf('metadata.labels.missing')).toBe(6);
    expect(o.lineOf('status.x')).toBe(1);
    expect(o.lineOf('')).toBe(1);
  });

  test('an index of two digits', () => {
    const list = Array.from({ length: 12 }, (_, i) => `    - v${i}`).join('\n');
    const { set } = read(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  finalizers:\n${list}\n`);
    expect(set.objects[0].lineOf('metadata.finalizers[10]')).toBe(16);
    expect(set.objects[0].lineOf('metadata.finalizers[1]')).toBe(7);
  });

  test('a value on the line after its key: the value\'s line', () => {
    const { set } = read('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:\n    c\ndata:\n  a:\n    "x"\n');
    expect(set.objects[0].lineOf('metadata.name')).toBe(5);
    expect(set.objects[0].lineOf('data.a')).toBe(8);
  });

  test('an explicit key without a value (`? key`): the key\'s line, at the top level and below; other keys of the map not taken for it', () => {
    const { set } = read('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  first: x\n  ? lonely\n  last: y\n? immutable\n');
    const o = set.objects[0];
    expect(o.object.data).toEqual({ first: 'x', lonely: null, last: 'y' });
    expect(o.lineOf('data.lonely')).toBe(7);
    expect(o.lineOf('data.lonely.deeper')).toBe(7);
    expect(o.lineOf('immutable')).toBe(9);
    expect(o.lineOf('data.missing')).toBe(6);
  });

  test('an explicit key in a List item', () => {
    const { set } = read('apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c\n    ? data\n');
    expect(set.objects[0].line).toBe(4);
    expect(set.objects[0].lineOf('data')).toBe(8);
    expect(set.objects[0].lineOf('metadata.x')).toBe(7);
  });

  test('a top-level key without a value, in a document that starts lower', () => {
    const { set } = read('# one\n# two\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n');
    expect(set.objects[0].line).toBe(3);
    expect(set.objects[0].lineOf('data')).toBe(7);
    expect(set.objects[0].lineOf('data.x')).toBe(7);
    expect(set.objects[0].lineOf('immutable')).toBe(3);
  });
});

describe('readManifests: Flux substitution', () => {
  const written = CM('c-${APP}', 'a: "${APP}"\n  b: "${MISSING:=dflt}"\n  c: "${TEAM-x}"\n  n: "${N}"');

  test('without variables: the object as written, with its references and the forms Flux cannot parse', () => {
    const { set } = read(written);
    const o = set.objects[0];
    expect(o.object).toBe(o.written);
    expect(o.object.metadata.name).toBe('c-${APP}');
    expect(o.references.map((r) => [r.path, r.name, r.defined, r.hasDefault])).toEqual([
      ['metadata.name', 'APP', false, false], ['data.a', 'APP', false, false], ['data.b', 'MISSING', false, true], ['data.n', 'N', false, false],
    ]);
    expect(o.unsupported.map((r) => [r.path, r.expression])).toEqual([['data.c', '${TEAM-x}']]);
    expect(o.substitutionDisabled).toBe(false);
    expect(o.substitutionError).toBeUndefined();
  });

  test('with variables: substituted as Flux does (values read back as YAML), the written object kept', () => {
    const { set } = read(written, { APP: 'shop', N: '3' });
    const o = set.objects[0];
    expect(o.object.metadata.name).toBe('c-shop');
    expect(o.object.data).toEqual({ a: 'shop', b: 'dflt', c: '${TEAM-x}', n: 3 });
    expect(o.written.metadata.name).toBe('c-${APP}');
    expect(o.references.map((r) => [r.path, r.name, r.defined])).toEqual([
      ['metadata.name', 'APP', true], ['data.a', 'APP', true], ['data.b', 'MISSING', false], ['data.n', 'N', true],
    ]);
    expect(o.unsupported.map((r) => r.path)).toEqual(['data.c']);
    expect(o.substitutionDisabled).toBe(false);
    expect(o.substitutionError).toBeUndefined();
  });

  test('strict substitution: an undefined variable is the error, and the object is substituted as without strict', () => {
    const { set } = read(CM('c', 'a: "${APP}"\n  b: "${GONE}"\n  c: "${TEAM-x}"'), { APP: 'shop' }, true);
    const o = set.objects[0];
    expect(o.substitutionError).toBe('variable not set (strict mode): "GONE"');
    // The empty value reads back as YAML null, as Flux reads it.
    expect(o.object.data).toEqual({ a: 'shop', b: null, c: '${TEAM-x}' });
    expect(o.references.map((r) => [r.path, r.name, r.defined])).toEqual([['data.a', 'APP', true], ['data.b', 'GONE', false]]);
    expect(o.unsupported.map((r) => r.path)).toEqual(['data.c']);
    expect(o.substitutionDisabled).toBe(false);
  });

  test('strict substitution with every variable set: no error', () => {
    const { set } = read(CM('c', 'a: "${APP}"'), { APP: 'shop' }, true);
    expect(set.objects[0].substitutionError).toBeUndefined();
    expect(set.objects[0].object.data).toEqual({ a: 'shop' });
  });

  test('a substituted value YAML cannot read back (Flux fails the object): with variables, strict or not; none without', () => {
    const text = CM('c', 'a: "${X}"\n  b: "${GONE}"');
    const unreadable = [{ path: 'data.a', text: 'a: b', reason: 'Nested mappings are not allowed in compact mappings' }];
    expect(read(text, { X: 'a: b' }).set.objects[0].unreadable).toStrictEqual(unreadable);
    const strict = read(text, { X: 'a: b' }, true).set.objects[0];
    expect(strict.substitutionError).toBe('variable not set (strict mode): "GONE"');
    expect(strict.unreadable).toStrictEqual(unreadable);
    expect(read(text).set.objects[0].unreadable).toStrictEqual([]);
  });

  test('the label that disables substitution: with or without variables, the object as written and said so', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  a: "${APP}"\n';
    for (const vars of [undefined, { APP: 'shop' }]) {
      const o = read(text, vars).set.objects[0];
      expect(o.substitutionDisabled).toBe(true);
      expect(o.object.data).toEqual({ a: '${APP}' });
      expect(o.references).toEqual([]);
    }
  });
});
