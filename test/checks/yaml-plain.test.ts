import { ambiguousPlainStrings } from '../../src/checks/yaml-plain';

const valueProblem = (path: string, value: string, n: number, fixValue: string) => ({
  path,
  value,
  problem: `is a value that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number ${n}`,
  fix: `use a name or text that Go's YAML packages do not read as a number (e.g. "${fixValue}")`,
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
        fix: 'use a name or text that Go\'s YAML packages do not read as a number (e.g. "x0o5")',
      },
      {
        path: 'data.0o11',
        value: '0o11',
        problem: 'is a key that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number 9',
        fix: 'use a name or text that Go\'s YAML packages do not read as a number (e.g. "x0o11")',
      },
    ]);
  });

  test('a string on its own is checked at the empty path', () => {
    expect(ambiguousPlainStrings('0o1')).toEqual([valueProblem('', '0o1', 1, 'x0o1')]);
  });

  test('the other forms Go\'s YAML packages read as numbers and cdk8s writes plainly: prefixes in capitals, binary and hexadecimal, `_` anywhere', () => {
    expect(ambiguousPlainStrings({ a: '0O17', b: '0B101', c: '0X1F', d: '0o1_7', e: '0_x1f', f: '-0X1F', g: '+0B1' })).toEqual([
      valueProblem('a', '0O17', 15, 'x0O17'),
      valueProblem('b', '0B101', 5, 'x0B101'),
      valueProblem('c', '0X1F', 31, 'x0X1F'),
      valueProblem('d', '0o1_7', 15, 'x0o1_7'),
      valueProblem('e', '0_x1f', 31, 'x0_x1f'),
      valueProblem('f', '-0X1F', -31, 'x0X1F'),
      valueProblem('g', '+0B1', 1, 'x0B1'),
    ]);
    // `_` after the sign: YAML 1.1 reads text, Go removes it and reads the number.
    expect(ambiguousPlainStrings({ a: '+_0x1f', b: '-_0b1' })).toEqual([
      valueProblem('a', '+_0x1f', 31, 'x_0x1f'),
      valueProblem('b', '-_0b1', -1, 'x_0b1'),
    ]);
    expect(ambiguousPlainStrings({ '0X10': 'a' })[0].problem).toBe('is a key that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number 16');
  });

  test('the prefixed numbers of YAML 1.1 (cdk8s quotes them), a leading `_`, prefixes without digits or with wrong ones: no problem', () => {
    expect(ambiguousPlainStrings({
      a: '0x1f', b: '0b101', c: '0x1_f', d: '-0b1', e: '+0x_1', f: '_0o17', g: '0b', h: '0x', i: '0o_', j: '0X1G', k: '0B2', l: '0O8', m: 'o17', n: '00o17',
    })).toEqual([]);
  });

  test('near misses are no problem: other digits, text around the number, no digits, numbers, booleans, null', () => {
    expect(ambiguousPlainStrings({
      a: '0o8', b: 'x0o17', c: '0o17x', d: '0o', e: '017', f: '0x1f', g: 15, h: true, i: null, j: ['0o9', undefined], k: '--0o1',
    })).toEqual([]);
    expect(ambiguousPlainStrings(undefined)).toEqual([]);
    expect(ambiguousPlainStrings(null)).toEqual([]);
  });
});
