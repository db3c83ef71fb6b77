import { ambiguousPlainStrings } from '../../src/checks/yaml-plain';

const valueProblem = (path: string, value: string, n: number, fixValue: string) => ({
  path,
  value,
  problem: `is a value that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number ${n}`,
  fix: `use a name or text that is not an octal number in YAML 1.2 (e.g. "${fixValue}")`,
});

describe('ambiguousPlainStrings', () => {
  test('a YAML 1.2 octal value anywhere in the object, with its path (fields, list items, nested) and its number', () => {
    expect(ambiguousPlainStrings({
      spec: { name: '0o17', list: ['a', '0o7', { deep: '0o10' }], other: 'x' },
    })).toEqual([
      valueProblem('spec.name', '0o17', 15, 'x0o17'),
      valueProblem('spec.list[1]', '0o7', 7, 'x0o7'),
      valueProblem('spec.list[2].deep', '0o10', 8, 'x0o10'),
    ]);
  });

  test('a sign is part of the number and left out of the suggested text', () => {
    expect(ambiguousPlainStrings({ a: '-0o17', b: '+0o17' })).toEqual([
      valueProblem('a', '-0o17', -15, 'x0o17'),
      valueProblem('b', '+0o17', 15, 'x0o17'),
    ]);
  });

  test('keys: at the top level without a leading dot, nested with their path', () => {
    expect(ambiguousPlainStrings({ '0o5': 'a', 'data': { '0o11': 'b' } })).toEqual([
      {
        path: '0o5',
        value: '0o5',
        problem: 'is a key that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number 5',
        fix: 'use a name or text that is not an octal number in YAML 1.2 (e.g. "x0o5")',
      },
      {
        path: 'data.0o11',
        value: '0o11',
        problem: 'is a key that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number 9',
        fix: 'use a name or text that is not an octal number in YAML 1.2 (e.g. "x0o11")',
      },
    ]);
  });

  test('a string on its own is checked at the empty path', () => {
    expect(ambiguousPlainStrings('0o1')).toEqual([valueProblem('', '0o1', 1, 'x0o1')]);
  });

  test('near misses are no problem: other digits, text around the number, no digits, numbers, booleans, null', () => {
    expect(ambiguousPlainStrings({
      a: '0o8', b: 'x0o17', c: '0o17x', d: '0o', e: '017', f: '0x1f', g: 15, h: true, i: null, j: ['0o9', undefined], k: '--0o1',
    })).toEqual([]);
    expect(ambiguousPlainStrings(undefined)).toEqual([]);
    expect(ambiguousPlainStrings(null)).toEqual([]);
  });
});
