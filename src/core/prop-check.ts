import * as fs from 'fs';
import * as path from 'path';
import { nearest } from '../checks/schema';
import { invalidInput } from '../common/errors';
import { goName, pythonName } from '../common/language-names';

/**
 * The run-time check of every public entry point's arguments against the types of the jsii
 * assembly (assets/prop-types.json, written by scripts/gen-prop-types.js after `jsii` compiles).
 *
 * TypeScript checks types at compile time, and jsii's Python and Go bindings check most of them
 * before the library runs; plain JavaScript (and a Python `dict` where jsii does not look
 * inside, a JSON file's values, ...) reaches the library unchecked. Without this check a string
 * where a number goes, `'false'` where a boolean goes or a misspelt prop is silently accepted, a
 * value outside an enum is written into a manifest, and a string where a `Quantity` goes fails
 * deep inside with a `TypeError`. Each problem is reported as the library's error: the construct
 * path, the field (also in Python's and Go's spelling), the value, what is wrong and the expected
 * form (`Quantity.gibibytes(80)`, `PoolMode.SESSION`, ...).
 *
 * The table is read once, on the first call; a check walks the arguments once (linear in their
 * size), and stops at the first problem.
 */

/** Types as scripts/gen-prop-types.js writes them (see its header). */
type TypeRef = string;
type Field = [TypeRef, (0 | 1)?, string?];
type Param = [string, TypeRef, 1?];

interface ClassInfo {
  readonly factories: string[];
  readonly constants: string[];
  readonly examples: string[];
  readonly constructible: boolean;
  readonly producers: string[];
}

interface PropTypes {
  readonly structs: { readonly [name: string]: { readonly [field: string]: Field } };
  readonly enums: { readonly [name: string]: { readonly [member: string]: string } };
  readonly classes: { readonly [name: string]: ClassInfo };
  readonly interfaces: { readonly [name: string]: { readonly required: string[]; readonly implementedBy: string[] } };
  readonly callables: { readonly [name: string]: Param[] };
  readonly external: { readonly [fqn: string]: { readonly kind: string; readonly factories: string[] } };
}

const TABLE = path.join(__dirname, '..', '..', 'assets', 'prop-types.json');
let table: PropTypes | undefined;

/** The table (read once). @internal */
export function propTypes(): PropTypes {
  table ??= JSON.parse(fs.readFileSync(TABLE, 'utf-8')) as PropTypes;
  return table;
}

/** One problem found in the arguments. */
interface Problem {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
  /** False for a name the caller misspelt (its Python and Go forms would not help). */
  readonly languageHint?: boolean;
}

/**
 * Checks the arguments of a public constructor or method against the assembly's types; throws
 * the library's error at the first problem.
 *
 * @param callable `new CnpgSharedCluster`, `CnpgSharedCluster.addApplication` or `Quantity.of`
 *   (the keys of assets/prop-types.json)
 * @param args the arguments as received (`[scope, id, props]`)
 * @param self the instance a method is called on (for the construct path of its messages)
 * @internal
 */
export function checkArgs(callable: string, args: ArrayLike<unknown>, self?: unknown): void {
  const params = propTypes().callables[callable];
  if (!params) throw new Error(`the argument check has no entry for ${callable}: regenerate assets/prop-types.json (npx projen compile)`);
  const problem = checkParams(callable, params, args);
  if (problem) {
    throw invalidInput(where(callable, args, self), problem.field, problem.value, problem.problem, problem.fix,
      { languageHint: problem.languageHint });
  }
}

/**
 * Checks a value against a type of the table, e.g. `checkValue('S:ClusterStorage', value, 'storage')`;
 * the problem found, or undefined.
 *
 * @internal
 */
export function checkValue(type: TypeRef, value: unknown, field: string): Problem | undefined {
  return walk(propTypes(), type, value, field);
}

