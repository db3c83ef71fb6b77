/**
 * The run-time argument check (src/core/prop-check.ts) called directly: each kind of type of the
 * jsii assembly's table (assets/prop-types.json) with the values it accepts and refuses, and each
 * problem as a whole (field, value, problem, fix), so that a changed word of a message, a fix
 * naming the wrong form or a check dropped fails here. test/gates/wrong-types.test.ts checks every
 * struct field of the assembly refuses wrong kinds of values (field and a fix only); the messages
 * through the entry points are asserted where those entry points are tested.
 */
import * as vm from 'vm';
import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { CnpgSharedCluster, Credentials, PoolMode, Quantity } from '../src';
import { checkArgs, checkValue, propTypes } from '../src/core/prop-check';

const chart = () => new Chart(Testing.app(), 'chart');
const thrown = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

/** A problem as checkValue returns it (languageHint only where it is false). */
const problem = (field: string, value: unknown, text: string, fix: string) => ({ field, value, problem: text, fix });

const NULL_FIX = 'leave it out (undefined; None in Python, nil in Go) for its default, or give ';

describe('the table', () => {
  test('is read once and holds the assembly\'s types', () => {
    const t = propTypes();
    expect(propTypes()).toBe(t);
    expect(t.callables['Quantity.of']).toEqual([['value', 'string']]);
    expect(t.enums.PoolMode).toEqual({ SESSION: 'session', TRANSACTION: 'transaction' });
  });
});

describe('checkValue: values of the plain types', () => {
  test('undefined is accepted for every type (optional fields are checked by their struct)', () => {
    for (const type of ['string', 'number', 'boolean', 'date', 'A:string', 'M:string', 'E:PoolMode', 'C:Quantity', 'S:AlertOptions', 'I:ICnpgCluster']) {
      expect(checkValue(type, undefined, 'f')).toBeUndefined();
    }
  });

  test('any and json accept every value, null too', () => {
    for (const v of [null, 1, 'x', [null], { a: undefined }]) {
      expect(checkValue('any', v, 'f')).toBeUndefined();
      expect(checkValue('json', v, 'f')).toBeUndefined();
    }
  });

  test('null is refused with the way to leave it out and the expected form', () => {
    expect(checkValue('number', null, 'instances')).toEqual(problem('instances', null, 'is null', `${NULL_FIX}a number`));
    expect(checkValue('E:PoolMode', null, 'poolMode')).toEqual(problem('poolMode', null, 'is null', `${NULL_FIX}one of PoolMode.SESSION, PoolMode.TRANSACTION`));
    expect(checkValue('string', null, '')).toEqual(problem('', null, 'is null', `${NULL_FIX}a string`));
  });

  test('string', () => {
    expect(checkValue('string', '', 'name')).toBeUndefined();
    expect(checkValue('string', 42, 'name')).toEqual(problem('name', 42, 'is a number, where a string goes', 'write the value as a string, in quotes'));
  });

  test('number: finite numbers only; a number in quotes is told to lose them', () => {
    expect(checkValue('number', 0, 'n')).toBeUndefined();
    expect(checkValue('number', -1.5, 'n')).toBeUndefined();
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(checkValue('number', v, 'n')).toEqual(problem('n', v, 'is not a finite number', 'give a finite number'));
    }
    expect(checkValue('number', '42', 'n')).toEqual(problem('n', '42', 'is a string, where a number goes', 'write the number without quotes'));
    expect(checkValue('number', ' 1e3 ', 'n')).toEqual(problem('n', ' 1e3 ', 'is a string, where a number goes', 'write the number without quotes'));
    for (const v of ['', '  ', 'ten', 'Infinity']) {
      expect(checkValue('number', v, 'n')).toEqual(problem('n', v, 'is a string, where a number goes', 'give a number'));
    }
    expect(checkValue('number', true, 'n')).toEqual(problem('n', true, 'is a boolean, where a number goes', 'give a number'));
  });

  test('boolean: a string is told it would read as true; "true"/"false" in any case are told to lose the quotes', () => {
    expect(checkValue('boolean', false, 'b')).toBeUndefined();
    const inString = 'is a string, where a boolean goes (any non-empty string, "false" too, would read as true)';
    expect(checkValue('boolean', 'false', 'b')).toEqual(problem('b', 'false', inString, 'write false without quotes (True/False in Python)'));
    expect(checkValue('boolean', ' TRUE ', 'b')).toEqual(problem('b', ' TRUE ', inString, 'write true without quotes (True/False in Python)'));
    expect(checkValue('boolean', 'False', 'b')).toEqual(problem('b', 'False', inString, 'write false without quotes (True/False in Python)'));
    for (const v of ['yes', 'truely', 'xfalse', '']) {
      expect(checkValue('boolean', v, 'b')).toEqual(problem('b', v, inString, 'write true or false (True/False in Python)'));
    }
    expect(checkValue('boolean', 1, 'b')).toEqual(problem('b', 1, 'is a number, where a boolean goes', 'write true or false (True/False in Python)'));
  });

  test('date: a valid Date (of any realm); an invalid one and other values refused', () => {
    expect(checkValue('date', new Date(0), 'd')).toBeUndefined();
    expect(checkValue('date', vm.runInNewContext('new Date(0)'), 'd')).toBeUndefined();
    expect(checkValue('date', new Date('never'), 'd')).toEqual(problem('d', 'Invalid Date', 'is an invalid Date', 'give a valid date, e.g. new Date("2026-06-01T00:00:00Z")'));
    expect(checkValue('date', vm.runInNewContext('new Date("never")'), 'd'))
      .toEqual(problem('d', 'Invalid Date', 'is an invalid Date', 'give a valid date, e.g. new Date("2026-06-01T00:00:00Z")'));
    expect(checkValue('date', '2026-06-01', 'd')).toEqual(problem('d', '2026-06-01', 'is a string, where a Date goes',
      'give a Date, e.g. new Date("2026-06-01T00:00:00Z") (a datetime in Python, a time.Time in Go)'));
    expect(checkValue('date', 0, 'd')?.problem).toBe('is a number, where a Date goes');
  });
});

