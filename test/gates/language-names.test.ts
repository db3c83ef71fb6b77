/**
 * The Python and Go names error messages give for a field (src/common/language-names.ts) are the
 * names jsii-pacmak really generates: compared with its own case conversion for every struct
 * field and every parameter of the assembly.
 */
import { goName, languageHint, pythonName } from '../../src/common/language-names';
import { propTypes } from '../../src/core/prop-check';

// jsii-pacmak's own conversion (codemaker's toSnakeCase, then Python's keyword rule).
// eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
const { toSnakeCase } = require('codemaker');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toPythonIdentifier } = require('jsii-pacmak/lib/targets/python/util');

const NAMES = [...new Set([
  ...Object.values(propTypes().structs).flatMap((f) => Object.keys(f)),
  ...Object.values(propTypes().callables).flatMap((ps) => ps.map(([n]) => n)),
])].sort();

describe('Python and Go names in messages are jsii-pacmak\'s', () => {
  test(`covers every field and parameter name (${NAMES.length})`, () => expect(NAMES.length).toBeGreaterThan(300));

  test('Python: every name as jsii-pacmak writes it', () => {
    const wrong = NAMES.filter((n) => pythonName(n) !== toPythonIdentifier(toSnakeCase(n))).map((n) => `${n}: ${pythonName(n)} != ${toPythonIdentifier(toSnakeCase(n))}`);
    expect(wrong).toEqual([]);
  });

  test('Go: the first letter upper-cased', () => {
    expect(goName('maxDbConnections')).toBe('MaxDbConnections');
  });

  test('a prop path gets both forms; a one-word field none', () => {
    expect(languageHint('pooler.parameters.maxDbConnections')).toBe(' (the field is pooler.parameters.max_db_connections in Python, Pooler.Parameters.MaxDbConnections in Go)');
    expect(languageHint('instances')).toBe('');
    expect(languageHint('Cluster spec.instances')).toBe('');
  });
});