/** `CnpgSharedCluster at 'app/chart/db'` for a constructor, `CnpgSharedCluster.addApplication at '...'`, `Quantity.of`. */
function where(callable: string, args: ArrayLike<unknown>, self: unknown): string {
  if (callable.startsWith('new ')) {
    const name = callable.slice(4);
    const [scope, id] = [args[0], args[1]];
    const parent = constructPath(scope);
    if (parent !== undefined && typeof id === 'string') return `${name} at '${parent ? `${parent}/` : ''}${id}'`;
    return name;
  }
  const at = constructPath(self);
  return at === undefined ? callable : `${callable} at '${at}'`;
}

function constructPath(c: unknown): string | undefined {
  const node = (c as { node?: { path?: unknown } } | undefined)?.node;
  return node && typeof node.path === 'string' ? node.path : undefined;
}

function checkParams(callable: string, params: Param[], args: ArrayLike<unknown>): Problem | undefined {
  const t = propTypes();
  const isConstructor = callable.startsWith('new ');
  for (let i = 0; i < params.length; i++) {
    const [name, type, optional] = params[i];
    const value = args[i];
    // A struct as the last parameter is Python's keyword arguments: its fields are named alone.
    const lastStruct = i === params.length - 1 && type.startsWith('S:');
    const field = lastStruct ? '' : name;
    if (value === undefined) {
      if (optional) continue;
      return { field: name, value, problem: 'is required', fix: `give ${expected(t, type)}` };
    }
    if (isConstructor && i === 0 && type === 'X:constructs.Construct') {
      if (constructPath(value) === undefined) {
        return { field: name, value: describe(value), problem: 'is not a construct', fix: 'pass the parent construct: a Chart, or a construct inside one' };
      }
      continue;
    }
    if (isConstructor && i === 1 && name === 'id' && type === 'string' && params[0][1] === 'X:constructs.Construct') {
      const p = constructId(args[0], value);
      if (p) return p;
      continue;
    }
    const p = walk(t, type, value, field, name);
    if (p) return p;
  }
  return undefined;
}

