/**
 * The small helpers of src/common/ called directly (nothing synthesized): names, integers, the
 * error shape and its Python/Go hint, Flux variables, Service endpoints, the scheduling enums and
 * the YAML module. Each refusal is asserted whole: where, field, value, problem, fix.
 */
import * as path from 'path';
import { Construct } from 'constructs';
import { PodAntiAffinity, SslMode, ZoneSpread } from '../src';
import { chart } from './util/synth';
import { invalidInput, show } from '../src/common/errors';
import { containsFluxVariable, fluxReference, fluxVariableName } from '../src/common/flux';
import { goName, languageHint, pythonName } from '../src/common/language-names';
import { MAX_LABEL_LENGTH, validateName } from '../src/common/names';
import { validateInteger } from '../src/common/numbers';
import { HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY } from '../src/common/scheduling';
import { ServiceEndpoint } from '../src/common/service-endpoint';
import { yaml } from '../src/common/yaml';

// jsii-pacmak's own conversion (codemaker's toSnakeCase, then Python's keyword rule).
// eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
const { toSnakeCase } = require('codemaker');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toPythonIdentifier } = require('jsii-pacmak/lib/targets/python/util');

const scope = (): Construct => new Construct(chart(), 'box');
const WHERE = 'Construct at \'test/box\'';

describe('validateName', () => {
  const check = (name: unknown, options?: Parameters<typeof validateName>[3]) => () => validateName(scope(), 'name', name as string, options);
  const dns1123 = (name: string, suggestion: string) => new Error(`${WHERE}: name = ${JSON.stringify(name)} is not a DNS-1123 label `
    + `(lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: use a name such as "${suggestion}"`);

  test('the label limit is 63', () => expect(MAX_LABEL_LENGTH).toBe(63));

  test.each(['a', '0', 'a-b', '1a', 'a--b', 'abc-123', 'a'.repeat(63)])('%s is a DNS-1123 label', (name) => {
    expect(check(name)).not.toThrow();
  });

  test.each([
    ['A', 'a'], ['-a', 'a'], ['a-', 'a'], ['a_b', 'a-b'], ['a.b', 'a-b'], ['', 'shared-postgres'], [' a', 'a'],
    // The suggestion: lower case, each run of other characters one "-", no leading non-letter, no trailing "-".
    ['My__DB', 'my-db'], ['9db__x', 'db-x'], ['My1DB', 'my1db'], ['a-b_', 'a-b'], ['Ab-_', 'ab'], ['a..b--', 'a-b'], ['---', 'shared-postgres'],
    ['_12', 'shared-postgres'], ['Db-', 'db'], ['a\nb', 'a-b'],
  ])('%j is refused, suggesting %s', (name, suggestion) => {
    expect(check(name)).toThrow(dns1123(name, suggestion));
  });

  test('a DNS-1035 label starts with a letter', () => {
    for (const name of ['a', 'a1', 'a-b', 'abc', 'a--1', 'z'.repeat(63)]) expect(check(name, { startsWithLetter: true })).not.toThrow();
    expect(check('1a', { startsWithLetter: false })).not.toThrow();
    for (const [name, suggestion] of [['1a', 'a'], ['a-', 'a'], ['A', 'a']]) {
      expect(check(name, { startsWithLetter: true })).toThrow(new Error(`${WHERE}: name = "${name}" is not a DNS-1035 label `
        + `(lower-case letters, digits and "-", starting with a letter and ending with a letter or digit). Fix: use a name such as "${suggestion}"`));
    }
  });

  test('not a string', () => {
    for (const v of [5, undefined, null, ['a']]) {
      expect(check(v)).toThrow(new Error(`${WHERE}: name = ${show(v)} is not a string. Fix: give the name as a string, e.g. "shared-postgres"`));
    }
  });

  test('a Flux variable is not checked', () => {
    expect(check('${NAME}')).not.toThrow();
    expect(check('Bad_${NAME}', { maxLength: 3, suffixes: ['-'.repeat(70)], startsWithLetter: true })).not.toThrow();
  });

  test('at most 63 characters by default, or maxLength', () => {
    expect(check('a'.repeat(64))).toThrow(new Error(`${WHERE}: name = "${'a'.repeat(64)}" is 64 characters long, more than the 63 allowed. `
      + 'Fix: use a name of at most 63 characters'));
    expect(check('a'.repeat(50), { maxLength: 50 })).not.toThrow();
    // Secret names: 253 characters, not held to the label limit when nothing is derived from them.
    expect(check('a'.repeat(253), { maxLength: 253 })).not.toThrow();
    expect(check('a'.repeat(254), { maxLength: 253 })).toThrow('is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters');
    expect(check('a'.repeat(51), { maxLength: 50 })).toThrow(new Error(`${WHERE}: name = "${'a'.repeat(51)}" is 51 characters long, more than the 50 allowed. `
      + 'Fix: use a name of at most 50 characters'));
  });

  test('with suffixes: the longest derived name within 63 characters', () => {
    for (const suffixes of [['-rw', '-pooler'], ['-pooler', '-rw']]) {
      expect(check('a'.repeat(56), { suffixes })).not.toThrow();
      expect(check('a'.repeat(57), { suffixes })).toThrow(new Error(`${WHERE}: name = "${'a'.repeat(57)}" gives the derived name "${'a'.repeat(57)}-pooler" `
        + 'of 64 characters, more than Kubernetes\' 63. Fix: shorten the name to at most 56 characters'));
    }
    // Of two suffixes of one length the first is named.
    expect(check('a'.repeat(61), { suffixes: ['-ab', '-cd'] })).toThrow(`gives the derived name "${'a'.repeat(61)}-ab" of 64 characters`);
    // The derived names are held to 63 whatever maxLength is.
    expect(check('a'.repeat(60), { maxLength: 100, suffixes: ['-rw'] })).not.toThrow();
    expect(check('a'.repeat(61), { maxLength: 100, suffixes: ['-rw'] })).toThrow('shorten the name to at most 60 characters');
    expect(check('a'.repeat(63), { suffixes: [] })).not.toThrow();
    expect(check('a'.repeat(63), { suffixes: [''] })).not.toThrow();
  });
});