describe('checkValue: lists and maps', () => {
  test('a list: every item is checked, named by its index', () => {
    expect(checkValue('A:string', ['a', 'b'], 'names')).toBeUndefined();
    expect(checkValue('A:string', [], 'names')).toBeUndefined();
    expect(checkValue('A:string', 'a', 'names')).toEqual(problem('names', 'a', 'is a string, where a list goes', 'give a list of strings, e.g. ["..."]'));
    expect(checkValue('A:number', { 0: 1 }, 'ports')).toEqual(problem('ports', { 0: 1 }, 'is an object, where a list goes', 'give a list of numbers, e.g. [1]'));
    expect(checkValue('A:boolean', 1, 'flags')?.fix).toBe('give a list of booleans, e.g. [true]');
    expect(checkValue('A:string', ['a', 1], 'names')).toEqual(problem('names[1]', 1, 'is a number, where a string goes', 'write the value as a string, in quotes'));
    expect(checkValue('A:string', ['a', null], 'names')).toEqual(problem('names[1]', null, 'is an empty slot of the list', 'give a string in each place, or remove it'));
    expect(checkValue('A:string', [undefined, 'a'], 'names')).toEqual(problem('names[0]', undefined, 'is an empty slot of the list', 'give a string in each place, or remove it'));
    // eslint-disable-next-line no-sparse-arrays
    expect(checkValue('A:string', ['a', , 'b'], 'names')?.field).toBe('names[1]');
    expect(checkValue('A:A:string', [['a'], ['b', 2]], 'm')?.field).toBe('m[1][1]');
  });

  test('a list of enum values, structs or classes: the example and plural of the item type', () => {
    expect(checkValue('A:E:PoolMode', 'session', 'modes')).toEqual(problem('modes', 'session', 'is a string, where a list goes',
      'give a list of PoolMode values, e.g. [PoolMode.SESSION]'));
    expect(checkValue('A:S:DatabaseSchema', 'x', 'schemas')?.fix).toBe('give a list of DatabaseSchema objects, e.g. [{ ... }]');
    expect(checkValue('A:C:Credentials', 'x', 'c')?.fix).toBe('give a list of Credentials, e.g. [Credentials.fromSecretStore(\'kubernetes/infra/cloudnative-pg/harbor\')]');
    expect(checkValue('A:C:CustomQueries', 'x', 'customQueries')?.fix).toBe('give a list of CustomQueries, e.g. [CustomQueries.fromConfigMap(configMapName, key)]');
    expect(checkValue('A:C:BackupRetention', 'x', 'c')?.fix).toBe('give a list of BackupRetentions, e.g. [BackupRetention.days(n)]');
    expect(checkValue('A:X:cdk8s.Chart', 'x', 'charts')?.fix).toBe('give a list of Charts, e.g. [...]');
  });

  test('a map: every value is checked, named by its key; an unset value is refused', () => {
    expect(checkValue('M:string', { a: 'x' }, 'labels')).toBeUndefined();
    expect(checkValue('M:string', {}, 'labels')).toBeUndefined();
    expect(checkValue('M:string', Object.create(null), 'labels')).toBeUndefined();
    expect(checkValue('M:string', ['a'], 'labels')).toEqual(problem('labels', ['a'], 'is a list, where a map goes', 'give a map of names to strings, e.g. { name: "..." }'));
    expect(checkValue('M:number', 'a', 'caps')?.fix).toBe('give a map of names to numbers, e.g. { name: 1 }');
    expect(checkValue('M:string', { 'a.b': 1 }, 'labels')).toEqual(problem('labels["a.b"]', 1, 'is a number, where a string goes', 'write the value as a string, in quotes'));
    expect(checkValue('M:string', { a: 'x', b: undefined }, 'labels')).toEqual(problem('labels["b"]', undefined, 'has no value', 'give a string, or remove the key'));
    expect(checkValue('M:string', { a: null }, 'labels')).toEqual(problem('labels["a"]', null, 'is null', `${NULL_FIX}a string`));
    expect(checkValue('M:any', { a: undefined }, 'configMap')).toEqual(problem('configMap["a"]', undefined, 'has no value', 'give a value, or remove the key'));
    expect(checkValue('M:string', new Map([['a', 'b']]), 'labels')?.problem).toBe('is a Map, where a map goes');
  });
});