/** The problems of a construct id (the constructs library's own errors are not the library's shape). */
function constructId(scope: unknown, id: unknown): Problem | undefined {
  if (typeof id !== 'string') return { field: 'id', value: id, problem: `is ${describe(id)}, where a string goes`, fix: 'give the construct an id in quotes, unique among its siblings, e.g. "db"' };
  if (!id) return { field: 'id', value: id, problem: 'is empty (only the root of a construct tree has an empty id)', fix: 'give the construct an id, unique among its siblings, e.g. "db"' };
  const node = (scope as { node?: { tryFindChild?: (id: string) => unknown; path?: string } }).node;
  const sanitized = id.replace(/\//g, '--');
  if (typeof node?.tryFindChild === 'function' && node.tryFindChild(sanitized) !== undefined) {
    return {
      field: 'id',
      value: id,
      problem: `is taken: '${node.path || '(the root)'}' has a child with this id already`,
      fix: 'give each construct an id of its own among its siblings',
    };
  }
  return undefined;
}

/** The path of a struct's field: its own name at the top of a struct parameter. */
function childPath(fieldPath: string, child: string): string {
  return fieldPath ? `${fieldPath}.${child}` : child;
}

/** Walks a value against a type; an empty `fieldPath` is a struct parameter, named by its fields alone. */
function walk(t: PropTypes, type: TypeRef, value: unknown, fieldPath: string, param?: string): Problem | undefined {
  if (value === undefined) return undefined;
  if (type === 'any' || type === 'json') return undefined;
  // The struct parameter itself is named by the parameter; its fields by their own names.
  const field = fieldPath || param || '';
  if (value === null) {
    return { field, value, problem: 'is null', fix: `leave it out (undefined; None in Python, nil in Go) for its default, or give ${expected(t, type)}` };
  }
  if (type.startsWith('A:')) {
    const item = type.slice(2);
    if (!Array.isArray(value)) return { field, value, problem: `is ${describe(value)}, where a list goes`, fix: `give a list of ${plural(item)}, e.g. [${example(t, item)}]` };
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === undefined || v === null) {
        return { field: `${field}[${i}]`, value: v, problem: 'is an empty slot of the list', fix: `give ${expected(t, item)} in each place, or remove it` };
      }
      const p = walk(t, item, v, `${field}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (type.startsWith('M:')) {
    const item = type.slice(2);
    if (!isPlainObject(value)) {
      return { field, value, problem: `is ${describe(value)}, where a map goes`, fix: `give a map of names to ${plural(item)}, e.g. { name: ${example(t, item)} }` };
    }
    for (const [k, v] of Object.entries(value as object)) {
      const p = walk(t, item, v, `${field}[${JSON.stringify(k)}]`);
      if (p) return p;
      if (v === undefined) return { field: `${field}[${JSON.stringify(k)}]`, value: v, problem: 'has no value', fix: `give ${expected(t, item)}, or remove the key` };
    }
    return undefined;
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : { field, value, problem: `is ${describe(value)}, where a string goes`, fix: 'write the value as a string, in quotes' };
    case 'number':
      if (typeof value === 'number') {
        return Number.isFinite(value) ? undefined : { field, value, problem: 'is not a finite number', fix: 'give a finite number' };
      }
      return {
        field,
        value,
        problem: `is ${describe(value)}, where a number goes`,
        fix: typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? 'write the number without quotes' : 'give a number',
      };
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      return {
        field,
        value,
        problem: `is ${describe(value)}, where a boolean goes${typeof value === 'string' ? ' (any non-empty string, "false" too, would read as true)' : ''}`,
        fix: typeof value === 'string' && /^(true|false)$/i.test(value.trim()) ? `write ${value.trim().toLowerCase()} without quotes (True/False in Python)` : 'write true or false (True/False in Python)',
      };
    case 'date':
      if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
        return isNaN((value as Date).getTime()) ? { field, value: String(value), problem: 'is an invalid Date', fix: 'give a valid date, e.g. new Date("2026-06-01T00:00:00Z")' } : undefined;
      }
      return { field, value, problem: `is ${describe(value)}, where a Date goes`, fix: 'give a Date, e.g. new Date("2026-06-01T00:00:00Z") (a datetime in Python, a time.Time in Go)' };
  }
  const colon = type.indexOf(':');
  const kind = type.slice(0, colon);
  const name = type.slice(colon + 1);
  switch (kind) {
    case 'E': {
      const members = t.enums[name] ?? {};
      const values = Object.values(members);
      if (typeof value === 'string' && values.includes(value)) return undefined;
      const allowed = Object.entries(members).map(([m, v]) => `${name}.${m} ("${v}")`).join(', ');
      const member = typeof value === 'string' ? nearestMember(members, value) : undefined;
      return {
        field,
        value,
        problem: `is not one of ${name}'s values`,
        fix: `${member ? `did you mean ${name}.${member}? Use` : 'use'} one of ${allowed}`,
      };
    }
    case 'C': {
      if (isInstanceOf(value, name)) return undefined;
      // A CPU quantity is written in cores, not bytes: its own examples.
      const cpu = name === 'Quantity' && /cpu/i.test(field);
      const form = cpu ? `a Quantity: Quantity.millicores(500), Quantity.cores(2)${typeof value === 'string' ? `, Quantity.of(${JSON.stringify(value)})` : ''}` : expected(t, type);
      return { field, value: describeValue(value), problem: `is ${describe(value)}, where ${article(name)} ${name} goes`, fix: `give ${form}` };
    }
    case 'X': {
      const simple = name.split('.').pop()!;
      if (name === 'constructs.Construct' || name === 'constructs.IConstruct') {
        return constructPath(value) !== undefined ? undefined : { field, value: describeValue(value), problem: `is ${describe(value)}, where a construct goes`, fix: 'pass a construct: a Chart, or a construct inside one' };
      }
      return isInstanceOf(value, simple) ? undefined : { field, value: describeValue(value), problem: `is ${describe(value)}, where ${article(simple)} ${simple} goes`, fix: `give ${expected(t, type)}` };
    }
    case 'XS':
      return isPlainObject(value) ? undefined : { field, value, problem: `is ${describe(value)}, where an object goes`, fix: `give an object with the fields of ${name}` };
    case 'I': {
      const info = t.interfaces[name];
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && (info?.required ?? []).every((r) => r in (value as object))) return undefined;
      return { field, value: describeValue(value), problem: `is ${describe(value)}, where ${article(name)} ${name} goes`, fix: `give ${expected(t, type)}` };
    }
    case 'S': {
      const fields = t.structs[name];
      if (!isPlainObject(value)) {
        return { field, value: describeValue(value), problem: `is ${describe(value)}, where an object goes`, fix: `give ${expected(t, type)}` };
      }
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        if (key in fields || obj[key] === undefined) continue;
        const near = nearest(key, Object.keys(fields));
        return {
          field: childPath(fieldPath, key),
          value: describeValue(obj[key]),
          problem: `is not a prop of ${name} (it would be ignored)`,
          languageHint: false,
          fix: near ? `did you mean ${near}${pythonName(near) !== near ? ` (Python: ${pythonName(near)}, Go: ${goName(near)})` : ''}?` : `use the props of ${name}: ${Object.keys(fields).join(', ')}`,
        };
      }
      for (const [key, [ftype, optional, summary]] of Object.entries(fields)) {
        const v = obj[key];
        if (v === undefined) {
          if (optional) continue;
          return { field: childPath(fieldPath, key), value: v, problem: `is required${summary ? ` (${lowerFirst(summary)})` : ''}`, fix: `give ${key}: ${expected(t, ftype)}` };
        }
        const p = walk(t, ftype, v, childPath(fieldPath, key));
        if (p) return p;
      }
      return undefined;
    }
  }
  return undefined;
}