describe('validateInteger', () => {
  const check = (v: unknown, min: number, max: number) => () => validateInteger(scope(), 'count', v as number, min, max, 'give a whole number');

  test('the bounds are inclusive', () => {
    expect(check(1, 1, 10)).not.toThrow();
    expect(check(10, 1, 10)).not.toThrow();
    expect(check(-5, -5, -5)).not.toThrow();
    for (const v of [0, 11]) {
      expect(check(v, 1, 10)).toThrow(new Error(`${WHERE}: count = ${v} is not valid: it must be an integer between 1 and 10. Fix: give a whole number`));
    }
  });

  test('without an upper bound: "at least"', () => {
    expect(check(Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER)).not.toThrow();
    expect(check(-1, 0, Number.MAX_SAFE_INTEGER)).toThrow(new Error(`${WHERE}: count = -1 is not valid: it must be an integer at least 0. Fix: give a whole number`));
    expect(check(-1, 0, Number.MAX_SAFE_INTEGER - 1)).toThrow(`it must be an integer between 0 and ${Number.MAX_SAFE_INTEGER - 1}`);
  });

  test.each([[1.5, '1.5'], ['3', '"3"'], [NaN, 'NaN'], [Infinity, 'Infinity'], [undefined, '(unset)']])('%p is not an integer', (v, shown) => {
    expect(check(v, 0, 10)).toThrow(new Error(`${WHERE}: count = ${shown} is not valid: it must be an integer between 0 and 10. Fix: give a whole number`));
  });
});

describe('invalidInput and show', () => {
  test('a construct is named by its class and path, a source by its text', () => {
    expect(invalidInput(scope(), 'size', 3, 'is too small', 'give more').message).toBe(`${WHERE}: size = 3 is too small. Fix: give more`);
    expect(invalidInput('CnpgVersion.of', 'version', '0.1', 'is unknown', 'give 1.30.0').message)
      .toBe('CnpgVersion.of: version = "0.1" is unknown. Fix: give 1.30.0');
  });

  test('a prop path named differently in Python and Go gets a hint, unless told not to', () => {
    const hint = ' (the field is pooler.max_db_connections in Python, Pooler.MaxDbConnections in Go)';
    expect(invalidInput('X', 'pooler.maxDbConnections', 1, 'is wrong', 'fix it').message).toBe(`X: pooler.maxDbConnections = 1 is wrong. Fix: fix it${hint}`);
    expect(invalidInput('X', 'pooler.maxDbConnections', 1, 'is wrong', 'fix it', { languageHint: true }).message).toBe(`X: pooler.maxDbConnections = 1 is wrong. Fix: fix it${hint}`);
    expect(invalidInput('X', 'pooler.maxDbConnections', 1, 'is wrong', 'fix it', { languageHint: false }).message).toBe('X: pooler.maxDbConnections = 1 is wrong. Fix: fix it');
  });

  test('show: every kind of value', () => {
    class Named {
      public toString() { return 'named!'; }
    }
    const circular: any = { a: 1 };
    circular.self = circular;
    expect(show(undefined)).toBe('(unset)');
    expect(show(null)).toBe('null');
    expect(show('a"b')).toBe('"a\\"b"');
    expect(show('')).toBe('""');
    expect(show([1, 'a'])).toBe('[1,"a"]');
    expect(show([])).toBe('[]');
    expect(show({ a: 1 })).toBe('{"a":1}');
    expect(show({ toString: 5 })).toBe('{"toString":5}');
    expect(show(Object.create(null))).toBe('{}');
    expect(show(new Named())).toBe('named!');
    expect(show(new Date(0))).toBe(String(new Date(0)));
    expect(show(circular)).toBe('[object Object]');
    expect(show(5)).toBe('5');
    expect(show(false)).toBe('false');
    expect(show(10n)).toBe('10');
  });
});