describe('checkValue: enum values', () => {
  const POOL_MODES = 'PoolMode.SESSION ("session"), PoolMode.TRANSACTION ("transaction")';
  const TAINTS = 'TaintEffect.NO_SCHEDULE ("NoSchedule"), TaintEffect.PREFER_NO_SCHEDULE ("PreferNoSchedule"), TaintEffect.NO_EXECUTE ("NoExecute")';

  test('a member\'s value is accepted, nothing else', () => {
    expect(checkValue('E:PoolMode', PoolMode.SESSION, 'poolMode')).toBeUndefined();
    expect(checkValue('E:TaintEffect', 'NoExecute', 'effect')).toBeUndefined();
    expect(checkValue('E:PoolMode', 'statement', 'poolMode')).toEqual(problem('poolMode', 'statement', 'is not one of PoolMode\'s values', `use one of ${POOL_MODES}`));
    expect(checkValue('E:PoolMode', 1, 'poolMode')).toEqual(problem('poolMode', 1, 'is not one of PoolMode\'s values', `use one of ${POOL_MODES}`));
  });

  test('the member meant: its name in any case and with "-", " " or "." for "_", its value in another case, or a near value', () => {
    const meant = (type: string, value: string) => checkValue(type, value, 'f')?.fix.replace(/\? Use one of .*/, '');
    expect(meant('E:PoolMode', 'SESSION')).toBe('did you mean PoolMode.SESSION');
    expect(meant('E:PoolMode', ' session ')).toBe('did you mean PoolMode.SESSION');
    expect(meant('E:TaintEffect', 'no_execute')).toBe('did you mean TaintEffect.NO_EXECUTE');
    expect(meant('E:TaintEffect', 'prefer no schedule')).toBe('did you mean TaintEffect.PREFER_NO_SCHEDULE');
    expect(meant('E:TaintEffect', 'Prefer.No.Schedule')).toBe('did you mean TaintEffect.PREFER_NO_SCHEDULE');
    expect(meant('E:TaintEffect', 'prefer-no-schedule')).toBe('did you mean TaintEffect.PREFER_NO_SCHEDULE');
    expect(meant('E:TaintEffect', ' noexecute ')).toBe('did you mean TaintEffect.NO_EXECUTE');
    expect(meant('E:TaintEffect', 'NoExecut')).toBe('did you mean TaintEffect.NO_EXECUTE');
    expect(meant('E:PoolMode', 'sesion')).toBe('did you mean PoolMode.SESSION');
    expect(checkValue('E:TaintEffect', 'noschedule', 'effect')).toEqual(problem('effect', 'noschedule', 'is not one of TaintEffect\'s values',
      `did you mean TaintEffect.NO_SCHEDULE? Use one of ${TAINTS}`));
  });
});

/** A class named as one of the library's: another copy of the library passes the check by name. */
class Quantity2 {}
Object.defineProperty(Quantity2, 'name', { value: 'Quantity' });
class Apple {}
class Banana {}