/** The member a string most likely means: its name (`SESSION`), its value in another case, or a near value. */
function nearestMember(members: { readonly [member: string]: string }, text: string): string | undefined {
  const names = Object.keys(members);
  const upper = text.trim().toUpperCase().replace(/[-\s.]/g, '_');
  const byName = names.find((m) => m === upper);
  if (byName) return byName;
  const byValue = names.find((m) => members[m].toLowerCase() === text.trim().toLowerCase());
  if (byValue) return byValue;
  const near = nearest(text, Object.values(members));
  return near === undefined ? undefined : names.find((m) => members[m] === near);
}

/** True for an object literal (or a struct from another language): not a list, Date, Map, class instance of the library. */
function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (v instanceof Date || v instanceof Map || v instanceof Set || v instanceof RegExp) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype) return true;
  // An instance of one of the library's classes is not a struct.
  return !constructorNames(v).some((n) => n in propTypes().classes);
}

/** The constructor names of a value's prototype chain. */
function constructorNames(v: unknown): string[] {
  const names: string[] = [];
  for (let p = typeof v === 'object' && v !== null ? Object.getPrototypeOf(v) : undefined; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const n = p.constructor?.name;
    if (typeof n === 'string') names.push(n);
  }
  return names;
}

/** Instance check by constructor name: another copy of the library (or of cdk8s) passes too. */
function isInstanceOf(v: unknown, className: string): boolean {
  return constructorNames(v).includes(className);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'unset';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    case 'function': return 'a function';
    case 'bigint': return 'a bigint';
    case 'symbol': return 'a symbol';
  }
  // A Date (of any realm) is 'a Date' by its constructor's name.
  const names = constructorNames(v);
  return names.length && names[0] !== 'Object' ? `${article(names[0])} ${names[0]}` : 'an object';
}