describe('Python and Go names', () => {
  // Names with the abbreviations jsii-pacmak keeps whole, runs of capitals, digits and keywords;
  // the expected names are jsii-pacmak's own.
  test.each([
    'maxDbConnections', 'maxKiBSize', 'walMiB', 'sizeGiB', 'GiB', 'aKiBb', 'KiBa', 'kiBytes', 'HTTPServer', 'fooBAR', 'maxDBConnections',
    'a1B', 'x2Y', 'ABCdef', 'from', 'async', 'lambda', 'None', 'none', 'instances', 'a', 'ssl2Mode', 'GiBMiB', 'sizeGiBKiB', 'sizeKiBX', 'aMiBX2',
    // Python 3.11's keyword.kwlist, every one.
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
    'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
    'while', 'with', 'yield',
  ])('%s', (name) => {
    expect(pythonName(name)).toBe(toPythonIdentifier(toSnakeCase(name)));
  });

  test('spot checks: the abbreviations, keywords and Go', () => {
    expect(pythonName('maxKiBSize')).toBe('max_kib_size');
    expect(pythonName('from')).toBe('from_');
    expect(pythonName('yield')).toBe('yield_');
    expect(pythonName('True')).toBe('true');
    expect(pythonName('sizeKiBX')).toBe('size_kib_x');
    expect(pythonName('HTTPServer')).toBe('http_server');
    expect(goName('maxDbConnections')).toBe('MaxDbConnections');
    expect(goName('a')).toBe('A');
  });

  test.each([
    ['pooler.maxDbConnections', ' (the field is pooler.max_db_connections in Python, Pooler.MaxDbConnections in Go)'],
    ['maxDbConnections', ' (the field is max_db_connections in Python, MaxDbConnections in Go)'],
    ['roles[0].connectionLimit', ' (the field is roles[0].connection_limit in Python, Roles[0].ConnectionLimit in Go)'],
    ['databases["app"].ownerRole', ' (the field is databases["app"].owner_role in Python, Databases["app"].OwnerRole in Go)'],
    ['a[1][2].bC', ' (the field is a[1][2].b_c in Python, A[1][2].BC in Go)'],
    ['from', ' (the field is from_ in Python, From in Go)'],
    ['instances', ''], ['pooler.instances', ''],
    ['Cluster spec.instances', ''], ['spec.maxDbConnections x', ''], ['x maxDbConnections', ''], ['maxDb[x]', ''], ['a.', ''], ['.maxDb', ''],
    ['CNPG_APP_SECRET_PATH', ''], ['spec.postgresql.parameters.work_mem', ''], ['1maxDb', ''], ['', ''], ['a["x"]Db', ''],
  ])('%s', (field, hint) => {
    expect(languageHint(field)).toBe(hint);
  });
});

describe('Flux variables', () => {
  test.each([
    '${A}', '${_a1}', '${CNPG_DATA_SIZE}', '${A:=x}', '${A:-x}', '${A=x}', '${A-x}', '${A:=}', 'x${A}y', '$${A}', '${A:=${B}',
  ])('%s holds one', (text) => {
    expect(containsFluxVariable(text)).toBe(true);
  });

  test.each(['', '$A', '${1A}', '${A', '${}', '${A:x}', '${A B}', '{A}', '$ {A}', '${A.B}', '${é}'])('%s holds none', (text) => {
    expect(containsFluxVariable(text)).toBe(false);
  });

  test.each([
    ['${NAME}', 'NAME'], ['${_N1}', '_N1'], ['${NAME:=10Gi}', 'NAME'], ['${NAME:-x}', 'NAME'], ['${NAME=x}', 'NAME'], ['${NAME-x}', 'NAME'],
    [' ${NAME}', undefined], ['${NAME} ', undefined], ['x${NAME}', undefined], ['${NAME}x', undefined], ['${A}${B}', undefined],
    ['${NAME:x}', undefined], ['${1A}', undefined], ['$NAME', undefined], ['${NAME:=a}b}', undefined],
  ])('the variable of %s is %s', (text, name) => {
    expect(fluxVariableName(text)).toBe(name);
  });

  test('a reference', () => {
    expect(fluxReference('CNPG_DATA_SIZE')).toBe('${CNPG_DATA_SIZE}');
    expect(fluxVariableName(fluxReference('X_1'))).toBe('X_1');
  });
});