describe('checkValue: classes, external classes and interfaces', () => {
  const QUANTITY_FORMS = 'Quantity.gibibytes(80), Quantity.of(\'80Gi\'), Quantity.of(\'${CNPG_DATA_SIZE}\'), '
    + 'Quantity.cores(amount), Quantity.mebibytes(amount), Quantity.millicores(amount), Quantity.tebibytes(amount)';

  test('an instance of the class (by its name: another copy of the library too)', () => {
    expect(checkValue('C:Quantity', Quantity.gibibytes(1), 'size')).toBeUndefined();
    expect(checkValue('C:Quantity', new Quantity2(), 'size')).toBeUndefined();
    expect(checkValue('C:Credentials', Credentials.fromSecret('s'), 'login')).toBeUndefined();
  });

  test('a Quantity: the examples, then the factories no example shows; CPU fields get cores and the string in Quantity.of', () => {
    expect(checkValue('C:Quantity', '1Gi', 'size')).toEqual(problem('size', '1Gi', 'is a string, where a Quantity goes', `give a Quantity: ${QUANTITY_FORMS}`));
    expect(checkValue('C:Quantity', '500m', 'resources.cpuRequest')).toEqual(problem('resources.cpuRequest', '500m', 'is a string, where a Quantity goes',
      'give a Quantity: Quantity.millicores(500), Quantity.cores(2), Quantity.of("500m")'));
    expect(checkValue('C:Quantity', 2, 'CPU')).toEqual(problem('CPU', 2, 'is a number, where a Quantity goes', 'give a Quantity: Quantity.millicores(500), Quantity.cores(2)'));
    expect(checkValue('C:Quantity', 2, 'memory')?.fix).toBe(`give a Quantity: ${QUANTITY_FORMS}`);
  });

  test('the forms of other classes: at most six constants, at most eight forms, the producing method or the constructor', () => {
    expect(checkValue('C:CnpgVersion', '1.27', 'version')?.fix).toBe('give a CnpgVersion: CnpgVersion.of(\'1.27.1\'), CnpgVersion.fromHelmChart(\'0.26.1\'), '
      + 'CnpgVersion.DEFAULT, CnpgVersion.LATEST_SUPPORTED, CnpgVersion.OLDEST_SUPPORTED, CnpgVersion.V1_27, CnpgVersion.V1_27_0, CnpgVersion.V1_27_1');
    expect(checkValue('C:BackupCredentials', 's3', 'credentials')?.fix).toBe('give a BackupCredentials: BackupCredentials.azureConnectionString(options), '
      + 'BackupCredentials.azureDefaultCredentials(), BackupCredentials.azureSasToken(options), BackupCredentials.azureStorageKey(options), '
      + 'BackupCredentials.azureWorkloadIdentity(), BackupCredentials.fromIamRole(options), BackupCredentials.fromSecret(name, keys), '
      + 'BackupCredentials.fromSecretStore(remoteKey, options)');
    expect(checkValue('C:BackupSchedule', '0 0 2 * * *', 'schedule')?.fix).toBe('give a BackupSchedule: BackupSchedule.DAILY_AT_2, '
      + 'BackupSchedule.dailyAt(hour, minute), BackupSchedule.expression(expression)');
    expect(checkValue('C:PgBouncerPooler', 'shared', 'sharedPooler')?.fix).toBe('give a PgBouncerPooler: the result of cnpgSharedCluster.addSharedPooler(name, options)');
    expect(checkValue('C:CheckedApiObject', 'x', 'o')?.fix).toBe('give a CheckedApiObject: new CheckedApiObject(...)');
    expect(checkValue('C:ApplicationProfile', 'gitlab', 'profile')).toEqual(problem('profile', 'gitlab', 'is a string, where an ApplicationProfile goes',
      'give an ApplicationProfile: ApplicationProfile.GENERIC, ApplicationProfile.GITLAB, ApplicationProfile.HARBOR, ApplicationProfile.KEYCLOAK, '
      + 'ApplicationProfile.SYNERGYFLOW, ApplicationProfile.custom(props)'));
  });

  test('the value of a message names an instance by its class, a function, a symbol or a bigint by itself', () => {
    expect(checkValue('C:Quantity', Duration.hours(1), 'size')).toEqual(problem('size', '(a Duration)', 'is a Duration, where a Quantity goes', `give a Quantity: ${QUANTITY_FORMS}`));
    expect(checkValue('C:Quantity', new Apple(), 'size')).toMatchObject({ value: '(an Apple)', problem: 'is an Apple, where a Quantity goes' });
    expect(checkValue('C:Quantity', () => 1, 'size')).toMatchObject({ value: '(a function)', problem: 'is a function, where a Quantity goes' });
    expect(checkValue('C:Quantity', Symbol('s'), 'size')).toMatchObject({ value: 'Symbol(s)', problem: 'is a symbol, where a Quantity goes' });
    expect(checkValue('C:Quantity', BigInt(10), 'size')).toMatchObject({ value: '10', problem: 'is a bigint, where a Quantity goes' });
    expect(checkValue('C:Quantity', new Date(0), 'size')).toMatchObject({ value: new Date(0), problem: 'is a Date, where a Quantity goes' });
    expect(checkValue('C:Quantity', ['1Gi'], 'size')).toMatchObject({ value: ['1Gi'], problem: 'is a list, where a Quantity goes' });
    expect(checkValue('C:Quantity', { a: 1 }, 'size')).toMatchObject({ value: { a: 1 }, problem: 'is an object, where a Quantity goes' });
    expect(checkValue('C:Quantity', Object.create(null), 'size')).toMatchObject({ problem: 'is an object, where a Quantity goes' });
  });

  test('constructs: anything with a construct path', () => {
    const c = chart();
    expect(checkValue('X:constructs.Construct', c, 'scope')).toBeUndefined();
    expect(checkValue('X:constructs.IConstruct', new Construct(c, 'x'), 'scope')).toBeUndefined();
    expect(checkValue('X:constructs.IConstruct', { node: { path: 'a/b' } }, 'scope')).toBeUndefined();
    expect(checkValue('X:constructs.Construct', { node: { path: 1 } }, 'scope')).toEqual(problem('scope', { node: { path: 1 } }, 'is an object, where a construct goes',
      'pass a construct: a Chart, or a construct inside one'));
    expect(checkValue('X:constructs.IConstruct', 'app', 'scope')).toEqual(problem('scope', 'app', 'is a string, where a construct goes', 'pass a construct: a Chart, or a construct inside one'));
  });

  test('other external classes: by name, with their factories', () => {
    expect(checkValue('X:cdk8s.Duration', Duration.minutes(5), 'for')).toBeUndefined();
    expect(checkValue('X:cdk8s.Duration', '5m', 'for')).toEqual(problem('for', '5m', 'is a string, where a Duration goes',
      'give a Duration: Duration.days(amount), Duration.hours(amount), Duration.millis(amount), Duration.minutes(amount), Duration.parse(duration), Duration.seconds(amount)'));
    expect(checkValue('X:cdk8s.App', chart(), 'scope')).toEqual(problem('scope', '(a Chart)', 'is a Chart, where an App goes', 'give an App: App.of(c)'));
    expect(checkValue('X:constructs.Construct2', 1, 'x')).toEqual(problem('x', 1, 'is a number, where a Construct2 goes', 'give a Construct2'));
  });

  test('an external struct: any plain object', () => {
    expect(checkValue('XS:cdk8s.ApiObjectMetadata', { name: 'x' }, 'metadata')).toBeUndefined();
    expect(checkValue('XS:cdk8s.ApiObjectMetadata', 'x', 'metadata')).toEqual(problem('metadata', 'x', 'is a string, where an object goes',
      'give an object with the fields of cdk8s.ApiObjectMetadata'));
    expect(checkValue('XS:cdk8s.ApiObjectMetadata', new Date(0), 'metadata')?.problem).toBe('is a Date, where an object goes');
  });

  test('an interface: an object with its required members', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    expect(checkValue('I:ICnpgCluster', db, 'cluster')).toBeUndefined();
    const required = Object.fromEntries(propTypes().interfaces.ICnpgCluster.required.map((k) => [k, 1]));
    expect(checkValue('I:ICnpgCluster', required, 'cluster')).toBeUndefined();
    const { poolers: _p, ...lacking } = required;
    expect(checkValue('I:ICnpgCluster', lacking, 'cluster')).toEqual(problem('cluster', lacking, 'is an object, where an ICnpgCluster goes', 'give a CnpgSharedCluster (ICnpgCluster)'));
    expect(checkValue('I:ICnpgCluster', [required], 'cluster')?.problem).toBe('is a list, where an ICnpgCluster goes');
    expect(checkValue('I:ICnpgCluster', 'db', 'cluster')?.problem).toBe('is a string, where an ICnpgCluster goes');
    expect(checkValue('I:IClusterBackup', new Apple(), 'backup')).toEqual(problem('backup', '(an Apple)', 'is an Apple, where an IClusterBackup goes',
      'give a ClusterBackup (IClusterBackup)'));
    // An interface the table does not describe: any object.
    expect(checkValue('I:IUnknown', {}, 'x')).toBeUndefined();
    expect(checkValue('I:IUnknown', 'x', 'x')).toEqual(problem('x', 'x', 'is a string, where an IUnknown goes', 'give an object implementing IUnknown'));
  });
});

