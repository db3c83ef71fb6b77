import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { fluxVariables, substituteObject, substituteText } from '../src/flux/substitution';

const VENDOR_DIR = path.resolve(__dirname, '..', 'vendor');

describe('Flux\'s post-build substitution (the library\'s; test/integ/flux-delivery.test.ts compares it with Flux\'s own code)', () => {
  const vars = { A: '3', ON: 'on', S: 'text', EMPTY: '' };

  test.each([
    ['${A}', '3'], ['x-${S}-y', 'x-text-y'], ['$${A}', '${A}'], ['$$', '$'], ['${UNDEFINED}', ''], ['${UNDEFINED:=d}', 'd'],
    ['${EMPTY:=d}', 'd'], ['${EMPTY:-d}', 'd'], ['${EMPTY=d}', 'd'], ['${UNDEFINED:=${S}}', 'text'], ['$(shell)', '$(shell)'], ['$A', '$A'],
  ])('%s → %s', (text, want) => {
    expect(substituteText(text, vars, false)).toBe(want);
  });

  test('strict mode: an undefined variable without default fails', () => {
    expect(() => substituteText('${UNDEFINED}', vars, true)).toThrow(/variable not set \(strict mode\): "UNDEFINED"/);
    expect(substituteText('${UNDEFINED:=ok}', vars, true)).toBe('ok');
  });

  test('values are read back as YAML 1.1 plain scalars, whatever the source\'s quotes (sigs.k8s.io/yaml)', () => {
    const r = substituteObject({ kind: 'ConfigMap', data: { n: '${A}', b: '${ON}', s: 'x ${A}', script: 'echo ${A}\necho' } }, vars);
    expect(r.object.data).toEqual({ n: 3, b: true, s: 'x 3', script: 'echo 3\necho' });
    expect(r.references.map((x) => `${x.path} ${x.name}`)).toEqual(['data.n A', 'data.b ON', 'data.s A', 'data.script A']);
  });

  test('a value that is not one YAML value once substituted is reported with the reader\'s reason; the field keeps the text', () => {
    const r = substituteObject({
      kind: 'ConfigMap',
      data: { whole: '${MAP}', quoted: '${QUOTED}', pre: 'pre ${QUOTED}', flow: '${FLOW}', alias: '${ALIAS}', block: 'x\n${MAP}', tag: '${TAG}', far: '${FAR} b' },
    }, { MAP: 'a: b', QUOTED: "'a: b'", FLOW: '{a: 1}', ALIAS: '*a', TAG: '!x', FAR: '"a quoted text"' });
    // An unknown tag reads as an empty string, as in go-yaml, and is not an error.
    expect(r.object.data).toStrictEqual({ whole: 'a: b', quoted: 'a: b', pre: "pre 'a: b'", flow: { a: 1 }, alias: '*a', block: 'x\na: b', tag: '', far: '"a quoted text" b' });
    expect(r.unreadable).toStrictEqual([
      { path: 'data.whole', text: 'a: b', reason: 'Nested mappings are not allowed in compact mappings' },
      { path: 'data.pre', text: "pre 'a: b'", reason: 'Nested mappings are not allowed in compact mappings' },
      { path: 'data.alias', text: '*a', reason: 'Unresolved alias (the anchor must be set before the alias): a' },
      // The reader's position (column 20 here) is not part of the reason.
      { path: 'data.far', text: '"a quoted text" b', reason: 'Unexpected scalar at node end' },
    ]);
  });

  test('kustomize.toolkit.fluxcd.io/substitute: disabled leaves the object alone', () => {
    const obj = { kind: 'ConfigMap', metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }, data: { n: '${A}' } };
    expect(substituteObject(obj, vars)).toMatchObject({ disabled: true, object: obj });
  });

  test('the forms it does not evaluate are reported and left as written', () => {
    const r = substituteObject({ kind: 'ConfigMap', data: { n: '${A^^}', l: '${#S}' } }, vars);
    expect(r.object.data).toEqual({ n: '${A^^}', l: '${#S}' });
    expect(r.unsupported.map((u) => u.expression)).toEqual(['${A^^}', '${#S}']);
  });

  test('the reference settings substituted into the reference ScheduledBackup give its six-field schedule', () => {
    const data = parse(fs.readFileSync(path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml'), 'utf-8')).data;
    const sb = parse(fs.readFileSync(path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes', 'workloads', 'platform', 'databases', 'cloudnative-pg', 'shared-cluster', 'scheduledbackup.yaml'), 'utf-8'));
    const r = substituteObject(sb, data);
    expect(r.object.spec.schedule).toBe('0 0 2 * * *');
    expect(r.object.metadata.name).toBe('shared-postgres-backup');
  });
});

/*
 * The expected values below are what Flux gives (tools/flux-substitute: github.com/fluxcd/pkg/kustomize
 * v1.41.0 SubstituteVariables with envsubst v1.8.0, run on each value as a ConfigMap's data field),
 * not what the library computes.
 */
describe('substituteText as envsubst reads each form', () => {
  const vars = { A: '3', S: 'text', EMPTY: '' };

  test.each([
    // Only `${` starts an expression.
    ['x{A}', 'x{A}'], ['$AB}', '$AB}'], ['${A}$', '3$'], ['${A}}', '3}'], ['a}${A}', 'a}3'], ['${UNDEF:=x}$${A}', 'x${A}'],
    // A set, non-empty variable wins over every default operator.
    ['${A:=d}', '3'], ['${A:-d}', '3'], ['${A=d}', '3'], ['${A:+d}', '3'], ['${A:?d}', '3'],
    // Every default operator envsubst parses gives the default for an undefined or empty variable (`:+` and `:?` too).
    ['${UNDEF:-d}', 'd'], ['${UNDEF=d}', 'd'], ['${UNDEF:+d}', 'd'], ['${UNDEF:?d}', 'd'], ['${EMPTY:?d}', 'd'], ['${UNDEF:=}', ''],
    // Defaults hold text, nested expressions (to any depth) and a lone `$` or `{`; the first `}` outside a nested expression ends them.
    ['${UNDEF:=a${A}b}', 'a3b'], ['${UNDEF:=${UNDEF2:=${S}}}', 'text'], ['${UNDEF:=a$b}', 'a$b'], ['${UNDEF:=a{b}c}', 'a{bc}'],
    // In a default `$$` is no escape: kept as written, and `$${A}` is a `$` before an expression.
    ['${UNDEF:=$${A}}', '$3'], ['${UNDEF:-$${A}}', '$3'], ['${EMPTY:=$${A}}', '$3'], ['${UNDEF:=a$$b}', 'a$$b'], ['${UNDEF:=$$}', '$$'],
    ['${UNDEF:=$$$${A}}', '$$$3'], ['${UNDEF:=$$A}', '$$A'], ['${A:=$${S}}', '3'], ['$$$${A}', '$${A}'], ['x$$', 'x$'],
    // Names: letters (any script), digits, underscores.
    ['${S_1}', ''], ['${1}', ''], ['${é}x', 'x'],
  ])('%s → %s', (text, want) => {
    expect(substituteText(text, vars, false)).toBe(want);
  });

  test('strict mode fails on an undefined variable without default, naming it, wherever it is in the text', () => {
    expect(() => substituteText('x ${UNDEF} y', vars, true)).toThrow(new Error('variable not set (strict mode): "UNDEF"'));
    expect(() => substituteText('${UNDEF:=${UNDEF2}}', vars, true)).toThrow(new Error('variable not set (strict mode): "UNDEF2"'));
    expect(substituteText('${UNDEF:-d} ${EMPTY} ${UNDEF=}', vars, true)).toBe('d  ');
  });
});

describe('substituteObject', () => {
  const vars = { A: '3', S: 'text', EMPTY: '' };
  const data = (d: Record<string, unknown>, strict?: boolean) => substituteObject({ kind: 'ConfigMap', data: d }, vars, strict);

  test('values read back as YAML 1.1 only when the source string is written plain (as Flux gives them)', () => {
    expect(data({
      space: '${A} ', quotedDefault: '${A:=">"}', block: '${A}\n  more', yes: '${EMPTY}yes', float: '${A}.5', tilde: '${UNDEF:=~}', escaped: '$${A}',
    }).object.data).toStrictEqual({ space: '3 ', quotedDefault: 3, block: '3\n  more', yes: true, float: 3.5, tilde: null, escaped: '${A}' });
  });

  test('not strict unless asked: an undefined variable becomes an empty string, read back as null', () => {
    expect(substituteObject({ data: { n: '${UNDEF}' } }, vars).object).toStrictEqual({ data: { n: null } });
    expect(() => substituteObject({ data: { n: '${UNDEF}' } }, vars, true)).toThrow(new Error('variable not set (strict mode): "UNDEF"'));
  });

  test('every string of the object, in lists and at the top, keys included; other values untouched; each reference with its path', () => {
    const r = substituteObject({ kind: '${S}', spec: { 'list': ['x', 'a-${A}-b', 1], 'n': 5, 'b': false, 'z': null, '${S}-key': 'v' } }, vars);
    expect(r.object).toStrictEqual({ kind: 'text', spec: { 'list': ['x', 'a-3-b', 1], 'n': 5, 'b': false, 'z': null, 'text-key': 'v' } });
    expect(r.references).toStrictEqual([
      { name: 'S', expression: '${S}', path: 'kind', defined: true, hasDefault: false },
      { name: 'A', expression: '${A}', path: 'spec.list[1]', defined: true, hasDefault: false },
      { name: 'S', expression: '${S}', path: 'spec.${S}-key', defined: true, hasDefault: false },
    ]);
  });

  test('expressions in keys are listed as in values: an undefined variable, a form not evaluated (Flux substitutes keys too)', () => {
    const r = data({ 'k-${UNDEF}': 'v', '${S^^}': 'u' });
    expect(r.object.data).toStrictEqual({ 'k-': 'v', '${S^^}': 'u' });
    expect(r.references).toStrictEqual([{ name: 'UNDEF', expression: '${UNDEF}', path: 'data.k-${UNDEF}', defined: false, hasDefault: false }]);
    expect(r.unsupported).toStrictEqual([{ name: 'S', expression: '${S^^}', path: 'data.${S^^}', defined: true, hasDefault: false }]);
    expect(() => data({ 'k-${UNDEF}': 'v' }, true)).toThrow(new Error('variable not set (strict mode): "UNDEF"'));
  });

  test('each reference says whether the variable is defined and whether it has a default', () => {
    const r = data({ a: 'x ${UNDEF} ${A:=d} ${EMPTY:-d} ${UNDEF2=}' });
    expect(r.references.map((x) => [x.expression, x.defined, x.hasDefault])).toStrictEqual([
      ['${UNDEF}', false, false], ['${A:=d}', true, true], ['${EMPTY:-d}', true, true], ['${UNDEF2=}', false, true],
    ]);
    // The trailing space of a plain scalar is not part of it.
    expect(r.object.data.a).toBe('x  3 d');
  });

  test('a label turns substitution off as the annotation does', () => {
    const obj = { kind: 'ConfigMap', metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }, data: { n: '${A}' } };
    expect(substituteObject(obj, vars)).toStrictEqual({ object: obj, disabled: true, references: [], unsupported: [], unreadable: [] });
    const enabled = { ...obj, metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } } };
    expect(substituteObject(enabled, vars)).toMatchObject({ disabled: false, object: { data: { n: 3 } } });
  });

  test('a null item (an empty entry of a List) is given back as it is', () => {
    expect(substituteObject(null, vars)).toStrictEqual({ object: null, disabled: false, references: [], unsupported: [], unreadable: [] });
  });

  test('the forms envsubst evaluates and this module does not: left as written, reported with the variable\'s name', () => {
    const r = data({ upper: 'x ${S1^^}-y', length: '${#S}', replace: 'a ${S/t/T} b' });
    expect(r.object.data).toStrictEqual({ upper: 'x ${S1^^}-y', length: '${#S}', replace: 'a ${S/t/T} b' });
    expect(r.unsupported.map((u) => [u.path, u.name, u.expression, u.refused])).toStrictEqual([
      ['data.upper', 'S1', '${S1^^}', undefined], ['data.length', 'S', '${#S}', undefined], ['data.replace', 'S', '${S/t/T}', undefined],
    ]);
    expect(r.references).toStrictEqual([]);
  });

  test('strict mode fails on an undefined variable in a form not evaluated, as Flux does; a defined one, even empty, is left as written', () => {
    for (const v of ['${U^^}', '${#U}', '${U:1}', '${U:0:1}', '${U/a/b}', '${U,}', '${U#x}', '${U%x}', 'x ${U//a/b} y']) {
      expect(() => data({ v }, true)).toThrow(new Error('variable not set (strict mode): "U"'));
      expect(data({ v }).object.data.v).toBe(v);
    }
    expect(data({ a: '${S^^}', b: '${#EMPTY}', c: '${EMPTY,}' }, true).object.data).toStrictEqual({ a: '${S^^}', b: '${#EMPTY}', c: '${EMPTY,}' });
  });

  test('the forms envsubst refuses (Flux fails the object): left as written and reported, never evaluated, in strict mode too', () => {
    // Flux: "missing closing brace" (`-`, `+`, `?` alone are no operators to its parser, nor is `.`), "unable to parse
    // variable name" (`${}`, `${!S}`), "unable to parse substitution within function" or "missing closing brace" (unterminated).
    const written = { minus: '${A-d}', plus: '${UNDEF+d}', question: '${A?d}', dot: '${A.b} tail', empty: '${}', bang: '${!S}', open: 'x ${A', openDefault: '${UNDEF:=x' };
    for (const strict of [false, true]) {
      const r = data(written, strict);
      expect(r.object.data).toStrictEqual(written);
      const after = (c: string) => `"${c}" after the name starts none of its functions`;
      const noName = 'no variable name after "${"';
      expect(r.unsupported.map((u) => [u.name, u.expression, u.refused])).toStrictEqual([
        ['A', '${A-d}', after('-')], ['UNDEF', '${UNDEF+d}', after('+')], ['A', '${A?d}', after('?')], ['A', '${A.b}', after('.')],
        ['', '${}', noName], ['!S', '${!S}', noName], ['A', '${A', 'no closing brace'], ['UNDEF', '${UNDEF:=x', 'no closing brace'],
      ]);
      expect(r.references).toStrictEqual([]);
    }
  });
});

describe('fluxVariables: a ConfigMap\'s data as Flux loads it', () => {
  test('line breaks removed, values as strings, null and missing entries left out', () => {
    expect(fluxVariables({ a: 'x\ny\n', n: 3, b: true, nul: null, u: undefined })).toStrictEqual({ a: 'xy', n: '3', b: 'true' });
  });

  test('a ConfigMap without data gives no variables', () => {
    expect(fluxVariables(undefined as any)).toStrictEqual({});
  });
});