describe('ServiceEndpoint', () => {
  const rw = new ServiceEndpoint('shared-postgres-rw', 'databases', 5432, 'cluster.local');

  test('its parts and the names derived from them', () => {
    expect([rw.serviceName, rw.namespace, rw.port, rw.clusterDomain]).toEqual(['shared-postgres-rw', 'databases', 5432, 'cluster.local']);
    expect(rw.fqdn).toBe('shared-postgres-rw.databases.svc.cluster.local');
    expect(rw.hostPort).toBe('shared-postgres-rw.databases.svc.cluster.local:5432');
    expect(new ServiceEndpoint('p', 'ns', 6432, 'example.org').hostPort).toBe('p.ns.svc.example.org:6432');
  });

  test('libpq and JDBC: verify-full by default, the database name encoded', () => {
    expect(rw.libpqUri('harbor')).toBe('postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/harbor?sslmode=verify-full');
    expect(rw.jdbcUrl('keycloak')).toBe('jdbc:postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/keycloak?sslmode=verify-full');
    expect(rw.libpqUri('my db/x', SslMode.REQUIRE)).toBe('postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/my%20db%2Fx?sslmode=require');
    expect(rw.jdbcUrl('a?b', SslMode.VERIFY_CA)).toBe('jdbc:postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/a%3Fb?sslmode=verify-ca');
    expect([SslMode.REQUIRE, SslMode.VERIFY_CA, SslMode.VERIFY_FULL]).toEqual(['require', 'verify-ca', 'verify-full']);
  });

  test('the arguments are checked', () => {
    expect(() => new ServiceEndpoint('rw', 'ns', '5432' as any, 'cluster.local')).toThrow(
      'ServiceEndpoint: port = "5432" is a string, where a number goes. Fix: write the number without quotes');
    expect(() => rw.libpqUri(5 as any)).toThrow('ServiceEndpoint.libpqUri: database = 5 is a number, where a string goes. Fix: write the value as a string, in quotes');
    expect(() => rw.jdbcUrl(5 as any)).toThrow('ServiceEndpoint.jdbcUrl: database = 5 is a number, where a string goes. Fix: write the value as a string, in quotes');
    expect(() => rw.libpqUri('app', 'disable' as any)).toThrow(/^ServiceEndpoint\.libpqUri: sslMode = "disable" is not one of SslMode's values\. Fix: use one of SslMode\.REQUIRE \("require"\)/);
    expect(() => rw.jdbcUrl('app', 'disable' as any)).toThrow(/^ServiceEndpoint\.jdbcUrl: sslMode = "disable" is not one of SslMode's values\. Fix: use one of SslMode\.REQUIRE \("require"\)/);
  });
});

describe('scheduling', () => {
  test('the values written into manifests', () => {
    expect([PodAntiAffinity.REQUIRED, PodAntiAffinity.PREFERRED]).toEqual(['required', 'preferred']);
    expect([ZoneSpread.NONE, ZoneSpread.PREFERRED, ZoneSpread.REQUIRED]).toEqual(['none', 'ScheduleAnyway', 'DoNotSchedule']);
    expect(ZONE_TOPOLOGY_KEY).toBe('topology.kubernetes.io/zone');
    expect(HOSTNAME_TOPOLOGY_KEY).toBe('kubernetes.io/hostname');
  });
});

describe('yaml', () => {
  test('the copy cdk8s bundles, loaded once', () => {
    const cdk8s = path.dirname(require.resolve('cdk8s/package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(yaml()).toBe(require(require.resolve('yaml', { paths: [cdk8s] })));
    expect(yaml()).toBe(yaml());
    expect(yaml().parse('a: 1')).toEqual({ a: 1 });
  });

  test('without cdk8s\'s copy, the library\'s own', () => {
    // The module object itself (the namespace import above is read-only).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dirname = jest.spyOn(require('path') as typeof path, 'dirname').mockImplementationOnce(() => {
      throw new Error('Cannot find module \'cdk8s/package.json\'');
    });
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../src/common/yaml') as typeof import('../src/common/yaml');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(fresh.yaml()).toBe(require('yaml'));
        expect(fresh.yaml()).not.toBe(yaml());
      });
    } finally {
      dirname.mockRestore();
    }
  });
});