describe('checkValue: structs', () => {
  test('a plain object (or an instance of a class that is not the library\'s) with the struct\'s props', () => {
    expect(checkValue('S:AlertOptions', {}, 'alert')).toBeUndefined();
    expect(checkValue('S:AlertOptions', { severity: 'info', enabled: false, forDuration: Duration.minutes(1) }, 'alert')).toBeUndefined();
    expect(checkValue('S:AlertOptions', Object.assign(Object.create(null), { severity: 'info' }), 'alert')).toBeUndefined();
    expect(checkValue('S:AlertOptions', Object.assign(new Apple(), { severity: 'info' }), 'alert')).toBeUndefined();
    expect(checkValue('S:AlertOptions', { severity: 'info', typo: undefined }, 'alert')).toBeUndefined();
  });

  test('not an object: the struct\'s required props', () => {
    expect(checkValue('S:AlertOptions', 'x', 'alert')).toEqual(problem('alert', 'x', 'is a string, where an object goes', 'give an object with the props of AlertOptions (all optional)'));
    expect(checkValue('S:DatabaseSchema', ['x'], 'schema')).toEqual(problem('schema', ['x'], 'is a list, where an object goes',
      'give an object with the props of DatabaseSchema (required: name)'));
    expect(checkValue('S:ApplicationProfileProps', 1, 'p')?.fix).toBe('give an object with the props of ApplicationProfileProps (required: name, poolMode, preparedStatements)');
    expect(checkValue('S:AlertOptions', Quantity.gibibytes(1), 'alert')).toMatchObject({ value: '(a Quantity)', problem: 'is a Quantity, where an object goes' });
    expect(checkValue('S:AlertOptions', Object.assign(new Banana(), { q: Quantity.gibibytes(1) }), 'alert')?.field).toBe('alert.q');
    class Sub extends (Quantity.gibibytes(1).constructor as new () => object) {}
    expect(checkValue('S:AlertOptions', Object.create(Sub.prototype), 'alert')?.problem).toBe('is a Sub, where an object goes');
    for (const v of [new Date(0), new Map(), new Set(), /x/]) {
      expect(checkValue('S:AlertOptions', v, 'alert')?.problem).toMatch(/^is an? (Date|Map|Set|RegExp), where an object goes$/);
    }
  });

  test('a prop the struct does not have: the nearest, in Python and Go too where they differ, or the list of props', () => {
    expect(checkValue('S:AlertOptions', { severty: 'info' }, 'alert')).toEqual({
      field: 'alert.severty', value: 'info', problem: 'is not a prop of AlertOptions (it would be ignored)', fix: 'did you mean severity?', languageHint: false,
    });
    expect(checkValue('S:AlertOptions', { forDuraton: Duration.minutes(1) }, 'alert')).toEqual({
      field: 'alert.forDuraton',
      value: '(a Duration)',
      problem: 'is not a prop of AlertOptions (it would be ignored)',
      fix: 'did you mean forDuration (Python: for_duration, Go: ForDuration)?',
      languageHint: false,
    });
    expect(checkValue('S:AlertOptions', { threshold: 1 }, 'alert')).toEqual({
      field: 'alert.threshold',
      value: 1,
      problem: 'is not a prop of AlertOptions (it would be ignored)',
      fix: 'use the props of AlertOptions: enabled, forDuration, severity',
      languageHint: false,
    });
  });

  test('a required prop: its summary (lower-cased unless it starts with a one-letter word or an abbreviation)', () => {
    expect(checkValue('S:DatabaseSchema', { owner: 'x' }, 'schemas[0]')).toEqual(problem('schemas[0].name', undefined, 'is required (the schema\'s name)', 'give name: a string'));
    expect(checkValue('S:ApplicationProfileProps', { poolMode: 'session', preparedStatements: 'none' }, 'p'))
      .toEqual(problem('p.name', undefined, 'is required (A short name for messages and docs, e.g)', 'give name: a string'));
    expect(checkValue('S:ConnectionShare', { application: 'a', instances: 1, poolerName: 'p' }, 's'))
      .toEqual(problem('s.type', undefined, 'is required (rw, ro or r)', 'give type: a string'));
    expect(checkValue('S:ImageCatalogReference', { name: 'c', major: 17 }, 'catalog'))
      .toEqual(problem('catalog.kind', undefined, 'is required (the catalog\'s kind)', 'give kind: one of ImageCatalogKind.NAMESPACED, ImageCatalogKind.CLUSTER_WIDE'));
  });

  test('each prop\'s value is checked, named by its path', () => {
    expect(checkValue('S:AlertOptions', { severity: 'page' }, 'alerts.x')?.field).toBe('alerts.x.severity');
    expect(checkValue('S:ExternalSecretSyncProps', { entries: [{ remoteKey: 'a', secretKey: 1 }], namespace: 'n', secretName: 's', store: { name: 'x' } }, 'p'))
      .toEqual(problem('p.entries[0].secretKey', 1, 'is a number, where a string goes', 'write the value as a string, in quotes'));
  });
});

