// The reference platform exists in three languages (examples/platform, examples/python,
// examples/go). test/integ/consumers.test.ts proves their YAML is byte-identical; this fast check
// runs with the unit tests and names what a Python or Go example lacks when a block was added to
// the TypeScript one: every property, construct and static factory platform.ts uses must appear
// in the others, spelled the way jsii spells it there (snake_case keywords, Go fields/functions).
import * as fs from 'fs';
import * as path from 'path';
import { escapeRegExp } from './util/regexp';

const ROOT = path.resolve(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf-8');
const TS = read('examples/platform/platform.ts');
const PY = read('examples/python/reference_platform.py');
const GO = read('examples/go/platform.go');

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);
const unique = (xs: string[]) => [...new Set(xs)].sort();

// Only code: comments may mention anything.
const code = (src: string, comment: RegExp) => src.split('\n').filter((l) => !comment.test(l)).join('\n');
// The body of buildPlatform (its signature's own parameters are not the library's).
const start = TS.indexOf('\n', TS.indexOf('export function buildPlatform')) + 1;
const tsBody = code(TS.slice(start), /^\s*(\/\/|\*|\/\*)/);
const py = code(PY, /^\s*#/);
const go = code(GO, /^\s*\/\//);

/** What the TypeScript example uses: object keys, `new X(`, `X.factory(`. */
const keys = unique([
  ...[...tsBody.matchAll(/^\s*([a-z]\w*)(:|,\s*$)/gm)].map((m) => m[1]),
  ...[...tsBody.matchAll(/[{,]\s*([a-z]\w*):(?!:)/g)].map((m) => m[1]),
]);
const constructs = unique([...tsBody.matchAll(/\bnew ([A-Z]\w*)\(/g)].map((m) => m[1]));
// Method calls on the library's objects (`cluster.addApplication(`), not JavaScript's own.
const JS_METHODS = new Set(['map', 'filter', 'forEach', 'push', 'join', 'concat', 'slice', 'keys', 'values', 'entries', 'includes',
  'resolve', 'toString', 'flatMap', 'find', 'some', 'every', 'reduce', 'split', 'replace', 'trim', 'startsWith', 'endsWith']);
const methods = unique([...tsBody.matchAll(/\b[a-z]\w*\.([a-z]\w*)\(/g)].map((m) => m[1]).filter((m) => !JS_METHODS.has(m)));
const factories = unique([...tsBody.matchAll(/\b([A-Z]\w*)\.([a-z]\w*)\(/g)].map((m) => `${m[1]}.${m[2]}`));

/** The TypeScript uses this example lacks, as "what to write" lines. */
function missing(language: 'python' | 'go'): string[] {
  const src = language === 'python' ? py : go;
  const out: string[] = [];
  for (const k of keys) {
    const want = language === 'python' ? `${snake(k)}=` : `${pascal(k)}:`;
    if (!new RegExp(`\\b${escapeRegExp(want)}`).test(src)) out.push(`property '${k}': write ${want}`);
  }
  for (const c of constructs) {
    const want = language === 'python' ? `${c}(` : `New${c}(`;
    if (!new RegExp(`\\b${escapeRegExp(want)}`).test(src)) out.push(`construct '${c}': write ${want}`);
  }
  for (const m of methods) {
    const want = language === 'python' ? `.${snake(m)}(` : `.${pascal(m)}(`;
    if (!src.includes(want)) out.push(`method '${m}': write ${want}`);
  }
  for (const f of factories) {
    const [cls, fn] = f.split('.');
    const want = language === 'python' ? `${cls}.${snake(fn)}(` : `${cls}_${pascal(fn)}(`;
    if (!new RegExp(`\\b${escapeRegExp(want)}`).test(src)) out.push(`factory '${f}': write ${want}`);
  }
  return out;
}

describe('the Python and Go examples follow examples/platform/platform.ts', () => {
  test('the TypeScript example is read', () => {
    expect(keys).toContain('settings');
    expect(constructs).toContain('CnpgSharedCluster');
  });
  test.each([
    ['python', 'examples/python/reference_platform.py'],
    ['go', 'examples/go/platform.go'],
  ] as const)('%s (%s) uses everything the TypeScript example uses', (language) => {
    // Add the same block to the other example (see examples/README.md).
    expect(missing(language)).toEqual([]);
  });
});
