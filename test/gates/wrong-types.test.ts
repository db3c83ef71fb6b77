/**
 * Gate 2c: wrong JavaScript types in every public prop, generated from the jsii assembly's types
 * (assets/prop-types.json, written by scripts/gen-prop-types.js after every compile), so a new
 * prop or entry point is covered without editing this file.
 *
 * 1. Every field of every public struct, with every wrong kind of value (null, a number, a
 *    string, a list, an object, a boolean, a number in a string, `"false"`): the run-time check
 *    refuses it naming the field, with a fix.
 * 2. The same through the real entry points (the cluster, its add* methods), so the check is
 *    really called there: a library error naming the field, never a TypeError or an error of the
 *    constructs library.
 * 3. Every public constructor, method and static factory that takes arguments calls the check.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BackupCredentials, CnpgSharedCluster, Credentials } from '../../src';
import { checkValue, propTypes } from '../../src/core/prop-check';
import { messagesOf, parseLibraryError, unacceptableError } from '../util/errors';

const WRONG: Array<[string, unknown]> = [
  ['null', null], ['a number', 42], ['a string', 'x'], ['a list', ['x']], ['an object', { x: 1 }], ['a boolean', true],
  ['a number in a string', '42'], ['"false"', 'false'], ['an empty list', []], ['an empty object', {}],
];

/** True when `value` is acceptable for `type` by its JavaScript kind alone (so not a wrong type). */
function fits(type: string, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (type === 'any' || type === 'json') return true;
  if (type === 'string') return typeof value === 'string';
  if (type === 'number') return typeof value === 'number';
  if (type === 'boolean') return typeof value === 'boolean';
  const plain = typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
  if (type.startsWith('A:')) return Array.isArray(value) && value.every((v) => fits(type.slice(2), v));
  if (type.startsWith('M:')) return plain && Object.values(value as object).every((v) => fits(type.slice(2), v));
  if (type.startsWith('S:')) {
    // An empty object is a valid struct when every field is optional.
    return plain && Object.keys(value as object).length === 0
      && Object.values(propTypes().structs[type.slice(2)] ?? {}).every(([, optional]) => optional);
  }
  if (type.startsWith('XS:')) return plain;
  return false; // enums, classes, interfaces, dates: none of the wrong values is one
}

const FIELD_CASES: Array<[string, string, string, string, unknown]> = [];
for (const [struct, fields] of Object.entries(propTypes().structs)) {
  for (const [field, [type]] of Object.entries(fields)) {
    for (const [label, value] of WRONG) {
      if (!fits(type, value)) FIELD_CASES.push([`${struct}.${field} = ${label}`, struct, field, type, value]);
    }
  }
}

describe('every public struct field refuses wrong types (from the jsii assembly)', () => {
  test(`covers every struct field (${Object.values(propTypes().structs).reduce((n, f) => n + Object.keys(f).length, 0)} fields, ${FIELD_CASES.length} cases)`, () => {
    expect(Object.keys(propTypes().structs).length).toBeGreaterThan(50);
    expect(FIELD_CASES.length).toBeGreaterThan(3000);
  });

  test('every case is refused naming the field, with a fix', () => {
    const failures: string[] = [];
    for (const [name, , field, type, value] of FIELD_CASES) {
      const problem = checkValue(type, value, field);
      if (!problem) failures.push(`${name}: accepted`);
      else if (problem.field !== field && !problem.field.startsWith(`${field}[`) && !problem.field.startsWith(`${field}.`)) failures.push(`${name}: names ${problem.field}`);
      else if (problem.fix.length < 8) failures.push(`${name}: no fix`);
    }
    expect(failures).toEqual([]);
  });

  test('a misspelt field is refused with the nearest name', () => {
    const problem = checkValue('S:CnpgSharedClusterProps', { instnaces: 3 }, 'props');
    expect(problem?.field).toBe('props.instnaces');
    expect(problem?.fix).toContain('instances');
  });
});

// ---------------------------------------------------------------------------------------------

function outcome(run: () => void): string | undefined {
  try {
    run();
  } catch (e) {
    return unacceptableError(e) ?? messagesOf(e).map((m) => parseLibraryError(m)!.field).join(', ');
  }
  return undefined;
}

const chart = () => new Chart(Testing.app(), 'gate');
const cluster = (c: Chart) => new CnpgSharedCluster(c, 'db', { secretStore: { name: 'onepassword' } });

/** The real entry points taking one props struct, each with a valid base and the struct it takes. */
const ENTRY_POINTS: Array<[string, string, (props: Record<string, unknown>) => void, Record<string, unknown>]> = [
  ['new CnpgSharedCluster', 'CnpgSharedClusterProps', (p) => new CnpgSharedCluster(chart(), 'db', p as any), {}],
  ['addApplication', 'ApplicationProps', (p) => cluster(chart()).addApplication('billing', p as any), { login: Credentials.fromSecret('l') }],
  ['addBackup', 'ClusterBackupOptions', (p) => cluster(chart()).addBackup(p as any), { bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') }],
  ['addMonitoring', 'CnpgMonitoringOptions', (p) => cluster(chart()).addMonitoring(p as any), {}],
  ['addSharedPooler', 'SharedPoolerOptions', (p) => cluster(chart()).addSharedPooler('shared', p as any), {}],
  ['addRole', 'ManagedRoleOptions', (p) => cluster(chart()).addRole('reporting', p as any), {}],
  ['addVolumeSnapshotBackup', 'VolumeSnapshotBackupOptions', (p) => cluster(chart()).addVolumeSnapshotBackup(p as any), { className: 'csi' }],
];

describe('through the real entry points: every prop with wrong types gives a library error naming it', () => {
  for (const [entry, struct, run, base] of ENTRY_POINTS) {
    test(`${entry} (${struct})`, () => {
      const failures: string[] = [];
      for (const [field, [type]] of Object.entries(propTypes().structs[struct])) {
        for (const [label, value] of WRONG) {
          if (fits(type, value)) continue;
          const o = outcome(() => run({ ...base, [field]: value }));
          if (o === undefined) failures.push(`${field} = ${label}: accepted`);
          else if (!o.split(', ').some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`))) failures.push(`${field} = ${label}: ${o}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('every public entry point with arguments calls the run-time check', () => {
  const SRC = path.join(__dirname, '..', '..', 'src');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? (d.name === 'imports' ? [] : files(path.join(dir, d.name))) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
  const calls = new Set<string>();
  for (const f of files(SRC)) {
    for (const m of fs.readFileSync(f, 'utf-8').matchAll(/checkArgs\('([^']+)'/g)) calls.add(m[1]);
  }
  test.each(Object.keys(propTypes().callables))('%s', (callable) => {
    expect(calls.has(callable)).toBe(true);
  });
});