describe('checkArgs: the arguments of an entry point, as the library\'s error', () => {
  test('an entry point the table lacks is a bug of the build, said so', () => {
    expect(() => checkArgs('Nothing.here', [])).toThrow(new Error('the argument check has no entry for Nothing.here: regenerate assets/prop-types.json (npx projen compile)'));
  });

  test('valid arguments pass; optional ones may be left out', () => {
    const c = chart();
    expect(() => checkArgs('new CnpgSharedCluster', [c, 'db'])).not.toThrow();
    expect(() => checkArgs('new CnpgSharedCluster', [c, 'db', { instances: 3 }])).not.toThrow();
    expect(() => checkArgs('CnpgSharedCluster.addApplication', ['billing'])).not.toThrow();
    expect(() => checkArgs('Quantity.of', ['1Gi'])).not.toThrow();
  });

  test('a constructor: the construct path of the construct being built', () => {
    const c = chart();
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, 'db', { instnces: 3 }])))
      .toBe('CnpgSharedCluster at \'chart/db\': instnces = 3 is not a prop of CnpgSharedClusterProps (it would be ignored). Fix: did you mean instances?');
    // A prop's own name: its Python and Go forms where they differ.
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, 'db', { reservedConnections: '10' }])))
      .toBe('CnpgSharedCluster at \'chart/db\': reservedConnections = "10" is a string, where a number goes. Fix: write the number without quotes'
        + ' (the field is reserved_connections in Python, ReservedConnections in Go)');
    // The struct itself is named by its parameter.
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, 'db', null])))
      .toBe(`CnpgSharedCluster at 'chart/db': props = null is null. Fix: ${NULL_FIX}an object with the props of CnpgSharedClusterProps (all optional)`);
    // Directly under the root.
    const app = Testing.app();
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [app, 'db', { instances: 'x' }])))
      .toBe('CnpgSharedCluster at \'db\': instances = "x" is a string, where a number goes. Fix: give a number');
  });

  test('the scope and the id of a construct', () => {
    const c = chart();
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [{}, 'db'])))
      .toBe('CnpgSharedCluster: scope = "an object" is not a construct. Fix: pass the parent construct: a Chart, or a construct inside one');
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [undefined, 'db'])))
      .toBe('CnpgSharedCluster: scope = (unset) is required. Fix: give a Construct');
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, 42])))
      .toBe('CnpgSharedCluster: id = 42 is a number, where a string goes. Fix: give the construct an id in quotes, unique among its siblings, e.g. "db"');
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, ''])))
      .toBe('CnpgSharedCluster at \'chart/\': id = "" is empty (only the root of a construct tree has an empty id). Fix: give the construct an id, unique among its siblings, e.g. "db"');
    new Construct(c, 'db');
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, 'db'])))
      .toBe('CnpgSharedCluster at \'chart/db\': id = "db" is taken: \'chart\' has a child with this id already. Fix: give each construct an id of its own among its siblings');
    // The constructs library writes "/" in an id as "--".
    new Construct(c, 'a/b');
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [c, 'a/b'])))
      .toBe('CnpgSharedCluster at \'chart/a/b\': id = "a/b" is taken: \'chart\' has a child with this id already. Fix: give each construct an id of its own among its siblings');
    const app = Testing.app();
    new Chart(app, 'chart');
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [app, 'chart'])))
      .toBe('CnpgSharedCluster at \'chart\': id = "chart" is taken: \'(the root)\' has a child with this id already. Fix: give each construct an id of its own among its siblings');
    // A scope without tryFindChild (a construct of another shape): nothing to compare with.
    expect(() => checkArgs('new CnpgSharedCluster', [{ node: { path: 'x' } }, 'db'])).not.toThrow();
  });

  test('a constructor whose scope is not any construct: the scope and the id as other parameters', () => {
    const c = chart();
    expect(thrown(() => checkArgs('new FluxDelivery', [c, 'flux', { path: './app' }])))
      .toBe('FluxDelivery at \'chart/flux\': scope = "(a Chart)" is a Chart, where an App goes. Fix: give an App: App.of(c)');
    expect(thrown(() => checkArgs('new FluxDelivery', [Testing.app(), 1, { path: './app' }])))
      .toBe('FluxDelivery: id = 1 is a number, where a string goes. Fix: write the value as a string, in quotes');
  });

  test('a method: the construct path of the instance it is called on, if any', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db');
    expect(thrown(() => checkArgs('CnpgSharedCluster.addApplication', [1], db)))
      .toBe('CnpgSharedCluster.addApplication at \'chart/db\': name = 1 is a number, where a string goes. Fix: write the value as a string, in quotes');
    expect(thrown(() => checkArgs('CnpgSharedCluster.addApplication', ['a', { databse: 'x' }], db)))
      .toBe('CnpgSharedCluster.addApplication at \'chart/db\': databse = "x" is not a prop of ApplicationProps (it would be ignored). Fix: did you mean database?');
    expect(thrown(() => checkArgs('Quantity.of', [])))
      .toBe('Quantity.of: value = (unset) is required. Fix: give a string');
    expect(thrown(() => checkArgs('Quantity.of', [1], { node: { path: 1 } })))
      .toBe('Quantity.of: value = 1 is a number, where a string goes. Fix: write the value as a string, in quotes');
    expect(thrown(() => checkArgs('RecoveryTarget.at', [new Date('x')])))
      .toBe('RecoveryTarget.at: date = "Invalid Date" is an invalid Date. Fix: give a valid date, e.g. new Date("2026-06-01T00:00:00Z")');
  });
});