/** A value for a message: class instances by their class (their own rendering may hide what they are). */
function describeValue(v: unknown): unknown {
  if (typeof v === 'function') return '(a function)';
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  const names = constructorNames(v);
  if (names.length && names[0] !== 'Object' && !(v instanceof Date) && !Array.isArray(v)) return `(${article(names[0])} ${names[0]})`;
  return v;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function article(word: string): string {
  return /^[AEIOUaeiou]/.test(word) ? 'an' : 'a';
}

/** "a number", "PoolMode.SESSION or ...", "a Quantity: Quantity.gibibytes(80), ..." */
function expected(t: PropTypes, type: TypeRef): string {
  if (type.startsWith('A:')) return `a list of ${plural(type.slice(2))}`;
  if (type.startsWith('M:')) return `a map of names to ${plural(type.slice(2))}`;
  switch (type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'date': return 'a Date';
    case 'any':
    case 'json': return 'a value';
  }
  const colon = type.indexOf(':');
  const kind = type.slice(0, colon);
  const name = type.slice(colon + 1);
  switch (kind) {
    case 'E':
      return `one of ${Object.keys(t.enums[name] ?? {}).map((m) => `${name}.${m}`).join(', ')}`;
    case 'C': {
      const c = t.classes[name];
      if (!c) return `a ${name}`;
      const forms = [...c.examples, ...c.constants.slice(0, 6), ...c.factories.filter((f) => !c.examples.some((e) => e.startsWith(f.slice(0, f.indexOf('(') + 1))))];
      const more = c.producers.length ? `the result of ${c.producers.join(' or ')}` : c.constructible ? `new ${name}(...)` : '';
      const list = [...forms.slice(0, 8), ...(more ? [more] : [])];
      return `${article(name)} ${name}${list.length ? `: ${list.join(', ')}` : ''}`;
    }
    case 'X': {
      const simple = name.split('.').pop()!;
      const f = t.external[name]?.factories ?? [];
      return `${article(simple)} ${simple}${f.length ? `: ${f.join(', ')}` : ''}`;
    }
    case 'XS':
      return `an object with the fields of ${name}`;
    case 'I': {
      const impl = t.interfaces[name]?.implementedBy ?? [];
      return impl.length ? `${impl.map((c) => `${article(c)} ${c}`).join(' or ')} (${name})` : `an object implementing ${name}`;
    }
    case 'S': {
      const fields = Object.entries(t.structs[name] ?? {});
      const required = fields.filter(([, [, o]]) => !o).map(([f]) => f);
      return `an object with the props of ${name} (${required.length ? `required: ${required.join(', ')}` : 'all optional'})`;
    }
  }
  return 'a value of the documented type';
}

/** "strings", "PoolMode values", "AlertOptions objects", "Durations", "CustomQueries". */
function plural(type: TypeRef): string {
  // string, number, boolean: no ':', the whole type is the name.
  const name = type.slice(type.indexOf(':') + 1).split('.').pop()!;
  if (type.startsWith('E:')) return `${name} values`;
  if (type.startsWith('S:')) return `${name} objects`;
  // Credentials, CustomQueries: the class name is plural already.
  return name.endsWith('s') ? name : `${name}s`;
}

function example(t: PropTypes, type: TypeRef): string {
  switch (type) {
    case 'string': return '"..."';
    case 'number': return '1';
    case 'boolean': return 'true';
  }
  const name = type.slice(type.indexOf(':') + 1);
  if (type.startsWith('E:')) return `${name}.${Object.keys(t.enums[name] ?? {})[0]}`;
  if (type.startsWith('C:')) return t.classes[name]?.examples[0] ?? t.classes[name]?.factories[0] ?? `a ${name}`;
  if (type.startsWith('S:')) return '{ ... }';
  return '...';
}