describe('through an entry point', () => {
  test('a list of a class whose name is plural already is not pluralised again', () => {
    expect(thrown(() => new CnpgSharedCluster(chart(), 'db', { customQueries: 'queries' as any })))
      .toBe('CnpgSharedCluster at \'chart/db\': customQueries = "queries" is a string, where a list goes. '
        + 'Fix: give a list of CustomQueries, e.g. [CustomQueries.fromConfigMap(configMapName, key)]'
        + ' (the field is custom_queries in Python, CustomQueries in Go)');
  });
});

describe('the forms named in fixes and the descriptions of values (the survivors of the second run)', () => {
  test('null: the expected form of each kind of type', () => {
    const fix = (type: string) => checkValue(type, null, 'f')?.fix.replace(NULL_FIX, '');
    expect(fix('A:string')).toBe('a list of strings');
    expect(fix('A:number')).toBe('a list of numbers');
    expect(fix('A:boolean')).toBe('a list of booleans');
    expect(fix('A:E:PoolMode')).toBe('a list of PoolMode values');
    expect(fix('M:string')).toBe('a map of names to strings');
    expect(fix('M:S:AlertOptions')).toBe('a map of names to AlertOptions objects');
    expect(fix('boolean')).toBe('true or false');
    expect(fix('date')).toBe('a Date');
    expect(fix('XS:cdk8s.ApiObjectMetadata')).toBe('an object with the fields of cdk8s.ApiObjectMetadata');
    expect(fix('I:ICnpgCluster')).toBe('a CnpgSharedCluster (ICnpgCluster)');
    expect(checkValue('M:json', { a: undefined }, 'fields')?.fix).toBe('give a value, or remove the key');
  });

  test('an enum member by its name where the name is not like the value, or by its value with spaces around', () => {
    const meant = (value: string) => checkValue('E:ImageCatalogKind', value, 'kind')?.fix.replace(/\? Use one of .*/, '');
    expect(meant('namespaced')).toBe('did you mean ImageCatalogKind.NAMESPACED');
    expect(meant(' Cluster-Wide ')).toBe('did you mean ImageCatalogKind.CLUSTER_WIDE');
    expect(meant('cluster wide')).toBe('did you mean ImageCatalogKind.CLUSTER_WIDE');
    expect(meant('cluster.wide')).toBe('did you mean ImageCatalogKind.CLUSTER_WIDE');
    expect(meant(`${' '.repeat(12)}clusterimagecatalog${' '.repeat(12)}`)).toBe('did you mean ImageCatalogKind.CLUSTER_WIDE');
    expect(meant('global')).toBe('use one of ImageCatalogKind.NAMESPACED ("ImageCatalog"), ImageCatalogKind.CLUSTER_WIDE ("ClusterImageCatalog")');
  });

  test('a misspelt prop gets no Python and Go forms (the caller\'s own name has none)', () => {
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [chart(), 'db', { reservedConection: 1 }])))
      .toBe('CnpgSharedCluster at \'chart/db\': reservedConection = 1 is not a prop of CnpgSharedClusterProps (it would be ignored). Fix: did you mean reservedConnections'
        + ' (Python: reserved_connections, Go: ReservedConnections)?');
  });

  test('only a Quantity gets the CPU forms', () => {
    expect(checkValue('C:CnpgVersion', 1, 'cpuVersion')?.fix).toMatch(/^give a CnpgVersion: CnpgVersion\.of/);
  });

  test('values of unusual shapes are described as what they are', () => {
    // A prototype without a constructor (an object made from a null-prototype object).
    const orphan = Object.create(Object.create(null));
    expect(checkValue('S:AlertOptions', orphan, 'alert')).toBeUndefined();
    expect(checkValue('C:Quantity', orphan, 'size')).toMatchObject({ problem: 'is an object, where a Quantity goes' });
    // An object literal of another realm (its Object is not this one's).
    const foreign = vm.runInNewContext('({ a: 1 })');
    expect(checkValue('C:Quantity', foreign, 'size')).toEqual(problem('size', foreign, 'is an object, where a Quantity goes',
      `give a Quantity: ${'Quantity.gibibytes(80), Quantity.of(\'80Gi\'), Quantity.of(\'${CNPG_DATA_SIZE}\'), '
        + 'Quantity.cores(amount), Quantity.mebibytes(amount), Quantity.millicores(amount), Quantity.tebibytes(amount)'}`));
    expect(thrown(() => checkArgs('new CnpgSharedCluster', [null, 'db'])))
      .toBe('CnpgSharedCluster: scope = "null" is not a construct. Fix: pass the parent construct: a Chart, or a construct inside one');
  });
});
